// Byte helpers for the transcript: pure (Uint8Array, TextEncoder/TextDecoder), no Buffer, so the
// same code runs in the browser and in Node.
import { base64Decode, base64Encode, latin1 } from '../protocols/common/bytes.ts';

const encoder = new TextEncoder();
const lenient = new TextDecoder('utf-8');
const strict = new TextDecoder('utf-8', { fatal: true });

export const utf8 = (text: string): Uint8Array => encoder.encode(text);
export const decodeUtf8 = (bytes: Uint8Array): string => lenient.decode(bytes);

/** The text if the bytes are valid UTF-8, else null (the JSON export then stores base64). */
export function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return strict.decode(bytes);
  } catch {
    return null;
  }
}

/** Latin-1 view: one char per byte, so offsets in the string equal byte offsets. */
export { latin1 };

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Base64 (RFC 4648 section 4); the one implementation lives with the protocol modules. */
export const toBase64 = (bytes: Uint8Array): string => base64Encode(bytes);

/** Strict base64 (padded). Null when the text is not base64. */
export const fromBase64 = (text: string): Uint8Array | null => base64Decode(text) ?? null;

/** Splits bytes into lines, each keeping its terminator (LF or CRLF); the last may be partial. */
export function splitLines(bytes: Uint8Array): Array<{ start: number; end: number }> {
  const lines: Array<{ start: number; end: number }> = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10) {
      lines.push({ start, end: i + 1 });
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push({ start, end: bytes.length });
  return lines;
}
