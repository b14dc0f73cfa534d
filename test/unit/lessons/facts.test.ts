// What the lessons say, read against the RFCs (issue 12). Each fact holds of the lesson text in
// lessons/ and failed on the text before the fix (test/fixtures/lessons-before-issue-12), so each
// test would have caught the error it is named after.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLesson, type Lesson } from '../../../app/src/lessons/index.ts';

const read = (dir: string, id: string): Lesson =>
  parseLesson(`lessons/${id}.md`, readFileSync(fileURLToPath(new URL(`${dir}${id}.md`, import.meta.url)), 'utf8'));
const now = (id: string) => read('../../../lessons/', id);
const before = (id: string) => read('../../fixtures/lessons-before-issue-12/', id);
/** Everything a learner reads of a lesson, hints included, on one line. */
const text = (l: Lesson) => [l.intro, ...l.steps.flatMap((s) => [s.prose, s.hint ?? ''])].join(' ').replace(/\s+/g, ' ');
const conditions = (l: Lesson) => l.steps.flatMap((s) => s.expect.map((e) => e.text));

/** A fact that must hold now and did not hold before the fix. */
function fact(name: string, id: string, holds: (l: Lesson) => boolean): void {
  it(name, () => {
    expect(holds(now(id)), `${id} now`).toBe(true);
    expect(holds(before(id)), `${id} before the fix`).toBe(false);
  });
}

describe('SMTP facts', () => {
  fact('250 after the final dot means the server took responsibility (RFC 5321 section 6.1)', 'smtp-first-conversation', (l) =>
    /taken responsibility/.test(text(l)) && /RFC 5321 section 6\.1/.test(text(l)) && !/stored in the recipient's mailbox/.test(text(l)));
  fact('the envelope is MAIL FROM plus RCPT TO (RFC 5321 section 2.3.1)', 'smtp-first-conversation', (l) =>
    /`MAIL FROM` address and the `RCPT TO` addresses together form the \*envelope\* \(RFC 5321 section 2\.3\.1\)/.test(text(l)));
  fact('a full mailbox is 452 4.2.2, a persistent transient failure (RFC 3463), as Gmail answers', 'smtp-mailbox-full', (l) =>
    conditions(l).includes('code 452') && conditions(l).includes('enhanced 4.2.2') && /persistent transient/.test(text(l)) &&
    /RFC 3463 section 3\.3/.test(text(l)) && /452-4\.2\.2/.test(text(l)) && /RFC 5321 section 4\.5\.3\.1\.10/.test(text(l)));
  fact('AUTH LOGIN is no RFC: an expired draft, OBSOLETE in the IANA SASL registry', 'smtp-auth-login', (l) =>
    /no RFC defines it/.test(text(l)) && /Internet-Draft that expired/.test(text(l)) && /OBSOLETE/.test(text(l)));
  fact('AUTH LOGIN costs three round trips, not two', 'smtp-auth-login', (l) => /three round trips/.test(text(l)) && !/Two round trips/i.test(text(l)));
  fact('STARTTLS protects the password only if the client checks the certificate', 'smtp-starttls', (l) =>
    /only if the client checked the\s+server's certificate/.test(text(l)) && /RFC 3207 section 6/.test(text(l)) && /RFC 8314 section 5\.3/.test(text(l)) &&
    !/nobody on the way reads the password/.test(text(l)));
  fact('implicit TLS protects the password only with a checked certificate too', 'smtp-implicit-tls', (l) => /checked the server's certificate/.test(text(l)));
  fact('8BITMIME and SMTPUTF8 need their MAIL FROM parameters (RFC 6152 section 3, RFC 6531 section 3.4)', 'smtp-ehlo-keywords', (l) =>
    /BODY=8BITMIME/.test(text(l)) && /RFC 6152 section 3/.test(text(l)) && /RFC 6531 section 3\.4/.test(text(l)) &&
    l.steps.some((s) => /BODY=8BITMIME/.test(s.send ?? '')));
  fact('a logged-in user is told what the practice submission port really answers (554 5.7.1)', 'smtp-auth-plain', (l) =>
    !/could now send mail to any domain/.test(text(l)) && l.steps.some((s) => /RCPT TO:<someone@example\.org>/.test(s.send ?? '') && s.expect.some((e) => e.text === 'enhanced 5.7.1')));
  fact('relaying after AUTH: real providers relay, the practice server never does', 'smtp-relaying-refused', (l) =>
    /never passes mail on to another domain, not even\s+after a login/.test(text(l)));
  fact('greylisting keys on the triplet and enforces a minimum delay (RFC 6647, RFC 5321 section 4.5.4.1)', 'smtp-reading-errors', (l) =>
    /client address, sender and recipient/.test(text(l)) && /\*minimum\* delay/.test(text(l)) && /RFC 5321 section 4\.5\.4\.1/.test(text(l)) &&
    !/The pair has now been seen once, so the retry is accepted/.test(text(l)));
  fact('the greylisting step accepts a sender that already passed (code 451|250)', 'smtp-reading-errors', (l) => conditions(l).includes('code 451|250'));
});

describe('IMAP facts', () => {
  fact('no LOGIN step after LOGINDISABLED, and the MUST NOT is taught', 'imap-login-capabilities', (l) =>
    !/never gets checked/.test(text(l)) && /MUST NOT send `LOGIN`/.test(text(l)) && /RFC 9051 and RFC 3501 section 6\.2\.3/.test(text(l)));
  fact('RFC 9051 replaced RFC 3501, said where IMAP starts', 'imap-login-capabilities', (l) => /RFC 9051 \(IMAP4rev2\) replaced it/.test(text(l)));
  fact('STATUS asks about another mailbox than the selected one', 'imap-select', (l) =>
    l.steps.every((s) => !/STATUS INBOX/i.test(s.send ?? '')) && /RFC 9051 section 6\.3\.11/.test(text(l)));
  fact('checks read the learner\'s tag: no tag in a pattern', 'imap-select', (l) => !conditions(l).some((c) => /\^a\d/.test(c)));
  fact('APPEND checks read the learner\'s tag', 'imap-append', (l) => !conditions(l).some((c) => /\^a\d/.test(c)) && conditions(l).includes('imap OK [APPENDUID]'));
  fact('mailbox-name checks read the learner\'s tag', 'imap-mailbox-names', (l) => !conditions(l).some((c) => /\^a\d/.test(c)));
  fact('APPEND cites RFC 9051 beside RFC 3501 (6.3.12 there, continuation 7.6)', 'imap-append', (l) =>
    /section 6\.3\.12\s+of RFC 9051/.test(text(l)) && /RFC 9051 section 7\.6/.test(text(l)));
});
