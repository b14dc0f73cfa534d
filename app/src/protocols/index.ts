/**
 * mailwire protocol modules: pure TypeScript (no DOM, no Node APIs) for SMTP, IMAP and POP3.
 *
 * The console UI needs one call:
 *   const c = createConsole('smtp' | 'imap' | 'pop3');
 *   // before sending a typed line:   c.check(line) -> Warning[] {code, severity, message, rfc, fix?}
 *   // while typing:                  c.hint(typed) -> {command?: {name, syntax, summary, rfc}, completions}
 *   // after writing to the socket:   c.sent(line + '\r\n')
 *   // on each binary frame:          c.received(bytes) -> ConsoleReply[]
 *   //   ConsoleReply: {kind, raw, annotation: {title, meaning, rfc: {doc, section, url}, outcome,
 *   //                  details?, decoded?, aboutState?}, command?, stateBefore, stateAfter, startTls?, tree?}
 *   //   startTls === true: send the bridge `starttls`, then call c.tlsStarted() on its `tls` message.
 *   // state panel:                   c.view() -> {state, stateLabel, validCommands, tls, capabilities, capabilityHistory}
 *   // on close:                      c.closed() -> leftover bytes as unparsed replies
 *
 * Per protocol (parsers, catalogs, sessions, helpers): `smtp`, `imap`, `pop3` namespaces below.
 * Registries bundled for offline use: ./registries/*.ts (IANA, retrieval date in each header).
 */
import type { ProtocolConsole, ProtocolName } from './common/console.ts';
import { createSmtpConsole } from './smtp/index.ts';
import { createImapConsole } from './imap/index.ts';
import { createPop3Console } from './pop3/index.ts';

export * as smtp from './smtp/index.ts';
export * as imap from './imap/index.ts';
export * as pop3 from './pop3/index.ts';
export type { ConsoleReply, ProtocolConsole, ProtocolName, SessionView } from './common/console.ts';
export type {
  Annotation,
  AnnotationDetail,
  CommandInfo,
  Hint,
  Outcome,
  RfcRef,
  Unparsed,
  Warning,
} from './common/types.ts';
export { base64Decode, base64Encode, base64ToText, utf8Length } from './common/bytes.ts';
export { decodeEncodedWords } from './common/encoded-words.ts';
export { explainImapStatus, explainPop3Status, explainSmtp } from './explain.ts';

export function createConsole(protocol: ProtocolName): ProtocolConsole {
  switch (protocol) {
    case 'smtp':
      return createSmtpConsole();
    case 'imap':
      return createImapConsole();
    case 'pop3':
      return createPop3Console();
    default:
      throw new Error(`Unknown protocol "${String(protocol)}": use smtp, imap or pop3.`);
  }
}
