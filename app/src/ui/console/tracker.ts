// The console's view of one protocol session: app/src/protocols' createConsole(), plus what the
// console needs on top (the FETCH data of a reply, the IMAP mailbox, a tag to suggest).
// All protocol knowledge stays in app/src/protocols.

import { createConsole, type ConsoleReply, type Hint, type Warning } from '../../protocols/index.ts';
import type { Annotation } from '../../protocols/common/types.ts';
import type { FetchData, TreeNode } from '../../protocols/imap/fetch.ts';
import type { ImapSession } from '../../protocols/imap/state.ts';
import type { Protocol } from './targets.ts';

export interface ReplyView {
  /** The reply exactly as received. */
  raw: string;
  annotation: Annotation;
  /** The line the learner sent that this reply answers (credentials masked). */
  command?: string;
  /** IMAP FETCH data, and the same as a tree for rendering. */
  fetch?: FetchData;
  tree?: TreeNode;
  /** This reply is the server's go-ahead for STARTTLS/STLS: the client upgrades now. */
  startTlsGoAhead: boolean;
}

export interface StateView {
  state: string;
  label: string;
  validCommands: string[];
  tls: boolean;
  /** Each EHLO/CAPABILITY/CAPA list the server gave, with the phase it came in. */
  capabilities: Array<{ phase: string; items: string[] }>;
  /** IMAP: the selected mailbox. */
  mailbox?: string;
}

export interface Tracker {
  readonly protocol: Protocol;
  sent(text: string): void;
  received(bytes: Uint8Array): ReplyView[];
  tlsStarted(): void;
  closed(): ReplyView[];
  check(line: string): Warning[];
  hint(typed: string): Hint;
  view(): StateView;
  /** IMAP: a fresh tag to suggest; others: null. */
  suggestTag(): string | null;
}

function toView(r: ConsoleReply): ReplyView {
  const fetch = (r.parsed as { fetch?: FetchData } | undefined)?.fetch;
  return {
    raw: r.raw,
    annotation: r.annotation,
    command: r.command,
    fetch,
    tree: r.tree,
    startTlsGoAhead: r.startTls === true,
  };
}

export function createTracker(protocol: Protocol): Tracker {
  const c = createConsole(protocol);
  const imapSession = (c as { session?: ImapSession }).session;
  return {
    protocol,
    sent: (text) => c.sent(text),
    received: (bytes) => c.received(bytes).map(toView),
    tlsStarted: () => c.tlsStarted(),
    closed: () => c.closed().map(toView),
    check: (line) => c.check(line),
    hint: (typed) => c.hint(typed),
    view: () => {
      const v = c.view();
      return {
        state: v.state,
        label: v.stateLabel,
        validCommands: v.validCommands,
        tls: v.tls,
        capabilities: v.capabilityHistory.map((h) => ({ phase: h.phase, items: h.capabilities })),
        mailbox: protocol === 'imap' ? imapSession?.mailbox?.name : undefined,
      };
    },
    suggestTag: () => (protocol === 'imap' ? (imapSession?.nextTag() ?? null) : null),
  };
}
