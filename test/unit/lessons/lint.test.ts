// The lesson lint: every lesson in lessons/ passes it, and each rule fails on the text that had the
// error before issue 12 (test/fixtures/lessons-before-issue-12, the files as they were).
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { citations, lintLesson, lintLessons, loadLessons, parseLesson, RFC_SECTIONS, type Lesson, type LintCode } from '../../../app/src/lessons/index.ts';

function load(dirUrl: string): Lesson[] {
  const dir = fileURLToPath(new URL(dirUrl, import.meta.url));
  const files = Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .map((f) => [`/lessons/${f}`, readFileSync(dir + f, 'utf8')]),
  );
  const { lessons, errors } = loadLessons(files);
  expect(errors).toEqual([]);
  return lessons;
}

const current = load('../../../lessons/');
const before = new Map(load('../../fixtures/lessons-before-issue-12/').map((l) => [l.id, l]));
const codesOf = (id: string) => lintLesson(before.get(id)!).map((p) => `${p.code}@${p.line}`);
const has = (id: string, code: LintCode, line?: number) =>
  expect(codesOf(id), id).toContain(`${code}@${line ?? lintLesson(before.get(id)!).find((p) => p.code === code)?.line}`);

describe('every lesson in lessons/', () => {
  it('passes the lint', () => {
    expect(lintLessons(current).map((p) => `${p.file}:${p.line}: ${p.code} ${p.message}`)).toEqual([]);
  });
});

describe('the lint catches what issue 12 lists, on the text that had it', () => {
  it('EHLO first in a pipelined group (RFC 2920 section 3.1)', () => {
    has('smtp-ehlo-keywords', 'PIPELINING_GROUP', 59);
    has('smtp-mailbox-full', 'PIPELINING_GROUP', 24);
    has('mime-image-attachment', 'PIPELINING_GROUP', 48);
  });

  it('a whole SMTP session with DATA mid-group', () => {
    for (const id of ['imap-search-fetch', 'imap-flags-store-expunge', 'imap-mailbox-names', 'pop3-user-to-quit', 'pop3-stls-uidl-top']) {
      const msgs = lintLesson(before.get(id)!).filter((p) => p.code === 'PIPELINING_GROUP').map((p) => p.message);
      expect(msgs.some((m) => m.startsWith('DATA is command 4 of 6')), id).toBe(true);
      expect(msgs.some((m) => m.startsWith('EHLO is command 1 of 6')), id).toBe(true);
    }
  });

  it('groups without PIPELINING offered, SMTP and POP3', () => {
    has('smtp-reading-errors', 'PIPELINING_NOT_OFFERED', 121);
    has('pop3-user-to-quit', 'PIPELINING_NOT_OFFERED', 167);
    has('pop3-stls-uidl-top', 'PIPELINING_NOT_OFFERED', 109);
  });

  it('LOGIN after LOGINDISABLED (RFC 3501 / RFC 9051 section 6.2.3)', () => {
    has('imap-login-capabilities', 'LOGIN_AFTER_LOGINDISABLED', 44);
  });

  it('STATUS on the selected mailbox (RFC 9051 section 6.3.11)', () => {
    has('imap-select', 'STATUS_ON_SELECTED', 74);
  });

  it('letters without Date: (RFC 5322 section 3.6)', () => {
    has('smtp-first-conversation', 'LETTER_WITHOUT_DATE', 91);
    has('imap-search-fetch', 'LETTER_WITHOUT_DATE', 25);
  });

  it('hard-coded alice and practice.test in hints', () => {
    has('smtp-first-conversation', 'HARD_CODED_ACCOUNT', 45);
    has('smtp-auth-login', 'HARD_CODED_ACCOUNT', 76);
    has('smtp-relaying-refused', 'HARD_CODED_ACCOUNT', 47);
  });

  it('IMAP lessons that cite RFC 3501 alone', () => {
    for (const id of ['imap-login-capabilities', 'imap-append', 'imap-mailbox-names']) has(id, 'OBSOLETE_RFC_ALONE', 1);
  });

  it('patterns a learner would read as a regex', () => {
    has('imap-login-capabilities', 'MATCH_WITHOUT_WORDS');
  });
});

describe('lint rules on small lessons', () => {
  const lesson = (body: string, head = 'target: practice/smtp\nprotocol: smtp') =>
    parseLesson('lessons/t.md', `---\nid: t\ntitle: T\n${head}\nlevel: beginner\nminutes: 5\n---\n\nIntro text long enough.\n\n${body}`);
  const codes = (l: Lesson) => lintLesson(l).map((p) => p.code);
  const greet = '## Hi\n\n```expect\ncode 220\n```\n\n';
  const ehlo = '## Ehlo\n\n```send\nEHLO x\n```\n\n```expect\ncode 250\nmatch /PIPELINING/ "PIPELINING"\n```\n\n';

  it('content may open a group, and QUIT may end one', () => {
    const l = lesson(`${greet}${ehlo}## Env\n\n\`\`\`send\nMAIL FROM:<{address}>\nRCPT TO:<{address}>\nDATA\n\`\`\`\n\n\`\`\`expect\ncode 354\n\`\`\`\n\n## Text\n\n\`\`\`send\nDate: {date}\nSubject: x\n\nhi\n.\nQUIT\n\`\`\`\n\n\`\`\`expect\ncode 221\n\`\`\`\n`);
    expect(codes(l)).toEqual([]);
  });

  it('AUTH and STARTTLS end a group too (RFC 4954 section 4, RFC 3207)', () => {
    const l = lesson(`${greet}${ehlo}## Two\n\n\`\`\`send\nSTARTTLS\nAUTH PLAIN {base64:\\0{user}\\0{password}}\n\`\`\`\n\n\`\`\`expect\ncode 235\n\`\`\`\n`);
    expect(codes(l)).toEqual(['PIPELINING_GROUP']);
  });

  it('AUTH with the initial response of a one-round-trip mechanism may open a group (RFC 4954 section 4)', () => {
    const group = (auth: string) =>
      lintLesson(lesson(`${greet}${ehlo}## Two\n\n\`\`\`send\n${auth}\nMAIL FROM:<{address}>\n\`\`\`\n\n\`\`\`expect\ncode 250\n\`\`\`\n`))
        .filter((p) => p.code === 'PIPELINING_GROUP')
        .map((p) => p.message);
    expect(group('AUTH PLAIN {base64:\\0{user}\\0{password}}')).toEqual([]);
    expect(group('auth external =')).toEqual([]);
    // No initial response: the server answers 334 and waits. LOGIN asks again for the password.
    for (const auth of ['AUTH PLAIN', 'AUTH LOGIN {base64:{user}}']) {
      const msgs = group(auth);
      expect(msgs, auth).toHaveLength(1);
      expect(msgs[0]).toMatch(/^AUTH is command 1 of 2 in this group, but RFC 4954 section 4 lets AUTH only end a group/);
    }
  });

  it('PIPELINING is forgotten after HELO', () => {
    const l = lesson(`${greet}${ehlo}## Helo\n\n\`\`\`send\nHELO x\n\`\`\`\n\n\`\`\`expect\ncode 250\n\`\`\`\n\n## Two\n\n\`\`\`send\nMAIL FROM:<{address}>\nRSET\n\`\`\`\n\n\`\`\`expect\ncode 250\n\`\`\`\n`);
    expect(codes(l)).toEqual(['PIPELINING_NOT_OFFERED']);
  });

  it('LOGIN is fine after STARTTLS, and STATUS on another mailbox', () => {
    const imapGreet = '## Hi\n\n```expect\nmatch /^\\* OK/ "the greeting"\n```\n\n';
    const l = lesson(
      `${imapGreet}## Tls\n\n\`\`\`send\na1 STARTTLS\n\`\`\`\n\n\`\`\`expect\nimap OK\n\`\`\`\n\naction: starttls\n\n## Login\n\n\`\`\`send\na2 LOGIN {user} {password}\na3 SELECT INBOX\na4 STATUS Drafts (UIDNEXT)\na5 STATUS inbox (UIDNEXT)\n\`\`\`\n\n\`\`\`expect\nimap OK\n\`\`\`\n`,
      'target: practice/imap\nprotocol: imap',
    );
    expect(codes(l)).toEqual(['STATUS_ON_SELECTED']);
  });

  it('prose placeholders: {password} and unknown names are flagged, code spans are not', () => {
    const l = lesson(`${greet}## Say\n\nType \`{studio}\` then your {password} and {nobody}; hello {user}.\n\n\`\`\`send\nNOOP\n\`\`\`\n\n\`\`\`expect\ncode 250\n\`\`\`\n`);
    expect(codes(l)).toEqual(['UNFILLED_PLACEHOLDER', 'UNFILLED_PLACEHOLDER']);
  });

  it('RFC citations are checked against the bundled table', () => {
    const l = lesson(`${greet}## Say\n\nSee RFC 5321 section 4.2.9, RFC 5321 section 4.5.3.1.10, RFC 2920 section 3.1 and RFC 99999.\n\n\`\`\`send\nNOOP\n\`\`\`\n\n\`\`\`expect\ncode 250\n\`\`\`\n`);
    const problems = lintLesson(l);
    expect(problems.map((p) => p.code)).toEqual(['UNKNOWN_RFC_SECTION', 'UNKNOWN_RFC']);
    expect(problems[0].message).toMatch(/^RFC 5321 \(Simple Mail Transfer Protocol\) has no section 4\.2\.9; its sections there are 4, 4\.1/);
  });

  it('citations() reads the forms the lessons use', () => {
    expect(citations('RFC 3501 section 6.2.3, RFC 9051 and RFC 3463 sections 3.3')).toEqual([
      { rfc: 3501, section: '6.2.3' },
      { rfc: 9051, section: null },
      { rfc: 3463, section: '3.3' },
    ]);
  });
});

describe('the bundled RFC table', () => {
  it('holds the sections the issue names, with their titles', () => {
    expect(RFC_SECTIONS[2920].sections['3.1']).toBe('Client use of pipelining');
    expect(RFC_SECTIONS[5321].sections['6.1']).toBe('Reliable Delivery and Replies by Email');
    expect(RFC_SECTIONS[5321].sections['2.3.1']).toBe('Mail Objects');
    expect(RFC_SECTIONS[5321].sections['4.5.3.1.10']).toBe('Too Many Recipients Code');
    expect(RFC_SECTIONS[5321].sections['4.5.4.1']).toBe('Sending Strategy');
    expect(RFC_SECTIONS[3501].sections['6.2.3']).toBe('LOGIN Command');
    expect(RFC_SECTIONS[3501].obsoletedBy).toBe(9051);
    expect(RFC_SECTIONS[9051].sections['6.3.11']).toBe('STATUS Command');
    expect(RFC_SECTIONS[9051].sections['7.6']).toBe('Server Responses - Command Continuation Request');
    expect(RFC_SECTIONS[9051].sections['Appendix A.1']).toBe('Mailbox International Naming Convention for Compatibility with IMAP4rev1');
  });
});
