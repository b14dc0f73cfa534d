// Short meanings of the replies a learner meets in the lessons, used to say why a step failed.
// Self-contained (the full annotation catalogs live in app/src/protocols/ and may replace this).

/** RFC 3463 / RFC 5248 enhanced status codes the practice server sends, and what to try. */
const ENHANCED: Record<string, string> = {
  '5.5.1': 'a command came in the wrong order or is unknown here — did you send EHLO first, and MAIL before RCPT?',
  '5.5.2': 'the command was not understood: check its spelling and its arguments',
  '5.5.4': 'a parameter of the command is not valid: check the address brackets <...>',
  '5.1.1': 'no mailbox by that name exists here: check the spelling of the address',
  '5.1.3': 'the address is not well formed: write it as <name@domain>',
  '5.7.1': 'the server refuses to relay to that domain: it only accepts mail for its own users',
  '5.7.0': 'this needs something first, usually TLS (STARTTLS) or authentication',
  '5.7.8': 'the user name or password is wrong, or the base64 was built incorrectly',
  '5.7.11': 'this needs an encrypted connection: run STARTTLS first',
  '4.7.1': 'a temporary refusal, here greylisting: wait as long as the reply says, then send the same command again (RFC 6647)',
  '4.7.0': 'a temporary refusal: try again later',
  '5.2.2': 'the recipient’s mailbox is full (a persistent transient failure, RFC 3463 section 3.3, so a sender may still retry)',
  '4.2.2': 'the recipient’s mailbox is full for now: the sender keeps the message and tries again later (RFC 3463 section 3.3)',
  '5.3.4': 'the message is larger than the server accepts (see SIZE in the EHLO reply)',
  '5.0.0': 'a permanent failure',
};

/** RFC 5321 4.2.2 / 4.2.3 reply codes. */
const SMTP_CODES: Record<string, string> = {
  '220': 'the service is ready (or STARTTLS may begin)',
  '221': 'the server is closing the connection (after QUIT)',
  '235': 'authentication succeeded',
  '250': 'the command was accepted',
  '334': 'the server is waiting for the next piece of the login (base64)',
  '354': 'the server is ready for the message content; end it with a line holding only a dot',
  '421': 'the service is closing the connection',
  '450': 'the mailbox is unavailable for now: try again later',
  '451': 'a temporary local problem: try again later',
  '452': 'not enough room right now',
  '454': 'TLS or authentication is temporarily unavailable',
  '500': 'the command was not recognised: check its spelling',
  '501': 'the arguments were wrong: check the syntax, e.g. MAIL FROM:<address>',
  '502': 'the server does not implement that command',
  '503': 'a command came in the wrong order — did you send EHLO first?',
  '504': 'that parameter (for example an AUTH mechanism) is not supported',
  '530': 'authentication (often after STARTTLS) is required first',
  '535': 'the login failed: user name or password is wrong, or the base64 is off',
  '550': 'the mailbox is unavailable or the action is refused for good',
  '551': 'that user is not local here',
  '552': 'storage exceeded: the mailbox is full or the message too big',
  '553': 'the mailbox name is not allowed',
  '554': 'the transaction failed',
};

export function explainSmtp(code: string, enhanced: string | null): string {
  if (enhanced && ENHANCED[enhanced]) return ENHANCED[enhanced];
  if (SMTP_CODES[code]) return SMTP_CODES[code];
  const cls = code[0];
  if (cls === '2') return 'a success';
  if (cls === '3') return 'the server is waiting for more input';
  if (cls === '4') return 'a temporary failure: the same command may work later';
  if (cls === '5') return 'a permanent failure: sending the same thing again will not help';
  return 'an unexpected reply';
}

export function explainImapStatus(status: string): string {
  switch (status.toUpperCase()) {
    case 'OK':
      return 'the command succeeded';
    case 'NO':
      return 'the server understood the command but refused it (wrong password, missing mailbox, or TLS needed first)';
    case 'BAD':
      return 'the server could not parse the command, or it is not allowed in this state — check the tag, spelling, parentheses, and whether you logged in or SELECTed first';
    default:
      return 'an unexpected reply';
  }
}

export function explainPop3Status(status: string): string {
  return status.startsWith('+OK')
    ? 'the command succeeded'
    : 'the server refused the command (wrong order, wrong password, no such message, or TLS needed first)';
}
