// Multi-line responses of POP3 (RFC 1939 section 3): every line that begins with "." gets one more
// "." in front, and the response ends with CRLF "." CRLF. Pure: bytes in, bytes out, no Node APIs.

const CR = 13;
const LF = 10;
const DOT = 46;
const TERMINATOR = new Uint8Array([DOT, CR, LF]);

/**
 * The message as a multi-line body: dot-stuffed and terminated. A message that does not end with
 * CRLF gets one before the terminator (the terminator must start a line), so only such a message
 * comes back to the client with two more octets than were stored.
 */
export function dotStuff(message: Uint8Array): Uint8Array {
  let extraDots = 0;
  for (let i = 0; i < message.length; i++) {
    if (message[i] === DOT && (i === 0 || message[i - 1] === LF)) extraDots++;
  }
  const endsWithLineEnd = message.length === 0 || message[message.length - 1] === LF;
  const out = new Uint8Array(message.length + extraDots + (endsWithLineEnd ? 0 : 2) + TERMINATOR.length);
  let o = 0;
  for (let i = 0; i < message.length; i++) {
    const byte = message[i];
    if (byte === DOT && (i === 0 || message[i - 1] === LF)) out[o++] = DOT;
    out[o++] = byte;
  }
  if (!endsWithLineEnd) {
    out[o++] = CR;
    out[o++] = LF;
  }
  out.set(TERMINATOR, o);
  return out;
}

/**
 * The reverse, as a client does it: takes the bytes after the status line up to and including the
 * terminator line, and returns the original message. Null if the terminator is missing.
 */
export function dotUnstuff(body: Uint8Array): Uint8Array | null {
  const out = new Uint8Array(body.length);
  let o = 0;
  let i = 0;
  while (i < body.length) {
    let end = body.indexOf(LF, i);
    if (end === -1) return null; // the terminator line always ends with LF
    end += 1;
    const isTerminator = end - i === 3 && body[i] === DOT && body[i + 1] === CR;
    if (isTerminator) return out.slice(0, o);
    const start = body[i] === DOT ? i + 1 : i;
    out.set(body.subarray(start, end), o);
    o += end - start;
    i = end;
  }
  return null;
}

/**
 * What TOP n m sends (RFC 1939 section 7): the header section, the empty line that ends it, and at
 * most `bodyLines` lines of the body. A message without an empty line is all header.
 */
export function topOf(message: Uint8Array, bodyLines: number): Uint8Array {
  const bodyStart = headerEnd(message);
  if (bodyStart === -1) return message;
  let end = bodyStart;
  for (let line = 0; line < bodyLines && end < message.length; line++) {
    const lf = message.indexOf(LF, end);
    end = lf === -1 ? message.length : lf + 1;
  }
  return message.subarray(0, end);
}

/** Offset just past the empty line that ends the header section, or -1 if there is none. */
function headerEnd(message: Uint8Array): number {
  let lineStart = 0;
  while (lineStart < message.length) {
    const lf = message.indexOf(LF, lineStart);
    if (lf === -1) return -1;
    const lineLength = lf - lineStart;
    if (lineLength === 0 || (lineLength === 1 && message[lineStart] === CR)) return lf + 1;
    lineStart = lf + 1;
  }
  return -1;
}
