// The shape every protocol console shares: what the UI calls and what it gets back.
import type { Annotation, Hint, RfcRef, Unparsed, Warning } from './types.ts';
import type { TreeNode } from '../imap/fetch.ts';

export type ProtocolName = 'smtp' | 'imap' | 'pop3';

/** One complete server reply (or unparsable input), explained and paired with what it answers. */
export interface ConsoleReply<P = unknown> {
  kind: 'reply' | 'unparsed';
  /** The bytes as received (UTF-8 decoded), line endings included. */
  raw: string;
  annotation: Annotation;
  /** The learner's line this answers, with secrets masked; undefined for greetings and untagged data. */
  command?: string;
  stateBefore: string;
  stateAfter: string;
  /** The server accepted STARTTLS/STLS: the app should ask the bridge to upgrade the socket now. */
  startTls?: boolean;
  /** IMAP FETCH data as a tree for rendering. */
  tree?: TreeNode;
  parsed: P | Unparsed;
}

export interface SessionView {
  state: string;
  stateLabel: string;
  validCommands: string[];
  tls: boolean;
  /** EHLO keywords, IMAP CAPABILITY or POP3 CAPA tags now in force. */
  capabilities: string[];
  /** Each list the server gave and the phase it came in: shows what STARTTLS and login changed. */
  capabilityHistory: Array<{ phase: 'plaintext' | 'tls' | 'authenticated'; capabilities: string[] }>;
}

export interface ProtocolConsole<P = unknown> {
  readonly protocol: ProtocolName;
  /** Record text the learner sent (one or more lines, as written to the socket). */
  sent(text: string): void;
  /** Bytes from the server as they arrive; returns the replies now complete. */
  received(bytes: Uint8Array): ConsoleReply<P>[];
  /** The connection closed: anything pending is returned as unparsed. */
  closed(): ConsoleReply<P>[];
  /** The bridge reports the TLS handshake done (after STARTTLS/STLS). */
  tlsStarted(): void;
  /** Warnings about a line before it is sent. */
  check(line: string): Warning[];
  /** Completion and syntax hint for the text typed so far. */
  hint(typed: string): Hint;
  view(): SessionView;
}

export function unparsedReply<P>(u: Unparsed, state: string, doc: Annotation['rfc']): ConsoleReply<P> {
  return {
    kind: 'unparsed',
    raw: u.raw,
    stateBefore: state,
    stateAfter: state,
    parsed: u,
    annotation: { title: `? ${u.code}`, meaning: u.reason, rfc: doc, outcome: 'info' },
  };
}

export const MASK = '••••••';

/** What one protocol brings to the console skeleton; the rest (feed, flush, unparsed input) is shared. */
export interface ConsoleSpec<P extends { raw: string }, S extends { state: string; tlsStarted(): void }> {
  protocol: ProtocolName;
  session: S;
  parser: { feed(bytes: Uint8Array): Array<P | Unparsed>; flush(): Array<P | Unparsed> };
  /** Where the protocol defines its reply syntax, for input that does not parse. */
  syntaxRef: RfcRef;
  /** Pair one parsed reply with the session (this advances the state) and explain it. */
  explain(p: P): Omit<ConsoleReply<P>, 'kind' | 'raw' | 'parsed'>;
  /** Record what the learner sent (the session, and the parser where it must know what comes). */
  sent(text: string): void;
  /** Called after the parser is flushed on close. */
  closed?(): void;
  check(line: string): Warning[];
  hint(typed: string): Hint;
  view(): SessionView;
}

const isUnparsed = (p: { kind: string }): p is Unparsed => p.kind === 'unparsed';

/** The one console factory: createSmtpConsole, createImapConsole and createPop3Console fill in a spec. */
export function createProtocolConsole<
  P extends { raw: string; kind: string },
  S extends { state: string; tlsStarted(): void },
>(spec: ConsoleSpec<P, S>): ProtocolConsole<P> & { session: S } {
  const toReply = (p: P | Unparsed): ConsoleReply<P> =>
    isUnparsed(p)
      ? unparsedReply<P>(p, spec.session.state, spec.syntaxRef)
      : { kind: 'reply', raw: p.raw, parsed: p, ...spec.explain(p) };
  return {
    protocol: spec.protocol,
    session: spec.session,
    sent: (text) => spec.sent(text),
    received: (bytes) => spec.parser.feed(bytes).map(toReply),
    closed: () => {
      const out = spec.parser.flush().map(toReply);
      spec.closed?.();
      return out;
    },
    tlsStarted: () => spec.session.tlsStarted(),
    check: (line) => spec.check(line),
    hint: (typed) => spec.hint(typed),
    view: () => spec.view(),
  };
}
