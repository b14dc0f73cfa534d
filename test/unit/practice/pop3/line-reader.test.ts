import { describe, expect, it } from 'vitest';
import { LineReader } from '../../../../bridge/practice/pop3/line-reader.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const lines = (events: ReturnType<LineReader['push']>) =>
  events.map((e) => (e.kind === 'line' ? new TextDecoder().decode(e.bytes) : `<too-long ${e.octets}>`));

describe('LineReader', () => {
  it('splits on CRLF and on bare LF, across chunk borders', () => {
    const r = new LineReader(100);
    expect(lines(r.push(enc('STAT\r\nLI')))).toEqual(['STAT']);
    expect(r.buffered).toBe(2);
    expect(lines(r.push(enc('ST\r')))).toEqual([]);
    expect(lines(r.push(enc('\nNOOP\nQUIT\r\n')))).toEqual(['LIST', 'NOOP', 'QUIT']);
  });

  it('reports an over-long line once, at its end, and keeps the following lines', () => {
    const r = new LineReader(10); // "123456789\r\n" is 11 octets: one too many
    expect(lines(r.push(enc('12345678\r\n')))).toEqual(['12345678']);
    expect(lines(r.push(enc('123456789')))).toEqual([]);
    expect(lines(r.push(enc('x'.repeat(50))))).toEqual([]);
    expect(lines(r.push(enc('\r\nSTAT\r\n')))).toEqual(['<too-long 61>', 'STAT']);
  });

  it('clear() forgets a partial line (the STLS guard)', () => {
    const r = new LineReader(100);
    r.push(enc('USER mallory'));
    r.clear();
    expect(lines(r.push(enc('CAPA\r\n')))).toEqual(['CAPA']);
  });
});
