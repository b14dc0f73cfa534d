// The POP3 command helper: command list, syntax hint, warnings before sending.

import { rfc, type CommandInfo, type Hint, type Warning } from '../common/types.ts';
import { lineWarnings } from '../common/checks.ts';
import { POP3_COMMAND_RFC } from './catalog.ts';
import { POP3_STATES, type Pop3Session } from './state.ts';

const c = (name: string, syntax: string, summary: string): CommandInfo => ({
  name,
  syntax,
  summary,
  rfc: POP3_COMMAND_RFC[name],
});

export const POP3_COMMANDS: CommandInfo[] = [
  c('CAPA', 'CAPA', 'List what the server supports.'),
  c('STLS', 'STLS', 'Upgrade this connection to TLS (before logging in).'),
  c('USER', 'USER <name>', 'Give your user name; PASS follows.'),
  c('PASS', 'PASS <password>', 'Give your password after USER.'),
  c('APOP', 'APOP <name> <md5-digest>', "Log in with a digest of the greeting's timestamp and your secret."),
  c('AUTH', 'AUTH <mechanism> [initial-response]', 'Log in with a SASL mechanism.'),
  c('STAT', 'STAT', 'Number of messages and total size.'),
  c('LIST', 'LIST [msg]', 'Size of every message, or of one.'),
  c('UIDL', 'UIDL [msg]', 'Unique id of every message, or of one.'),
  c('RETR', 'RETR <msg>', 'Download a whole message.'),
  c('TOP', 'TOP <msg> <lines>', 'Headers and the first <lines> lines of the body.'),
  c('DELE', 'DELE <msg>', 'Mark a message for deletion (happens at QUIT).'),
  c('RSET', 'RSET', 'Unmark all messages marked for deletion.'),
  c('NOOP', 'NOOP', 'Do nothing; the server answers +OK.'),
  c('QUIT', 'QUIT', 'End the session; marked messages are deleted now.'),
];

export function pop3Command(name: string): CommandInfo | undefined {
  return POP3_COMMANDS.find((x) => x.name === name.toUpperCase());
}

export function pop3Hint(typed: string, session?: Pop3Session): Hint {
  const word = typed.trimStart().split(/\s/)[0].toUpperCase();
  const complete = /\s/.test(typed.trimStart());
  const valid = session ? session.validCommands() : [];
  const completions = complete
    ? []
    : POP3_COMMANDS.filter((x) => x.name.startsWith(word)).sort(
        (a, b) => Number(valid.includes(b.name)) - Number(valid.includes(a.name)),
      );
  const command = pop3Command(word);
  return { command: command && (complete || word === command.name) ? command : undefined, completions };
}

const ARGS: Record<string, [number, number]> = {
  USER: [1, 1],
  PASS: [1, 99],
  APOP: [2, 2],
  AUTH: [1, 2],
  STAT: [0, 0],
  LIST: [0, 1],
  UIDL: [0, 1],
  RETR: [1, 1],
  TOP: [2, 2],
  DELE: [1, 1],
  RSET: [0, 0],
  NOOP: [0, 0],
  QUIT: [0, 0],
  CAPA: [0, 0],
  STLS: [0, 0],
};

export function pop3Check(line: string, session: Pop3Session): Warning[] {
  const out = lineWarnings(line, 255, rfc(2449, '4'));
  if (session.inSasl) return out; // a base64 answer to the server's challenge
  const [verbRaw, ...args] = line.trim().split(/\s+/);
  const verb = (verbRaw ?? '').toUpperCase();
  if (!verb) return out;
  const info = pop3Command(verb);
  if (!info) {
    out.push({
      code: 'UNKNOWN_COMMAND',
      severity: 'warning',
      message: `${verb} is not a POP3 command this helper knows; the server will answer -ERR.`,
      rfc: rfc(1939, '3'),
    });
    return out;
  }
  if (session.state === 'closed' || session.state === 'update') {
    out.push({ code: 'SESSION_OVER', severity: 'error', message: 'The session is over; open a new connection.' });
    return out;
  }
  const valid = session.validCommands();
  if (verb === 'PASS' && session.state === 'authorization' && !session.user) {
    out.push({
      code: 'PASS_BEFORE_USER',
      severity: 'error',
      message: 'Send USER <name> first; PASS is only accepted right after a successful USER.',
      rfc: rfc(1939, '7'),
    });
  } else if (
    session.state === 'authorization' &&
    POP3_STATES.transaction.commands.includes(verb) &&
    !POP3_STATES.authorization.commands.includes(verb)
  ) {
    out.push({
      code: 'NOT_LOGGED_IN',
      severity: 'error',
      message: `${verb} works only after login (TRANSACTION state); log in with USER and PASS first.`,
      rfc: rfc(1939, '3'),
    });
  } else if (
    session.state === 'transaction' &&
    POP3_STATES.authorization.commands.includes(verb) &&
    !POP3_STATES.transaction.commands.includes(verb)
  ) {
    out.push({
      code: 'ALREADY_LOGGED_IN',
      severity: 'error',
      message: `You are already logged in; ${verb} is only valid before login.`,
      rfc: rfc(1939, '3'),
    });
  } else if (session.state !== 'connecting' && !valid.includes(verb)) {
    out.push({
      code: 'NOT_OFFERED',
      severity: 'warning',
      message: `The server's CAPA list does not include ${verb}; it may refuse it.`,
      rfc: rfc(2449, '5'),
    });
  }
  if (
    (verb === 'USER' || verb === 'PASS' || verb === 'APOP' || verb === 'AUTH') &&
    !session.tls &&
    session.state === 'authorization'
  ) {
    if (session.tlsRequiredForLogin)
      out.push({
        code: 'LOGIN_BEFORE_STLS',
        severity: 'error',
        message: 'This server refuses plaintext login: send STLS first, then log in over TLS.',
        rfc: rfc(2595, '4'),
        fix: 'STLS',
      });
    else if (session.has('STLS'))
      out.push({
        code: 'LOGIN_IN_PLAINTEXT',
        severity: 'warning',
        message:
          'The server offers STLS but the connection is not encrypted; your password would cross the network readable.',
        rfc: rfc(2595, '4'),
        fix: 'STLS',
      });
  }
  const [min, max] = ARGS[verb] ?? [0, 99];
  if (args.length < min)
    out.push({
      code: 'MISSING_ARGUMENT',
      severity: 'error',
      message: `${verb} needs ${min === 1 ? 'an argument' : `${min} arguments`}: ${info.syntax}.`,
      rfc: info.rfc,
    });
  else if (args.length > max)
    out.push({
      code: 'EXTRA_ARGUMENT',
      severity: 'warning',
      message: `${verb} takes ${max === 0 ? 'no arguments' : `at most ${max}`}: ${info.syntax}.`,
      rfc: info.rfc,
    });
  if (['RETR', 'DELE', 'LIST', 'UIDL', 'TOP'].includes(verb) && args[0] !== undefined && !/^[1-9]\d*$/.test(args[0])) {
    out.push({
      code: 'BAD_MESSAGE_NUMBER',
      severity: 'error',
      message: 'Messages are numbered from 1 (see LIST or STAT).',
      rfc: rfc(1939, '5'),
    });
  } else if ((verb === 'RETR' || verb === 'TOP') && session.deleted.has(Number(args[0]))) {
    out.push({
      code: 'MESSAGE_DELETED',
      severity: 'warning',
      message: `Message ${args[0]} is marked for deletion; the server will refuse it until RSET.`,
      rfc: rfc(1939, '5'),
    });
  }
  return out;
}
