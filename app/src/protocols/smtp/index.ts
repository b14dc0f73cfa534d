/**
 * SMTP, pure: parse replies, explain them, follow the session, help with commands.
 *
 * Console use (what the UI needs):
 *   const c = createSmtpConsole();
 *   c.check('MAIL FROM:bob@x')   -> Warning[] (ADDRESS_WITHOUT_BRACKETS, MAIL_BEFORE_EHLO ...) before sending
 *   c.hint('MA')                  -> { completions: [MAIL], command? } with syntax and RFC link
 *   c.sent('EHLO me\r\n')         -> record what was written to the socket
 *   c.received(bytes)             -> ConsoleReply[]: raw text, annotation {title, meaning, rfc, details},
 *                                    command answered (secrets masked), state before/after, startTls flag
 *   c.tlsStarted()                -> after the bridge's `tls` message; c.view() -> state, valid commands, EHLO history
 *
 * Lower level: SmtpReplyParser (incremental), SmtpSession (state table SMTP_STATES), annotateSmtpReply,
 * smtpCheck/smtpHint/SMTP_COMMANDS, catalogs SMTP_REPLY_CODES / explainEnhanced / explainEhloKeyword.
 */
import { commandSecrets, maskRanges, saslAnswerIsSecret } from '../common/secrets.ts';
import {
  MASK,
  createProtocolConsole,
  type ConsoleReply,
  type ProtocolConsole,
  type SessionView,
} from '../common/console.ts';
import { rfc } from '../common/types.ts';
import { annotateSmtpReply } from './annotate.ts';
import { smtpCheck, smtpHint } from './commands.ts';
import { SmtpReplyParser, type SmtpReply } from './parse.ts';
import { SMTP_STATES, SmtpSession, type SentCommand } from './state.ts';

export * from './parse.ts';
export * from './catalog.ts';
export * from './state.ts';
export * from './commands.ts';
export * from './annotate.ts';

/** The command line as shown next to its reply, with AUTH secrets hidden. */
export function maskSmtpCommand(cmd: SentCommand): string {
  // What is secret is decided in common/secrets.ts, for SASL answers by the challenge they answer.
  if (cmd.verb === 'AUTH-RESPONSE') return saslAnswerIsSecret(cmd.challenge ?? '', cmd.line.trim()) ? MASK : cmd.line;
  return maskRanges(cmd.line, commandSecrets('smtp', cmd.line), MASK);
}

export function createSmtpConsole(): ProtocolConsole<SmtpReply> & { session: SmtpSession } {
  const session = new SmtpSession();
  return createProtocolConsole<SmtpReply, SmtpSession>({
    protocol: 'smtp',
    session,
    parser: new SmtpReplyParser(),
    syntaxRef: rfc(5321, '4.2'),
    explain: (p) => {
      const ex = session.serverReply(p);
      const out: Omit<ConsoleReply<SmtpReply>, 'kind' | 'raw' | 'parsed'> = {
        stateBefore: ex.stateBefore,
        stateAfter: ex.stateAfter,
        annotation: annotateSmtpReply(p, { command: ex.command, stateBefore: ex.stateBefore, tls: session.tls }),
      };
      if (ex.command) out.command = maskSmtpCommand(ex.command);
      if (ex.command?.verb === 'STARTTLS' && p.code === 220) out.startTls = true;
      return out;
    },
    sent: (text) => session.clientSent(text),
    check: (line) => smtpCheck(line, session),
    hint: (typed) => smtpHint(typed, session),
    view: (): SessionView => ({
      state: session.state,
      stateLabel: SMTP_STATES[session.state].label,
      validCommands: session.validCommands(),
      tls: session.tls,
      capabilities: session.ehloKeywords.map((k) => [k.keyword, ...k.params].join(' ')),
      capabilityHistory: session.ehloHistory.map((h) => ({
        phase: h.phase,
        capabilities: h.keywords.map((k) => [k.keyword, ...k.params].join(' ')),
      })),
    }),
  });
}
