// Reply texts of the practice SMTP server. Each carries its own RFC 3463 enhanced status code
// (rewriteReplyLines keeps it instead of smtp-server's generic one) and says what to do.

import { capRefusalText, type CapRefusal, type CapSettings } from '../limits/caps.ts';

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
  // Gmail answers a full inbox with 452-4.2.2 at RCPT: X.2.2 is a persistent transient failure
  // (RFC 3463 section 3.3), so the 4yz code (RFC 5321 section 4.5.3.1.10) lets the sender retry.
  mailboxFull: (address: string): SmtpReply => ({
    responseCode: 452,
    message: `4.2.2 <${address}>: Mailbox full (practice scenario). The recipient has no room left just now; a real sender keeps the message and tries again later, and bounces it only if the mailbox stays full.`,
  }),
  // The account quota (--quota). X.2.2 "Mailbox full" is the code for a per-mailbox quota, and the
  // recipient can make room, so at RCPT it is transient: 452 (RFC 3463 section 3.3, RFC 5321 4.2.3).
  overQuota: (address: string, used: number, limit: number): SmtpReply => ({
    responseCode: 452,
    message: `4.2.2 <${address}>: Mailbox full: it stores ${used} of its ${limit} octets. Try again once the recipient has deleted mail.`,
  }),
  // At the end of DATA this message itself does not fit: 552, exceeded storage allocation (RFC 5321 4.2.3).
  messageOverQuota: (address: string, octets: number, used: number, limit: number): SmtpReply => ({
    responseCode: 552,
    message: `5.2.2 <${address}>: Mailbox full: this message (${octets} octets) does not fit beside the ${used} of ${limit} octets it stores. Nothing was stored for any recipient.`,
  }),
  /** RFC 6647: a temporary refusal of a new triplet, and of a retry sooner than the minimum delay. */
  greylisted: (retryInMs: number, first: boolean): SmtpReply => ({
    responseCode: 451,
    message: `4.7.1 Greylisted: ${first ? 'this sender and recipient are new from your address' : 'too soon'}; try again in ${Math.max(1, Math.ceil(retryInMs / 1000))} seconds (RFC 6647). Practice scenario: a real server makes senders wait minutes.`,
  }),
  tlsRequired: (): SmtpReply => ({
    responseCode: 530,
    message:
      '5.7.0 Must issue a STARTTLS command first: this server takes passwords only over TLS (RFC 3207 section 4).',
  }),
  authRequired: (): SmtpReply => ({
    responseCode: 530,
    message: '5.7.0 Authentication required: log in with AUTH PLAIN or AUTH LOGIN before MAIL FROM (RFC 4954).',
  }),
  authFailed: (): SmtpReply => ({
    responseCode: 535,
    message:
      '5.7.8 Authentication credentials invalid: check the user name (with or without @domain) and the password.',
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
  idle: (): SmtpReply => ({
    // RFC 5321 section 4.5.3.2.7: a server may give up on a client that stays silent.
    responseCode: 421,
    message: '4.4.2 Idle for too long: closing the connection. Connect again and send the next command sooner.',
  }),
  unknownCommand: (): SmtpReply => ({
    responseCode: 500,
    message: '5.5.2 Command not recognized. Try EHLO, MAIL FROM:<...>, RCPT TO:<...>, DATA, RSET, NOOP, HELP or QUIT.',
  }),
  tooManyConnections: (refusal: CapRefusal, caps: Readonly<CapSettings>): SmtpReply => ({
    // RFC 5321 section 3.8: a server that cannot serve now answers 421 and closes.
    responseCode: 421,
    message: `4.7.0 ${capRefusalText(refusal, caps)}`,
  }),
  busy: (budget: number): SmtpReply => ({
    responseCode: 452,
    message: `4.3.1 The server is holding too much incoming mail in memory right now (${budget} octets for all connections); nothing was stored, send it again in a moment.`,
  }),
  stored: (count: number): SmtpReply => ({
    responseCode: 250,
    message: `2.6.0 Message accepted and stored for ${count} recipient${count === 1 ? '' : 's'}.`,
  }),
  // RFC 5321 section 6.1: the 250 after the dot takes responsibility for delivery; mail for another
  // domain is not stored yet but queued (on disk), and the queue id lets the learner find it.
  queued: (stored: number, queued: number, ids: string[]): SmtpReply => ({
    responseCode: 250,
    message: `2.0.0 Message accepted: ${stored ? `stored for ${stored} local recipient${stored === 1 ? '' : 's'} and ` : ''}queued for ${queued} recipient${queued === 1 ? '' : 's'} at another domain (queue id ${ids.join(', ')}); this server now delivers it or sends back a bounce.`,
  }),
  /** The queue's cap for this sender or for everyone (mta/caps.ts): 452, insufficient system storage (RFC 5321 4.5.3.1.10, RFC 3463 X.3.1). */
  queueFull: (why: string): SmtpReply => ({
    responseCode: 452,
    message: `4.3.1 ${why}`,
  }),
  dsnParamTooLong: (param: string, max: number, section: string): SmtpReply => ({
    responseCode: 501,
    message: `5.5.4 ${param} is longer than ${max} characters (RFC 3461 section ${section}); send a shorter one.`,
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
  if (code === 421 && text === 'Timeout - closing connection') return replies.idle();
  return null;
}

/** A reply line as smtp-server writes it: code, "-" on all lines but the last, the text. */
const REPLY_LINE = /^(\d{3})([ -])(.*)$/s;
/** An RFC 3463 enhanced status code at the start of a reply text. */
const ENHANCED_CODE = /^[245]\.\d{1,3}\.\d{1,3} /;

/**
 * One whole reply as smtp-server wrote it, as the practice server sends it: our own enhanced code
 * instead of the library's generic one in front of it, our wording for the library's texts, and
 * (`hideAuth`: submission before TLS) no AUTH line in the EHLO list (RFC 3207 section 4).
 */
export function rewriteReplyLines(
  lines: string[],
  ctx: { maxSize: number; maxLine: number; hideAuth: boolean },
): string[] {
  if (lines.length === 1) {
    const m = REPLY_LINE.exec(lines[0]!);
    if (!m) return lines;
    const code = Number(m[1]);
    const library = ENHANCED_CODE.exec(m[3]!);
    const text = library ? m[3]!.slice(library[0].length) : m[3]!;
    const ours = rewriteLibraryReply(code, text, ctx.maxSize, ctx.maxLine);
    if (ours) return [`${ours.responseCode} ${ours.message}`];
    if (library && ENHANCED_CODE.test(text)) return [`${code} ${text}`];
    return lines;
  }
  if (!ctx.hideAuth) return lines;
  const kept = lines.filter((line) => !/^\d{3}[ -]AUTH\b/i.test(line));
  return kept.map((line, i) => line.slice(0, 3) + (i === kept.length - 1 ? ' ' : '-') + line.slice(4));
}
