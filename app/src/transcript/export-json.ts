// The JSON export: a versioned, re-importable file. Data is text when it is valid UTF-8 (CR and LF
// kept as they were) and base64 otherwise, so binary bytes survive. Secrets are masked unless revealed.

import { strictUtf8, toBase64 } from './bytes.ts';
import { forExport, type RevealOption } from './mask.ts';
import { TRANSCRIPT_SCHEMA_VERSION, type Transcript, type TranscriptEvent } from './model.ts';

/** One event as stored: the event without `data`, plus `text` or `base64`, and secrets as pairs. */
export type JsonEvent = Record<string, unknown> & { t: number; kind: string };

export interface TranscriptJson {
  mailwireTranscript: typeof TRANSCRIPT_SCHEMA_VERSION;
  meta: Transcript['meta'];
  events: JsonEvent[];
}

export function toJsonValue(transcript: Transcript, options: RevealOption = {}): TranscriptJson {
  const { meta, events } = forExport(transcript, options);
  return { mailwireTranscript: TRANSCRIPT_SCHEMA_VERSION, meta: { ...meta }, events: events.map(eventToJson) };
}

function eventToJson(e: TranscriptEvent): JsonEvent {
  if (e.kind !== 'sent' && e.kind !== 'received') return { ...e };
  const { data, secret, masked, ...rest } = e;
  const text = strictUtf8(data);
  const out: JsonEvent = { ...rest, ...(text !== null ? { text } : { base64: toBase64(data) }) };
  // Ranges are byte offsets into the data, whichever way it is written.
  if (secret?.length) out.secret = secret.map((r) => [r.start, r.end]);
  if (masked) out.masked = true;
  return out;
}

/** The transcript as a JSON document (2-space indent, one event per object, stable key order). */
export function exportJson(transcript: Transcript, options: RevealOption = {}): string {
  return JSON.stringify(toJsonValue(transcript, options), null, 2) + '\n';
}
