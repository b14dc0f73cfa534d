import { describe, expect, it } from 'vitest';
import { LineBuffer, toWire } from '../../../../app/src/ui/lessons/line-buffer.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('LineBuffer', () => {
  it('holds a line split across chunks until its end arrives', () => {
    const b = new LineBuffer();
    expect(b.push(enc('250-mail.practice.test\r\n250-PIPE'))).toEqual(['250-mail.practice.test\r\n']);
    expect(b.push(enc('LINING\r\n250 OK\r\n'))).toEqual(['250-PIPELINING\r\n', '250 OK\r\n']);
    expect(b.flush()).toEqual([]);
  });
  it('joins a UTF-8 character split between chunks', () => {
    const bytes = enc('250 café\r\n');
    const b = new LineBuffer();
    expect(b.push(bytes.subarray(0, 8))).toEqual([]);
    expect(b.push(bytes.subarray(8))).toEqual(['250 café\r\n']);
  });
  it('gives the unfinished tail when the connection ends', () => {
    const b = new LineBuffer();
    b.push(enc('221 bye'));
    expect(b.flush()).toEqual(['221 bye']);
  });
});

describe('toWire', () => {
  it('ends every line with CR LF whatever the keyboard gave', () => {
    expect(toWire('From: a\nTo: b\n\nHi\n.')).toBe('From: a\r\nTo: b\r\n\r\nHi\r\n.\r\n');
    expect(toWire('EHLO me\r\n')).toBe('EHLO me\r\n');
    expect(toWire('QUIT')).toBe('QUIT\r\n');
  });
});
