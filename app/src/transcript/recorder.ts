// The recorder: the console (or a test) calls it for every byte and control message of a
// connection; it stamps the time, marks credentials as they pass, and hands back a transcript.

import type { ClosedBy, ErrorMessage, OpenedMessage, TlsUpgradedMessage } from '../wire/messages.ts';
import { utf8 } from './bytes.ts';
import { createSecretDetector } from './mask.ts';
import { TRANSCRIPT_SCHEMA_VERSION, type Transcript, type TranscriptEvent, type TranscriptMeta } from './model.ts';

export interface RecorderOptions {
  /** Milliseconds clock; `Date.now` by default. Injected by tests and by replays. */
  now?: () => number;
}

export interface Recorder {
  sent(bytes: Uint8Array | string): void;
  received(bytes: Uint8Array | string): void;
  opened(message: Omit<OpenedMessage, 'type'>): void;
  tls(message: Omit<TlsUpgradedMessage, 'type'>): void;
  error(code: string, message: string): void;
  closed(by: ClosedBy, reason: string): void;
  /** Feeds one control message from the bridge as it arrived. */
  control(
    message: OpenedMessage | TlsUpgradedMessage | ErrorMessage | { type: 'closed'; by: ClosedBy; reason: string },
  ): void;
  /** The transcript so far (a snapshot: later events do not change it). */
  transcript(): Transcript;
  /** How many events were recorded so far. */
  eventCount(): number;
  /** Copies of the events from index `n` on: a live view reads only what came since its last look. */
  eventsSince(n: number): TranscriptEvent[];
}

const copyEvent = (e: TranscriptEvent): TranscriptEvent =>
  'data' in e
    ? { ...e, data: e.data.slice(), ...(e.secret ? { secret: e.secret.map((r) => ({ ...r })) } : {}) }
    : { ...e };

export function createRecorder(
  meta: Omit<TranscriptMeta, 'startedAt'> & { startedAt?: string },
  options: RecorderOptions = {},
): Recorder {
  const now = options.now ?? Date.now;
  const t0 = now();
  const fullMeta: TranscriptMeta = { ...meta, startedAt: meta.startedAt ?? new Date(t0).toISOString() };
  const detector = createSecretDetector(meta.protocol);
  const events: TranscriptEvent[] = [];
  // Never go backwards in time, even if the clock does: replay relies on ordered times.
  const t = () => Math.max(now() - t0, events.at(-1)?.t ?? 0);
  const bytesOf = (b: Uint8Array | string) => (typeof b === 'string' ? utf8(b) : new Uint8Array(b));

  const recorder: Recorder = {
    sent(bytes) {
      const data = bytesOf(bytes);
      const secret = detector.sent(data);
      events.push(secret.length ? { t: t(), kind: 'sent', data, secret } : { t: t(), kind: 'sent', data });
    },
    received(bytes) {
      const data = bytesOf(bytes);
      detector.received(data);
      events.push({ t: t(), kind: 'received', data });
    },
    opened({ remote, tls }) {
      events.push({ t: t(), kind: 'opened', remote, tls });
    },
    tls({ tls, discardedPlaintextBytes }) {
      events.push({ t: t(), kind: 'tls', tls, discardedPlaintextBytes });
    },
    error(code, message) {
      events.push({ t: t(), kind: 'error', code, message });
    },
    closed(by, reason) {
      events.push({ t: t(), kind: 'closed', by, reason });
    },
    control(message) {
      switch (message.type) {
        case 'opened':
          return recorder.opened(message);
        case 'tls':
          return recorder.tls(message);
        case 'error':
          return recorder.error(message.code, message.message);
        case 'closed':
          return recorder.closed(message.by, message.reason);
      }
    },
    transcript() {
      return { version: TRANSCRIPT_SCHEMA_VERSION, meta: { ...fullMeta }, events: events.map(copyEvent) };
    },
    eventCount: () => events.length,
    eventsSince: (n) => events.slice(Math.max(0, n)).map(copyEvent),
  };
  return recorder;
}
