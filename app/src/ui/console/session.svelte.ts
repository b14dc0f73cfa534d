// One console connection: the bridge socket, the protocol tracker, the transcript recorder, and
// what the console shows. Components render its state; they hold no protocol knowledge.

import type { ErrorMessage, TlsInfo } from '../../wire/messages.ts';
import { BridgeSocket, bridgeUrl, type BridgeTarget } from '../../bridge/socket.ts';
import type { Warning } from '../../protocols/common/types.ts';
import { createSecretDetector, MASK } from '../../transcript/mask.ts';
import { createRecorder, type Recorder } from '../../transcript/recorder.ts';
import type { Transcript, TranscriptEvent, TranscriptMeta } from '../../transcript/model.ts';
import { splitKeepingEnds, type ConsoleEntry, type EntryKind } from './entries.ts';
import { explainBridgeError } from './errors.ts';
import type { Protocol } from './targets.ts';
import { createTracker, type ReplyView, type StateView, type Tracker } from './tracker.ts';

const decoder = new TextDecoder();
let nextSessionId = 1;

export type ConnectionStatus = 'connecting' | 'open' | 'upgrading' | 'tls' | 'closed';

export class ConsoleSession {
  readonly id = nextSessionId++;
  readonly label: string;
  readonly protocol: Protocol;
  entries = $state<ConsoleEntry[]>([]);
  replies = $state.raw<ReplyView[]>([]);
  selectedReply = $state<number | null>(null);
  status = $state<ConnectionStatus>('connecting');
  tls = $state.raw<TlsInfo | null>(null);
  view = $state.raw<StateView>({
    state: 'connecting',
    label: 'connecting',
    validCommands: [],
    tls: false,
    capabilities: [],
  });
  lastError = $state.raw<{ code: string; message: string; advice: string } | null>(null);
  /** Reveal credentials in the console (masked by default, as in every export). */
  reveal = $state(false);
  /** A line another panel (the AUTH helper) puts in the input for the learner to check and send. */
  draft = $state<string | null>(null);

  private socket: BridgeSocket;
  private tracker: Tracker;
  private recorder: Recorder;
  private secrets;
  private entryId = 0;
  /** What the transcript's steps need to know of the connection (a StepSplitter's meta). */
  readonly meta: Pick<TranscriptMeta, 'protocol' | 'target'>;

  constructor(target: BridgeTarget, protocol: Protocol, label: string, wsUrl = bridgeUrl(location)) {
    this.label = label;
    this.protocol = protocol;
    this.tracker = createTracker(protocol);
    this.secrets = createSecretDetector(protocol);
    this.meta = { protocol, target: 'target' in target ? target.target : `${target.host}:${target.port}` };
    this.recorder = createRecorder({ ...this.meta, client: 'mailwire console' });
    this.socket = new BridgeSocket(wsUrl);
    this.socket.onOpened = (m) => {
      this.recorder.opened(m);
      this.status = m.tls ? 'tls' : 'open';
      this.tls = m.tls;
      this.note('info', `Connected to ${m.remote.target} (${m.remote.address} port ${m.remote.port}).`);
      if (m.tls) {
        // Implicit TLS: the whole session is inside TLS, so the state panel says so from the start.
        this.tracker.tlsStarted();
        this.noteTls(m.tls, 0);
        this.refresh();
      }
    };
    this.socket.onData = (bytes) => this.onData(bytes);
    this.socket.onTls = (m) => {
      this.recorder.tls(m);
      this.status = 'tls';
      this.tls = m.tls;
      this.tracker.tlsStarted();
      this.noteTls(m.tls, m.discardedPlaintextBytes);
      this.refresh();
    };
    this.socket.onError = (m: ErrorMessage) => {
      this.recorder.error(m.code, m.message);
      const advice = explainBridgeError(m.code);
      this.lastError = { code: m.code, message: m.message, advice };
      this.note('error', `${m.code}: ${m.message}${advice ? ` ${advice}` : ''}`);
    };
    this.socket.onClosed = (m) => {
      this.recorder.closed(m.by, m.reason);
      this.addReplies(this.tracker.closed());
      this.status = 'closed';
      // The bridge's reason often already names who closed ("The server closed the connection."):
      // say it once.
      const who = m.by === 'server' ? 'server' : m.by === 'client' ? 'browser' : 'bridge';
      this.note(
        'info',
        new RegExp(`\\b${who}\\b`, 'i').test(m.reason) ? m.reason : `Connection closed by the ${m.by}: ${m.reason}`,
      );
      this.refresh();
    };
    this.socket.open(target);
  }

  /** The whole transcript: a copy of every event, so not something to read once per line. */
  get transcript(): Transcript {
    return this.recorder.transcript();
  }

  /** Events recorded so far. */
  get eventCount(): number {
    return this.recorder.eventCount();
  }

  /** The transcript's events from index `n` on (the same as transcript.events.slice(n), without
   *  copying the ones before): a live view reads only what came since its last look. Read only. */
  eventsSince(n: number): readonly TranscriptEvent[] {
    return this.recorder.eventsSince(n);
  }

  /** Warnings about a line before it is sent. */
  check(line: string): Warning[] {
    return this.tracker.check(line);
  }

  hint(typed: string) {
    return this.tracker.hint(typed);
  }

  suggestTag(): string | null {
    return this.tracker.suggestTag();
  }

  /** Sends text typed by the learner; every line ends with CRLF, whatever the keyboard gave. */
  send(text: string): void {
    if (this.status === 'closed' || this.status === 'connecting') return;
    const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
    const wire = lines.map((l) => `${l}\r\n`).join('');
    const bytes = new TextEncoder().encode(wire);
    const ranges = this.secrets.sent(bytes);
    this.recorder.sent(bytes);
    this.tracker.sent(wire);
    this.socket.send(bytes);
    // Show each line, masking what the detector marked as a credential.
    let offset = 0;
    for (const line of splitKeepingEnds(wire)) {
      const len = new TextEncoder().encode(line).length;
      const secret = ranges.filter((r) => r.start < offset + len && r.end > offset);
      let shown = line;
      if (secret.length) {
        const b = new TextEncoder().encode(line);
        let out = '';
        let at = 0;
        for (const r of secret) {
          const s = Math.max(0, r.start - offset);
          const e = Math.min(len, r.end - offset);
          out += decoder.decode(b.subarray(at, s)) + MASK;
          at = e;
        }
        shown = out + decoder.decode(b.subarray(at));
      }
      this.push({ kind: 'client', text: line, masked: secret.length ? shown : undefined });
      offset += len;
    }
    this.refresh();
  }

  close(): void {
    this.socket.close();
  }

  private onData(bytes: Uint8Array): void {
    this.recorder.received(bytes);
    this.secrets.received(bytes);
    this.addReplies(this.tracker.received(bytes));
    this.refresh();
  }

  private addReplies(views: ReplyView[]): void {
    for (const v of views) {
      const index = this.replies.length;
      this.replies = [...this.replies, v];
      for (const line of splitKeepingEnds(v.raw))
        this.push({ kind: 'server', text: line, reply: index, outcome: v.annotation.outcome });
      this.selectedReply = index;
      if (v.startTlsGoAhead && this.status === 'open') {
        this.status = 'upgrading';
        this.note(
          'tls',
          `The server agreed to ${this.protocol === 'pop3' ? 'STLS' : 'STARTTLS'}: the bridge now starts the TLS handshake on this connection.`,
        );
        this.socket.startTls();
      }
    }
  }

  private noteTls(tls: TlsInfo, discarded: number): void {
    const cert = tls.certificate;
    const verified = tls.verified
      ? `verified${tls.verifyReason ? ` (${tls.verifyReason})` : ''}`
      : `NOT verified: ${tls.verifyReason ?? 'unknown reason'}`;
    this.note(
      'tls',
      `TLS is on: ${tls.protocol}, ${tls.cipher}. Certificate ${cert ? `for ${cert.subject}, issued by ${cert.issuer}, valid until ${cert.validTo.slice(0, 10)}` : 'not shown'}; ${verified}.`,
    );
    if (discarded > 0)
      this.note(
        'tls',
        `${discarded} byte(s) that arrived in plaintext after the go-ahead were discarded, not carried into TLS (STARTTLS injection defence).`,
      );
  }

  private note(kind: EntryKind, text: string): void {
    this.push({ kind, text });
  }

  private push(e: {
    kind: EntryKind;
    text: string;
    reply?: number;
    masked?: string;
    outcome?: ConsoleEntry['outcome'];
  }): void {
    this.entries.push({
      id: ++this.entryId,
      kind: e.kind,
      time: Date.now(),
      text: e.masked ?? e.text,
      revealed: e.masked ? e.text : undefined,
      secret: e.masked !== undefined,
      reply: e.reply,
      outcome: e.outcome,
      inTls: this.status === 'tls' && (e.kind === 'client' || e.kind === 'server'),
    });
  }

  private refresh(): void {
    this.view = this.tracker.view();
  }
}
