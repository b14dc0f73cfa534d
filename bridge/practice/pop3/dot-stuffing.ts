// Multi-line responses of POP3 (RFC 1939 section 3): dot-stuffed and terminated by the one
// implementation in app/src/protocols/common/dot-stuffing.ts; TOP's cut of a message lives here.

export { dotStuff, dotUnstuff } from '../../../app/src/protocols/common/dot-stuffing.ts';

const CR = 13;
const LF = 10;

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
