// Bytes and text without Node APIs: Uint8Array, TextEncoder/TextDecoder and our own base64.

const utf8 = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

export function toBytes(input: Uint8Array | string): Uint8Array {
  return typeof input === 'string' ? encoder.encode(input) : input;
}

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

// windows-1252 (the WHATWG meaning of "latin1") maps every byte to exactly one UTF-16 unit and
// keeps ASCII as is, which is all the structural view needs; it is far faster than a JS loop.
const oneCharPerByte = (() => {
  try {
    return new TextDecoder('latin1');
  } catch {
    return undefined;
  }
})();

/** One char per byte, so a string view keeps byte offsets (for framing IMAP literals). ASCII is exact. */
export function decodeLatin1(bytes: Uint8Array): string {
  if (oneCharPerByte) return oneCharPerByte.decode(bytes);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x2000) s += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  return s;
}

/**
 * ISO 8859-1: exactly one char per byte with charCodeAt(i) === byte (0x80-0x9f included, unlike
 * windows-1252), so offsets in the string are byte offsets. In slices, so a long input cannot
 * overflow the call stack. The one implementation; `latin1Bytes` is its inverse.
 */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = '';
  for (let i = start; i < end; i += 0x2000) s += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 0x2000)));
  return s;
}

/** Text whose chars are all below 256 -> one byte per char (the inverse of `latin1`). */
export function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0) & 0xff);
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The base64 alphabet (RFC 4648 section 4), shared with the MIME line encoder (mime/encode/base64.ts). */
export const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64 = BASE64_ALPHABET;

export function base64Encode(input: Uint8Array | string): string {
  const bytes = toBytes(input);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}

/** Strict base64 decode; undefined when the text is not base64 (so callers can say so). */
export function base64Decode(text: string): Uint8Array | undefined {
  const t = text.trim();
  if (t.length === 0) return new Uint8Array(0);
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(t)) return undefined;
  const pad = t.endsWith('==') ? 2 : t.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((t.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < t.length; i += 4) {
    const n =
      (B64.indexOf(t[i]) << 18) |
      (B64.indexOf(t[i + 1]) << 12) |
      ((t[i + 2] === '=' ? 0 : B64.indexOf(t[i + 2])) << 6) |
      (t[i + 3] === '=' ? 0 : B64.indexOf(t[i + 3]));
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** Decode base64 to readable text, or undefined when it is not base64 or not printable text. */
export function base64ToText(text: string): string | undefined {
  const bytes = base64Decode(text);
  if (!bytes) return undefined;
  const s = decodeUtf8(bytes);
  // NUL separators (AUTH PLAIN) are shown as \0 so the structure is visible.
  const shown = s.replace(/\0/g, '\\0');
  return /[\u0001-\u0008\u000e-\u001f\ufffd]/.test(shown) ? undefined : shown;
}

/** A byte queue that grows by doubling, so feeding a large literal in many chunks stays linear. */
export class ByteQueue {
  private data = new Uint8Array(4096);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.data.length) {
      const live = this.length;
      const size = Math.max(this.data.length, (live + chunk.length) * 2);
      if (size === this.data.length)
        this.data.copyWithin(0, this.start, this.end); // compact in place
      else {
        const next = new Uint8Array(size);
        next.set(this.data.subarray(this.start, this.end), 0);
        this.data = next;
      }
      this.start = 0;
      this.end = live;
    }
    this.data.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The queued bytes (a view: valid until the next push or take). */
  view(): Uint8Array {
    return this.data.subarray(this.start, this.end);
  }

  /** Remove and return the first n bytes. */
  take(n: number): Uint8Array {
    const out = this.data.slice(this.start, this.start + n);
    this.start += n;
    if (this.start === this.end) this.start = this.end = 0;
    return out;
  }

  clear(): void {
    this.start = this.end = 0;
  }
}
