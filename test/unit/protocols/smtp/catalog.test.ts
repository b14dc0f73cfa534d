import { describe, expect, it } from 'vitest';
import {
  SMTP_REPLY_CODES,
  explainEhloKeyword,
  explainEnhanced,
  isRegisteredEnhanced,
  replyCodeEntry,
} from '../../../../app/src/protocols/smtp/catalog.ts';
import { ENHANCED_CODES } from '../../../../app/src/protocols/registries/smtp-enhanced-status-codes.ts';
import { SMTP_SERVICE_EXTENSIONS } from '../../../../app/src/protocols/registries/smtp-service-extensions.ts';

const RFC5321_CODES = [
  211, 214, 220, 221, 235, 250, 251, 252, 334, 354, 421, 450, 451, 452, 455, 500, 501, 502, 503, 504, 521, 530, 534,
  535, 538, 550, 551, 552, 553, 554, 555, 556,
];

describe('SMTP catalog', () => {
  it('has every reply code of the list, each with a meaning and an RFC section link', () => {
    for (const code of RFC5321_CODES) {
      const e = SMTP_REPLY_CODES[code];
      expect(e, String(code)).toBeDefined();
      expect(e.meaning.length).toBeGreaterThan(20);
      expect(e.rfc.url).toMatch(/^https:\/\/www\.rfc-editor\.org\/rfc\/rfc\d+\.html#section-/);
    }
  });

  it('explains an unknown code by its first digit instead of failing', () => {
    expect(replyCodeEntry(299).meaning).toMatch(/succeeded/);
    expect(replyCodeEntry(479).meaning).toMatch(/temporary/);
    expect(replyCodeEntry(123).meaning).toMatch(/not a valid/);
  });

  it('explains every enhanced code of the registry in all three classes', () => {
    for (const sd of Object.keys(ENHANCED_CODES)) {
      for (const cls of ['2', '4', '5']) {
        const e = explainEnhanced(`${cls}.${sd}`)!;
        expect(e.summary).toBe(ENHANCED_CODES[sd].summary);
        // Every code rests on an RFC but X.7.28, registered from an Internet-Draft.
        expect(e.rfc.doc).toMatch(sd === '7.28' ? /^draft-/ : /^RFC \d+$/);
      }
    }
    expect(explainEnhanced('5.7.8')!.summary).toBe('Authentication credentials invalid');
    expect(explainEnhanced('4.7.99')!.summary).toMatch(/not in the registry/);
    expect(isRegisteredEnhanced('5.1.1')).toBe(true);
    expect(isRegisteredEnhanced('5.1.99')).toBe(false);
    expect(explainEnhanced('3.0.0')).toBeUndefined();
  });

  it('explains every EHLO keyword of the IANA registry, the common ones in our own words', () => {
    for (const e of SMTP_SERVICE_EXTENSIONS) {
      const k = explainEhloKeyword(e.keyword);
      expect(k.registered).toBe(true);
      expect(k.meaning.length).toBeGreaterThan(10);
    }
    for (const k of [
      'SIZE',
      '8BITMIME',
      'PIPELINING',
      'STARTTLS',
      'AUTH',
      'SMTPUTF8',
      'ENHANCEDSTATUSCODES',
      'CHUNKING',
      'BINARYMIME',
      'DSN',
      'DELIVERBY',
      'ETRN',
      'REQUIRETLS',
    ]) {
      const e = explainEhloKeyword(k);
      expect(e.meaning).not.toMatch(/registered|not in the IANA/);
      expect(e.rfc.section).toBeDefined();
    }
    expect(explainEhloKeyword('XFORWARD').meaning).toMatch(/local extension/);
    expect(explainEhloKeyword('PRDR').registered).toBe(false);
  });
});
