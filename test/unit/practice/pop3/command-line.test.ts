import { describe, expect, it } from 'vitest';
import { parseCommandLine, parseMessageNumber } from '../../../../bridge/practice/pop3/command-line.ts';

const parse = (s: string) => parseCommandLine(Uint8Array.from(s, (c) => c.charCodeAt(0)));

describe('parseCommandLine', () => {
  it('upper-cases the keyword and splits arguments', () => {
    expect(parse('top 1  10')).toEqual({ ok: true, command: { keyword: 'TOP', args: ['1', '10'], rest: '1  10' } });
  });
  it('keeps the rest of a PASS line untouched, spaces included', () => {
    const p = parse('PASS two words ');
    expect(p.ok && p.command.rest).toBe('two words ');
  });
  it.each([
    ['', 'EMPTY_LINE'],
    ['   ', 'EMPTY_LINE'],
    ['ST\x00AT', 'NOT_TEXT'],
    ['RETR \xe9', 'NOT_TEXT'],
    ['RETRIEVE 1', 'BAD_KEYWORD'],
    ['R2 1', 'BAD_KEYWORD'],
    [' STAT', 'BAD_KEYWORD'],
  ])('rejects %j with %s and a sentence', (line, code) => {
    const p = parse(line);
    expect(p.ok).toBe(false);
    if (!p.ok) {
      expect(p.code).toBe(code);
      expect(p.message).toMatch(/[a-z].*\.$/);
    }
  });
  it('parses message numbers strictly', () => {
    expect(parseMessageNumber('12')).toBe(12);
    expect(parseMessageNumber('0')).toBe(0);
    for (const bad of [undefined, '', '-1', '+1', '1.0', '0x1', '9999999999', ' 1'])
      expect(parseMessageNumber(bad)).toBeNull();
  });
  it('handles a very long line without overflowing the stack', () => {
    const long = parseCommandLine(new Uint8Array(500_000).fill(0x41));
    expect(long.ok).toBe(false);
    const pass = parseCommandLine(new TextEncoder().encode(`PASS ${'x'.repeat(300_000)}`));
    expect(pass.ok && pass.command.rest.length).toBe(300_000);
  });
});
