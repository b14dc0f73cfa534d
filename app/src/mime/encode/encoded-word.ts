// RFC 2047 encoded words for non-ASCII text in headers: "=?UTF-8?B?...?=" or "=?UTF-8?Q?...?=",
// each at most 75 characters (RFC 2047 2) and holding whole characters only (RFC 2047 5).
import { encodeBase64String } from './base64.ts';

const MAX_WORD = 75;
const PREFIX_B = '=?UTF-8?B?';
const PREFIX_Q = '=?UTF-8?Q?';
const SUFFIX = '?=';
const utf8 = new TextEncoder();

// RFC 2047 5(3): in a phrase only letters, digits and ! * + - / may appear unencoded.
function qChar(cp: string): string {
  if (cp === ' ') return '_';
  if (/^[A-Za-z0-9!*+\-/]$/.test(cp)) return cp;
  let s = '';
  for (const b of utf8.encode(cp)) s += '=' + b.toString(16).toUpperCase().padStart(2, '0');
  return s;
}

function bLength(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** Encodes `text` as one or more encoded words (B or Q, whichever is shorter). */
export function encodeWords(text: string, maxWord = MAX_WORD): string[] {
  const chars = Array.from(text);
  const qParts = chars.map(qChar);
  const qTotal = qParts.reduce((n, p) => n + p.length, 0);
  const byteTotal = utf8.encode(text).length;
  const useQ = qTotal <= bLength(byteTotal);
  const words: string[] = [];
  if (useQ) {
    const room = maxWord - PREFIX_Q.length - SUFFIX.length;
    let cur = '';
    for (const p of qParts) {
      if (cur.length + p.length > room) {
        words.push(PREFIX_Q + cur + SUFFIX);
        cur = '';
      }
      cur += p;
    }
    words.push(PREFIX_Q + cur + SUFFIX);
  } else {
    const room = maxWord - PREFIX_B.length - SUFFIX.length; // 63 chars -> 45 bytes at most
    const maxBytes = Math.floor(room / 4) * 3;
    let cur: number[] = [];
    for (const c of chars) {
      const b = utf8.encode(c);
      if (cur.length + b.length > maxBytes) {
        words.push(PREFIX_B + encodeBase64String(Uint8Array.from(cur)) + SUFFIX);
        cur = [];
      }
      cur.push(...b);
    }
    words.push(PREFIX_B + encodeBase64String(Uint8Array.from(cur)) + SUFFIX);
  }
  return words;
}

/** True when a word must be encoded to travel in a header: non-ASCII, or it looks like an encoded word. */
export function needsEncoding(word: string): boolean {
  return /[^\x20-\x7e\t]/.test(word) || /=\?/.test(word);
}

/**
 * Turns an unstructured header value (RFC 5322 3.2.5 "unstructured", e.g. Subject) into fold
 * pieces: ASCII words stay readable, runs of words that need encoding become encoded words.
 * Words longer than the line allows are encoded too, since encoded words can be split.
 */
export function unstructuredPieces(value: string, maxWord = 70): string[] {
  const words = value.split(' ');
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length) out.push(...encodeWords(run.join(' ')));
    run = [];
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (needsEncoding(w) || w.length > maxWord) {
      run.push(w);
    } else {
      flush();
      out.push(w);
    }
  }
  flush();
  return out;
}
