import { describe, expect, it } from 'vitest';
import { createImapConsole } from '../../../../app/src/protocols/imap/index.ts';
import {
  IMAP_RESPONSES,
  IMAP_SYSTEM_FLAGS,
  explainCapability,
  explainFlag,
  explainResponseCode,
} from '../../../../app/src/protocols/imap/catalog.ts';
import { IMAP_CAPABILITIES } from '../../../../app/src/protocols/registries/imap-capabilities.ts';
import { IMAP_RESPONSE_CODES } from '../../../../app/src/protocols/registries/imap-response-codes.ts';
import { CHUNKINGS, fixturesFor, loadFixture, replay } from '../fixtures.ts';

describe('IMAP annotations', () => {
  for (const f of fixturesFor('imap')) {
    it(`${f.name}: every response is explained with a meaning and an RFC reference`, () => {
      const r = replay(f, createImapConsole(), CHUNKINGS[5]);
      for (const x of r) {
        expect(x.kind).toBe('reply');
        expect(x.annotation.meaning.trim().length, x.raw).toBeGreaterThan(15);
        expect(x.annotation.rfc.doc).toMatch(/^RFC \d+$/);
        // Every capability and response code named in the fixtures has an entry.
        for (const d of x.annotation.details ?? []) expect(d.text.length, d.term).toBeGreaterThan(10);
      }
    });
  }

  it('explains codes, capability lists, the missing-tag BAD and the state error', () => {
    const r = replay(loadFixture('dovecot-imap-errors.json'), createImapConsole());
    expect(r[1].annotation.meaning).toMatch(/lacks a tag/);
    expect(r[2].annotation).toMatchObject({
      aboutState: true,
      meaning: expect.stringMatching(/SELECT is not allowed in state "not authenticated"/),
    });
    const s = replay(loadFixture('dovecot-imap-session.json'), createImapConsole());
    const privacy = s.find((x) => x.annotation.title.includes('PRIVACYREQUIRED'))!;
    expect(privacy.annotation.details?.[0].text).toMatch(/STARTTLS/);
    const caps = s.find((x) => x.parsed.kind === 'untagged' && x.parsed.name === 'CAPABILITY')!;
    expect(caps.annotation.details?.map((d) => d.term)).toContain('LOGINDISABLED');
    expect(s.find((x) => x.tree)!.tree!.children!.map((n) => n.label)).toEqual([
      'FLAGS',
      'UID',
      'RFC822.SIZE',
      'ENVELOPE',
      'BODYSTRUCTURE',
    ]);
    expect(s.find((x) => x.command === 'a16 FROB')!.annotation).toMatchObject({
      meaning: expect.stringMatching(/does not know a command called FROB/),
    });
    expect(s.find((x) => x.command === 'a16 FROB')!.annotation.aboutState).toBeUndefined();
    expect(s.filter((x) => x.startTls).map((x) => x.command)).toEqual(['a3 STARTTLS']);
    expect(s.map((x) => x.command ?? '').join('\n')).not.toMatch(/LOGIN alice practice/);
  });

  it('spells out modified UTF-7 mailbox names in LIST, LSUB and STATUS lines (RFC 3501 section 5.1.3)', () => {
    const c = createImapConsole();
    c.sent('a1 LIST "" "*"\r\n');
    const lines = [
      '* LIST (\\HasNoChildren) "/" "~peter/mail/&U,BTFw-/&ZeVnLIqe-"',
      '* LSUB () "/" Entw&APw-rfe',
      '* STATUS &2D3eAA- (MESSAGES 2)',
      '* LIST () "/" A&-B',
      '* LIST () "/" &Jjo!',
      '* LIST () "/" Sent',
      '* LIST () "/" "Q&A \u00fcber"', // raw UTF-8 (UTF8=ACCEPT): "&" is a plain character there
      'a1 OK done',
    ];
    const [rfcExample, lsub, status, amp, broken, plain, utf8] = c.received(
      new TextEncoder().encode(lines.map((l) => `${l}\r\n`).join('')),
    );
    expect(rfcExample.annotation.meaning).toContain('(= "~peter/mail/台北/日本語" in modified UTF-7)');
    expect(rfcExample.annotation.details).toContainEqual(
      expect.objectContaining({
        term: '~peter/mail/&U,BTFw-/&ZeVnLIqe-',
        rfc: expect.objectContaining({ doc: 'RFC 3501', section: '5.1.3' }),
      }),
    );
    expect(lsub.annotation.meaning).toContain('"Entwürfe"');
    expect(status.annotation.meaning).toMatch(
      /^Counters of mailbox &2D3eAA- \(= "😀" in modified UTF-7\): MESSAGES 2\.$/,
    );
    expect(amp.annotation.meaning).toContain('(= "A&B" in modified UTF-7)');
    expect(broken.annotation.meaning).toContain('&Jjo! (not valid modified UTF-7)');
    expect(broken.annotation.details?.at(-1)?.text).toMatch(/MUTF7_UNTERMINATED/);
    for (const r of [plain, utf8]) expect(r.annotation.meaning).not.toMatch(/modified UTF-7/);
    expect(plain.annotation.details ?? []).toEqual([]);
    // A raw UTF-8 name is said to come only after ENABLE UTF8=ACCEPT or IMAP4rev2 (RFC 6855 section 3).
    expect(utf8.annotation.details).toEqual([
      expect.objectContaining({
        text: expect.stringMatching(/only after ENABLE UTF8=ACCEPT .* or ENABLE IMAP4rev2/),
        rfc: expect.objectContaining({ doc: 'RFC 9051', section: '5.1' }),
      }),
    ]);
  });

  it('describes every core response name', () => {
    for (const n of [
      'OK',
      'NO',
      'BAD',
      'BYE',
      'PREAUTH',
      'CAPABILITY',
      'LIST',
      'LSUB',
      'STATUS',
      'SEARCH',
      'FLAGS',
      'EXISTS',
      'RECENT',
      'EXPUNGE',
      'FETCH',
      'ENABLED',
      'ID',
      'NAMESPACE',
    ]) {
      expect(IMAP_RESPONSES[n]?.meaning.length, n).toBeGreaterThan(20);
      expect(IMAP_RESPONSES[n].rfc.section, n).toBeDefined();
    }
    for (const f of Object.keys(IMAP_SYSTEM_FLAGS))
      expect(explainFlag(f.toLowerCase()).meaning).toBe(IMAP_SYSTEM_FLAGS[f]);
  });

  it('has an entry for every registered capability and response code', () => {
    for (const c of IMAP_CAPABILITIES) {
      const name = c.name.endsWith('=') || c.name.endsWith('-') ? `${c.name}X` : c.name;
      expect(explainCapability(name).registered, name).toBe(true);
    }
    for (const c of IMAP_RESPONSE_CODES) expect(explainResponseCode(c.name).registered, c.name).toBe(true);
    for (const c of [
      'UIDVALIDITY',
      'UIDNEXT',
      'PERMANENTFLAGS',
      'CAPABILITY',
      'TRYCREATE',
      'ALERT',
      'READ-WRITE',
      'READ-ONLY',
      'UNSEEN',
      'APPENDUID',
      'COPYUID',
    ]) {
      expect(explainResponseCode(c).meaning).not.toMatch(/registered in|outside/);
    }
    expect(explainCapability('X-GM-EXT-1').registered).toBe(false);
  });
});

describe('IMAP4rev1 and IMAP4rev2 side by side in the console (RFC 9051 Appendix A, E)', () => {
  const replies = (lines: string[], sent: string[]) => {
    const c = createImapConsole();
    const bytes = (text: string) => new TextEncoder().encode(text);
    c.received(bytes('* OK IMAP4rev1 ready\r\n* CAPABILITY IMAP4rev1 IMAP4rev2\r\n')); // the greeting
    for (const s of sent) c.sent(s);
    return c.received(bytes(lines.map((l) => l + '\r\n').join('')));
  };
  const revisionNote = (r: { annotation: { details?: Array<{ term: string; text: string; rfc?: unknown }> } }) =>
    r.annotation.details?.find((d) => /IMAP4rev2/.test(d.term));

  it('says how a rev1 SEARCH, RECENT and \\Recent would look in rev2, citing the section', () => {
    const [search, recent, fetch, ok] = replies(
      ['* SEARCH 2 5', '* 3 RECENT', '* 1 FETCH (FLAGS (\\Seen \\Recent))', 'a1 OK SEARCH completed'],
      ['a1 SEARCH ALL\r\n'],
    );
    expect(revisionNote(search)).toMatchObject({
      term: 'IMAP4rev1 here; IMAP4rev2 differs',
      text: expect.stringMatching(/IMAP4rev2: SEARCH is always answered with ESEARCH/),
      rfc: expect.objectContaining({ doc: 'RFC 9051', section: '6.4.4' }),
    });
    expect(revisionNote(recent)?.text).toMatch(/RECENT response is deprecated/);
    expect(revisionNote(recent)?.rfc).toMatchObject({ section: '6.3.2' });
    expect(revisionNote(fetch)?.rfc).toMatchObject({ section: '2.3.2' });
    expect(revisionNote(ok)?.rfc).toMatchObject({ section: '6.4.4' });
  });

  it('says the session speaks IMAP4rev2 once the server confirmed ENABLE IMAP4rev2, and explains the SELECT differences', () => {
    const [, , select] = replies(
      ['* ENABLED IMAP4rev2', 'a1 OK ENABLE completed', 'a2 OK [READ-WRITE] SELECT completed'],
      ['a1 ENABLE IMAP4rev2\r\n', 'a2 SELECT INBOX\r\n'],
    );
    const notes = select.annotation.details?.filter((d) => /IMAP4rev2/.test(d.term)) ?? [];
    expect(notes.map((d) => d.term)).toEqual(Array(3).fill('IMAP4rev2 (enabled here)'));
    expect(notes.map((d) => d.text).join(' ')).toMatch(
      /also send an untagged LIST.*UNSEEN response code is deprecated/s,
    );
  });

  it('adds nothing to replies that are the same in both revisions', () => {
    const [exists, ok] = replies(['* 4 EXISTS', 'a1 OK NOOP completed'], ['a1 NOOP\r\n']);
    expect(revisionNote(exists)).toBeUndefined();
    expect(revisionNote(ok)).toBeUndefined();
  });
});
