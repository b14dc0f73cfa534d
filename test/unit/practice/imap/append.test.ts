// APPEND's header check (RFC 6855 section 4): what counts as an 8-bit octet in the header fields.
import { describe, expect, it } from 'vitest';
import { eightBitHeader } from '../../../../bridge/practice/imap/commands/append.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('eightBitHeader', () => {
  it('finds an octet above 0x7F in the header section, and none in the body', () => {
    expect(eightBitHeader(bytes('Subject: Grüße\r\n\r\nbody\r\n'))).toBe(true);
    expect(eightBitHeader(bytes('Subject: hi\r\n\r\nGrüße\r\n'))).toBe(false);
    expect(eightBitHeader(bytes('Subject: hi\n\nGrüße\n'))).toBe(false); // bare LF line ends
    expect(eightBitHeader(bytes('Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n\r\n'))).toBe(false);
    expect(eightBitHeader(bytes('X: a\r\nY: ü'))).toBe(true); // a header with no body at all
    expect(eightBitHeader(new Uint8Array(0))).toBe(false);
  });
});
