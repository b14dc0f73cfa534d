// ESEARCH (RFC 4731): RETURN options and the ESEARCH response of commands/search.ts.
import { describe, expect, it } from 'vitest';
import { esearchResponse, returnOptions } from '../../../../bridge/practice/imap/commands/search.ts';
import { parseCommand } from '../../../../bridge/practice/imap/parser.ts';

const args = (text: string) => parseCommand({ lines: [`t SEARCH ${text}`], literals: [] }).args;

describe('ESEARCH', () => {
  it('reads RETURN (...) before the keys; () means ALL; none means a plain SEARCH', () => {
    expect(returnOptions(args('RETURN (min Count) CHARSET UTF-8 ALL')).options).toEqual(['MIN', 'COUNT']);
    expect(returnOptions(args('RETURN () SEEN')).options).toEqual(['ALL']);
    expect(returnOptions(args('SEEN')).options).toBeNull();
    expect(() => returnOptions(args('RETURN (SAVE) ALL'))).toThrowError('Unknown RETURN option');
  });

  it('answers MIN, MAX, ALL as a compact set, COUNT; only COUNT when nothing matched (section 3.1)', () => {
    expect(esearchResponse('a1', false, ['MIN', 'MAX', 'ALL', 'COUNT'], [5, 1, 2, 3])).toBe(
      'ESEARCH (TAG "a1") MIN 1 MAX 5 ALL 1:3,5 COUNT 4',
    );
    expect(esearchResponse('a"2', true, ['ALL', 'COUNT', 'MIN'], [])).toBe('ESEARCH (TAG "a\\"2") UID COUNT 0');
  });
});
