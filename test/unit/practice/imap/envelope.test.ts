import { describe, expect, it } from 'vitest';
import { parseAddressList } from '../../../../bridge/practice/imap/envelope.ts';
import { parseMimeStructure, partAt } from '../../../../bridge/practice/imap/mime-structure.ts';

describe('parseAddressList', () => {
  it('splits display names, quoted names with commas, bare addresses and comments', () => {
    expect(parseAddressList('"Doe, Jane" <jane@example.org>, bob@practice.test (Bob B), <x@y.z>')).toEqual([
      { name: 'Doe, Jane', mailbox: 'jane', host: 'example.org' },
      { name: 'Bob B', mailbox: 'bob', host: 'practice.test' },
      { name: null, mailbox: 'x', host: 'y.z' },
    ]);
  });

  it('marks groups with start and end entries (RFC 3501 7.4.2)', () => {
    expect(parseAddressList('undisclosed-recipients:;')).toEqual([
      { name: null, mailbox: 'undisclosed-recipients', host: null, group: 'start' },
      { name: null, mailbox: null, host: null, group: 'end' },
    ]);
  });
});

describe('parseAddressList, imaptest fetch-envelope cases', () => {
  it('a group member that is only a comment is no address (RFC 5322 section 3.4)', () => {
    expect(parseAddressList('group:;, group2: (foo) ;')).toEqual([
      { name: null, mailbox: 'group', host: null, group: 'start' },
      { name: null, mailbox: null, host: null, group: 'end' },
      { name: null, mailbox: 'group2', host: null, group: 'start' },
      { name: null, mailbox: null, host: null, group: 'end' },
    ]);
  });

  it('keeps an obsolete source route as the adl, and drops comments inside <...>', () => {
    expect(parseAddressList('<@route:user@domain>')).toEqual([
      { name: null, adl: '@route', mailbox: 'user', host: 'domain' },
    ]);
    expect(parseAddressList('<user-from (comment)@ (comment) domain.org>')).toEqual([
      { name: null, mailbox: 'user-from', host: 'domain.org' },
    ]);
  });
});

describe('parseMimeStructure', () => {
  const raw = new TextEncoder().encode(
    'Content-Type: multipart/mixed; boundary=b\r\n\r\npre\r\n--b\r\n\r\nimplicit text\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--b--\r\nepilogue\r\n',
  );
  it('finds parts, defaults an untyped part to text/plain, and excludes the CRLF before a boundary', () => {
    const root = parseMimeStructure(raw);
    expect(root.children.map((c) => `${c.contentType.type}/${c.contentType.subtype}`)).toEqual([
      'text/plain',
      'text/html',
    ]);
    const first = partAt(root, [1])!;
    expect(new TextDecoder().decode(raw.subarray(first.bodyStart, first.bodyEnd))).toBe('implicit text');
    expect(partAt(root, [3])).toBeNull();
  });

  it('survives a missing closing boundary and a header with no body', () => {
    const cut = parseMimeStructure(
      new TextEncoder().encode('Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\n\r\nrest'),
    );
    expect(cut.children).toHaveLength(1);
    const headOnly = parseMimeStructure(new TextEncoder().encode('Subject: x\r\n'));
    expect(headOnly.bodyStart).toBe(headOnly.bodyEnd);
  });
});
