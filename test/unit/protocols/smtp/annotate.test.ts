import { describe, expect, it } from 'vitest';
import { createSmtpConsole } from '../../../../app/src/protocols/smtp/index.ts';
import { CHUNKINGS, fixturesFor, loadFixture, replay } from '../fixtures.ts';

describe('SMTP annotations', () => {
  for (const f of fixturesFor('smtp')) {
    it(`${f.name}: every reply is explained with a meaning and an RFC reference`, () => {
      const replies = replay(f, createSmtpConsole(), CHUNKINGS[4]);
      expect(replies.length).toBeGreaterThan(5);
      for (const r of replies) {
        expect(r.kind).toBe('reply');
        expect(r.annotation.meaning.trim().length, r.raw).toBeGreaterThan(15);
        expect(r.annotation.rfc.doc).toMatch(/^RFC \d+$/);
        expect(r.annotation.rfc.url).toMatch(/^https:\/\//);
        expect(r.annotation.title).toMatch(/^\d{3} /);
      }
    });
  }

  it('decodes the 334 challenges, lists EHLO keywords and explains enhanced codes', () => {
    const r = replay(loadFixture('smtp-server-session.json'), createSmtpConsole());
    expect(
      r.filter((x) => x.parsed.kind === 'reply' && x.parsed.code === 334).map((x) => x.annotation.decoded),
    ).toEqual(['Username:', 'Password:', 'Username:', 'Password:']);
    const ehlo = r.find((x) => x.command === 'EHLO learner.test')!;
    expect(ehlo.annotation.details?.map((d) => d.term)).toEqual([
      'PIPELINING',
      '8BITMIME',
      'SMTPUTF8',
      'ENHANCEDSTATUSCODES',
      'AUTH (PLAIN LOGIN)',
      'AUTH PLAIN',
      'AUTH LOGIN',
      'STARTTLS',
    ]);
    expect(ehlo.annotation.details?.find((d) => d.term === 'AUTH LOGIN')?.text).toMatch(/OBSOLETE/);
    const relay = r.find((x) => x.command === 'RCPT TO:<someone@elsewhere.example>')!;
    expect(relay.annotation.meaning).toContain('<someone@elsewhere.example>');
    expect(relay.annotation.details?.[0]).toMatchObject({
      term: '5.1.1',
      text: expect.stringContaining('Bad destination mailbox address'),
    });
    expect(relay.annotation.outcome).toBe('permanent');
  });

  it('points a 503 at the session state', () => {
    const r = replay(loadFixture('exim-smtp-session.json'), createSmtpConsole());
    const bad = r.find((x) => x.parsed.kind === 'reply' && x.parsed.code === 503)!;
    expect(bad.annotation.aboutState).toBe(true);
    expect(bad.annotation.meaning).toMatch(/MAIL is not allowed in state "greeted"; allowed there: EHLO/);
  });

  it('never shows AUTH secrets in the paired command; a LOGIN user name stays readable (common/secrets.ts)', () => {
    const r = replay(loadFixture('smtp-server-session.json'), createSmtpConsole());
    const shown = r.map((x) => x.command ?? '').join('\n');
    for (const secret of ['AGFsaWNlAHByYWN0aWNl', 'cHJhY3RpY2U=', 'd3Jvbmc=']) expect(shown).not.toContain(secret);
    expect(shown).toContain('AUTH PLAIN ••••••');
  });
});
