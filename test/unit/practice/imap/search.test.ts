import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../../bridge/practice/imap/parser.ts';
import {
  matches,
  needsContent,
  parseSearch,
  sentDay,
  type SearchCandidate,
} from '../../../../bridge/practice/imap/search.ts';

const keyOf = (text: string) => parseSearch(parseCommand({ lines: [`t SEARCH ${text}`], literals: [] }).args);
const base: SearchCandidate = {
  seq: 2,
  uid: 12,
  flags: ['\\Seen', '$Work'],
  recent: false,
  internalDate: new Date(Date.UTC(2026, 10, 20, 23, 30)),
  size: 1500,
  maxSeq: 5,
  maxUid: 40,
  modseq: 7,
  headerText: (f) => ({ from: 'bob <bob@practice.test>', subject: 'café plans' })[f] ?? null,
  bodyText: 'see you at noon',
  fullText: 'subject: café plans\nsee you at noon',
};
const hit = (text: string, m: Partial<SearchCandidate> = {}) => matches(keyOf(text), { ...base, ...m });

describe('SEARCH keys', () => {
  it.each([
    ['ALL', true],
    ['SEEN', true],
    ['UNSEEN', false],
    ['KEYWORD $Work', true],
    ['UNKEYWORD $Work', false],
    ['FROM bob', true],
    ['FROM BOB@PRACTICE', true],
    ['SUBJECT "Café"', true],
    ['TO bob', false],
    ['BODY noon', true],
    ['TEXT plans', true],
    ['BODY plans', false],
    ['LARGER 1000', true],
    ['SMALLER 1000', false],
    ['2', true],
    ['3:*', false],
    ['UID 10:12', true],
    ['UID *', false],
    ['ON 20-Nov-2026', true],
    ['BEFORE 20-Nov-2026', false],
    ['SINCE 21-Nov-2026', false],
    ['NOT SEEN', false],
    ['OR UNSEEN FROM bob', true],
    ['(SEEN FROM alice)', false],
    ['SEEN FROM bob LARGER 10', true],
    ['OLD', true],
    ['NEW', false],
    ['RECENT', false],
    ['CHARSET UTF-8 SUBJECT café', true],
    // RFC 7162 section 3.1.5: changed at or after the MODSEQ; the per-flag entry reads as the message's.
    ['MODSEQ 7', true],
    ['MODSEQ 8', false],
    ['MODSEQ "/flags/\\\\seen" all 7', true],
    ['NOT MODSEQ 8', true],
  ])('%s -> %s', (text, expected) => {
    expect(hit(text)).toBe(expected);
  });

  it('NEW means recent and unseen', () => {
    expect(hit('NEW', { recent: true, flags: [] })).toBe(true);
  });

  it('knows which keys need the message bytes', () => {
    expect(needsContent(keyOf('SEEN UID 1:5'))).toBe(false);
    expect(needsContent(keyOf('OR SEEN BODY x'))).toBe(true);
    expect(needsContent(keyOf('SENTSINCE 1-Jan-2026'))).toBe(true);
  });

  it.each([
    ['FROB', 'Unknown search key'],
    ['FROM', 'FROM needs a string'],
    ['MODSEQ -1', 'mod-sequence'],
    ['MODSEQ "/flags/\\\\seen" mine 7', 'entry type'],
    ['SINCE yesterday', 'is not a date'],
    ['LARGER big', 'needs a number'],
    ['CHARSET KOI8-R ALL', 'not supported'],
  ])('rejects %j', (text, sentence) => {
    expect(() => keyOf(text)).toThrowError(sentence);
  });

  it('HEADER field "" matches only messages that have the field (RFC 3501 section 6.4.4)', () => {
    expect(hit('HEADER SUBJECT ""')).toBe(true);
    expect(hit('HEADER TO ""')).toBe(false);
    expect(hit('NOT HEADER TO ""')).toBe(true);
    expect(hit('TO ""')).toBe(false);
  });

  it('SENT* keys take the day the Date: header names in its own zone (RFC 3501 section 6.4.4)', () => {
    const root = (date: string) => ({ headers: [{ name: 'Date', value: date }] }) as unknown as SearchCandidate['root'];
    // 21:00 UTC on 24 March, but 24 March 23:00 where it was written.
    const late = { root: root('Sat, 24 Mar 2007 23:00:00 +0200') };
    expect(hit('SENTON 24-Mar-2007', late)).toBe(true);
    expect(hit('SENTBEFORE 25-Mar-2007', late)).toBe(true);
    // 21:00 UTC on 25 March, but 26 March 00:00 in +0300.
    const early = { root: root('Mon, 26 Mar 2007 00:00:00 +0300') };
    expect(hit('SENTON 26-Mar-2007', early)).toBe(true);
    expect(hit('SENTSINCE 26-Mar-2007', early)).toBe(true);
    expect(sentDay('1 Jan 99 10:00 -0500 (EST)')?.toISOString()).toBe('1999-01-01T00:00:00.000Z');
    expect(sentDay('no date here')).toBeNull();
  });
});
