// Every lesson file in lessons/ parses, ids are unique, prerequisites exist, and the topics the
// course promises (issue 6) are all covered.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatLessonError, loadLessons, parseLesson, type Lesson } from '../../../app/src/lessons/index.ts';

const dir = fileURLToPath(new URL('../../../lessons/', import.meta.url));
const names = readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md').sort();
const files = Object.fromEntries(names.map((n) => [`/lessons/${n}`, readFileSync(dir + n, 'utf8')]));
const { lessons, errors } = loadLessons(files);
const byId = new Map(lessons.map((l) => [l.id, l]));

/** All send text of a lesson, upper-cased, to find the commands it teaches. */
const sends = (l: Lesson) => l.steps.map((s) => s.send ?? '').join('\n').toUpperCase();
const conditions = (l: Lesson) => l.steps.flatMap((s) => s.expect.map((e) => e.text)).join('\n');

describe('lesson files', () => {
  it('all parse without errors', () => {
    expect(errors.map(formatLessonError)).toEqual([]);
    expect(lessons).toHaveLength(names.length);
  });

  it('are at least 14, with unique ids matching their file names', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(14);
    expect(new Set(lessons.map((l) => l.id)).size).toBe(lessons.length);
    for (const l of lessons) expect(l.fileName).toBe(`lessons/${l.id}.md`);
  });

  it('name only existing prerequisites, which come earlier in the order', () => {
    const order = lessons.map((l) => l.id);
    for (const l of lessons) for (const p of l.prerequisites) {
      expect(byId.has(p), `${l.id} needs ${p}`).toBe(true);
      expect(order.indexOf(p)).toBeLessThan(order.indexOf(l.id));
    }
  });

  it('every step has prose, and every lesson an intro', () => {
    for (const l of lessons) {
      expect(l.intro.length, l.id).toBeGreaterThan(40);
      for (const s of l.steps) if (s.kind !== 'greeting' || !s.connect) expect(s.prose.length, `${l.id} / ${s.title}`).toBeGreaterThan(0);
    }
  });

  it('cover every topic of the course', () => {
    const find = (pred: (l: Lesson) => boolean, topic: string) => {
      const hit = lessons.find(pred);
      expect(hit, topic).toBeDefined();
      return hit!;
    };
    const first = find((l) => l.target === 'practice/smtp' && ['EHLO', 'MAIL FROM', 'RCPT TO', 'DATA', 'QUIT'].every((c) => sends(l).includes(c)) && l.steps.some((s) => (s.send ?? '').split('\n').includes('.')), 'first SMTP conversation with the lone dot');
    expect(first.level).toBe('beginner');
    find((l) => /PIPELINING/.test(conditions(l)) && /8BITMIME/.test(conditions(l)) && /BODY=8BITMIME/.test(sends(l)), "EHLO's keywords");
    find((l) => l.target === 'practice/smtp' && /RCPT TO:<[^>]*@EXAMPLE\.ORG>/.test(sends(l)) && /code 5xx/.test(conditions(l)), 'relaying refused');
    find((l) => l.target === 'practice/submission' && l.steps.some((s) => s.action === 'starttls') && /STRIPTLS/.test(l.steps.map((s) => s.prose).join(' ')), 'STARTTLS and STRIPTLS');
    find((l) => /AUTH PLAIN \{BASE64:\\0\{USER\}\\0\{PASSWORD\}\}/.test(sends(l)) && /code 235/.test(conditions(l)), 'AUTH PLAIN from base64');
    find((l) => /AUTH LOGIN/.test(sends(l)) && /code 334/.test(conditions(l)), 'AUTH LOGIN');
    find((l) => l.target === 'practice/smtps' && l.steps.some((s) => s.connect === 'practice/submission'), 'implicit TLS 465 versus STARTTLS 587');
    find((l) => l.scenario === 'greylist' && /code 451/.test(conditions(l)) && /code 5\d\d/.test(conditions(l)) && /enhanced/.test(conditions(l)), 'reading errors and greylisting');
    find((l) => l.target === 'practice/imap' && /LOGINDISABLED/.test(conditions(l)) && l.steps.some((s) => s.action === 'starttls'), 'IMAP login and capabilities');
    find((l) => ['EXISTS', 'RECENT', '[UIDVALIDITY]', '[UIDNEXT]'].every((n) => conditions(l).includes(`untagged ${n}`)), 'SELECT');
    find((l) => /SEARCH/.test(sends(l)) && ['FLAGS', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY.PEEK['].every((w) => sends(l).includes(w)), 'SEARCH and FETCH');
    find((l) => /STORE/.test(sends(l)) && /EXPUNGE/.test(sends(l)) && /untagged EXPUNGE/.test(conditions(l)), 'flags, STORE and EXPUNGE');
    find((l) => l.protocol === 'pop3' && ['USER', 'PASS', 'STAT', 'LIST', 'RETR', 'QUIT'].every((c) => sends(l).includes(c)) && /IMAP/.test(l.intro + l.steps.map((s) => s.prose).join(' ')), 'POP3 from USER to QUIT versus IMAP');
    find((l) => l.protocol === 'mime' && l.steps.some((s) => s.kind === 'studio' && s.expect.some((e) => e.text === 'mime image/*')) && /\{STUDIO\}/.test(sends(l)) && /BODYSTRUCTURE/.test(sends(l)), 'MIME image built in the studio and read back');
  });

  it('use each protocol and level, and keep prose short enough to project', () => {
    expect(new Set(lessons.map((l) => l.protocol))).toEqual(new Set(['smtp', 'imap', 'pop3', 'mime']));
    expect(new Set(lessons.map((l) => l.level))).toEqual(new Set(['beginner', 'intermediate', 'advanced']));
    for (const l of lessons) for (const s of l.steps) expect(s.prose.length, `${l.id} / ${s.title}`).toBeLessThan(900);
  });
});

describe('lessons/README.md', () => {
  const readme = readFileSync(`${dir}README.md`, 'utf8');

  it('its example lesson parses as documented', () => {
    const example = /````markdown\n([\s\S]*?)\n````/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const l = parseLesson('lessons/smtp-say-hello.md', example!);
    expect(l.steps.map((s) => s.kind)).toEqual(['greeting', 'command']);
    expect(l.steps[1].hint).toBe('Type EHLO, a space, and any host name.');
  });

  it('documents every condition and placeholder the parser knows', async () => {
    const { CONDITION_EXAMPLES } = await import('../../../app/src/lessons/conditions.ts');
    const { SIMPLE_PLACEHOLDERS } = await import('../../../app/src/lessons/placeholders.ts');
    for (const c of CONDITION_EXAMPLES) expect(readme, c).toContain(c.split(' ')[0]);
    for (const p of SIMPLE_PLACEHOLDERS) expect(readme, p).toContain(`{${p}}`);
  });
});
