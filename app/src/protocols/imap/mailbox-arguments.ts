// The mailbox-name arguments of a typed IMAP command, and the warnings about names the server
// would refuse (modified UTF-7, RFC 3501 section 5.1.3). Used by the command checks.

import { rfc, type Warning } from '../common/types.ts';
import { decodeMailboxName, encodeMailboxName } from './mutf7.ts';
import type { ImapSession } from './state.ts';

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
export interface MailboxToken {
  start: number;
  end: number;
  quoted: boolean;
  value: string;
}

/**
 * The mailbox-name arguments of a command, read as atoms or quoted strings. A literal {n} ends the
 * reading: its name comes on the next line, after the server's "+".
 */
export function mailboxArguments(command: string, args: string): MailboxToken[] {
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
export function mailboxNameWarnings(
  line: string,
  args: string,
  names: MailboxToken[],
  session: ImapSession,
): Warning[] {
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
