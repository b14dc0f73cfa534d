import { describe, expect, it } from 'vitest';
import { LessonParseError, formatLessonError, loadLessons, parseLesson, tryParseLesson, type LessonError } from '../../../app/src/lessons/index.ts';

const FRONT = `---
id: demo
title: Demo lesson
protocol: smtp
target: practice/smtp
level: beginner
minutes: 5
prerequisites: []
---
`;

const GOOD = `${FRONT}
Intro prose.

## Read the greeting

\`\`\`expect
code 220
\`\`\`

## Say hello

Some prose.

\`\`\`send
EHLO client.example
\`\`\`

\`\`\`expect
code 250
match /PIPELINING/i
\`\`\`

\`\`\`hint
Type EHLO.
\`\`\`

## Upgrade

\`\`\`send
STARTTLS
\`\`\`

\`\`\`expect
code 220
\`\`\`

action: starttls

## Connect elsewhere

connect: practice/imaps

\`\`\`expect
imap OK
\`\`\`
`;

/** Parses and returns the errors (the test fails if the file parses). */
function errorsOf(text: string, file = 'lessons/demo.md'): LessonError[] {
  const r = tryParseLesson(file, text);
  if (r.ok) throw new Error('expected the lesson to be rejected');
  return r.errors;
}

describe('parseLesson: a well-formed lesson', () => {
  const lesson = parseLesson('lessons/demo.md', GOOD);

  it('reads the front matter', () => {
    expect(lesson).toMatchObject({ id: 'demo', title: 'Demo lesson', protocol: 'smtp', target: 'practice/smtp', level: 'beginner', minutes: 5, prerequisites: [], scenario: null, intro: 'Intro prose.' });
  });

  it('reads the steps with their kinds, blocks and directives', () => {
    expect(lesson.steps.map((s) => [s.kind, s.id, s.protocol, s.connect])).toEqual([
      ['greeting', 'read-the-greeting', 'smtp', 'practice/smtp'],
      ['command', 'say-hello', 'smtp', null],
      ['command', 'upgrade', 'smtp', null],
      ['greeting', 'connect-elsewhere', 'imap', 'practice/imaps'],
    ]);
    const hello = lesson.steps[1];
    expect(hello.send).toBe('EHLO client.example');
    expect(hello.hint).toBe('Type EHLO.');
    expect(hello.prose).toBe('Some prose.');
    expect(hello.expect.map((e) => e.text)).toEqual(['code 250', 'match /PIPELINING/i']);
    expect(hello.expect[1].condition).toMatchObject({ kind: 'match' });
    expect(lesson.steps[2].action).toBe('starttls');
    expect(lesson.steps[3].line).toBe(GOOD.split('\n').indexOf('## Connect elsewhere') + 1);
  });

  it('keeps DATA content lines, blank line included, in the send text', () => {
    const l = parseLesson('lessons/demo.md', `${FRONT}## G\n\`\`\`expect\ncode 220\n\`\`\`\n## Content\n\`\`\`send\nSubject: hi\n\nbody\n.\n\`\`\`\n\`\`\`expect\ncode 250\n\`\`\`\n`);
    expect(l.steps[1].send).toBe('Subject: hi\n\nbody\n.');
  });

  it('accepts CRLF files, comments and quoted values in front matter', () => {
    const text = GOOD.replace('title: Demo lesson', 'title: "Demo: lesson" # a comment').replace(/\n/g, '\r\n');
    const l = parseLesson('lessons/demo.md', text);
    expect(l.title).toBe('Demo: lesson');
    expect(l.steps).toHaveLength(4);
  });

  it('makes step ids unique when titles repeat', () => {
    const l = parseLesson('lessons/demo.md', `${FRONT}## Hi\n\`\`\`expect\ncode 220\n\`\`\`\n## Hi\n\`\`\`send\nNOOP\n\`\`\`\n\`\`\`expect\ncode 250\n\`\`\`\n`);
    expect(l.steps.map((s) => s.id)).toEqual(['hi', 'hi-2']);
  });
});

describe('parseLesson: errors a teacher can act on', () => {
  it('throws a LessonParseError whose message has file:line: sentence', () => {
    const broken = GOOD.replace('code 250\nmatch', '\nmatch').replace('match /PIPELINING/i', '');
    try {
      parseLesson('lessons/smtp-first.md', broken);
      throw new Error('not thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(LessonParseError);
      const line = broken.split('\n').findIndex((l, i, a) => l === '```expect' && a[i - 1] === '' && a[i + 1] === '') + 1;
      expect((e as Error).message).toBe(`lessons/smtp-first.md:${line}: an expect block needs at least one condition, such as \`code 250\`.`);
    }
  });

  it('missing front matter', () => {
    const [e] = errorsOf('## Step\n');
    expect(e).toMatchObject({ code: 'NO_FRONT_MATTER', line: 1 });
    expect(formatLessonError(e)).toMatch(/^lessons\/demo\.md:1: a lesson starts with front matter: a line `---`/);
  });

  it('front matter never closed', () => {
    const [e] = errorsOf('---\nid: x\ntitle: y\n## Step\n');
    expect(e.code).toBe('UNTERMINATED_FRONT_MATTER');
    expect(e.message).toContain('add a line `---`');
  });

  it('unknown protocol, with the allowed ones', () => {
    const errs = errorsOf(GOOD.replace('protocol: smtp', 'protocol: smtpx'));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ code: 'BAD_FIELD_VALUE', line: 4 });
    expect(errs[0].message).toBe('unknown protocol "smtpx"; use one of smtp, imap, pop3, mime.');
  });

  it('unknown target, level, scenario; bad minutes; missing title; unknown field; duplicate field', () => {
    const text = GOOD.replace('target: practice/smtp', 'target: practice/smtq')
      .replace('level: beginner', 'level: easy')
      .replace('minutes: 5', 'minutes: five\nscenario: slow\ncolour: blue\nid: again')
      .replace('title: Demo lesson\n', '');
    const errs = errorsOf(text);
    const codes = errs.map((e) => `${e.code}@${e.line}`);
    expect(codes).toEqual(expect.arrayContaining(['DUPLICATE_FIELD@9', 'UNKNOWN_FIELD@8', 'MISSING_FIELD@10', 'BAD_FIELD_VALUE@4', 'BAD_FIELD_VALUE@5', 'BAD_FIELD_VALUE@7']));
    const msgs = errs.map((e) => e.message).join('\n');
    expect(msgs).toContain('unknown target "practice/smtq"; use one of practice/smtp, practice/submission');
    expect(msgs).toContain('unknown scenario "slow"; use one of requireTlsForAuth, greylist, mailboxFull.');
    expect(msgs).toContain('`minutes` is a whole number from 1 to 240');
    expect(msgs).toContain('the front matter has no `title:`');
    expect(msgs).toContain('unknown front-matter field `colour`');
    expect(msgs).toContain('`id` is given twice (first on line 2)');
  });

  it('a target that does not speak the lesson protocol', () => {
    const [e] = errorsOf(GOOD.replace('target: practice/smtp', 'target: practice/pop3'));
    expect(e.message).toBe("the target practice/pop3 speaks POP3, but the lesson's protocol is smtp; pick a smtp target such as practice/smtp.");
  });

  it('unknown condition, with the list of valid ones', () => {
    const errs = errorsOf(GOOD.replace('match /PIPELINING/i', 'status 250'));
    expect(errs).toHaveLength(1);
    expect(errs[0].code).toBe('UNKNOWN_CONDITION');
    expect(errs[0].line).toBe(GOOD.split('\n').indexOf('match /PIPELINING/i') + 1);
    expect(errs[0].message).toMatch(/^unknown condition "status"; an expect line is one of: `code 250`, `code 2xx`/);
  });

  it('malformed arguments of known conditions', () => {
    const errs = errorsOf(GOOD.replace('code 250', 'code 25').replace('STARTTLS\n```\n\n```expect\ncode 220', 'STARTTLS\n```\n\n```expect\nenhanced 2.1'));
    expect(errs.map((e) => e.code)).toEqual(['BAD_CONDITION', 'BAD_CONDITION']);
    expect(errs[0].message).toContain('`code` takes a three-digit SMTP reply code such as `code 250`');
    expect(errs[1].message).toContain('`enhanced` takes an enhanced status code such as `enhanced 2.1.0`');
  });

  it('bad regex, and regex without slashes', () => {
    const [a] = errorsOf(GOOD.replace('match /PIPELINING/i', 'match /PIPE(LINING/i'));
    expect(a.code).toBe('BAD_REGEX');
    expect(a.message).toMatch(/^the pattern \/PIPE\(LINING\/i is not a valid regular expression \(.+\); check its brackets and escapes\.$/);
    const [b] = errorsOf(GOOD.replace('match /PIPELINING/i', 'match PIPELINING'));
    expect(b.message).toBe('`match` takes a pattern between slashes and, in quotes, what it looks for in words, such as `match /AUTH .*PLAIN/i "PLAIN among the AUTH mechanisms"`; got "PIPELINING".');
    const [c] = errorsOf(GOOD.replace('match /PIPELINING/i', 'match /PIPELINING/g'));
    expect(c.message).toBe('the pattern flags "g" are not allowed; use only i, m, s or u.');
  });

  it('a condition of another protocol', () => {
    const [e] = errorsOf(GOOD.replace('match /PIPELINING/i', 'imap OK'));
    expect(e.code).toBe('CONDITION_WRONG_PROTOCOL');
    expect(e.message).toBe('`imap OK` cannot be checked on an SMTP step; SMTP replies are checked with `code`, `enhanced`, `match`, `tls` or `closed`.');
  });

  it('unterminated block points at its opening fence', () => {
    const text = `${FRONT}## G\n\`\`\`expect\ncode 220\n\`\`\`\n## Hello\n\`\`\`send\nEHLO x\n`;
    const errs = errorsOf(text);
    const fence = text.split('\n').indexOf('```send') + 1;
    expect(errs[0]).toMatchObject({ code: 'UNTERMINATED_BLOCK', line: fence });
    expect(errs[0].message).toBe('the ```send block opened here is never closed; add a line with three backticks after its last line.');
  });

  it('step without send, and send where none belongs', () => {
    const text = `${FRONT}## Greeting\n\`\`\`send\nEHLO x\n\`\`\`\n\`\`\`expect\ncode 220\n\`\`\`\n## Nothing typed\n\`\`\`expect\ncode 250\n\`\`\`\n`;
    const errs = errorsOf(text);
    expect(errs.map((e) => e.code)).toEqual(['SEND_NOT_ALLOWED', 'STEP_WITHOUT_SEND']);
    expect(errs[0].message).toContain('its reply is the server greeting and it takes no ```send');
    expect(errs[1]).toMatchObject({ line: text.split('\n').indexOf('## Nothing typed') + 1 });
    expect(errs[1].message).toMatch(/^this step has no ```send block; add what the learner types/);
  });

  it('missing expect, duplicate block, unknown fence, bad directive', () => {
    const text = `${FRONT}## G\n\`\`\`expect\ncode 220\n\`\`\`\n## A\n\`\`\`send\nNOOP\n\`\`\`\n\`\`\`send\nNOOP\n\`\`\`\naction: reboot\n## B\n\`\`\`sned\nNOOP\n\`\`\`\nconnect: practice/nowhere\n`;
    const codes = errorsOf(text).map((e) => e.code);
    expect(codes).toEqual(['DUPLICATE_BLOCK', 'BAD_DIRECTIVE', 'MISSING_EXPECT', 'UNKNOWN_BLOCK', 'BAD_DIRECTIVE', 'STEP_WITHOUT_SEND', 'MISSING_EXPECT']);
    const msgs = errorsOf(text).map((e) => e.message);
    expect(msgs[1]).toContain('the only action is `action: starttls`');
    expect(msgs[3]).toBe('```sned is not a lesson block; use ```send, ```expect or ```hint, or ```text for an example shown as prose.');
  });

  it('unknown placeholder, suggesting the valid ones and {{ }} for literals', () => {
    const [e] = errorsOf(GOOD.replace('EHLO client.example', 'MAIL FROM:<{usr}@{domain}>'));
    expect(e.code).toBe('UNKNOWN_PLACEHOLDER');
    expect(e.message).toMatch(/^unknown placeholder \{usr\}; use one of \{user\} \{password\}/);
    const [f] = errorsOf(GOOD.replace('EHLO client.example', 'a1 LOGIN {5}'));
    expect(f.message).toContain('or write {{5}} for a literal such as an IMAP {5}.');
  });

  it('{studio} before any studio step', () => {
    const [e] = errorsOf(GOOD.replace('EHLO client.example', '{studio}'));
    expect(e).toMatchObject({ code: 'BAD_PLACEHOLDER' });
    expect(e.message).toContain('a `studio: build` step must come before this one');
  });

  it('a lesson block before the first step heading', () => {
    const text = `${FRONT}Intro.\n\n\`\`\`send\nEHLO x\n\`\`\`\n## G\n\`\`\`expect\ncode 220\n\`\`\`\n`;
    const [e] = errorsOf(text);
    expect(e).toMatchObject({ code: 'UNKNOWN_BLOCK', line: text.split('\n').indexOf('```send') + 1 });
    expect(e.message).toBe('this ```send block comes before the first step; put a `## Step title` heading above it.');
  });

  it('an info string with extra words after the block name still names the block', () => {
    const l = parseLesson('lessons/demo.md', GOOD.replace('```hint', '```hint  shown on request'));
    expect(l.steps[1].hint).toBe('Type EHLO.');
  });

  it('no steps at all', () => {
    const [e] = errorsOf(`${FRONT}Just prose.\n`);
    expect(e.code).toBe('NO_STEPS');
  });

  it('reports every problem of a file, not only the first', () => {
    const errs = errorsOf(GOOD.replace('code 250', 'cod 250').replace('match /PIPELINING/i', 'match /(/'));
    expect(errs.map((e) => e.code)).toEqual(['UNKNOWN_CONDITION', 'BAD_REGEX']);
  });
});

describe('studio steps', () => {
  const MIME = `---
id: m
title: M
protocol: mime
target: practice/smtp
level: advanced
minutes: 9
---
## Build
studio: build
\`\`\`expect
mime image/*
header Subject
\`\`\`
## Connect
connect: practice/smtp
\`\`\`expect
code 220
\`\`\`
## Send it
\`\`\`send
{studio}
.
\`\`\`
\`\`\`expect
code 250
\`\`\`
`;
  it('parse as studio steps; the next network step opens the connection', () => {
    const l = parseLesson('lessons/m.md', MIME);
    expect(l.steps.map((s) => s.kind)).toEqual(['studio', 'greeting', 'command']);
    expect(l.steps[0]).toMatchObject({ studio: 'build', protocol: null, connect: null });
  });
  it('reject network conditions and send blocks', () => {
    const errs = errorsOf(MIME.replace('header Subject', 'code 250\n```\n```send\nNOOP'), 'lessons/m.md');
    expect(errs.map((e) => e.code)).toEqual(['SEND_NOT_ALLOWED', 'CONDITION_WRONG_PROTOCOL']);
    expect(errs[1].message).toContain('cannot be checked on a studio step (use `mime`, `header`, `match` or `nomatch`)');
  });
  it('mime conditions are refused on network steps', () => {
    const [e] = errorsOf(MIME.replace('code 250', 'mime image/png'), 'lessons/m.md');
    expect(e.code).toBe('CONDITION_WRONG_PROTOCOL');
  });
});

describe('loadLessons: checks across files', () => {
  const withId = (id: string, pre: string) => GOOD.replace('id: demo', `id: ${id}`).replace('prerequisites: []', `prerequisites: [${pre}]`);

  it('duplicate id', () => {
    const { lessons, errors } = loadLessons({ '/lessons/a.md': withId('same', ''), '/lessons/b.md': withId('same', '') });
    expect(lessons.map((l) => l.fileName)).toEqual(['lessons/a.md']);
    expect(errors).toHaveLength(1);
    expect(formatLessonError(errors[0])).toBe('lessons/b.md:2: the id "same" is already used by lessons/a.md; give this lesson another id.');
  });

  it('unknown prerequisite', () => {
    const { errors } = loadLessons({ '/lessons/a.md': withId('a', 'smtp-frist') });
    expect(errors[0]).toMatchObject({ code: 'UNKNOWN_PREREQUISITE', line: 8, file: 'lessons/a.md' });
    expect(errors[0].message).toMatch(/^the prerequisite "smtp-frist" is not the id of any lesson; check its spelling/);
  });

  it('orders prerequisites first, then by file name; broken files are left out with their errors', () => {
    const { lessons, errors } = loadLessons({
      '/lessons/a.md': withId('a', 'c'),
      '/lessons/b.md': withId('b', ''),
      '/lessons/c.md': withId('c', 'b'),
      '/lessons/d.md': 'no front matter',
      '/lessons/README.md': '# Writing a lesson',
    });
    expect(lessons.map((l) => l.id)).toEqual(['b', 'c', 'a']);
    expect(errors.map((e) => `${e.file}:${e.code}`)).toEqual(['lessons/d.md:NO_FRONT_MATTER']);
  });
});
