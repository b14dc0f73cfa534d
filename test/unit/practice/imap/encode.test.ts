import { describe, expect, it } from 'vitest';
import { imapDateTime, parseImapDateTime, parseSearchDate, str } from '../../../../bridge/practice/imap/encode.ts';

describe('encode', () => {
  it('quotes plain text with escapes and switches to a literal for CR/LF or 8-bit text', () => {
    expect(str('say "hi" \\ bye')).toEqual(['"say \\"hi\\" \\\\ bye"']);
    expect(str('a\r\nb')).toEqual(['{4}\r\n', new TextEncoder().encode('a\r\nb')]);
    expect(str('Grüße')[0]).toBe('{7}\r\n'); // octets, not characters
  });

  it('writes and reads date-time in the RFC 3501 form', () => {
    const d = parseImapDateTime('17-Jul-1996 02:44:25 -0700')!;
    expect(d.toISOString()).toBe('1996-07-17T09:44:25.000Z');
    expect(imapDateTime(d)).toBe('17-Jul-1996 09:44:25 +0000');
    expect(imapDateTime(new Date(Date.UTC(2026, 0, 5)))).toBe(' 5-Jan-2026 00:00:00 +0000');
    expect(parseImapDateTime('31-Foo-2026 00:00:00 +0000')).toBeNull();
    expect(parseSearchDate('1-Feb-2026')?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });
});
