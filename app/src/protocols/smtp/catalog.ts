// SMTP catalog: reply codes (RFC 5321 section 4.2.3 plus AUTH's RFC 4954 and RFC 7504), enhanced
// status codes (IANA registry, RFC 3463) and EHLO keywords (IANA registry). Explanations are ours.

import { rfc, refFromRegistry, type RfcRef } from '../common/types.ts';
import { ENHANCED_CLASSES, ENHANCED_CODES, ENHANCED_SUBJECTS } from '../registries/smtp-enhanced-status-codes.ts';
import { SMTP_SERVICE_EXTENSIONS } from '../registries/smtp-service-extensions.ts';
import { enhancedText } from './enhanced.ts';

export interface SmtpCodeEntry {
  code: number;
  title: string;
  meaning: string;
  rfc: RfcRef;
}

const R5321 = (s: string) => rfc(5321, s);
const CODES: Array<[number, string, string, RfcRef]> = [
  [211, 'System status', 'The server reports its status or says it has help text ready.', R5321('4.2.3')],
  [214, 'Help message', 'Human-readable help from the server, usually the list of commands it knows.', R5321('4.2.3')],
  [
    220,
    'Service ready',
    'The server is ready: either the greeting after you connect, or the go-ahead to start the TLS handshake after STARTTLS.',
    R5321('4.2.3'),
  ],
  [221, 'Closing connection', 'The server says goodbye and will close the connection.', R5321('4.2.3')],
  [
    235,
    'Authentication succeeded',
    'The server accepted your credentials; you are now logged in for this session.',
    rfc(4954, '6'),
  ],
  [250, 'OK', 'The command you sent was accepted and done.', R5321('4.2.3')],
  [
    251,
    'User not local, will forward',
    'The recipient is not local but the server will forward the message to the address it names.',
    R5321('3.4'),
  ],
  [
    252,
    'Cannot verify, will try',
    'The server will not confirm whether the user exists, but it will accept mail for that address and try to deliver it.',
    R5321('3.5.3'),
  ],
  [
    253,
    'Pending messages started',
    'ETRN: the server starts delivering the messages it holds for that node (the text says how many).',
    rfc(1985, '5'),
  ],
  [
    334,
    'Authentication challenge',
    'The server waits for the next line of the AUTH exchange; the text after 334 is base64 (often a prompt such as "Username:").',
    rfc(4954, '4'),
  ],
  [
    354,
    'Start mail input',
    'Send the message now: header lines, a blank line, the body, and a line with a single dot to finish.',
    R5321('4.1.1.4'),
  ],
  [
    421,
    'Service not available',
    'The server is closing the connection (overloaded, shutting down or timed out); try again later.',
    R5321('4.2.3'),
  ],
  [
    450,
    'Mailbox unavailable (temporary)',
    'The action was not taken because the mailbox is busy or temporarily blocked (greylisting uses this); retry later.',
    R5321('4.2.3'),
  ],
  [
    451,
    'Local error',
    'The server hit a temporary problem of its own and aborted the action; retry later.',
    R5321('4.2.3'),
  ],
  [
    452,
    'Insufficient storage',
    'The server is short of storage or has had too many recipients for now; retry later.',
    R5321('4.2.3'),
  ],
  [
    454,
    'Temporary authentication failure',
    'AUTH or TLS could not be completed because of a temporary problem on the server.',
    rfc(4954, '6'),
  ],
  [
    455,
    'Cannot accommodate parameters',
    'The server cannot handle the MAIL or RCPT parameters right now; retry later.',
    R5321('4.2.3'),
  ],
  [
    458,
    'Unable to queue messages for node',
    'ETRN: the server cannot start delivery of the mail it holds for that node now; try again later.',
    rfc(1985, '5'),
  ],
  [
    459,
    'Node not allowed',
    "ETRN: this client may not ask for that node's queue to be run (the text gives the reason).",
    rfc(1985, '5'),
  ],
  [
    500,
    'Syntax error, command unrecognized',
    'The server did not recognise the command (or the line was too long).',
    R5321('4.2.3'),
  ],
  [
    501,
    'Syntax error in parameters',
    'The command is known but its arguments are malformed, for example an address without <>.',
    R5321('4.2.3'),
  ],
  [
    502,
    'Command not implemented',
    'The server does not implement this command; many servers (Postfix, Gmail) send 502 for any command they do not know, so check the spelling too.',
    R5321('4.2.3'),
  ],
  [
    503,
    'Bad sequence of commands',
    'The command is valid, but not at this point of the session: an earlier step is missing.',
    R5321('4.2.3'),
  ],
  [
    504,
    'Parameter not implemented',
    'The server does not support this parameter of the command (for example this AUTH mechanism).',
    R5321('4.2.3'),
  ],
  [521, 'Does not accept mail', 'This host never accepts mail; do not retry here.', rfc(7504, '3')],
  [
    530,
    'Authentication required',
    'The server wants you to log in with AUTH (and often to use STARTTLS first) before this command.',
    rfc(4954, '6'),
  ],
  [
    534,
    'Authentication mechanism is too weak',
    'The server will not accept this way of logging in from you; the enhanced code and text say what it wants instead (another mechanism, or at big providers an app password or a browser sign-in).',
    rfc(4954, '6'),
  ],
  [
    535,
    'Authentication credentials invalid',
    'The user name or password was wrong, or the AUTH exchange was malformed.',
    rfc(4954, '6'),
  ],
  [
    538,
    'Encryption required for mechanism',
    'This AUTH mechanism is only allowed over an encrypted connection: send STARTTLS first.',
    rfc(4954, '6'),
  ],
  [
    550,
    'Mailbox unavailable',
    'The action was refused for good: no such mailbox, or a policy such as "relay access denied".',
    R5321('4.2.3'),
  ],
  [551, 'User not local', 'The recipient is not local; the server names a forward path to try instead.', R5321('3.4')],
  [
    552,
    'Exceeded storage allocation',
    'Storage ran out: the message is too big for the recipient or the server, or the mailbox is full.',
    R5321('4.2.3'),
  ],
  [
    553,
    'Mailbox name not allowed',
    'The address is not acceptable (bad syntax or not allowed as sender).',
    R5321('4.2.3'),
  ],
  [
    554,
    'Transaction failed',
    'The transaction failed for good (or, as a greeting, the server will not talk to you).',
    R5321('4.2.3'),
  ],
  [
    555,
    'Parameters not recognized',
    'A MAIL FROM or RCPT TO parameter was not recognised or not implemented.',
    R5321('4.2.3'),
  ],
  [
    556,
    'Domain does not accept mail',
    'The recipient domain never accepts mail (for example it has a null MX).',
    rfc(7504, '3'),
  ],
];

export const SMTP_REPLY_CODES: Record<number, SmtpCodeEntry> = Object.fromEntries(
  CODES.map(([code, title, meaning, ref]) => [code, { code, title, meaning, rfc: ref }]),
);

/** The first digit decides (RFC 5321 4.2.1): 2 done, 3 send more, 4 try later, 5 do not repeat. */
export function replyCodeEntry(code: number): SmtpCodeEntry {
  const known = SMTP_REPLY_CODES[code];
  if (known) return known;
  const first = Math.floor(code / 100);
  const meaning =
    {
      2: 'A positive completion reply this catalog does not list by number; the command succeeded.',
      3: 'An intermediate reply this catalog does not list by number; the server waits for more input.',
      4: 'A temporary failure this catalog does not list by number; the same command may work later.',
      5: 'A permanent failure this catalog does not list by number; repeating the same command will fail again.',
    }[first] ?? 'This is not a valid SMTP reply code: the first digit must be 2, 3, 4 or 5.';
  return { code, title: `Reply ${code}`, meaning, rfc: R5321('4.2.1') };
}

// ---- Enhanced status codes (RFC 3463, RFC 2034) ----

const ENHANCED_IANA = 'https://www.iana.org/assignments/smtp-enhanced-status-codes';

export interface EnhancedExplanation {
  code: string;
  summary: string;
  classText: string;
  subjectText: string;
  rfc: RfcRef;
  /** Our sentence for this code and what to do about it (RFC 3463 section 3), when we have one. */
  meaning?: string;
  todo?: string;
}

export function explainEnhanced(code: string): EnhancedExplanation | undefined {
  const m = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(code);
  if (!m) return undefined;
  const cls = ENHANCED_CLASSES[m[1]];
  const subject = ENHANCED_SUBJECTS[m[2]];
  const entry = ENHANCED_CODES[`${Number(m[2])}.${Number(m[3])}`];
  const text = enhancedText(code);
  const out: EnhancedExplanation = {
    code,
    summary: entry?.summary ?? `${subject?.summary ?? 'Unknown subject'} (detail ${m[3]} is not in the registry)`,
    classText: cls.summary,
    subjectText: subject?.summary ?? 'Unknown subject',
    rfc: entry ? refFromRegistry(entry.ref, ENHANCED_IANA) : rfc(3463, '3'),
  };
  if (text) {
    out.meaning = text.meaning;
    out.todo = text.todo;
  }
  return out;
}

export function isRegisteredEnhanced(code: string): boolean {
  const m = /^[245]\.(\d{1,3})\.(\d{1,3})$/.exec(code);
  return !!m && `${Number(m[1])}.${Number(m[2])}` in ENHANCED_CODES;
}

// ---- EHLO keywords (IANA "SMTP Service Extensions") ----

const KEYWORD_TEXT: Record<string, [string, RfcRef]> = {
  SIZE: [
    "Declares the largest message the server accepts, in octets (0 or no number means no fixed limit); you may announce a message's size with MAIL FROM:<...> SIZE=n.",
    rfc(1870, '4'),
  ],
  '8BITMIME': [
    'The server accepts message bodies with 8-bit bytes when you add BODY=8BITMIME to MAIL FROM.',
    rfc(6152, '2'),
  ],
  PIPELINING: [
    'You may send several commands without waiting for each reply; replies come back in order.',
    rfc(2920, '3'),
  ],
  STARTTLS: [
    'The server can upgrade this connection to TLS: send STARTTLS, wait for 220, then do the handshake and send EHLO again.',
    rfc(3207, '4'),
  ],
  AUTH: ['The server accepts login with the SASL mechanisms listed after AUTH (PLAIN, LOGIN ...).', rfc(4954, '3')],
  SMTPUTF8: ['The server accepts UTF-8 in addresses and headers when you add SMTPUTF8 to MAIL FROM.', rfc(6531, '3.2')],
  ENHANCEDSTATUSCODES: [
    'Replies carry an extra class.subject.detail code (such as 2.1.0) that tells machines exactly what happened.',
    rfc(2034, '3'),
  ],
  CHUNKING: [
    'The server accepts BDAT, which sends the message in counted chunks instead of DATA with a dot terminator.',
    rfc(3030, '2'),
  ],
  BINARYMIME: [
    'With CHUNKING, the server accepts binary MIME bodies when you add BODY=BINARYMIME to MAIL FROM.',
    rfc(3030, '3'),
  ],
  DSN: [
    'You may ask for delivery status notifications with NOTIFY= and RET= parameters on RCPT and MAIL.',
    rfc(3461, '4'),
  ],
  DELIVERBY: [
    'You may give a deadline (BY=) after which the message should be returned instead of delivered late.',
    rfc(2852, '4'),
  ],
  ETRN: [
    'A client may ask the server to start delivering mail queued for a domain (for intermittently connected hosts).',
    rfc(1985, '3'),
  ],
  REQUIRETLS: [
    'You may demand, with REQUIRETLS on MAIL FROM, that every hop of this message uses verified TLS.',
    rfc(8689, '4'),
  ],
  HELP: ['The server answers the HELP command with information about itself or its commands.', R5321('4.1.1.8')],
  EXPN: ['The server answers EXPN, which expands a mailing list into its members.', R5321('4.1.1.7')],
  VRFY: [
    'The server answers VRFY, which asks whether a user name is valid (most servers answer vaguely on purpose).',
    R5321('4.1.1.6'),
  ],
  BURL: [
    'The server can fetch the message body from a URL (usually an IMAP URLAUTH) instead of receiving it.',
    rfc(4468, '3'),
  ],
  'MT-PRIORITY': ['You may give the message a priority with MT-PRIORITY= on MAIL FROM.', rfc(6710, '3')],
  FUTURERELEASE: ['You may ask the server to hold the message and release it at a later time.', rfc(4865, '3')],
  'NO-SOLICITING': ['The server announces that it does not want unsolicited mail of the listed kinds.', rfc(3865, '3')],
  MTRK: ['The server supports message tracking requests.', rfc(3885, '3')],
  ATRN: [
    'Authenticated TURN: after login, the client and server may swap roles to deliver queued mail.',
    rfc(2645, '3'),
  ],
  RRVS: [
    'You may ask that delivery happens only if the mailbox has had the same owner since a given time.',
    rfc(7293, '3'),
  ],
  LIMITS: [
    'The server announces its limits (recipients per transaction, transactions per session ...) so clients can stay within them.',
    rfc(9422, '3'),
  ],
  CHECKPOINT: ['An interrupted transfer can be resumed from a checkpoint.', rfc(1845, '3')],
  CONPERM: ['The server asks before converting content.', rfc(4141, '4')],
  CONNEG: ['The server negotiates content conversion with the recipient.', rfc(4141, '5')],
  SUBMITTER: [
    'You may name the responsible submitter with SUBMITTER= on MAIL FROM (Sender ID, experimental and little used).',
    rfc(4405, '4'),
  ],
  UTF8SMTP: [
    'The experimental first form of SMTPUTF8; RFC 6531 replaced it, so clients should look for SMTPUTF8.',
    rfc(6531, '1'),
  ],
  PRDR: [
    'Per-recipient data responses: after the message, each recipient gets its own accept or reject (an Exim/Sendmail extension, not in the IANA registry).',
    { doc: 'draft-hall-prdr', url: 'https://datatracker.ietf.org/doc/draft-hall-prdr/' },
  ],
};

export interface KeywordEntry {
  keyword: string;
  registered: boolean;
  obsolete: boolean;
  meaning: string;
  rfc: RfcRef;
}

const MAIL_PARAMS_IANA = 'https://www.iana.org/assignments/smtp';

export function explainEhloKeyword(keyword: string): KeywordEntry {
  const k = keyword.toUpperCase();
  const reg = SMTP_SERVICE_EXTENSIONS.find((e) => e.keyword === k);
  const own = KEYWORD_TEXT[k];
  if (own) return { keyword: k, registered: !!reg, obsolete: !!reg?.obsolete, meaning: own[0], rfc: own[1] };
  if (reg) {
    return {
      keyword: k,
      registered: true,
      obsolete: !!reg.obsolete,
      meaning: `${reg.description}: a registered extension (${reg.ref})${reg.obsolete ? ' that is no longer in use' : ''}.`,
      rfc: refFromRegistry(reg.ref, MAIL_PARAMS_IANA),
    };
  }
  const local = k.startsWith('X');
  return {
    keyword: k,
    registered: false,
    obsolete: false,
    meaning: local
      ? 'A local extension of this server (keywords starting with X are private by rule).'
      : 'A keyword that is not in the IANA SMTP Service Extensions registry; this server uses it on its own.',
    rfc: R5321('2.2.2'),
  };
}

// ---- The short clause the lesson checker says after "that means" (same source as the console) ----

const BRIEF: Record<number, string> = {
  220: 'the service is ready (or STARTTLS may begin)',
  221: 'the server is closing the connection (after QUIT)',
  235: 'authentication succeeded',
  250: 'the command was accepted',
  334: 'the server is waiting for the next piece of the login (base64)',
  354: 'the server is ready for the message content; end it with a line holding only a dot',
  421: 'the service is closing the connection',
  450: 'the mailbox is unavailable for now: try again later',
  451: 'a temporary local problem: try again later',
  452: 'not enough room right now',
  454: 'TLS or authentication is temporarily unavailable',
  500: 'the command was not recognised: check its spelling',
  501: 'the arguments were wrong: check the syntax, e.g. MAIL FROM:<address>',
  502: 'the server does not implement that command (many servers say so for unknown commands): check its spelling',
  503: 'a command came in the wrong order — did you send EHLO first?',
  504: 'that parameter (for example an AUTH mechanism) is not supported',
  530: 'authentication (often after STARTTLS) is required first',
  534: 'this login mechanism is refused as too weak',
  535: 'the login failed: user name or password is wrong, or the base64 is off',
  550: 'the mailbox is unavailable or the action is refused for good',
  551: 'that user is not local here',
  552: 'storage exceeded: the mailbox is full or the message too big',
  553: 'the mailbox name is not allowed',
  554: 'the transaction failed',
};

/**
 * One clause for a reply, for "that means ...": the enhanced code first (it is the more precise,
 * RFC 3463 section 2), then the reply code, then the class digit (RFC 5321 section 4.2.1).
 */
export function briefSmtp(code: number, enhanced?: string | null): string {
  // A success's enhanced code adds little to "accepted"; a failure's says what went wrong.
  const text =
    enhanced && /^[45]\./.test(enhanced) && !/^\d\.0+\.0+$/.test(enhanced) ? enhancedText(enhanced) : undefined;
  if (text) return text.brief;
  if (BRIEF[code]) return BRIEF[code];
  const first = Math.floor(code / 100);
  if (first === 2) return 'a success';
  if (first === 3) return 'the server is waiting for more input';
  if (first === 4) return 'a temporary failure: the same command may work later';
  if (first === 5) return 'a permanent failure: sending the same thing again will not help';
  return 'an unexpected reply';
}
