// The IMAP command helper: command list, syntax hint, warnings before sending, literal lengths.

import { rfc, type CommandInfo, type Hint, type Warning } from '../common/types.ts';
import { lineWarnings } from '../common/checks.ts';
import { utf8Length } from '../common/bytes.ts';
import { decodeMailboxName, encodeMailboxName } from './mutf7.ts';
import { IMAP_STATES, parseImapCommandLine, type ImapSession } from './state.ts';
import { REVISION_DIFFERENCES } from './revisions.ts';

const R = (s: string) => rfc(9051, s);
const c = (name: string, syntax: string, summary: string, ref: ReturnType<typeof rfc>): CommandInfo => ({
  name,
  syntax,
  summary,
  rfc: ref,
});

export const IMAP_COMMANDS: CommandInfo[] = [
  c('CAPABILITY', 'a1 CAPABILITY', 'Ask what the server supports.', R('6.1.1')),
  c('NOOP', 'a1 NOOP', 'Do nothing; lets the server report new mail.', R('6.1.2')),
  c('LOGOUT', 'a1 LOGOUT', 'End the session.', R('6.1.3')),
  c('STARTTLS', 'a1 STARTTLS', 'Upgrade this connection to TLS.', R('6.2.1')),
  c('AUTHENTICATE', 'a1 AUTHENTICATE PLAIN [base64]', 'Log in with a SASL mechanism.', R('6.2.2')),
  c('LOGIN', 'a1 LOGIN <user> <password>', 'Log in with a user name and password.', R('6.2.3')),
  c('ID', 'a1 ID NIL', 'Exchange client and server identification.', rfc(2971, '3.1')),
  c('ENABLE', 'a1 ENABLE <capability>', 'Switch on an extension for this session.', R('6.3.1')),
  c('SELECT', 'a1 SELECT <mailbox>', 'Open a mailbox read-write.', R('6.3.2')),
  c('EXAMINE', 'a1 EXAMINE <mailbox>', 'Open a mailbox read-only.', R('6.3.3')),
  c('CREATE', 'a1 CREATE <mailbox>', 'Create a mailbox.', R('6.3.4')),
  c('DELETE', 'a1 DELETE <mailbox>', 'Delete a mailbox.', R('6.3.5')),
  c('RENAME', 'a1 RENAME <old> <new>', 'Rename a mailbox.', R('6.3.6')),
  c('SUBSCRIBE', 'a1 SUBSCRIBE <mailbox>', 'Add a mailbox to the subscribed list.', R('6.3.7')),
  c('UNSUBSCRIBE', 'a1 UNSUBSCRIBE <mailbox>', 'Remove a mailbox from the subscribed list.', R('6.3.8')),
  c('LIST', 'a1 LIST "" "*"', 'List mailboxes matching a pattern (* all, % one level).', R('6.3.9')),
  c('LSUB', 'a1 LSUB "" "*"', 'List subscribed mailboxes (IMAP4rev1).', rfc(3501, '6.3.9')),
  c('NAMESPACE', 'a1 NAMESPACE', 'Ask where personal and shared mailboxes live.', R('6.3.10')),
  c(
    'STATUS',
    'a1 STATUS <mailbox> (MESSAGES UNSEEN UIDNEXT)',
    'Counters of a mailbox without selecting it.',
    R('6.3.11'),
  ),
  c('APPEND', 'a1 APPEND <mailbox> [(flags)] {octets}', 'Add a message; its text follows as a literal.', R('6.3.12')),
  c('IDLE', 'a1 IDLE   (then DONE)', 'Wait for the server to push changes; end with DONE.', R('6.3.13')),
  c(
    'NOTIFY',
    'a1 NOTIFY SET STATUS (selected (MessageNew (UID FLAGS) MessageExpunge)) (personal (MessageNew MessageExpunge MailboxName))',
    'Ask to be told of changes as they happen, between commands and in other mailboxes too; NOTIFY NONE stops it.',
    rfc(5465, '3.1'),
  ),
  c('CLOSE', 'a1 CLOSE', 'Leave the mailbox, expunging \\Deleted messages.', R('6.4.1')),
  c('UNSELECT', 'a1 UNSELECT', 'Leave the mailbox without expunging.', R('6.4.2')),
  c('EXPUNGE', 'a1 EXPUNGE', 'Remove messages marked \\Deleted.', R('6.4.3')),
  c('SEARCH', 'a1 SEARCH <criteria>   e.g. UNSEEN, FROM "bob"', 'Find messages matching criteria.', R('6.4.4')),
  c('FETCH', 'a1 FETCH <set> (FLAGS ENVELOPE BODYSTRUCTURE BODY.PEEK[])', 'Read data of messages.', R('6.4.5')),
  c('STORE', 'a1 STORE <set> +FLAGS (\\Seen)', 'Change flags of messages.', R('6.4.6')),
  c('COPY', 'a1 COPY <set> <mailbox>', 'Copy messages to another mailbox.', R('6.4.7')),
  c('MOVE', 'a1 MOVE <set> <mailbox>', 'Move messages to another mailbox.', R('6.4.8')),
  c(
    'SORT',
    'a1 SORT (DATE) UTF-8 ALL',
    'Find messages and list them in an order (where SORT is offered).',
    rfc(5256, '3'),
  ),
  c('THREAD', 'a1 THREAD REFERENCES UTF-8 ALL', 'Find messages and group them into conversations.', rfc(5256, '3')),
  c(
    'GETQUOTAROOT',
    'a1 GETQUOTAROOT INBOX',
    'Ask which quota a mailbox counts against, and its use.',
    rfc(9208, '4.1.2'),
  ),
  c('GETQUOTA', 'a1 GETQUOTA ""', 'Ask the usage and limits of a quota root.', rfc(9208, '4.1.1')),
  c(
    'SETQUOTA',
    'a1 SETQUOTA "" (STORAGE 512)',
    'Set the limits of a quota root (in KiB for STORAGE); most servers let only an administrator do it.',
    rfc(9208, '4.1.3'),
  ),
  c(
    'CANCELUPDATE',
    'a1 CANCELUPDATE "a7"',
    'Stop keeping the result of the SEARCH RETURN (UPDATE) with this tag up to date (where CONTEXT=SEARCH is offered).',
    rfc(5267, '4.3.5'),
  ),
  c(
    'UID',
    'a1 UID FETCH|SEARCH|STORE|COPY|MOVE|EXPUNGE ...',
    'The same commands, with UIDs instead of sequence numbers.',
    R('6.4.9'),
  ),
  c('CHECK', 'a1 CHECK', 'Ask for a checkpoint (IMAP4rev1).', rfc(3501, '6.4.1')),
];

const NAMES = new Set(IMAP_COMMANDS.map((x) => x.name));

export function imapCommand(name: string): CommandInfo | undefined {
  return IMAP_COMMANDS.find((x) => x.name === name.toUpperCase().split(' ')[0]);
}

/** Completion after the tag, and the syntax of the command being typed. */
export function imapHint(typed: string, session?: ImapSession): Hint {
  const words = typed.trimStart().split(/\s+/);
  // With a known command as the first word the learner forgot the tag; hint anyway.
  const word = (NAMES.has(words[0].toUpperCase()) ? words[0] : (words[1] ?? '')).toUpperCase();
  const typingName = words.length <= 2 && !/\s$/.test(typed) && !NAMES.has(words[0].toUpperCase());
  const valid = session ? session.validCommands() : [];
  if (words.length === 1 && !/\s$/.test(typed) && words[0].length >= 2) {
    // The learner may type the command first; offer names (the check will ask for a tag).
    return {
      completions: IMAP_COMMANDS.filter((x) => x.name.startsWith(words[0].toUpperCase())).sort(
        (a, b) => Number(valid.includes(b.name)) - Number(valid.includes(a.name)),
      ),
      command: imapCommand(words[0]),
    };
  }
  const completions =
    typingName && words.length === 2
      ? IMAP_COMMANDS.filter((x) => x.name.startsWith(word)).sort(
          (a, b) => Number(valid.includes(b.name)) - Number(valid.includes(a.name)),
        )
      : [];
  const command = imapCommand(word);
  return { command: command && command.name === word ? command : undefined, completions };
}

const TAG_OK = /^[^\s(){%*"\\\]+\x00-\x1f\x7f]+$/;

export function imapCheck(line: string, session: ImapSession): Warning[] {
  const out = lineWarnings(line, 8192, R('4'));
  if (session.inLiteral || session.inAuthentication) return out; // data, not a command
  if (session.idling) {
    if (!/^DONE$/i.test(line.trim()))
      out.push({
        code: 'IDLE_NEEDS_DONE',
        severity: 'error',
        message: 'IDLE is running: send DONE to end it before any other command.',
        rfc: R('6.3.13'),
        fix: 'DONE',
      });
    return out;
  }
  const words = line.trim().split(/\s+/);
  if (!words[0]) return out;
  if (NAMES.has(words[0].toUpperCase())) {
    const fixed = `${session.nextTag()} ${line.trim()}`;
    out.push({
      code: 'IMAP_MISSING_TAG',
      severity: 'error',
      message: `Every IMAP command starts with a tag of your choosing, such as ${fixed.split(' ')[0]}; the server would read "${words[0]}" as the tag and answer BAD.`,
      rfc: R('2.2.1'),
      fix: fixed,
    });
    return out;
  }
  const cmd = parseImapCommandLine(line);
  if (!cmd) {
    out.push({
      code: 'IMAP_MISSING_COMMAND',
      severity: 'error',
      message: 'After the tag comes the command name, for example a1 CAPABILITY.',
      rfc: R('2.2.1'),
    });
    return out;
  }
  if (!TAG_OK.test(cmd.tag))
    out.push({
      code: 'IMAP_BAD_TAG',
      severity: 'error',
      message: `The tag "${cmd.tag}" contains characters not allowed in a tag (such as + * % ( ) " or \\); use letters and digits.`,
      rfc: R('9'),
    });
  if (session.pending.has(cmd.tag))
    out.push({
      code: 'IMAP_TAG_IN_USE',
      severity: 'warning',
      message: `Tag ${cmd.tag} is still waiting for its completion; use a fresh tag such as ${session.nextTag()} so replies can be told apart.`,
      rfc: R('2.2.1'),
    });
  const base = cmd.name.split(' ')[0];
  if (!NAMES.has(base)) {
    out.push({
      code: 'UNKNOWN_COMMAND',
      severity: 'warning',
      message: `${base} is not an IMAP command this helper knows; the server will probably answer BAD.`,
      rfc: R('6'),
    });
    return out;
  }
  if (session.state === 'logout') {
    out.push({ code: 'SESSION_OVER', severity: 'error', message: 'The server said BYE; this connection is finished.' });
    return out;
  }
  const valid = session.validCommands();
  if (session.state !== 'connecting' && !IMAP_STATES[session.state].commands.includes(base)) {
    const why =
      session.state === 'not-authenticated'
        ? 'log in first (LOGIN or AUTHENTICATE)'
        : session.state === 'authenticated'
          ? 'select a mailbox first, for example SELECT INBOX'
          : `it is not allowed in state "${IMAP_STATES[session.state].label}"`;
    out.push({
      code: 'NOT_VALID_NOW',
      severity: 'error',
      message: `${cmd.name} is not valid now: ${why}. The server would answer BAD or NO.`,
      rfc: R('3'),
    });
  } else if (!valid.includes(base) && session.state !== 'connecting' && base !== 'LOGIN') {
    out.push({
      code: 'NOT_OFFERED',
      severity: 'warning',
      message: `The server's CAPABILITY list does not include what ${base} needs.`,
      rfc: R('7.2.2'),
    });
  }
  // After ENABLE UTF8=ACCEPT a SEARCH must not name a CHARSET; the server should answer BAD (RFC 6855 section 3).
  if (
    base === 'SEARCH' || (base === 'UID' && /^SEARCH\b/i.test(cmd.name.split(' ')[1] ?? ''))
      ? session.enabled.includes('UTF8=ACCEPT') && /^(RETURN \([^)]*\) )?CHARSET /i.test(cmd.args.trimStart())
      : false
  )
    out.push({
      code: 'CHARSET_AFTER_UTF8',
      severity: 'warning',
      message:
        'After ENABLE UTF8=ACCEPT a SEARCH takes no CHARSET: its strings are UTF-8 already, and the server should answer BAD. Leave "CHARSET ..." out.',
      rfc: rfc(6855, '3'),
      fix: line.replace(/\bCHARSET \S+ /i, ''),
    });
  // After ENABLE IMAP4rev2, a command rev2 dropped (CHECK, LSUB) is a rev1 habit (RFC 9051 Appendix E).
  if (session.enabled.includes('IMAP4REV2')) {
    for (const d of REVISION_DIFFERENCES.filter((r) => r.server === 'lenient' && r.commands.includes(base)))
      out.push({ code: 'DROPPED_IN_IMAP4REV2', severity: 'warning', message: d.rev2, rfc: d.rfc });
  }
  if (base === 'LOGIN' || base === 'AUTHENTICATE') {
    if (session.has('LOGINDISABLED') && base === 'LOGIN')
      out.push({
        code: 'LOGIN_DISABLED',
        severity: 'error',
        message: 'The server announced LOGINDISABLED: it refuses LOGIN on this connection. Send STARTTLS first.',
        rfc: R('6.2.3'),
        fix: `${cmd.tag} STARTTLS`,
      });
    else if (!session.tls && session.has('STARTTLS'))
      out.push({
        code: 'LOGIN_IN_PLAINTEXT',
        severity: 'warning',
        message:
          'The connection is not encrypted yet and the server offers STARTTLS; your password would cross the network readable.',
        rfc: R('11.1'),
        fix: `${cmd.tag} STARTTLS`,
      });
  }
  const names = mailboxArguments(base === 'UID' ? cmd.name : base, cmd.args);
  out.push(...mailboxNameWarnings(line, cmd.args, names, session));
  // UTF-8 in a quoted string is fine once UTF8=ACCEPT or IMAP4rev2 is enabled (RFC 6855 section 3).
  const utf8Quoted = session.enabled.includes('UTF8=ACCEPT') || session.enabled.includes('IMAP4REV2');
  for (const m of utf8Quoted ? [] : cmd.args.matchAll(/"(?:[^"\\]|\\.)*"/g)) {
    const q = m[0];
    if (names.some((n) => n.start === m.index)) continue; // a mailbox name: its own warning says what to do
    if (/[^\x20-\x7e]/.test(q))
      out.push({
        code: 'QUOTED_NOT_ASCII',
        severity: 'warning',
        message: `The quoted string ${q} holds non-ASCII characters; send it as a literal {n} instead (n = ${utf8Length(q.slice(1, -1).replace(/\\(.)/g, '$1'))} octets).`,
        rfc: R('4.3'),
      });
  }
  const lit = /\{(\d+)(\+?)\}$/.exec(line);
  if (lit?.[2] === '+' && !session.has('LITERAL+') && !(session.has('LITERAL-') && Number(lit[1]) <= 4096)) {
    out.push({
      code: 'LITERAL_PLUS_NOT_OFFERED',
      severity: 'warning',
      message: 'The server does not announce LITERAL+; send {n} without + and wait for its "+" before the literal.',
      rfc: rfc(7888, '3'),
      fix: line.replace(/\+\}$/, '}'),
    });
  } else if (lit) {
    out.push({
      code: 'LITERAL_FOLLOWS',
      severity: 'info',
      message: `After this line, wait for the server's "+" and then send exactly ${lit[1]} octets (the helper counts them for you).`,
      rfc: R('4.3'),
    });
  }
  return out;
}

/** Which arguments are mailbox names (or LIST/LSUB reference and pattern), by position after the command. */
const MAILBOX_ARGS: Record<string, number[]> = {
  SELECT: [0],
  EXAMINE: [0],
  CREATE: [0],
  DELETE: [0],
  SUBSCRIBE: [0],
  UNSUBSCRIBE: [0],
  STATUS: [0],
  APPEND: [0],
  RENAME: [0, 1],
  LIST: [0, 1],
  LSUB: [0, 1],
  COPY: [1],
  MOVE: [1],
  'UID COPY': [1],
  'UID MOVE': [1],
};

/** One mailbox-name argument as typed: where it sits in the arguments, its form, and its value. */
interface MailboxToken {
  start: number;
  end: number;
  quoted: boolean;
  value: string;
}

/**
 * The mailbox-name arguments of a command, read as atoms or quoted strings. A literal {n} ends the
 * reading: its name comes on the next line, after the server's "+".
 */
function mailboxArguments(command: string, args: string): MailboxToken[] {
  const wanted = MAILBOX_ARGS[command];
  if (!wanted) return [];
  const out: MailboxToken[] = [];
  let i = 0;
  let index = 0;
  const skipSpace = () => {
    while (i < args.length && /\s/.test(args[i])) i++;
  };
  skipSpace();
  if (command === 'LIST' && args[i] === '(') {
    // LIST-EXTENDED selection options (RFC 5258) come first
    i = args.indexOf(')', i) + 1 || args.length;
    skipSpace();
  }
  while (i < args.length && index <= Math.max(...wanted)) {
    const start = i;
    let quoted = false;
    let value: string;
    if (args[i] === '{') break;
    if (args[i] === '"') {
      const m = /^"((?:[^"\\]|\\.)*)"/.exec(args.slice(i));
      if (!m) break; // an unclosed quote: the server will say BAD, nothing to read here
      quoted = true;
      value = m[1].replace(/\\(.)/g, '$1');
      i += m[0].length;
    } else {
      while (i < args.length && !/\s/.test(args[i])) i++;
      value = args.slice(start, i);
    }
    if (wanted.includes(index)) out.push({ start, end: i, quoted, value });
    index++;
    skipSpace();
  }
  return out;
}

/**
 * The wire form of a name typed with raw non-ASCII characters. If the printable part already holds
 * valid "&...-" runs the learner wrote by hand, only the raw characters are encoded; otherwise the
 * whole name is, "&" becoming "&-" (RFC 3501 section 5.1.3).
 */
function encodeTyped(value: string): string {
  const rawOnly = value.replace(/[^\x20-\x7e]+/g, (run) => encodeMailboxName(run));
  return value.includes('&') && decodeMailboxName(rawOnly).ok ? rawOnly : encodeMailboxName(value);
}

function written(token: MailboxToken, value: string): string {
  return token.quoted || /[\s(){"\\]/.test(value) ? `"${value.replace(/[\\"]/g, '\\$&')}"` : value;
}

/**
 * Mailbox names the server would refuse: raw non-ASCII characters (the fix is the encoded name), or
 * "&" that does not start valid modified UTF-7 (the codec says why). Never blocks sending: seeing the
 * server's NO is part of learning. A server that offers UTF8=ACCEPT (RFC 6855) or IMAP4rev2 takes
 * UTF-8 names once the client enables it, so there the warnings are only information; an
 * IMAP4rev2-only server always does (RFC 9051 section 5.1), and so does one that answered ENABLE
 * with `* ENABLED UTF8=ACCEPT` or `IMAP4rev2` (RFC 6855 section 3), so there are none.
 */
function mailboxNameWarnings(line: string, args: string, names: MailboxToken[], session: ImapSession): Warning[] {
  if (session.has('IMAP4rev2') && !session.has('IMAP4rev1')) return [];
  if (session.enabled.includes('UTF8=ACCEPT') || session.enabled.includes('IMAP4REV2')) return [];
  const enable = ['UTF8=ACCEPT', 'IMAP4rev2'].filter((c) => session.has(c)).map((c) => `ENABLE ${c}`);
  const severity = enable.length ? 'info' : 'warning';
  const unlessUtf8 = enable.length
    ? ` (Only after ${enable.join(' or ')} would the server read names as UTF-8, RFC 6855 and RFC 9051.)`
    : '';
  const out: Warning[] = [];
  const offset = line.trimEnd().length - args.length; // where the arguments start in the typed line
  const raw = names.filter((n) => /[^\x20-\x7e]/.test(n.value));
  if (raw.length) {
    let fix = line;
    for (const n of [...raw].reverse())
      fix = fix.slice(0, offset + n.start) + written(n, encodeTyped(n.value)) + fix.slice(offset + n.end);
    const each = raw.map((n) => `"${n.value}" is written ${encodeTyped(n.value)}`).join('; ');
    out.push({
      code: 'MAILBOX_NAME_NOT_ENCODED',
      severity,
      rfc: rfc(3501, '5.1.3'),
      fix,
      message: `IMAP4rev1 mailbox names travel in modified UTF-7: printable ASCII as is, anything else as "&" + base64 of its UTF-16 + "-". ${each}. Sent as typed, the name is refused.${unlessUtf8}`,
    });
  }
  for (const n of names) {
    if (!n.value.includes('&') || raw.includes(n)) continue;
    const decoded = decodeMailboxName(n.value);
    if (decoded.ok) continue;
    const literal = decoded.code === 'MUTF7_UNTERMINATED' ? encodeMailboxName(n.value) : undefined;
    out.push({
      code: 'MAILBOX_NAME_INVALID',
      severity,
      rfc: rfc(3501, '5.1.3'),
      message: `The mailbox name ${n.value} is not valid modified UTF-7 (${decoded.code}): ${decoded.message} The server will answer NO.${unlessUtf8}`,
      ...(literal ? { fix: line.slice(0, offset + n.start) + written(n, literal) + line.slice(offset + n.end) } : {}),
    });
  }
  return out;
}

/** The literal prefix for this text: {n} with n counted in octets of UTF-8 (RFC 9051 4.3). */
export function imapLiteralFor(text: string, plus = false): string {
  return `{${utf8Length(text)}${plus ? '+' : ''}}`;
}

/** Check that a command line's {n} matches the literal the learner typed; offers the right n. */
export function imapLiteralCheck(commandLine: string, literal: string): Warning[] {
  const m = /\{(\d+)(\+?)\}$/.exec(commandLine);
  if (!m) return [];
  const right = utf8Length(literal);
  if (Number(m[1]) === right) return [];
  return [
    {
      code: 'LITERAL_LENGTH',
      severity: 'error',
      message: `The literal announces ${m[1]} octets but the text is ${right} octets in UTF-8 (line ends count as 2: CR LF); the server would read the wrong amount.`,
      rfc: R('4.3'),
      fix: commandLine.replace(/\{\d+\+?\}$/, `{${right}${m[2]}}`),
    },
  ];
}
