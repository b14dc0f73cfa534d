// The SMTP command helper: the command list (completion), a syntax hint, and warnings before sending.

import { rfc, type CommandInfo, type Hint, type Warning } from '../common/types.ts';
import { lineWarnings } from '../common/checks.ts';
import { SMTP_STATES, type SmtpSession } from './state.ts';

const c = (name: string, syntax: string, summary: string, ref = rfc(5321, '4.1.1')): CommandInfo => ({
  name,
  syntax,
  summary,
  rfc: ref,
});

export const SMTP_COMMANDS: CommandInfo[] = [
  c(
    'EHLO',
    'EHLO <your-domain-or-[address]>',
    'Say hello and ask the server which extensions it offers.',
    rfc(5321, '4.1.1.1'),
  ),
  c('HELO', 'HELO <your-domain>', 'Old-style hello without extensions; prefer EHLO.', rfc(5321, '4.1.1.1')),
  c('STARTTLS', 'STARTTLS', 'Upgrade this connection to TLS; send EHLO again afterwards.', rfc(3207, '4')),
  c(
    'AUTH',
    'AUTH <mechanism> [initial-response]',
    'Log in, for example AUTH PLAIN <base64 of \\0user\\0password>.',
    rfc(4954, '4'),
  ),
  c(
    'MAIL',
    'MAIL FROM:<sender@example.org> [SIZE=n] [BODY=8BITMIME]',
    'Start a transaction with the envelope sender.',
    rfc(5321, '4.1.1.2'),
  ),
  c('RCPT', 'RCPT TO:<recipient@example.org>', 'Add one envelope recipient; repeat for more.', rfc(5321, '4.1.1.3')),
  c('DATA', 'DATA', 'Start sending the message; end it with a line holding a single dot.', rfc(5321, '4.1.1.4')),
  c('BDAT', 'BDAT <octets> [LAST]', 'Send the next chunk of exactly <octets> bytes (needs CHUNKING).', rfc(3030, '2')),
  c('RSET', 'RSET', 'Abort the current transaction; the session stays open.', rfc(5321, '4.1.1.5')),
  c(
    'VRFY',
    'VRFY <user-or-address>',
    'Ask whether a user exists (servers often decline to say).',
    rfc(5321, '4.1.1.6'),
  ),
  c('EXPN', 'EXPN <mailing-list>', 'Ask for the members of a mailing list.', rfc(5321, '4.1.1.7')),
  c('HELP', 'HELP [command]', 'Ask the server for help text.', rfc(5321, '4.1.1.8')),
  c('NOOP', 'NOOP', 'Do nothing; the server answers 250 (keeps the connection alive).', rfc(5321, '4.1.1.9')),
  c('QUIT', 'QUIT', 'End the session; the server answers 221 and closes.', rfc(5321, '4.1.1.10')),
];

export function smtpCommand(name: string): CommandInfo | undefined {
  return SMTP_COMMANDS.find((x) => x.name === name.toUpperCase());
}

/** Completion and syntax hint for what is typed so far. */
export function smtpHint(typed: string, session?: SmtpSession): Hint {
  const word = typed.trimStart().split(/[\s:]/)[0].toUpperCase();
  const complete = /[\s:]/.test(typed.trimStart());
  const valid = session ? session.validCommands() : [];
  const completions = complete
    ? []
    : SMTP_COMMANDS.filter((x) => x.name.startsWith(word)).sort(
        (a, b) => Number(valid.includes(b.name)) - Number(valid.includes(a.name)),
      );
  const command = smtpCommand(word);
  return { command: command && (complete || word === command.name) ? command : undefined, completions };
}

const PATH = /^(MAIL\s+FROM|RCPT\s+TO)\s*:\s*(.*)$/i;

/** Warnings about a line the learner is about to send, given the session so far. */
export function smtpCheck(line: string, session: SmtpSession): Warning[] {
  if (session.state === 'data') return dataLineWarnings(line);
  const out = lineWarnings(line, 510, rfc(5321, '4.5.3.1.4'));
  if (session.state === 'auth') return out; // a base64 answer, not a command
  const verb = line.trim().split(/[\s:]/)[0].toUpperCase();
  if (!verb) return out;
  const known = smtpCommand(verb);
  if (!known) {
    out.push({
      code: 'UNKNOWN_COMMAND',
      severity: 'warning',
      message: `${verb} is not an SMTP command this helper knows; the server will probably answer 500.`,
      rfc: rfc(5321, '4.1.1'),
    });
    return out;
  }
  const valid = session.validCommands();
  if (session.state === 'quit' || session.state === 'closed') {
    out.push({
      code: 'SESSION_OVER',
      severity: 'error',
      message: 'The session is over (the server said goodbye); open a new connection.',
    });
    return out;
  }
  if (
    (verb === 'MAIL' || verb === 'RCPT' || verb === 'DATA') &&
    (session.state === 'greeted' || session.state === 'connecting')
  ) {
    out.push({
      code: 'MAIL_BEFORE_EHLO',
      severity: 'error',
      message: 'Say EHLO first: the server expects a hello before any transaction and will answer 503.',
      rfc: rfc(5321, '4.1.4'),
      fix: 'EHLO client.example',
    });
  } else if (verb === 'RCPT' && session.state === 'ready') {
    out.push({
      code: 'RCPT_BEFORE_MAIL',
      severity: 'error',
      message: 'RCPT TO comes after MAIL FROM: name the sender first, or the server answers 503.',
      rfc: rfc(5321, '3.3'),
    });
  } else if ((verb === 'DATA' || verb === 'BDAT') && session.state !== 'rcpt') {
    out.push({
      code: 'DATA_BEFORE_RCPT',
      severity: 'error',
      message: 'DATA needs a sender and at least one accepted recipient first (MAIL FROM, then RCPT TO).',
      rfc: rfc(5321, '3.3'),
    });
  } else if (verb === 'MAIL' && (session.state === 'mail' || session.state === 'rcpt')) {
    out.push({
      code: 'NESTED_MAIL',
      severity: 'error',
      message: 'A transaction is already open; finish it with DATA or abort it with RSET before a new MAIL FROM.',
      rfc: rfc(5321, '4.1.4'),
    });
  }
  if (verb === 'STARTTLS' && session.tls) {
    out.push({
      code: 'ALREADY_TLS',
      severity: 'error',
      message: 'This connection is already encrypted; STARTTLS cannot be used twice.',
      rfc: rfc(3207, '4.2'),
    });
  } else if (verb === 'AUTH' && session.authenticated) {
    out.push({
      code: 'ALREADY_AUTHENTICATED',
      severity: 'error',
      message: 'You are already logged in; a second AUTH is refused with 503.',
      rfc: rfc(4954, '4'),
    });
  } else if (
    (verb === 'STARTTLS' || verb === 'AUTH' || verb === 'BDAT') &&
    session.state === 'ready' &&
    !valid.includes(verb)
  ) {
    const kw = verb === 'BDAT' ? 'CHUNKING' : verb;
    out.push({
      code: 'NOT_OFFERED',
      severity: 'warning',
      message: `The server's EHLO list does not include ${kw}, so it will likely refuse ${verb}.`,
      rfc: rfc(5321, '4.1.1.1'),
    });
  }
  if (verb === 'AUTH') {
    if (!session.tls && session.tlsRequiredForAuth) {
      out.push({
        code: 'AUTH_BEFORE_STARTTLS',
        severity: 'error',
        message:
          'This server wants STARTTLS before AUTH; sending credentials now would expose them and be refused (530 or 538).',
        rfc: rfc(4954, '4'),
        fix: 'STARTTLS',
      });
    } else if (!session.tls && session.hasKeyword('STARTTLS')) {
      out.push({
        code: 'AUTH_IN_PLAINTEXT',
        severity: 'warning',
        message:
          'The server offers STARTTLS but the connection is not encrypted yet; your credentials would cross the network readable.',
        rfc: rfc(4954, '4'),
        fix: 'STARTTLS',
      });
    }
    const mech = line.trim().split(/\s+/)[1]?.toUpperCase();
    const offered = session.ehloKeywords.find((k) => k.keyword === 'AUTH')?.params.map((p) => p.toUpperCase());
    if (!mech)
      out.push({
        code: 'AUTH_NO_MECHANISM',
        severity: 'error',
        message: 'Name a mechanism, for example AUTH PLAIN or AUTH LOGIN.',
        rfc: rfc(4954, '4'),
      });
    else if (offered && !offered.includes(mech))
      out.push({
        code: 'AUTH_MECHANISM_NOT_OFFERED',
        severity: 'warning',
        message: `The server offers ${offered.join(', ')}; ${mech} is not among them (expect 504).`,
        rfc: rfc(4954, '4'),
      });
  }
  const path = PATH.exec(line.trim());
  if (path) out.push(...pathWarnings(path[1].toUpperCase().replace(/\s+/, ' '), path[2], line));
  else if (verb === 'MAIL' || verb === 'RCPT') {
    const want = verb === 'MAIL' ? 'MAIL FROM:<address>' : 'RCPT TO:<address>';
    out.push({
      code: 'PATH_SYNTAX',
      severity: 'error',
      message: `Write it as ${want}, with the colon.`,
      rfc: rfc(5321, verb === 'MAIL' ? '4.1.1.2' : '4.1.1.3'),
    });
  }
  if (verb === 'HELO' || verb === 'EHLO') {
    if (!line.trim().split(/\s+/)[1])
      out.push({
        code: 'EHLO_NO_DOMAIN',
        severity: 'error',
        message: `${verb} needs your host name or [address] as argument, for example ${verb} client.example.`,
        rfc: rfc(5321, '4.1.1.1'),
        fix: `${verb} client.example`,
      });
  }
  if (!out.length && !valid.includes(verb) && SMTP_STATES[session.state].commands.length) {
    out.push({
      code: 'NOT_VALID_NOW',
      severity: 'warning',
      message: `${verb} is not expected in state "${SMTP_STATES[session.state].label}"; valid now: ${valid.join(', ')}.`,
      rfc: rfc(5321, '4.1.4'),
    });
  }
  return out;
}

function pathWarnings(which: string, rest: string, line: string): Warning[] {
  const out: Warning[] = [];
  const section = which.startsWith('MAIL') ? '4.1.1.2' : '4.1.1.3';
  if (/^\s/.test(rest) || /:\s/.test(line.slice(0, line.indexOf(':') + 2))) {
    out.push({
      code: 'SPACE_AFTER_COLON',
      severity: 'info',
      message: 'RFC 5321 puts no space between the colon and <; many servers accept it, strict ones answer 501.',
      rfc: rfc(5321, section),
      fix: line.replace(/:\s+/, ':'),
    });
  }
  const addr = rest.trim().split(/\s+/)[0] ?? '';
  if (!addr.startsWith('<') || !addr.endsWith('>')) {
    const bare = addr.replace(/^<|>$/g, '');
    out.push({
      code: 'ADDRESS_WITHOUT_BRACKETS',
      severity: 'error',
      message: `Put the address in angle brackets: ${which}:<${bare}>. Without them strict servers answer 501.`,
      rfc: rfc(5321, section),
      fix: line.replace(addr, `<${bare}>`).replace(/:\s+</, ':<'),
    });
  } else if (which.startsWith('RCPT') && addr === '<>') {
    out.push({
      code: 'EMPTY_RECIPIENT',
      severity: 'error',
      message: 'The empty path <> is only allowed as a sender (for bounces), never as a recipient.',
      rfc: rfc(5321, '4.5.5'),
    });
  }
  return out;
}

/** Lines inside DATA: dot-stuffing (RFC 5321 4.5.2), line length (4.5.3.1.6) and line endings. */
function dataLineWarnings(line: string): Warning[] {
  const out = lineWarnings(line, 998, rfc(5321, '4.5.3.1.6'));
  if (line === '.') {
    out.push({
      code: 'DATA_END',
      severity: 'info',
      message: 'A line with a single dot ends the message; the server will now accept or refuse it.',
      rfc: rfc(5321, '4.1.1.4'),
    });
  } else if (line.startsWith('..')) {
    out.push({
      code: 'DOT_STUFFED',
      severity: 'info',
      message: `This line is dot-stuffed: the server removes the first dot, so the message will hold "${line.slice(1)}".`,
      rfc: rfc(5321, '4.5.2'),
    });
  } else if (line.startsWith('.')) {
    out.push({
      code: 'DOT_STUFFING',
      severity: 'warning',
      message: `This line starts with a dot; add one more dot so the server does not take it for the end or drop the dot (it removes one on arrival): ".${line}".`,
      rfc: rfc(5321, '4.5.2'),
      fix: `.${line}`,
    });
  }
  return out;
}
