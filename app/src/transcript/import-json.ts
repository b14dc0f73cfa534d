// Import of a JSON transcript: every field is checked, and the first problem is reported with a
// stable code and a sentence naming the place (e.g. "events[3].t"). Never throws on bad input.

import { ERROR_CODES, type ClosedBy } from '../wire/messages.ts';
import { fromBase64, utf8 } from './bytes.ts';
import {
  PROTOCOLS,
  TRANSCRIPT_SCHEMA_VERSION,
  type Protocol,
  type SecretRange,
  type Transcript,
  type TranscriptEvent,
} from './model.ts';

export type ImportErrorCode =
  | 'NOT_JSON'
  | 'NOT_A_TRANSCRIPT'
  | 'UNSUPPORTED_VERSION'
  | 'BAD_META'
  | 'BAD_EVENT'
  | 'BAD_DATA'
  | 'BAD_SECRET_RANGE'
  | 'EVENTS_OUT_OF_ORDER';

export interface ImportError {
  code: ImportErrorCode;
  message: string;
}
export type ImportResult = { ok: true; transcript: Transcript } | { ok: false; error: ImportError };

class Invalid extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (code: ImportErrorCode, message: string): never => {
  throw new Invalid(code, message);
};
const str = (o: Record<string, unknown>, key: string, where: string, code: ImportErrorCode): string =>
  typeof o[key] === 'string' ? (o[key] as string) : fail(code, `${where}.${key} must be a string.`);

export function importJson(text: string): ImportResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      ok: false,
      error: {
        code: 'NOT_JSON',
        message: 'The file is not valid JSON. Choose a transcript exported by mailwire (a .json file).',
      },
    };
  }
  return importJsonValue(value);
}

export function importJsonValue(value: unknown): ImportResult {
  try {
    return { ok: true, transcript: parseTranscript(value) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: { code: e.code, message: e.message } };
    throw e;
  }
}

function parseTranscript(value: unknown): Transcript {
  if (!isObject(value) || !('mailwireTranscript' in value)) {
    fail('NOT_A_TRANSCRIPT', 'This JSON is not a mailwire transcript: it has no "mailwireTranscript" version field.');
  }
  const doc = value as Record<string, unknown>;
  if (doc.mailwireTranscript !== TRANSCRIPT_SCHEMA_VERSION) {
    fail(
      'UNSUPPORTED_VERSION',
      `Transcript schema version ${JSON.stringify(doc.mailwireTranscript)} is not supported; this mailwire reads version ${TRANSCRIPT_SCHEMA_VERSION}.`,
    );
  }
  if (!isObject(doc.meta))
    fail('BAD_META', 'The transcript has no "meta" object (protocol, target, startedAt, client).');
  const m = doc.meta as Record<string, unknown>;
  const protocol = str(m, 'protocol', 'meta', 'BAD_META');
  if (!(PROTOCOLS as readonly string[]).includes(protocol))
    fail('BAD_META', `meta.protocol must be one of ${PROTOCOLS.join(', ')}, not "${protocol}".`);
  const startedAt = str(m, 'startedAt', 'meta', 'BAD_META');
  if (Number.isNaN(Date.parse(startedAt))) fail('BAD_META', `meta.startedAt "${startedAt}" is not an ISO 8601 date.`);
  const meta = {
    protocol: protocol as Protocol,
    target: str(m, 'target', 'meta', 'BAD_META'),
    startedAt,
    client: str(m, 'client', 'meta', 'BAD_META'),
  };
  if (!Array.isArray(doc.events)) fail('BAD_EVENT', 'The transcript has no "events" array.');
  const events = (doc.events as unknown[]).map(parseEvent);
  events.forEach((e, i) => {
    if (i > 0 && e.t < events[i - 1]!.t)
      fail(
        'EVENTS_OUT_OF_ORDER',
        `events[${i}].t (${e.t}) is earlier than the event before it (${events[i - 1]!.t}); events must be in time order.`,
      );
  });
  return { version: TRANSCRIPT_SCHEMA_VERSION, meta, events };
}

function parseEvent(value: unknown, i: number): TranscriptEvent {
  const where = `events[${i}]`;
  if (!isObject(value)) return fail('BAD_EVENT', `${where} must be an object.`);
  const { t, kind } = value;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0)
    fail('BAD_EVENT', `${where}.t must be a number of milliseconds (0 or more).`);
  const time = t as number;
  switch (kind) {
    case 'sent':
    case 'received': {
      const data = parseData(value, where);
      const secret = parseSecret(value.secret, data.length, where);
      if (value.masked !== undefined && value.masked !== true) fail('BAD_EVENT', `${where}.masked may only be true.`);
      return { t: time, kind, data, ...(secret ? { secret } : {}), ...(value.masked ? { masked: true } : {}) };
    }
    case 'opened':
      if (value.remote !== null && !isObject(value.remote))
        fail('BAD_EVENT', `${where}.remote must be an object or null.`);
      if (value.tls !== null && !isObject(value.tls)) fail('BAD_EVENT', `${where}.tls must be an object or null.`);
      return { t: time, kind, remote: value.remote as never, tls: value.tls as never };
    case 'tls':
      if (!isObject(value.tls))
        fail('BAD_EVENT', `${where}.tls must describe the TLS session (protocol, cipher, certificate).`);
      if (typeof value.discardedPlaintextBytes !== 'number')
        fail('BAD_EVENT', `${where}.discardedPlaintextBytes must be a number.`);
      return {
        t: time,
        kind,
        tls: value.tls as never,
        discardedPlaintextBytes: value.discardedPlaintextBytes as number,
      };
    case 'error': {
      const code = str(value, 'code', where, 'BAD_EVENT');
      if (!(ERROR_CODES as readonly string[]).includes(code) && !/^[A-Z][A-Z0-9_]*$/.test(code))
        fail('BAD_EVENT', `${where}.code "${code}" is not an error code (upper-case words joined by "_").`);
      return { t: time, kind, code, message: str(value, 'message', where, 'BAD_EVENT') };
    }
    case 'closed': {
      const by = str(value, 'by', where, 'BAD_EVENT');
      if (!['server', 'client', 'bridge'].includes(by))
        fail('BAD_EVENT', `${where}.by must be server, client or bridge, not "${by}".`);
      return { t: time, kind, by: by as ClosedBy, reason: str(value, 'reason', where, 'BAD_EVENT') };
    }
    default:
      return fail(
        'BAD_EVENT',
        `${where}.kind ${JSON.stringify(kind)} is not one of sent, received, opened, tls, error, closed.`,
      );
  }
}

function parseData(value: Record<string, unknown>, where: string): Uint8Array {
  const hasText = typeof value.text === 'string';
  const hasBase64 = typeof value.base64 === 'string';
  if (hasText === hasBase64)
    fail('BAD_DATA', `${where} needs exactly one of "text" (UTF-8) or "base64" (other bytes).`);
  if (hasText) return utf8(value.text as string);
  const bytes = fromBase64(value.base64 as string);
  return bytes ?? fail('BAD_DATA', `${where}.base64 is not valid base64 (RFC 4648, padded).`);
}

function parseSecret(value: unknown, length: number, where: string): SecretRange[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value))
    return fail('BAD_SECRET_RANGE', `${where}.secret must be a list of [start, end] byte ranges.`);
  return value.map((r, j) => {
    const ok =
      Array.isArray(r) &&
      r.length === 2 &&
      r.every((n) => Number.isInteger(n)) &&
      0 <= r[0] &&
      r[0] < r[1] &&
      r[1] <= length;
    if (!ok)
      fail(
        'BAD_SECRET_RANGE',
        `${where}.secret[${j}] must be [start, end] with 0 <= start < end <= ${length} (the data length in bytes).`,
      );
    return { start: r[0] as number, end: r[1] as number };
  });
}
