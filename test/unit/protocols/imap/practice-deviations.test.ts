import { describe, expect, it } from 'vitest';
import { createImapConsole } from '../../../../app/src/protocols/imap/index.ts';
import { PRACTICE_DEVIATIONS } from '../../../../app/src/protocols/imap/practice-deviations.ts';
import { RFC_SECTIONS } from '../../../../app/src/lessons/rfc-sections.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

/** The annotation details of the tagged reply to `command` (after a greeting and an optional ENABLE). */
function tagged(command: string, reply: string, enable?: string) {
  const c = createImapConsole();
  c.received(bytes('* OK ready\r\n'));
  if (enable) {
    c.sent(`e1 ENABLE ${enable}\r\n`);
    c.received(bytes(`* ENABLED ${enable}\r\ne1 OK done\r\n`));
  }
  c.sent(`${command}\r\n`);
  const replies = c.received(bytes(`${reply}\r\n`));
  return replies.at(-1)!.annotation.details ?? [];
}
const terms = (details: Array<{ term: string }>) => details.map((d) => d.term).filter((t) => /Practice server/.test(t));

describe('where the practice server differs from Dovecot on purpose, the console says so (issue 16, point 4)', () => {
  it('cites an RFC section that exists for every row', () => {
    for (const d of PRACTICE_DEVIATIONS) {
      const n = Number(/^RFC (\d+)$/.exec(d.rfc.doc)![1]);
      expect(RFC_SECTIONS[n]?.sections[d.rfc.section!], d.id).toBeDefined();
    }
  });

  it('8-bit SEARCH text without CHARSET: both servers read it as UTF-8, looser than RFC 3501 6.4.4', () => {
    const d = tagged('a2 SEARCH SUBJECT "Grüße"', 'a2 OK SEARCH completed');
    expect(terms(d)).toEqual(['Practice server and Dovecot: looser than the RFC']);
    expect(d.find((x) => /looser/.test(x.term))?.rfc).toMatchObject({ doc: 'RFC 3501', section: '6.4.4' });
    // Not with CHARSET, not with ASCII text, not once UTF-8 is enabled, and not when it failed.
    expect(terms(tagged('a2 SEARCH CHARSET UTF-8 SUBJECT "Grüße"', 'a2 OK done'))).toEqual([]);
    expect(terms(tagged('a2 UID SEARCH RETURN (ALL) CHARSET UTF-8 SUBJECT "Grüße"', 'a2 OK done'))).toEqual([]);
    expect(terms(tagged('a2 SEARCH SUBJECT "hello"', 'a2 OK done'))).toEqual([]);
    expect(terms(tagged('a2 SEARCH SUBJECT "Grüße"', 'a2 OK done', 'UTF8=ACCEPT'))).toEqual([]);
    expect(terms(tagged('a2 SEARCH SUBJECT "Grüße"', 'a2 BAD no'))).toEqual([]);
  });

  it('BINARY.SIZE with a partial and BINARY[HEADER] answered BAD: stricter than Dovecot (RFC 3516 section 7)', () => {
    expect(terms(tagged('a3 FETCH 1 (BINARY.SIZE[1]<0.10>)', 'a3 BAD no'))).toEqual([
      'Practice server: stricter than Dovecot, on purpose',
    ]);
    expect(terms(tagged('a3 UID FETCH 1 BINARY.PEEK[HEADER]', 'a3 BAD no'))).toEqual([
      'Practice server: stricter than Dovecot, on purpose',
    ]);
    expect(terms(tagged('a3 FETCH 1 BINARY.PEEK[1.2]', 'a3 OK done'))).toEqual([]);
  });

  it('APPEND with an 8-bit header before ENABLE UTF8=ACCEPT answered NO: stricter than Dovecot 2.3 (RFC 6855 section 4)', () => {
    const refused = 'a4 NO The message has 8-bit characters in its header fields; send ENABLE UTF8=ACCEPT first.';
    const d = tagged('a4 APPEND INBOX {45+}', refused);
    expect(terms(d)).toEqual(['Practice server: stricter than Dovecot, on purpose']);
    expect(d.find((x) => /stricter/.test(x.term))?.rfc).toMatchObject({ doc: 'RFC 6855', section: '4' });
    expect(terms(tagged('a4 APPEND INBOX {45+}', 'a4 NO [TRYCREATE] no such mailbox'))).toEqual([]);
  });
});
