// The SMTP DATA payload (RFC 5321 4.5.2 transparency, 4.1.1.4 end of data): a line that starts
// with "." gets one more "." in front, and the data ends with CRLF "." CRLF.
import { MimeError } from './errors.ts';

const CR = 0x0d, LF = 0x0a, DOT = 0x2e;

/** Message bytes -> DATA payload: dots stuffed, CRLF added if the message lacks a final one, then ".\r\n". */
export function dotStuff(message: Uint8Array): Uint8Array {
  let extra = 0;
  for (let i = 0; i < message.length; i++) {
    if (message[i] === DOT && (i === 0 || message[i - 1] === LF)) extra++;
  }
  const endsWithCrlf = message.length >= 2 && message[message.length - 2] === CR && message[message.length - 1] === LF;
  const tail = endsWithCrlf || message.length === 0 ? 3 : 5;
  const out = new Uint8Array(message.length + extra + tail);
  let o = 0;
  for (let i = 0; i < message.length; i++) {
    if (message[i] === DOT && (i === 0 || message[i - 1] === LF)) out[o++] = DOT;
    out[o++] = message[i];
  }
  if (tail === 5) { out[o++] = CR; out[o++] = LF; }
  out[o++] = DOT; out[o++] = CR; out[o++] = LF;
  return out;
}

/** Number of lines that were stuffed (for the studio to show what changed). */
export function countStuffedLines(message: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < message.length; i++) if (message[i] === DOT && (i === 0 || message[i - 1] === LF)) n++;
  return n;
}

/**
 * DATA payload -> message bytes: the final ".\r\n" removed and one leading dot taken off each
 * line. A message that had no final CRLF comes back with one (dotStuff had to add it).
 */
export function dotUnstuff(payload: Uint8Array): Uint8Array {
  const n = payload.length;
  const terminated = n >= 3 && payload[n - 3] === DOT && payload[n - 2] === CR && payload[n - 1] === LF &&
    (n === 3 || payload[n - 4] === LF);
  if (!terminated) {
    throw new MimeError('DATA_NOT_TERMINATED', 'The DATA payload does not end with CRLF "." CRLF; add the final line holding a single dot.');
  }
  const body = payload.subarray(0, n - 3);
  const out = new Uint8Array(body.length);
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    // RFC 5321 4.5.2: a line starting with a period loses that first period.
    if (body[i] === DOT && (i === 0 || body[i - 1] === LF)) continue;
    out[o++] = body[i];
  }
  return out.slice(0, o);
}
