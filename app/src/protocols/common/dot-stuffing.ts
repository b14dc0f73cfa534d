// Dot-stuffing, the one implementation: SMTP DATA (RFC 5321 section 4.5.2) and POP3 multi-line
// responses (RFC 1939 section 3) share it. A line that begins with "." gets one more "." in front,
// and the data ends with a line holding a single "." (CRLF "." CRLF). Pure: bytes in, bytes out.

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

const startsLine = (bytes: Uint8Array, i: number) => i === 0 || bytes[i - 1] === LF;

/** Number of lines that begin with "." and so get a second one. */
export function countStuffedLines(message: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < message.length; i++) if (message[i] === DOT && startsLine(message, i)) n++;
  return n;
}

/**
 * Message bytes -> stuffed and terminated data. The terminator must start a line, so a message
 * whose last line has no line end gets CRLF first (only such a message grows by two octets more).
 */
export function dotStuff(message: Uint8Array): Uint8Array {
  const endsWithLineEnd = message.length === 0 || message[message.length - 1] === LF;
  const out = new Uint8Array(message.length + countStuffedLines(message) + (endsWithLineEnd ? 3 : 5));
  let o = 0;
  for (let i = 0; i < message.length; i++) {
    if (message[i] === DOT && startsLine(message, i)) out[o++] = DOT;
    out[o++] = message[i]!;
  }
  if (!endsWithLineEnd) {
    out[o++] = CR;
    out[o++] = LF;
  }
  out[o] = DOT;
  out[o + 1] = CR;
  out[o + 2] = LF;
  return out;
}

export interface UnstuffOptions {
  /** Return what was read when the terminator never comes (a transcript cut short), not null. */
  partial?: boolean;
}

/**
 * Stuffed data -> message bytes, as a receiver reads it: one leading "." taken off each line, up
 * to the line holding a single "." (CRLF or a bare LF after it). Null when that line is missing.
 */
export function dotUnstuff(data: Uint8Array, options: UnstuffOptions = {}): Uint8Array | null {
  const out = new Uint8Array(data.length);
  let o = 0;
  let i = 0;
  while (i < data.length) {
    const lf = data.indexOf(LF, i);
    const end = lf === -1 ? data.length : lf + 1;
    const length = end - i;
    const isTerminator = lf !== -1 && data[i] === DOT && (length === 2 || (length === 3 && data[i + 1] === CR));
    if (isTerminator) return out.slice(0, o);
    const start = data[i] === DOT ? i + 1 : i;
    out.set(data.subarray(start, end), o);
    o += end - start;
    i = end;
  }
  return options.partial ? out.slice(0, o) : null;
}

/** Dot-stuffing of text lines (a lesson's message template): "\n"-separated lines, not terminated. */
export function dotStuffLines(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l.startsWith('.') ? `.${l}` : l))
    .join('\n');
}
