/**
 * POP3, pure: parse responses (+OK/-ERR, [RESP-CODES], multi-line bodies with the dot terminator
 * and un-stuffing), explain them, follow the session (AUTHORIZATION, TRANSACTION, UPDATE), help with commands.
 *
 * Console use:
 *   const c = createPop3Console();
 *   c.check('PASS secret')   -> [PASS_BEFORE_USER] before USER was accepted
 *   c.sent('LIST\r\n')       -> also tells the parser a multi-line answer comes (LIST without argument)
 *   c.received(bytes)        -> ConsoleReply[] with annotation, command (PASS masked), startTls after STLS
 *
 * Lower level: Pop3ResponseParser (expect(command) then feed(bytes)), isMultilineCommand,
 * Pop3Session (POP3_STATES), annotatePop3Response, pop3Check/pop3Hint/POP3_COMMANDS, explainPop3Code/explainCapa.
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
import { annotatePop3Response } from './annotate.ts';
import { pop3Check, pop3Hint } from './commands.ts';
import { Pop3ResponseParser, type Pop3Response } from './parse.ts';
import { POP3_STATES, Pop3Session } from './state.ts';

export * from './parse.ts';
export * from './catalog.ts';
export * from './state.ts';
export * from './commands.ts';
export * from './annotate.ts';

export function maskPop3Command(command: string, verb?: string, challenge = ''): string {
  // What is secret is decided in common/secrets.ts, for SASL answers by the challenge they answer.
  if (verb === 'AUTH-RESPONSE') return saslAnswerIsSecret(challenge, command.trim()) ? MASK : command;
  const line = command.trim();
  return maskRanges(line, commandSecrets('pop3', line), MASK);
}

export function createPop3Console(): ProtocolConsole<Pop3Response> & { session: Pop3Session } {
  const session = new Pop3Session();
  const parser = new Pop3ResponseParser();
  return createProtocolConsole<Pop3Response, Pop3Session>({
    protocol: 'pop3',
    session,
    parser,
    syntaxRef: rfc(1939, '3'),
    explain: (p) => {
      const ex = session.serverResponse(p);
      const out: Omit<ConsoleReply<Pop3Response>, 'kind' | 'raw' | 'parsed'> = {
        stateBefore: ex.stateBefore,
        stateAfter: ex.stateAfter,
        annotation: annotatePop3Response(p, { stateBefore: ex.stateBefore, sasl: ex.verb === 'AUTH-RESPONSE' }),
      };
      if (ex.command !== undefined) out.command = maskPop3Command(ex.command, ex.verb, ex.challenge);
      if (ex.verb === 'STLS' && p.status === '+OK') out.startTls = true;
      return out;
    },
    // The parser must know which commands get a multi-line answer (RFC 1939 section 3).
    sent: (text) => {
      for (const line of session.clientSent(text)) parser.expect(line);
    },
    closed: () => session.closed(),
    check: (line) => pop3Check(line, session),
    hint: (typed) => pop3Hint(typed, session),
    view: (): SessionView => ({
      state: session.state,
      stateLabel: POP3_STATES[session.state].label,
      validCommands: session.validCommands(),
      tls: session.tls,
      capabilities: session.capabilities,
      capabilityHistory: session.capaHistory,
    }),
  });
}
