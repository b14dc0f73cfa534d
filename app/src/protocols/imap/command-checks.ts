// The checks of a typed IMAP command line before it is sent, one function per concern; imapCheck
// (commands.ts) runs them in this file's order. The framing checks come first: when the line is
// not a command the server could read (no tag, no name, an unknown name, a finished session),
// the later checks have nothing to look at.

import { rfc, type Warning } from '../common/types.ts';
import { utf8Length } from '../common/bytes.ts';
import { IMAP_STATES, parseImapCommandLine, type ImapCommand, type ImapSession } from './state.ts';
import { REVISION_DIFFERENCES } from './revisions.ts';
import { mailboxArguments, mailboxNameWarnings, type MailboxToken } from './mailbox-arguments.ts';

const R = (s: string) => rfc(9051, s);

/** A command line the server can read as tag, name and arguments, with the name's first word. */
interface Typed {
  line: string;
  cmd: ImapCommand;
  base: string;
  session: ImapSession;
}

const TAG_OK = /^[^\s(){%*"\\\]+\x00-\x1f\x7f]+$/;

/** During IDLE the only thing to send is DONE (RFC 9051 section 6.3.13). */
export function idleWarnings(line: string): Warning[] {
  if (/^DONE$/i.test(line.trim())) return [];
  return [
    {
      code: 'IDLE_NEEDS_DONE',
      severity: 'error',
      message: 'IDLE is running: send DONE to end it before any other command.',
      rfc: R('6.3.13'),
      fix: 'DONE',
    },
  ];
}

/**
 * Tag and command name (RFC 9051 section 2.2.1): the warnings, and the command when the other
 * checks should look at it. `known` holds the command names this helper knows.
 */
export function framingWarnings(
  line: string,
  session: ImapSession,
  known: ReadonlySet<string>,
): { warnings: Warning[]; typed?: Typed } {
  const words = line.trim().split(/\s+/);
  if (!words[0]) return { warnings: [] };
  if (known.has(words[0].toUpperCase())) {
    const fixed = `${session.nextTag()} ${line.trim()}`;
    return {
      warnings: [
        {
          code: 'IMAP_MISSING_TAG',
          severity: 'error',
          message: `Every IMAP command starts with a tag of your choosing, such as ${fixed.split(' ')[0]}; the server would read "${words[0]}" as the tag and answer BAD.`,
          rfc: R('2.2.1'),
          fix: fixed,
        },
      ],
    };
  }
  const cmd = parseImapCommandLine(line);
  if (!cmd)
    return {
      warnings: [
        {
          code: 'IMAP_MISSING_COMMAND',
          severity: 'error',
          message: 'After the tag comes the command name, for example a1 CAPABILITY.',
          rfc: R('2.2.1'),
        },
      ],
    };
  const out: Warning[] = [];
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
  if (!known.has(base)) {
    out.push({
      code: 'UNKNOWN_COMMAND',
      severity: 'warning',
      message: `${base} is not an IMAP command this helper knows; the server will probably answer BAD.`,
      rfc: R('6'),
    });
    return { warnings: out };
  }
  if (session.state === 'logout') {
    out.push({ code: 'SESSION_OVER', severity: 'error', message: 'The server said BYE; this connection is finished.' });
    return { warnings: out };
  }
  return { warnings: out, typed: { line, cmd, base, session } };
}

/** The command in this state (RFC 9051 section 3), and the capability it needs (section 7.2.2). */
export function stateWarnings({ cmd, base, session }: Typed): Warning[] {
  if (session.state === 'connecting') return [];
  if (!IMAP_STATES[session.state].commands.includes(base)) {
    const why =
      session.state === 'not-authenticated'
        ? 'log in first (LOGIN or AUTHENTICATE)'
        : session.state === 'authenticated'
          ? 'select a mailbox first, for example SELECT INBOX'
          : `it is not allowed in state "${IMAP_STATES[session.state].label}"`;
    return [
      {
        code: 'NOT_VALID_NOW',
        severity: 'error',
        message: `${cmd.name} is not valid now: ${why}. The server would answer BAD or NO.`,
        rfc: R('3'),
      },
    ];
  }
  if (!session.validCommands().includes(base) && base !== 'LOGIN')
    return [
      {
        code: 'NOT_OFFERED',
        severity: 'warning',
        message: `The server's CAPABILITY list does not include what ${base} needs.`,
        rfc: R('7.2.2'),
      },
    ];
  return [];
}

/** After ENABLE UTF8=ACCEPT a SEARCH must not name a CHARSET; the server should answer BAD (RFC 6855 section 3). */
export function searchCharsetWarnings({ line, cmd, base, session }: Typed): Warning[] {
  const search = base === 'SEARCH' || (base === 'UID' && /^SEARCH\b/i.test(cmd.name.split(' ')[1] ?? ''));
  if (!search || !session.enabled.includes('UTF8=ACCEPT')) return [];
  if (!/^(RETURN \([^)]*\) )?CHARSET /i.test(cmd.args.trimStart())) return [];
  return [
    {
      code: 'CHARSET_AFTER_UTF8',
      severity: 'warning',
      message:
        'After ENABLE UTF8=ACCEPT a SEARCH takes no CHARSET: its strings are UTF-8 already, and the server should answer BAD. Leave "CHARSET ..." out.',
      rfc: rfc(6855, '3'),
      fix: line.replace(/\bCHARSET \S+ /i, ''),
    },
  ];
}

/** After ENABLE IMAP4rev2, a command rev2 dropped (CHECK, LSUB) is a rev1 habit (RFC 9051 Appendix E). */
export function droppedInRev2Warnings({ base, session }: Typed): Warning[] {
  if (!session.enabled.includes('IMAP4REV2')) return [];
  return REVISION_DIFFERENCES.filter((r) => r.server === 'lenient' && r.commands.includes(base)).map((d) => ({
    code: 'DROPPED_IN_IMAP4REV2',
    severity: 'warning' as const,
    message: d.rev2,
    rfc: d.rfc,
  }));
}

/** A password sent where the server refuses it (section 6.2.3) or in the clear beside STARTTLS (section 11.1). */
export function loginWarnings({ cmd, base, session }: Typed): Warning[] {
  if (base !== 'LOGIN' && base !== 'AUTHENTICATE') return [];
  if (session.has('LOGINDISABLED') && base === 'LOGIN')
    return [
      {
        code: 'LOGIN_DISABLED',
        severity: 'error',
        message: 'The server announced LOGINDISABLED: it refuses LOGIN on this connection. Send STARTTLS first.',
        rfc: R('6.2.3'),
        fix: `${cmd.tag} STARTTLS`,
      },
    ];
  if (!session.tls && session.has('STARTTLS'))
    return [
      {
        code: 'LOGIN_IN_PLAINTEXT',
        severity: 'warning',
        message:
          'The connection is not encrypted yet and the server offers STARTTLS; your password would cross the network readable.',
        rfc: R('11.1'),
        fix: `${cmd.tag} STARTTLS`,
      },
    ];
  return [];
}

/** The command's mailbox-name arguments: found once, for the two checks that read them. */
export function mailboxNames({ cmd, base }: Typed): MailboxToken[] {
  return mailboxArguments(base === 'UID' ? cmd.name : base, cmd.args);
}

export function mailboxWarnings(t: Typed, names: MailboxToken[]): Warning[] {
  return mailboxNameWarnings(t.line, t.cmd.args, names, t.session);
}

/** Non-ASCII in a quoted string needs a literal, unless UTF-8 is enabled (RFC 9051 section 4.3, RFC 6855 section 3). */
export function quotedStringWarnings({ cmd, session }: Typed, names: MailboxToken[]): Warning[] {
  if (session.enabled.includes('UTF8=ACCEPT') || session.enabled.includes('IMAP4REV2')) return [];
  const out: Warning[] = [];
  for (const m of cmd.args.matchAll(/"(?:[^"\\]|\\.)*"/g)) {
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
  return out;
}

/** A line ending in {n} or {n+}: what happens next (RFC 9051 section 4.3, RFC 7888 section 3). */
export function literalWarnings({ line, session }: Typed): Warning[] {
  const lit = /\{(\d+)(\+?)\}$/.exec(line);
  if (!lit) return [];
  if (lit[2] === '+' && !session.has('LITERAL+') && !(session.has('LITERAL-') && Number(lit[1]) <= 4096))
    return [
      {
        code: 'LITERAL_PLUS_NOT_OFFERED',
        severity: 'warning',
        message: 'The server does not announce LITERAL+; send {n} without + and wait for its "+" before the literal.',
        rfc: rfc(7888, '3'),
        fix: line.replace(/\+\}$/, '}'),
      },
    ];
  return [
    {
      code: 'LITERAL_FOLLOWS',
      severity: 'info',
      message: `After this line, wait for the server's "+" and then send exactly ${lit[1]} octets (the helper counts them for you).`,
      rfc: R('4.3'),
    },
  ];
}
