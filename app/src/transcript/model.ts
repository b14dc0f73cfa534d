// The transcript of one connection: metadata plus the ordered events, with their time and direction.
// Pure data; the recorder (recorder.ts) builds it, the exports read it, steps.ts groups it.

import type { ClosedBy, RemoteInfo, TlsInfo } from '../wire/messages.ts';

export const TRANSCRIPT_SCHEMA_VERSION = 1;
export const PROTOCOLS = ['smtp', 'imap', 'pop3'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface TranscriptMeta {
  protocol: Protocol;
  /** A practice target name (e.g. "practice/submission") or "host:port". */
  target: string;
  /** ISO 8601 time of the first event. */
  startedAt: string;
  /** Who spoke as the client, e.g. "mailwire console" or "python smtplib". */
  client: string;
}

/** A byte range [start, end) of an event's data that holds a credential. */
export interface SecretRange {
  start: number;
  end: number;
}

interface DataEventBase {
  /** Milliseconds since the transcript started. */
  t: number;
  /** The exact bytes, CR and LF included. */
  data: Uint8Array;
  /** Ranges of `data` that are credentials (AUTH payloads, passwords). */
  secret?: SecretRange[];
  /** True when the secret ranges were already replaced by the mask (an export without reveal). */
  masked?: boolean;
}

export interface SentEvent extends DataEventBase {
  kind: 'sent';
}
export interface ReceivedEvent extends DataEventBase {
  kind: 'received';
}
export interface OpenedEvent {
  t: number;
  kind: 'opened';
  remote: RemoteInfo | null;
  /** Set for implicit TLS (the handshake happened before the first byte). */
  tls: TlsInfo | null;
}
export interface TlsEvent {
  t: number;
  kind: 'tls';
  tls: TlsInfo;
  discardedPlaintextBytes: number;
}
export interface ErrorEvent {
  t: number;
  kind: 'error';
  code: string;
  message: string;
}
export interface ClosedEvent {
  t: number;
  kind: 'closed';
  by: ClosedBy;
  reason: string;
}

export type DataEvent = SentEvent | ReceivedEvent;
export type TranscriptEvent = SentEvent | ReceivedEvent | OpenedEvent | TlsEvent | ErrorEvent | ClosedEvent;
export type EventKind = TranscriptEvent['kind'];

export interface Transcript {
  version: typeof TRANSCRIPT_SCHEMA_VERSION;
  meta: TranscriptMeta;
  events: TranscriptEvent[];
}

export const isDataEvent = (e: TranscriptEvent): e is DataEvent => e.kind === 'sent' || e.kind === 'received';

/** For each event, whether it happened inside TLS (implicit TLS from `opened`, or after a `tls` upgrade). */
export function tlsFlags(events: TranscriptEvent[]): boolean[] {
  let inTls = false;
  return events.map((e) => {
    if (e.kind === 'opened') inTls = e.tls !== null;
    else if (e.kind === 'tls') inTls = true;
    return inTls;
  });
}
