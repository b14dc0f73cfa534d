import { describe, expect, it } from 'vitest';
import { formatSet, parseSequenceSet, resolveTargets } from '../../../../bridge/practice/imap/sequence.ts';

describe('sequence sets', () => {
  it('resolves numbers, ranges and * against sequence numbers and UIDs', () => {
    const uids = [3, 7, 8, 20];
    expect(resolveTargets(parseSequenceSet('1,3:*'), uids, false).map((t) => t.uid)).toEqual([3, 8, 20]);
    expect(resolveTargets(parseSequenceSet('4:1'), uids, false).map((t) => t.seq)).toEqual([1, 2, 3, 4]);
    expect(resolveTargets(parseSequenceSet('7:10'), uids, true).map((t) => t.seq)).toEqual([2, 3]);
    // "100:*" with every UID below 100 still names the last message (RFC 3501 6.4.8).
    expect(resolveTargets(parseSequenceSet('100:*'), uids, true).map((t) => t.uid)).toEqual([20]);
    expect(resolveTargets(parseSequenceSet('*'), [], false)).toEqual([]);
  });

  it.each(['0', '1:2:3', 'a', '1,,2', '', '-1'])('rejects %j', (text) => {
    expect(() => parseSequenceSet(text)).toThrowError(/sequence|number/);
  });

  it('formats UID lists compactly for COPYUID', () => {
    expect(formatSet([1, 2, 3, 5, 7, 8])).toBe('1:3,5,7:8');
  });
});
