import { describe, expect, it } from 'vitest';
import { createPop3Console } from '../../../../app/src/protocols/pop3/index.ts';
import { explainCapa, explainPop3Code } from '../../../../app/src/protocols/pop3/catalog.ts';
import {
  POP3_CAPABILITIES,
  POP3_RESPONSE_CODES,
} from '../../../../app/src/protocols/registries/pop3-extension-mechanism.ts';
import { CHUNKINGS, fixturesFor, loadFixture, replay } from '../fixtures.ts';

describe('POP3 annotations', () => {
  for (const f of fixturesFor('pop3')) {
    it(`${f.name}: every response is explained with a meaning and an RFC reference`, () => {
      for (const x of replay(f, createPop3Console(), CHUNKINGS[3])) {
        expect(x.kind).toBe('reply');
        expect(x.annotation.meaning.length, x.raw).toBeGreaterThan(15);
        expect(x.annotation.rfc.url).toMatch(/^https:\/\/www\.rfc-editor\.org\/rfc\/rfc\d+\.html/);
      }
    });
  }

  it('explains [AUTH], CAPA tags, a state error, and hides the password', () => {
    const r = replay(loadFixture('dovecot-pop3-session.json'), createPop3Console());
    const refused = r.find((x) => x.parsed.kind === 'response' && x.parsed.code === 'AUTH')!;
    expect(refused.annotation.details?.[0]).toMatchObject({ term: '[AUTH]', rfc: { doc: 'RFC 3206' } });
    const capa = r.find((x) => x.command === 'CAPA')!;
    expect(capa.annotation.details?.map((d) => d.term)).toContain('STLS');
    expect(r.map((x) => x.command).join(' ')).not.toContain('practice');
    const bad = replay(loadFixture('dovecot-pop3-badpass.json'), createPop3Console()).find(
      (x) => x.command === 'RETR 1',
    )!;
    expect(bad.annotation).toMatchObject({
      aboutState: true,
      meaning: expect.stringMatching(/not allowed in the authorization state/),
    });
  });

  it('has entries for the whole IANA registry (capabilities and response codes)', () => {
    for (const c of POP3_CAPABILITIES) expect(explainCapa(c.tag).registered, c.tag).toBe(true);
    for (const c of POP3_RESPONSE_CODES) expect(explainPop3Code(c.code).meaning).not.toMatch(/outside/);
    for (const c of ['IN-USE', 'AUTH', 'SYS/TEMP', 'SYS/PERM', 'LOGIN-DELAY'])
      expect(explainPop3Code(c).registered).toBe(true);
  });
});
