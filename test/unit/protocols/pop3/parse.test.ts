import { describe, expect, it } from 'vitest';
import {
  Pop3ResponseParser,
  isMultilineCommand,
  type Pop3Parsed,
  type Pop3Response,
} from '../../../../app/src/protocols/pop3/parse.ts';
import { CHUNKINGS, bytesOf, fixturesFor, loadFixture, textOf } from '../fixtures.ts';
import type { Fixture } from '../fixtures.ts';

/** Feed a fixture: commands told to the parser in order, server bytes re-chunked. */
function parseFixture(f: Fixture, split = CHUNKINGS[0].split): Pop3Parsed[] {
  const p = new Pop3ResponseParser();
  const out: Pop3Parsed[] = [];
  for (const e of f.events) {
    if (e.dir === 'C') for (const line of textOf(e.data).split('\r\n').slice(0, -1)) p.expect(line);
    else if (e.dir === 'S') for (const part of split(bytesOf(e.data))) out.push(...p.feed(part));
  }
  return [...out, ...p.flush()];
}

describe('POP3 response parser on real transcripts', () => {
  for (const f of fixturesFor('pop3')) {
    it(`${f.name}: the same responses whatever the chunking, none unparsed`, () => {
      const whole = parseFixture(f);
      expect(whole.filter((r) => r.kind === 'unparsed')).toEqual([]);
      for (const ch of CHUNKINGS) expect(parseFixture(f, ch.split), ch.name).toEqual(whole);
    });
  }

  it('knows which commands answer with a multi-line body', () => {
    expect(['CAPA', 'LIST', 'UIDL', 'RETR 1', 'TOP 1 0', 'list'].map(isMultilineCommand)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['LIST 1', 'UIDL 2', 'STAT', 'DELE 1', 'USER a', 'QUIT'].map(isMultilineCommand)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('reads bodies up to the lone dot, un-stuffs dots, and keeps response codes apart', () => {
    const r = parseFixture(loadFixture('dovecot-pop3-session.json')) as Pop3Response[];
    const byCmd = (c: string) => r.find((x) => x.command === c)!;
    expect(byCmd('LIST').lines).toEqual(['1 398', '2 833', '3 443']);
    expect(byCmd('LIST 1')).toMatchObject({ multiline: false, text: '1 398' });
    const retr = byCmd('RETR 1');
    expect(retr.lines).toContain('.a line that starts with a dot'); // "..a line" on the wire
    expect(retr.lines).toContain('..and one with two');
    expect(retr.raw).toContain('\r\n..a line that starts with a dot\r\n');
    expect(new TextEncoder().encode(retr.lines!.join('\r\n') + '\r\n')).toHaveLength(398); // the size LIST announced, in octets
    expect(byCmd('TOP 1 0').lines!.at(-1)).toBe('');
    expect(r.find((x) => x.code === 'AUTH')).toMatchObject({
      status: '-ERR',
      command: 'USER alice',
      text: 'Plaintext authentication disallowed on non-secure (SSL/TLS) connections.',
    });
    expect(byCmd('CAPA').lines).toContain('STLS');
  });

  it('reports malformed or cut input as unparsed, never throws', () => {
    const p = new Pop3ResponseParser();
    p.expect('RETR 1');
    const out = [...p.feed('OK fine\r\n'), ...p.feed('+OK\r\nline\r\n'), ...p.flush()];
    expect(out.map((r) => r.kind === 'unparsed' && r.code)).toEqual(['NOT_A_STATUS_LINE', 'BODY_INCOMPLETE']);
  });
});
