import { describe, expect, it } from 'vitest';
import {
  ImapResponseParser,
  parseImapResponses,
  type ImapParsed,
  type ImapResponse,
} from '../../../../app/src/protocols/imap/parse.ts';
import { CHUNKINGS, fixturesFor, loadFixture, serverBytes } from '../fixtures.ts';

function feedAll(chunks: Uint8Array[]): ImapParsed[] {
  const p = new ImapResponseParser();
  return [...chunks.flatMap((c) => p.feed(c)), ...p.flush()];
}
const responses = (name: string) => parseImapResponses(serverBytes(loadFixture(name))) as ImapResponse[];

describe('IMAP response parser on real transcripts', () => {
  for (const f of fixturesFor('imap')) {
    it(`${f.name}: the same responses whatever the chunking, none unparsed`, () => {
      const bytes = serverBytes(f);
      const whole = feedAll([bytes]);
      expect(whole.filter((r) => r.kind === 'unparsed')).toEqual([]);
      for (const ch of CHUNKINGS) expect(feedAll(ch.split(bytes)), ch.name).toEqual(whole);
    });
  }

  it('keeps a response open until its literal has fully arrived', () => {
    const bytes = serverBytes(loadFixture('dovecot-imap-session.json'));
    const text = new TextDecoder('latin1').decode(bytes);
    const start = text.indexOf('* 1 FETCH (FLAGS (\\Seen \\Recent) BODY[] {398}');
    const p = new ImapResponseParser();
    p.feed(bytes.subarray(0, start));
    // Everything up to one byte before the end of the literal: still incomplete.
    expect(p.feed(bytes.subarray(start, start + 46 + 2 + 397))).toEqual([]);
    const rest = p.feed(bytes.subarray(start + 46 + 2 + 397));
    const fetch = rest[0] as ImapResponse;
    expect(fetch.name).toBe('FETCH');
    const body = fetch.fetch!.sections[0];
    expect(body.section).toBe('');
    expect(body.bytes!.length).toBe(398);
    expect(body.text).toContain('See you at the café.');
    expect(body.text).toContain('\r\n..and one with two'); // IMAP literals are not dot-stuffed
  });

  it('parses tagged, untagged and continuation responses with their codes', () => {
    const r = responses('dovecot-imap-session.json');
    const greeting = r[0];
    expect(greeting).toMatchObject({
      kind: 'untagged',
      status: 'OK',
      code: { name: 'CAPABILITY' },
      text: 'Dovecot (Debian) ready.',
    });
    const perm = r.find((x) => x.code?.name === 'PERMANENTFLAGS')!;
    expect(perm.code!.args).toEqual([
      {
        type: 'list',
        items: ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '\\*'].map((value) => ({
          type: 'atom',
          value,
        })),
      },
    ]);
    expect(r.find((x) => x.code?.name === 'COPYUID')!.code!.args.map((a) => a.type)).toEqual([
      'number',
      'number',
      'number',
    ]);
    expect(r.find((x) => x.code?.name === 'TRYCREATE')).toMatchObject({ kind: 'tagged', tag: 'a12', status: 'NO' });
    expect(r.find((x) => x.kind === 'continuation')).toMatchObject({ text: 'OK' });
    expect(r.find((x) => x.name === 'EXISTS')).toMatchObject({ number: 3 });
    const list = r.find((x) => x.name === 'LIST')!;
    expect(list.values).toEqual([
      { type: 'list', items: [{ type: 'atom', value: '\\HasNoChildren' }] },
      { type: 'string', value: '/' },
      { type: 'atom', value: 'INBOX' },
    ]);
    const ns = r.find((x) => x.name === 'NAMESPACE')!;
    expect(ns.values.map((v) => v.type)).toEqual(['list', 'nil', 'nil']);
  });

  it('reads ENVELOPE (with an encoded-word subject) and nested BODYSTRUCTURE into trees', () => {
    const fetches = responses('dovecot-imap-session.json')
      .filter((x) => x.fetch?.bodyStructure)
      .map((x) => x.fetch!);
    expect(fetches.map((f) => f.uid)).toEqual([1, 2, 3]);
    expect(fetches[0].envelope).toMatchObject({
      subject: '=?UTF-8?Q?Caf=C3=A9_at_noon?=',
      subjectDecoded: 'Café at noon',
      messageId: '<m1@practice.test>',
    });
    expect(fetches[0].envelope!.from[0]).toMatchObject({ name: 'Bob Example', address: 'bob@practice.test' });
    expect(fetches[1].envelope!.from[0].name).toBe('Carol, QA');
    expect(fetches[1].envelope!.to.map((a) => a.address)).toEqual(['alice@practice.test', 'bob@practice.test']);
    const b2 = fetches[1].bodyStructure!;
    if (b2.kind !== 'multipart') throw new Error('expected multipart/mixed');
    expect(b2.subtype).toBe('mixed');
    const alt = b2.parts[0];
    if (alt.kind !== 'multipart') throw new Error('expected multipart/alternative');
    expect(alt.parts.map((p) => [p.part, p.kind === 'single' && `${p.type}/${p.subtype}`])).toEqual([
      ['1.1', 'text/plain'],
      ['1.2', 'text/html'],
    ]);
    expect(b2.parts[1]).toMatchObject({
      part: '2',
      type: 'application',
      subtype: 'pdf',
      encoding: 'BASE64',
      disposition: { type: 'attachment', params: { filename: 'report.pdf' } },
    });
    const b3 = fetches[2].bodyStructure!;
    if (b3.kind !== 'multipart') throw new Error('expected multipart');
    const inner = b3.parts[1];
    if (inner.kind !== 'single') throw new Error('expected message/rfc822');
    expect(inner).toMatchObject({ type: 'message', subtype: 'rfc822', envelope: { subject: 'original' } });
    expect(inner.body).toMatchObject({ kind: 'single', type: 'text', subtype: 'plain', part: '2' });
  });

  it('reads section names with spaces, partial origins, empty and binary literals', () => {
    const text =
      '* 4 FETCH (UID 9 BODY[HEADER.FIELDS (FROM SUBJECT)] {29}\r\nFrom: a@b\r\nSubject: \xc3\xa9t\xc3\xa9\r\n\r\n BODY[1]<0> {0}\r\n BINARY[2] ~{3}\r\nxyz MODSEQ (12))\r\n';
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    for (const ch of CHUNKINGS) {
      const [r] = feedAll(ch.split(bytes)) as ImapResponse[];
      expect(r.fetch!.sections.map((x) => [x.item, x.section, x.origin, x.text])).toEqual([
        [
          'BODY[HEADER.FIELDS (FROM SUBJECT)]',
          'HEADER.FIELDS (FROM SUBJECT)',
          undefined,
          'From: a@b\r\nSubject: été\r\n\r\n',
        ],
        ['BODY[1]<0>', '1', 0, ''],
        ['BINARY[2]', '2', undefined, 'xyz'],
      ]);
      expect(r.fetch!.modseq).toBe(12);
      expect(r.fetch!.uid).toBe(9);
    }
  });

  it('reports malformed responses as unparsed, never throws', () => {
    const out = parseImapResponses(
      '* OK [UNCLOSED code\r\na1 MAYBE done\r\n* LIST (\\Noselect "/" x\r\n* 1 FETCH (BODY[] {10}\r\nshort',
    );
    expect(out.map((r) => r.kind === 'unparsed' && r.code)).toEqual([
      'IMAP_SYNTAX',
      'IMAP_SYNTAX',
      'IMAP_SYNTAX',
      'RESPONSE_INCOMPLETE',
    ]);
    for (const r of out) if (r.kind === 'unparsed') expect(r.reason.length).toBeGreaterThan(20);
  });
});
