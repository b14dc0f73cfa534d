import { describe, expect, it } from 'vitest';
import {
  countStuffedLines,
  dotStuff,
  dotStuffLines,
  dotUnstuff,
} from '../../../../app/src/protocols/common/dot-stuffing.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

describe('dot-stuffing (RFC 5321 section 4.5.2, RFC 1939 section 3)', () => {
  it('stuffs every line that begins with a dot, and only those', () => {
    expect(dec(dotStuff(enc('.a\r\nb.\r\n..c\r\n')))).toBe('..a\r\nb.\r\n...c\r\n.\r\n');
    expect(countStuffedLines(enc('.a\r\nb.\r\n..c\r\n'))).toBe(2);
  });

  it('adds a line end before the terminator only when the last line has none', () => {
    expect(dec(dotStuff(enc('x')))).toBe('x\r\n.\r\n');
    expect(dec(dotStuff(enc('x\n')))).toBe('x\n.\r\n');
    expect(dec(dotStuff(new Uint8Array(0)))).toBe('.\r\n');
  });

  it('round-trips random bytes, dots and line ends included', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    const alphabet = [0x2e, 0x0d, 0x0a, 0x41, 0x00, 0xff];
    for (let n = 0; n < 500; n++) {
      const message = Uint8Array.from({ length: next() % 40 }, () => alphabet[next() % alphabet.length]!);
      // A last line without a line end comes back with CRLF (dotStuff had to add it).
      const expected =
        message.length === 0 || message.at(-1) === 0x0a ? message : Uint8Array.from([...message, 0x0d, 0x0a]);
      expect(dotUnstuff(dotStuff(message))).toEqual(expected);
    }
  });

  it('stops at the terminator line (CRLF or bare LF) and says when it is missing', () => {
    expect(dec(dotUnstuff(enc('..a\r\n.\r\nafter\r\n')))).toBe('.a\r\n');
    expect(dec(dotUnstuff(enc('a\n.\n')))).toBe('a\n');
    expect(dotUnstuff(enc('..a\r\nb\r\n'))).toBeNull();
    expect(dec(dotUnstuff(enc('..a\r\nb'), { partial: true }))).toBe('.a\r\nb');
  });

  it('stuffs text lines for a lesson template without terminating them', () => {
    expect(dotStuffLines('.a\n..b\nc.\n')).toBe('..a\n...b\nc.');
  });
});
