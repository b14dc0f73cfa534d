import { describe, expect, it } from 'vitest';
import { dotStuff, dotUnstuff, topOf } from '../../../../bridge/practice/pop3/dot-stuffing.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('dotStuff (RFC 1939 section 3)', () => {
  it('doubles a leading dot on every line and appends the terminator', () => {
    const out = dotStuff(enc('.first\r\nmiddle.\r\n..two\r\n.\r\nend\r\n'));
    expect(dec(out)).toBe('..first\r\nmiddle.\r\n...two\r\n..\r\nend\r\n.\r\n');
  });

  it('adds a CRLF before the terminator when the message lacks one', () => {
    expect(dec(dotStuff(enc('no line end')))).toBe('no line end\r\n.\r\n');
  });

  it('sends an empty message as the terminator alone', () => {
    expect(dec(dotStuff(new Uint8Array(0)))).toBe('.\r\n');
  });

  it('stuffs after a bare LF too, so a lenient client cannot see a false terminator', () => {
    expect(dec(dotStuff(enc('a\n.\n')))).toBe('a\n..\n.\r\n');
  });

  it('round-trips arbitrary bytes through dotUnstuff', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 200; n++) {
      const lines = Array.from({ length: 1 + Math.floor(rand() * 10) }, () => {
        const bytes = Array.from({ length: Math.floor(rand() * 8) }, () => '.a\x00\xff '[Math.floor(rand() * 5)]);
        return bytes.join('');
      });
      const message = Uint8Array.from(lines.join('\r\n') + '\r\n', (c) => c.charCodeAt(0));
      expect(dotUnstuff(dotStuff(message))).toEqual(message);
    }
  });

  it('dotUnstuff reports a missing terminator', () => {
    expect(dotUnstuff(enc('..a\r\nb\r\n'))).toBeNull();
  });
});

describe('topOf (RFC 1939 section 7, TOP)', () => {
  const msg = enc('Subject: x\r\nFrom: a@b\r\n\r\nline1\r\nline2\r\nline3\r\n');
  it('returns the header, the empty line and n body lines', () => {
    expect(dec(topOf(msg, 0))).toBe('Subject: x\r\nFrom: a@b\r\n\r\n');
    expect(dec(topOf(msg, 2))).toBe('Subject: x\r\nFrom: a@b\r\n\r\nline1\r\nline2\r\n');
  });
  it('returns the whole message when n exceeds the body', () => {
    expect(dec(topOf(msg, 99))).toBe(dec(msg));
  });
  it('treats a message without an empty line as all header', () => {
    expect(dec(topOf(enc('Subject: only\r\n'), 3))).toBe('Subject: only\r\n');
  });
});
