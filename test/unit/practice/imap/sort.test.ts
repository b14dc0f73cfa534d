// SORT keys (RFC 5256, RFC 5957): criteria, base subjects, sent dates and the order.
import { describe, expect, it } from 'vitest';
import { parseMimeStructure } from '../../../../bridge/practice/imap/mime-structure.ts';
import { parseCommand } from '../../../../bridge/practice/imap/parser.ts';
import {
  baseSubject,
  parseCriteria,
  sentTime,
  sortMessages,
  sortValue,
} from '../../../../bridge/practice/imap/sort.ts';

const criteria = (text: string) => {
  const [list] = parseCommand({ lines: [`t SORT ${text}`], literals: [] }).args;
  return parseCriteria(list.type === 'list' ? list.items : []);
};
const message = (seq: number, headers: string, size = 100, day = 1) => ({
  seq,
  size,
  internalDate: new Date(Date.UTC(2026, 0, day)),
  root: parseMimeStructure(new TextEncoder().encode(`${headers}\r\n\r\nbody\r\n`)),
});

describe('SORT', () => {
  it('reads criteria, REVERSE applying to the next one', () => {
    expect(criteria('(REVERSE date subject)')).toEqual([
      { key: 'DATE', reverse: true },
      { key: 'SUBJECT', reverse: false },
    ]);
    expect(() => criteria('(REVERSE)')).toThrowError('REVERSE must be followed');
    expect(() => criteria('(REVERSE REVERSE DATE)')).toThrowError('Unknown sort criterion');
    expect(() => criteria('()')).toThrowError('at least one criterion');
    expect(() => criteria('(COLOUR)')).toThrowError('Unknown sort criterion');
  });

  it.each([
    ['Re: hello', 'hello'],
    ['RE: Fwd: re:  hello  world', 'hello world'],
    ['[list] Re: [other] hi (fwd)', 'hi'],
    ['[Fwd: Re: note]', 'note'],
    ['[only blob]', '[only blob]'],
    ['Fw:x', 'x'],
    ['real subject', 'real subject'],
    ['', ''],
  ])('base subject of %j is %j (RFC 5256 section 2.1)', (subject, base) => {
    expect(baseSubject(subject)).toBe(base);
  });

  it('DATE uses the Date: header in UTC, INTERNALDATE when it is missing (section 2.2)', () => {
    expect(sentTime(message(1, 'Date: Thu, 15 Feb 2007 01:02:03 +0200'))).toBe(Date.UTC(2007, 1, 14, 23, 2, 3) / 1000);
    expect(sentTime(message(1, 'Subject: no date', 100, 5))).toBe(Date.UTC(2026, 0, 5) / 1000);
  });

  it('FROM sorts on the first mailbox (a group by its name), DISPLAYFROM on the name or address', () => {
    expect(sortValue('FROM', message(1, 'From: Zed <abc@x.org>'))).toBe('ABC');
    expect(sortValue('CC', message(1, 'Cc: team: a@b.c;'))).toBe('TEAM');
    expect(sortValue('DISPLAYFROM', message(1, 'From: =?utf-8?q?Zo=C3=AB?= <abc@x.org>'))).toBe('ZOë');
    expect(sortValue('DISPLAYFROM', message(1, 'From: abc@x.org'))).toBe('ABC@X.ORG');
  });

  it('orders by each criterion in turn; exact ties keep mailbox order', () => {
    const ms = [
      message(1, 'Subject: b', 300),
      message(2, 'Subject: Re: a', 100),
      message(3, 'Subject: B', 100),
      message(4, 'Subject: a', 100),
    ];
    expect(sortMessages(ms, criteria('(SUBJECT)')).map((m) => m.seq)).toEqual([2, 4, 1, 3]);
    expect(sortMessages(ms, criteria('(SUBJECT REVERSE SIZE)')).map((m) => m.seq)).toEqual([2, 4, 1, 3]);
    expect(sortMessages(ms, criteria('(REVERSE SIZE)')).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(sortMessages(ms, criteria('(SIZE REVERSE SUBJECT)')).map((m) => m.seq)).toEqual([3, 2, 4, 1]);
  });
});
