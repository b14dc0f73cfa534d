// Reply texts of the practice SMTP server. Each carries its own RFC 3463 enhanced status code
// (the send hook in smtp.ts keeps it instead of smtp-server's generic one) and says what to do.

export interface SmtpReply {
  responseCode: number;
  message: string;
}

export const replies = {
  relayDenied: (address: string, domain: string): SmtpReply => ({
    responseCode: 554,
    message: `5.7.1 <${address}>: Relay access denied. This practice server only delivers to addresses @${domain}; it never passes mail on to other domains (an open relay would be abused by spammers).`,
  }),
  noSuchUser: (address: string, domain: string): SmtpReply => ({
    responseCode: 550,
    message: `5.1.1 <${address}>: No such user here. Check the spelling: the accounts @${domain} are listed when the server starts.`,
  }),
  mailboxFull: (address: string): SmtpReply => ({
    responseCode: 552,
    message: `5.2.2 <${address}>: Mailbox full (practice scenario). The recipient has no room left; a real sender would report this back to you.`,
  }),
  greylisted: (): SmtpReply => ({
    responseCode: 451,
    message: '4.7.1 Greylisted: please try again later (RFC 6647). This is a practice scenario; send the same message again and it will be accepted.',
  }),
  tlsRequired: (): SmtpReply => ({
    responseCode: 530,
    message: '5.7.0 Must issue a STARTTLS command first: this server takes passwords only over TLS (RFC 3207 section 4).',
  }),
  authRequired: (): SmtpReply => ({
    responseCode: 530,
    message: '5.7.0 Authentication required: log in with AUTH PLAIN or AUTH LOGIN before MAIL FROM (RFC 4954).',
  }),
  authFailed: (): SmtpReply => ({
    responseCode: 535,
    message: '5.7.8 Authentication credentials invalid: check the user name (with or without @domain) and the password.',
  }),
  senderNotOwned: (address: string, user: string): SmtpReply => ({
    responseCode: 553,
    message: `5.7.1 <${address}>: Sender address rejected: you are logged in as ${user}, so send as your own address (RFC 6409 section 6.1: a submission server may refuse other senders).`,
  }),
  tooBig: (max: number): SmtpReply => ({
    responseCode: 552,
    message: `5.3.4 Message too big: this server accepts at most ${max} octets (the SIZE value in the EHLO reply). Nothing was stored.`,
  }),
  lineTooLong: (max: number): SmtpReply => ({
    responseCode: 421,
    message: `4.5.0 Command line too long: this server reads lines of at most ${max} octets (RFC 5321 4.5.3.1.4 asks for at least 512). Closing the connection.`,
  }),
  unknownCommand: (): SmtpReply => ({
    responseCode: 500,
    message: '5.5.2 Command not recognized. Try EHLO, MAIL FROM:<...>, RCPT TO:<...>, DATA, RSET, NOOP, HELP or QUIT.',
  }),
  stored: (count: number): SmtpReply => ({
    responseCode: 250,
    message: `2.6.0 Message accepted and stored for ${count} recipient${count === 1 ? '' : 's'}.`,
  }),
  storeFailed: (): SmtpReply => ({
    responseCode: 451,
    message: '4.3.0 The message could not be stored; nothing was delivered. Please try again.',
  }),
};

/** An Error smtp-server turns into a reply (it reads `responseCode`). */
export function smtpError(reply: SmtpReply): Error & { responseCode: number } {
  return Object.assign(new Error(reply.message), { responseCode: reply.responseCode });
}

/** Rewrites smtp-server's own wording where a learner deserves a clearer sentence. */
export function rewriteLibraryReply(code: number, text: string, maxSize: number, maxLine: number): SmtpReply | null {
  if (code === 538 && /STARTTLS/.test(text)) return replies.tlsRequired();
  if (code === 530 && /authentication Required/i.test(text)) return replies.authRequired();
  if (code === 552 && /maximum message size/.test(text)) return replies.tooBig(maxSize);
  if (code === 421 && /Command line too long/.test(text)) return replies.lineTooLong(maxLine);
  if (code === 500 && text === 'Error: command not recognized') return replies.unknownCommand();
  return null;
}
