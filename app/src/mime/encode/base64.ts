// Base64 content transfer encoding (RFC 2045 6.8): 76 characters per line, CRLF line ends.
// Writes ASCII bytes straight into one preallocated Uint8Array (no string building), so a
// 10 MB attachment costs one pass and one allocation; safe in a Web Worker. The string codec for
// single values (SASL, JSON exports) is protocols/common/bytes.ts; both use its alphabet.
import { BASE64_ALPHABET as ALPHABET } from '../../protocols/common/bytes.ts';

const CODES = new Uint8Array(64);
for (let i = 0; i < 64; i++) CODES[i] = ALPHABET.charCodeAt(i);
const PAD = 0x3d;
const LINE_INPUT = 57; // 57 input bytes -> 76 output characters

/** Length of the encoded output for `n` input bytes (lines of 76 + CRLF, last line CRLF-terminated). */
export function base64EncodedLength(n: number): number {
  if (n === 0) return 0;
  const chars = Math.ceil(n / 3) * 4;
  const lines = Math.ceil(n / LINE_INPUT);
  return chars + lines * 2;
}

/** Base64 with line breaks: every line (including the last) ends in CRLF. */
export function encodeBase64Lines(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(base64EncodedLength(data.length));
  encodeBase64Into(data, out, 0, true);
  return out;
}

/**
 * Writes base64 lines into `out` at `offset` (so the generator can encode straight into the
 * final message buffer); without `finalCrlf` the last line's CRLF is left out.
 * Returns the number of bytes written.
 */
export function encodeBase64Into(data: Uint8Array, out: Uint8Array, offset: number, finalCrlf: boolean): number {
  let o = offset;
  const n = data.length;
  for (let lineStart = 0; lineStart < n; lineStart += LINE_INPUT) {
    const lineEnd = Math.min(lineStart + LINE_INPUT, n);
    let i = lineStart;
    for (; i + 2 < lineEnd; i += 3) {
      const v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      out[o++] = CODES[v >>> 18];
      out[o++] = CODES[(v >>> 12) & 63];
      out[o++] = CODES[(v >>> 6) & 63];
      out[o++] = CODES[v & 63];
    }
    const rest = lineEnd - i;
    if (rest === 1) {
      const v = data[i] << 16;
      out[o++] = CODES[v >>> 18];
      out[o++] = CODES[(v >>> 12) & 63];
      out[o++] = PAD;
      out[o++] = PAD;
    } else if (rest === 2) {
      const v = (data[i] << 16) | (data[i + 1] << 8);
      out[o++] = CODES[v >>> 18];
      out[o++] = CODES[(v >>> 12) & 63];
      out[o++] = CODES[(v >>> 6) & 63];
      out[o++] = PAD;
    }
    if (lineEnd < n || finalCrlf) {
      out[o++] = 0x0d;
      out[o++] = 0x0a;
    }
  }
  return o - offset;
}

/** Base64 as one string without line breaks (for RFC 2047 "B" words and small values). */
export function encodeBase64String(data: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < data.length; i += 3) {
    const v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    s += ALPHABET[v >>> 18] + ALPHABET[(v >>> 12) & 63] + ALPHABET[(v >>> 6) & 63] + ALPHABET[v & 63];
  }
  const rest = data.length - i;
  if (rest === 1) {
    const v = data[i] << 16;
    s += ALPHABET[v >>> 18] + ALPHABET[(v >>> 12) & 63] + '==';
  } else if (rest === 2) {
    const v = (data[i] << 16) | (data[i + 1] << 8);
    s += ALPHABET[v >>> 18] + ALPHABET[(v >>> 12) & 63] + ALPHABET[(v >>> 6) & 63] + '=';
  }
  return s;
}

const DECODE = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Decodes base64 text, ignoring line breaks and other characters outside the alphabet. */
export function decodeBase64(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === PAD) break;
    const v = c < 256 ? DECODE[c] : -1;
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  return out.slice(0, o);
}
