/**
 * IMAP, pure: parse responses (literals, lists, FETCH trees), explain them, follow the session
 * (states, capabilities, selected mailbox, tag pairing), help with commands and literal lengths.
 *
 * Console use:
 *   const c = createImapConsole();
 *   c.check('CAPABILITY')           -> [IMAP_MISSING_TAG with fix 'a1 CAPABILITY']
 *   c.sent('a1 LOGIN alice pw\r\n'); c.received(bytes) -> ConsoleReply[] (tagged completions carry the
 *                                    command they answer, LOGIN password masked; FETCH has `tree`)
 *   imapLiteralFor('Grüße')         -> '{7}' (octets of UTF-8); imapLiteralCheck(line, literal) -> warning + fix
 *   c.check('a2 CREATE Entwürfe')   -> [MAILBOX_NAME_NOT_ENCODED with fix 'a2 CREATE Entw&APw-rfe']
 *   encodeMailboxName('日本語')      -> '&ZeVnLIqe-'; decodeMailboxName(wire) -> {ok, name} or {ok: false, code, message}
 *
 * Lower level: ImapResponseParser (incremental; a response is complete when its literals are),
 * parseFetch/parseEnvelope/parseBodyStructure/fetchTree, ImapSession (IMAP_STATES),
 * annotateImapResponse, imapCheck/imapHint/IMAP_COMMANDS, explainCapability/explainResponseCode/explainFlag.
 */
import { commandSecrets, maskRanges } from '../common/secrets.ts';
import {
  MASK,
  createProtocolConsole,
  type ConsoleReply,
  type ProtocolConsole,
  type SessionView,
} from '../common/console.ts';
import { rfc } from '../common/types.ts';
import { annotateImapResponse } from './annotate.ts';
import { imapCheck, imapHint } from './commands.ts';
import { fetchTree } from './fetch.ts';
import { ImapResponseParser, type ImapResponse } from './parse.ts';
import { IMAP_STATES, ImapSession, type ImapCommand } from './state.ts';

export * from './parse.ts';
export * from './fetch.ts';
export * from './catalog.ts';
export * from './state.ts';
export * from './commands.ts';
export * from './annotate.ts';
export * from './mutf7.ts';

export function maskImapCommand(cmd: ImapCommand): string {
  // What is secret is decided once, in common/secrets.ts (the transcript masks the same ranges).
  const masked = maskRanges(cmd.line, commandSecrets('imap', cmd.line), MASK);
  // A LOGIN whose password came as a literal: the line holds only its {n}, the octets followed.
  return cmd.name === 'LOGIN' && masked === cmd.line && /\{\d+\+?\}$/.test(cmd.line)
    ? `${cmd.tag} LOGIN ${MASK}`
    : masked;
}

export function createImapConsole(): ProtocolConsole<ImapResponse> & { session: ImapSession } {
  const session = new ImapSession();
  return createProtocolConsole<ImapResponse, ImapSession>({
    protocol: 'imap',
    session,
    parser: new ImapResponseParser(),
    syntaxRef: rfc(9051, '7'),
    explain: (p) => {
      const ex = session.serverResponse(p);
      const out: Omit<ConsoleReply<ImapResponse>, 'kind' | 'raw' | 'parsed'> = {
        stateBefore: ex.stateBefore,
        stateAfter: ex.stateAfter,
        annotation: annotateImapResponse(p, {
          command: ex.command,
          stateBefore: ex.stateBefore,
          enabled: session.enabled,
        }),
      };
      if (ex.command && p.kind === 'tagged') out.command = maskImapCommand(ex.command);
      if (ex.command?.name === 'STARTTLS' && p.kind === 'tagged' && p.status === 'OK') out.startTls = true;
      if (p.fetch) out.tree = fetchTree(p.fetch);
      return out;
    },
    sent: (text) => session.clientSent(text),
    check: (line) => imapCheck(line, session),
    hint: (typed) => imapHint(typed, session),
    view: (): SessionView => ({
      state: session.state,
      stateLabel: IMAP_STATES[session.state].label,
      validCommands: session.validCommands(),
      tls: session.tls,
      capabilities: session.capabilities,
      capabilityHistory: session.capabilityHistory,
    }),
  });
}
