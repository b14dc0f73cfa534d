// What each enhanced status code means for a learner and what to do about it (RFC 3463 sections 3.1-3.8,
// RFC 4954 section 6 for the AUTH codes, RFC 5248 and RFC 7372 for later registrations; the IANA
// "SMTP Enhanced Status Codes" registry names them). Keyed by "subject.detail": the class digit is
// separate because RFC 3463 section 3.1 gives it its own meaning (2 success, 4 persistent transient,
// 5 permanent). `brief` is the short clause the lesson checker puts after "that means"; `meaning`
// and `todo` are the console's sentences. Explanations are ours.

import { rfc, type RfcRef } from '../common/types.ts';

export interface EnhancedText {
  /** What the code says happened, one sentence. */
  meaning: string;
  /** What the learner (or the sender) should do next. */
  todo: string;
  /** A short clause for "that means ..." in the lesson checker. */
  brief: string;
  rfc: RfcRef;
}

const A = rfc(3463, '3.2'); // X.1.X addressing
const M = rfc(3463, '3.3'); // X.2.X mailbox
const S = rfc(3463, '3.4'); // X.3.X mail system
const N = rfc(3463, '3.5'); // X.4.X network and routing
const P = rfc(3463, '3.6'); // X.5.X mail delivery protocol
const C = rfc(3463, '3.7'); // X.6.X message content or media
const Y = rfc(3463, '3.8'); // X.7.X security or policy
const AUTH = rfc(4954, '6');

type Row = [string, string, string, string, RfcRef];
const ROWS: Row[] = [
  [
    '0.0',
    'No more detail is given than the class: success, transient or permanent failure.',
    'Read the text of the reply; it usually says more than the code.',
    'a permanent failure',
    rfc(3463, '3.1'),
  ],
  [
    '1.0',
    'Something is wrong with an address, the code does not say what.',
    'Check both the sender and the recipient address.',
    'something is wrong with an address',
    A,
  ],
  [
    '1.1',
    'No mailbox by that name exists at this server.',
    'Check the spelling of the local part (before the @); the domain itself is fine.',
    'no mailbox by that name exists here: check the spelling of the address',
    A,
  ],
  [
    '1.2',
    'The domain (after the @) does not name a mail system that takes mail, or the server does not serve it.',
    'Check the domain part of the address.',
    'the domain of the address does not take mail here: check the part after the @',
    A,
  ],
  [
    '1.3',
    'The recipient address is not well formed.',
    'Write it as <name@domain>, with the angle brackets and no spaces.',
    'the address is not well formed: write it as <name@domain>',
    A,
  ],
  ['1.4', 'The address matches more than one mailbox.', 'Use the full, exact address.', 'the address is ambiguous', A],
  [
    '1.5',
    'The recipient address is valid (the usual code of a 250 after RCPT TO).',
    'Add more recipients or go on with DATA.',
    'the recipient address is valid',
    A,
  ],
  [
    '1.6',
    'The mailbox has moved and there is no forwarding address.',
    'Ask the recipient for the new address some other way.',
    'the mailbox has moved',
    A,
  ],
  [
    '1.7',
    'The sender address (MAIL FROM) is not well formed.',
    'Write it as MAIL FROM:<name@domain>; <> is allowed only for bounces.',
    'the sender address is not well formed',
    A,
  ],
  [
    '1.8',
    "The sender's domain is not acceptable, typically because it has no DNS records to reply to.",
    'Use a sender address in a domain that exists and receives mail.',
    'the sender domain is not acceptable',
    A,
  ],
  [
    '1.10',
    'The recipient domain publishes a null MX: it never accepts mail (RFC 7505).',
    'Do not retry; the address cannot receive mail.',
    'the recipient domain never accepts mail (null MX)',
    rfc(7505, '4.1'),
  ],
  [
    '2.0',
    "Something is wrong with the recipient's mailbox, the code does not say what.",
    'Read the text of the reply.',
    'the mailbox has a problem',
    M,
  ],
  [
    '2.1',
    'The mailbox exists but is disabled and not accepting messages.',
    'Reach the recipient some other way; retrying will not help unless its owner re-enables it.',
    'the mailbox exists but is disabled',
    M,
  ],
  [
    '2.2',
    "The recipient's mailbox is full. RFC 3463 calls this a persistent transient failure even with a 5: the owner can make room.",
    'Try again later, or tell the recipient their mailbox is full.',
    'the recipient’s mailbox is full',
    M,
  ],
  [
    '2.3',
    'The message is longer than this mailbox or site allows by policy.',
    'Send a smaller message (for example a link instead of the attachment).',
    'the message is longer than this mailbox allows',
    M,
  ],
  ['2.4', 'A mailing list could not be expanded.', 'Tell the list owner.', 'a mailing list could not be expanded', M],
  [
    '3.0',
    'The receiving mail system has a problem, the code does not say what.',
    'Try again later (a 4) or report it to the postmaster (a 5).',
    'the mail system has a problem',
    S,
  ],
  ['3.1', 'The receiving mail system is out of storage.', 'Try again later.', 'the mail system is full', S],
  [
    '3.2',
    'The system is not accepting network messages now (for example it is shutting down).',
    'Try again later.',
    'the system is not accepting messages now',
    S,
  ],
  [
    '3.3',
    'The system cannot provide a feature the message needs (8BITMIME, SMTPUTF8 ...).',
    'Send the message without that feature, or to a server that offers it.',
    'the system lacks a feature this message needs',
    S,
  ],
  [
    '3.4',
    'The message is larger than the server accepts.',
    'Compare with the SIZE value in the EHLO reply and send a smaller message.',
    'the message is larger than the server accepts (see SIZE in the EHLO reply)',
    S,
  ],
  [
    '3.5',
    'The receiving system is misconfigured.',
    'Report it to the postmaster of that domain.',
    'the system is misconfigured',
    S,
  ],
  [
    '3.6',
    'The server changed the requested priority (MT-PRIORITY).',
    'Nothing; it is information.',
    'the requested priority was changed',
    rfc(6710),
  ],
  [
    '4.0',
    'A routing or network problem, the code does not say what.',
    'Try again later.',
    'a routing or network problem',
    N,
  ],
  ['4.1', 'The next host did not answer.', 'Try again later.', 'the next host did not answer', N],
  ['4.2', 'The connection to the next host broke.', 'Try again later.', 'the connection broke', N],
  [
    '4.3',
    'A directory server (DNS, LDAP) the server needs failed.',
    'Try again later.',
    'a directory server failed',
    N,
  ],
  [
    '4.4',
    'The server cannot find a route to the destination (no MX or A record, for example).',
    'Check the domain name.',
    'the server cannot route to that destination',
    N,
  ],
  ['4.5', 'The mail system is congested.', 'Try again later, more slowly.', 'the mail system is congested', N],
  [
    '4.6',
    'A routing loop was detected (too many Received: headers).',
    'Report it to the postmaster.',
    'a mail loop was detected',
    N,
  ],
  ['4.7', 'The message sat in queues too long and expired.', 'Send it again.', 'the message expired in the queue', N],
  [
    '5.0',
    'Something went wrong in the SMTP dialogue itself.',
    'Check the command and its place in the session.',
    'something went wrong in the SMTP dialogue',
    P,
  ],
  [
    '5.1',
    'The command is not valid here: unknown, or out of order.',
    'Check the order: EHLO, then MAIL FROM, then RCPT TO, then DATA.',
    'a command came in the wrong order or is unknown here — did you send EHLO first, and MAIL before RCPT?',
    P,
  ],
  [
    '5.2',
    'The command has a syntax error.',
    'Check the spelling of the command and of its arguments.',
    'the command was not understood: check its spelling and its arguments',
    P,
  ],
  [
    '5.3',
    'Too many recipients for one transaction.',
    'Send the rest in a second transaction; RFC 5321 section 4.5.3.1.10 says to treat this as temporary.',
    'too many recipients for one message',
    P,
  ],
  [
    '5.4',
    'A command argument is not valid (for example an unknown MAIL FROM parameter or a bad address form).',
    'Check the arguments: the brackets <...> and any KEYWORD=value parameters.',
    'a parameter of the command is not valid: check the address brackets <...>',
    P,
  ],
  [
    '5.5',
    'The server and client disagree on the protocol version.',
    'Use EHLO (or HELO) as the server expects.',
    'the protocol version is wrong',
    P,
  ],
  [
    '5.6',
    'An AUTH line was longer than the server accepts (RFC 4954 allows 12288 octets).',
    'Send a shorter response.',
    'an AUTH line was too long',
    AUTH,
  ],
  [
    '6.0',
    'A note about the message content (with 2 it is not an error: the message was taken as it is).',
    'With a 4 or 5, read the reply text; with a 2, nothing to do.',
    'a note about the message content',
    C,
  ],
  [
    '6.1',
    'The message uses a media type the destination does not support.',
    'Send it in another format.',
    'the content type is not supported',
    C,
  ],
  [
    '6.2',
    'The message would need conversion, and conversion is prohibited.',
    'Send it in a form the destination takes.',
    'the content would need a prohibited conversion',
    C,
  ],
  [
    '6.3',
    'The message would need conversion the server cannot do.',
    'Send it in a form the destination takes.',
    'the content would need a conversion that is not supported',
    C,
  ],
  [
    '6.4',
    'The message was converted with some loss.',
    'Nothing, unless the loss matters.',
    'the content was converted with loss',
    C,
  ],
  ['6.5', 'Converting the message failed.', 'Send it in another form.', 'the content conversion failed', C],
  [
    '6.6',
    'The content a BURL pointed at could not be fetched.',
    'Check the URL.',
    'the message content is not available',
    rfc(4468),
  ],
  [
    '6.7',
    'A non-ASCII address cannot be used here without SMTPUTF8.',
    'Add SMTPUTF8 to MAIL FROM (if the server offers it) or use an ASCII address.',
    'a non-ASCII address needs SMTPUTF8',
    rfc(6531),
  ],
  [
    '6.8',
    'A UTF-8 reply is needed but the client did not ask for SMTPUTF8.',
    'Use SMTPUTF8.',
    'a UTF-8 reply is needed',
    rfc(6531),
  ],
  [
    '6.9',
    'A message with UTF-8 headers cannot reach some recipients.',
    'Send an ASCII version to them.',
    'UTF-8 headers cannot be passed on',
    rfc(6531),
  ],
  [
    '6.10',
    'A deprecated duplicate of X.6.8: a UTF-8 reply is needed but the client did not ask for SMTPUTF8.',
    'Use SMTPUTF8.',
    'a UTF-8 reply is needed (deprecated code)',
    rfc(6531, '4'),
  ],
  [
    '7.0',
    'Refused for a security or policy reason the code does not name: often TLS or login is needed first.',
    'Read the text; usually send STARTTLS, then AUTH, then try again.',
    'this needs something first, usually TLS (STARTTLS) or authentication',
    Y,
  ],
  [
    '7.1',
    'Refused by policy: this sender may not send to this recipient here (relay denied, sender rejected, blocklist).',
    'Send to an address this server serves, or log in (AUTH) on the submission port if you are its user.',
    'the server refuses to relay to that domain: it only accepts mail for its own users',
    Y,
  ],
  [
    '7.2',
    'Expanding this mailing list is not allowed for you.',
    'Ask the list owner.',
    'list expansion is prohibited',
    Y,
  ],
  [
    '7.3',
    'The message needs a security conversion the server cannot do.',
    'Send it without that requirement.',
    'a security conversion is not possible',
    Y,
  ],
  [
    '7.4',
    'A security feature the message asks for is not supported.',
    'Send it without that feature.',
    'a security feature is not supported',
    Y,
  ],
  [
    '7.5',
    'A cryptographic operation failed.',
    'Check the signature or encryption of the message.',
    'a cryptographic failure',
    Y,
  ],
  [
    '7.6',
    'A cryptographic algorithm is not supported.',
    'Use another algorithm.',
    'a cryptographic algorithm is not supported',
    Y,
  ],
  [
    '7.7',
    'The message failed an integrity check.',
    'Send it again unaltered.',
    'the message failed an integrity check',
    Y,
  ],
  [
    '7.8',
    'The user name or password (or the whole AUTH exchange) was not accepted.',
    'Check the user name and password; for AUTH PLAIN check the base64 of \\0user\\0password.',
    'the user name or password is wrong, or the base64 was built incorrectly',
    AUTH,
  ],
  [
    '7.9',
    'The server will not accept this AUTH mechanism from you: it considers it too weak.',
    'Pick another mechanism from the EHLO AUTH list, or (at big providers) use the login method they require.',
    'this login mechanism is refused as too weak',
    AUTH,
  ],
  [
    '7.10',
    'The server requires encryption for this.',
    'Send STARTTLS first, or use the implicit TLS port.',
    'encryption is needed: run STARTTLS first',
    rfc(5248),
  ],
  [
    '7.11',
    'This AUTH mechanism may only be used over an encrypted connection.',
    'Send STARTTLS, then AUTH again.',
    'this needs an encrypted connection: run STARTTLS first',
    AUTH,
  ],
  [
    '7.12',
    'The password must be changed (a password transition is needed) before this mechanism works.',
    'Log in once with the mechanism the server asks for (often PLAIN over TLS) or change the password.',
    'a password transition is needed',
    AUTH,
  ],
  [
    '7.13',
    'The user account is disabled.',
    'Only the administrator can re-enable it.',
    'the user account is disabled',
    rfc(5248),
  ],
  [
    '7.14',
    'The server requires a trust relationship it does not have with you.',
    'Ask the administrator.',
    'a trust relationship is required',
    rfc(5248),
  ],
  [
    '7.15',
    'The priority asked for is too low for this server.',
    'Raise MT-PRIORITY or drop it.',
    'the priority is too low',
    rfc(6710),
  ],
  [
    '7.16',
    'The message is too big for the priority asked for.',
    'Lower the priority or send a smaller message.',
    'the message is too big for that priority',
    rfc(6710),
  ],
  [
    '7.17',
    'The mailbox has had another owner since the time given (RRVS).',
    'Check that the address still belongs to your contact.',
    'the mailbox owner has changed',
    rfc(7293),
  ],
  [
    '7.18',
    'The domain has had another owner since the time given (RRVS).',
    'Check the address.',
    'the domain owner has changed',
    rfc(7293),
  ],
  [
    '7.19',
    'The RRVS check could not be done.',
    'Send without RRVS or try later.',
    'the RRVS test could not be done',
    rfc(7293),
  ],
  [
    '7.20',
    'No passing DKIM signature was found.',
    'The sending domain must sign its mail with DKIM.',
    'no passing DKIM signature',
    rfc(7372, '3.1'),
  ],
  [
    '7.21',
    'No acceptable DKIM signature was found.',
    'The sending domain must sign in a way the receiver accepts.',
    'no acceptable DKIM signature',
    rfc(7372, '3.1'),
  ],
  [
    '7.22',
    "No valid DKIM signature from the author's domain was found.",
    'Sign with the domain of the From: address.',
    'no author-matched DKIM signature',
    rfc(7372, '3.1'),
  ],
  [
    '7.23',
    "SPF says this host may not send for the sender's domain.",
    "Send through a server the domain's SPF record lists.",
    'SPF validation failed',
    rfc(7372, '3.2'),
  ],
  [
    '7.24',
    'The SPF check hit an error (a DNS problem or a broken record).',
    'Fix the SPF record, or retry later.',
    'SPF validation error',
    rfc(7372, '3.2'),
  ],
  [
    '7.25',
    "The sending host's reverse DNS does not check out.",
    'The sending host needs matching PTR and A records.',
    'reverse DNS validation failed',
    rfc(7372, '3.3'),
  ],
  [
    '7.26',
    'Several authentication checks (SPF, DKIM ...) failed together.',
    "Fix the sending domain's SPF and DKIM.",
    'several authentication checks failed',
    rfc(7372, '3.4'),
  ],
  [
    '7.27',
    "The sender's domain publishes a null MX, so it could never receive a reply or bounce.",
    'Use a sender address in a domain that receives mail.',
    'the sender domain has a null MX',
    rfc(7505, '4.2'),
  ],
  [
    '7.28',
    'The receiver sees this message as part of a flood of similar abusive messages from the sender.',
    'Stop sending for now; slow down and check that the mail is wanted before trying again later.',
    'mail flood detected',
    { doc: 'IANA SMTP Enhanced Status Codes', url: 'https://www.iana.org/assignments/smtp-enhanced-status-codes' },
  ],
  ['7.29', 'ARC validation failed.', "Report it to the sender's postmaster.", 'ARC validation failed', rfc(8617)],
  [
    '7.30',
    'The message asks for REQUIRETLS and the next hop cannot give it.',
    'Send without REQUIRETLS or via another route.',
    'REQUIRETLS is required but not possible',
    rfc(8689),
  ],
];

export const ENHANCED_TEXT: Record<string, EnhancedText> = Object.fromEntries(
  ROWS.map(([sd, meaning, todo, brief, ref]) => [sd, { meaning, todo, brief, rfc: ref }]),
);

/**
 * Where class 4 changes the story (RFC 3463 section 3.1: "persistent transient"): the same subject
 * and detail, refused for now rather than for good.
 */
export const ENHANCED_TRANSIENT: Record<string, Pick<EnhancedText, 'meaning' | 'todo' | 'brief'>> = {
  '7.0': {
    meaning:
      'Refused for now for a security or policy reason (for example TLS is not available at the moment, or a rate limit).',
    todo: 'Try again later.',
    brief: 'a temporary refusal: try again later',
  },
  '7.1': {
    meaning:
      'Refused for now by policy; greylisting (RFC 6647) is the usual case: the server turns away the first attempt of an unknown sender, recipient and client address.',
    todo: 'A real sender queues the message and retries after some minutes (RFC 5321 section 4.5.4.1); retrying at once may be refused again.',
    brief: 'a temporary refusal (greylisting): a real server would try the same message again later',
  },
  '2.2': {
    meaning: "The recipient's mailbox is full for now (a persistent transient failure, RFC 3463 section 3.3).",
    todo: "Try again later; the sender's server keeps retrying for a few days.",
    brief: 'the recipient’s mailbox is full',
  },
};

/** Our text for class.subject.detail, with the class-4 reading where it differs. */
export function enhancedText(code: string): EnhancedText | undefined {
  const m = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(code);
  if (!m) return undefined;
  const sd = `${Number(m[2])}.${Number(m[3])}`;
  const base = ENHANCED_TEXT[sd];
  if (!base) return undefined;
  const t = m[1] === '4' ? ENHANCED_TRANSIENT[sd] : undefined;
  return t ? { ...base, ...t } : base;
}
