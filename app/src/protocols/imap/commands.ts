// The IMAP command helper: command list, syntax hint, warnings before sending, literal lengths.

import { rfc, type CommandInfo, type Hint, type Warning } from '../common/types.ts';
import { lineWarnings } from '../common/checks.ts';
import { utf8Length } from '../common/bytes.ts';
import type { ImapSession } from './state.ts';
import {
  droppedInRev2Warnings,
  framingWarnings,
  idleWarnings,
  literalWarnings,
  loginWarnings,
  mailboxNames,
  mailboxWarnings,
  quotedStringWarnings,
  searchCharsetWarnings,
  stateWarnings,
} from './command-checks.ts';

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

/** Warnings about a typed line before it is sent: each concern is one check of command-checks.ts. */
export function imapCheck(line: string, session: ImapSession): Warning[] {
  const out = lineWarnings(line, 8192, R('4'));
  if (session.inLiteral || session.inAuthentication) return out; // data, not a command
  if (session.idling) return [...out, ...idleWarnings(line)];
  const { warnings, typed } = framingWarnings(line, session, NAMES);
  out.push(...warnings);
  if (!typed) return out;
  const names = mailboxNames(typed);
  out.push(
    ...stateWarnings(typed),
    ...searchCharsetWarnings(typed),
    ...droppedInRev2Warnings(typed),
    ...loginWarnings(typed),
    ...mailboxWarnings(typed, names),
    ...quotedStringWarnings(typed, names),
    ...literalWarnings(typed),
  );
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
