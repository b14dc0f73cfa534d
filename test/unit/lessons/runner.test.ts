// The runner's state machine, driven by scripted server bytes (its real run against the practice
// server is in test/integration/lessons/play.test.ts).
import { describe, expect, it } from 'vitest';
import { LessonRunner, RECHECK_EVERY_MS, completeStep, emptyProgress, parseLesson, resumeIndex, type Lesson, type RunnerEffect } from '../../../app/src/lessons/index.ts';

const LESSON = parseLesson(
  'lessons/r.md',
  `---
id: r
title: R
protocol: smtp
target: practice/submission
level: beginner
minutes: 5
scenario: greylist
---
## Greeting
\`\`\`expect
code 220
\`\`\`
## Hello
\`\`\`send
EHLO x
\`\`\`
\`\`\`expect
code 250
\`\`\`
## Upgrade
\`\`\`send
STARTTLS
\`\`\`
\`\`\`expect
code 220
\`\`\`
action: starttls
## Login
\`\`\`send
AUTH PLAIN {base64:\\0{user}\\0{password}}
\`\`\`
\`\`\`expect
code 235
\`\`\`
## Quit
\`\`\`send
QUIT
\`\`\`
\`\`\`expect
code 221
closed
\`\`\`
`,
);
const values = { user: 'alice', password: 'practice', domain: 'practice.test', peer: 'bob', nonce: 'n' };
const enc = (s: string) => new TextEncoder().encode(s);

describe('LessonRunner', () => {
  it('walks a lesson: open with the scenario, check each reply, start TLS, wait for the close', () => {
    const r = new LessonRunner(LESSON, values, emptyProgress());
    expect(r.start()).toEqual([{ type: 'open', target: 'practice/submission', scenario: 'greylist' }]);
    expect(r.state.phase).toBe('connecting');
    r.opened(false);
    expect(r.data(enc('220 mail.practice.test ESMTP\r\n'))).toEqual([]);
    expect(r.state).toMatchObject({ stepIndex: 1, phase: 'ready' });

    expect(r.typeItForMe()).toEqual([{ type: 'send', text: 'EHLO x\r\n' }]);
    expect(r.state.phase).toBe('waiting');
    r.data(enc('250-mail.practice.test\r\n'));
    expect(r.state.phase).toBe('waiting'); // multi-line reply not finished
    r.data(enc('250 STARTTLS\r\n'));
    expect(r.state).toMatchObject({ stepIndex: 2, phase: 'ready' });

    r.typeItForMe();
    expect(r.data(enc('220 2.0.0 Ready to start TLS\r\n'))).toEqual([{ type: 'starttls' }]);
    expect(r.state.phase).toBe('upgrading');
    r.tlsReady();
    expect(r.state).toMatchObject({ stepIndex: 3, phase: 'ready', tlsActive: true });

    expect(r.typeItForMe()).toEqual([{ type: 'send', text: 'AUTH PLAIN AGFsaWNlAHByYWN0aWNl\r\n' }]);
    r.data(enc('235 2.7.0 Authentication successful\r\n'));
    r.typeItForMe();
    r.data(enc('221 2.0.0 Bye\r\n'));
    expect(r.state).toMatchObject({ stepIndex: 4, phase: 'waiting' }); // waits for the close it expects
    r.closed();
    expect(r.state.phase).toBe('done');
    expect(r.state.progress.lessons.r.completed).toEqual(['greeting', 'hello', 'upgrade', 'login', 'quit']);
  });

  it('a wrong reply fails with the explanation; the learner retries by typing', () => {
    const r = new LessonRunner(LESSON, values, emptyProgress());
    r.start();
    r.opened(false);
    r.data(enc('220 hi\r\n'));
    r.sent('MAIL FROM:<a@b>');
    r.data(enc('503 5.5.1 Error: send HELO/EHLO first\r\n'));
    expect(r.state.phase).toBe('failed');
    expect(r.state.result).toMatchObject({ pass: false });
    expect(r.state.result && !r.state.result.pass && r.state.result.message).toContain('Expected 250 but the server answered 503 5.5.1');
    expect(r.state.progress.lessons.r.completed).toEqual(['greeting']);
    r.sent('EHLO x');
    r.data(enc('250 ok\r\n'));
    expect(r.state).toMatchObject({ stepIndex: 2, phase: 'ready', result: null });
  });

  it('IMAP: a step may end on a synchronizing literal; the next sends the octets and waits for that tag', () => {
    const lesson = parseLesson(
      'lessons/a.md',
      `---
id: a
title: A
protocol: imap
target: practice/imaps
level: advanced
minutes: 5
---
## Greeting
\`\`\`expect
match /^\\* OK/
\`\`\`
## Announce
\`\`\`send
a1 APPEND Drafts {{16}}
\`\`\`
\`\`\`expect
match /^\\+/m
\`\`\`
## Octets
\`\`\`send
Subject: x

hi
\`\`\`
\`\`\`expect
imap OK
match /APPENDUID/
\`\`\`
`,
    );
    const r = new LessonRunner(lesson, values, emptyProgress());
    r.start();
    r.opened(true);
    r.data(enc('* OK ready\r\n'));
    r.typeItForMe();
    r.data(enc('+ Ready for literal data\r\n'));
    expect(r.state.stepIndex).toBe(2);
    expect(r.state.phase).toBe('ready');
    const sent = r.typeItForMe();
    expect(sent).toEqual([{ type: 'send', text: 'Subject: x\r\n\r\nhi\r\n' }]);
    // "Subject: x" is literal data, not a command tagged "Subject:"; the reply is a1's.
    r.data(enc('* 3 EXISTS\r\n'));
    expect(r.state.phase).toBe('waiting');
    r.data(enc('a1 OK [APPENDUID 7 3] APPEND completed\r\n'));
    expect(r.state.phase).toBe('done');
  });

  it('timeout checks with what arrived', () => {
    const r = new LessonRunner(LESSON, values, emptyProgress());
    r.start();
    r.opened(false);
    r.timeout();
    expect(r.state.phase).toBe('failed');
    expect(r.state.result && !r.state.result.pass && r.state.result.message).toMatch(/^No reply has arrived yet/);
    // a failed greeting reconnects on retry
    expect(r.retry()).toEqual([{ type: 'close' }, { type: 'open', target: 'practice/submission', scenario: 'greylist' }]);
  });

  it('resumes from stored progress: reconnects and replays the passed steps, then hands over', () => {
    let p = emptyProgress();
    for (let i = 0; i < 4; i++) p = completeStep(p, LESSON, i); // greeting .. login passed
    const r = new LessonRunner(LESSON, values, p);
    const sends: RunnerEffect[] = [];
    sends.push(...r.start());
    r.opened(false);
    sends.push(...r.data(enc('220 hi\r\n')));
    sends.push(...r.data(enc('250 ok\r\n')));
    sends.push(...r.data(enc('220 go\r\n')));
    sends.push(...r.tlsReady());
    sends.push(...r.data(enc('235 ok\r\n')));
    expect(sends.map((e) => (e.type === 'send' ? e.text.split(' ')[0].trim() : e.type))).toEqual(['open', 'EHLO', 'STARTTLS', 'starttls', 'AUTH']);
    expect(r.state).toMatchObject({ stepIndex: 4, phase: 'ready' }); // QUIT is the learner's to type
    expect(r.state.progress).toEqual(p); // replaying does not change progress
  });

  it('a connection closed while the learner is typing offers a reconnect', () => {
    const r = new LessonRunner(LESSON, values, emptyProgress());
    r.start();
    r.opened(false);
    r.data(enc('220 hi\r\n'));
    r.typeItForMe();
    r.data(enc('250 ok\r\n'));
    r.closed();
    expect(r.state.phase).toBe('failed');
    const effects = r.retry();
    expect(effects).toEqual([{ type: 'open', target: 'practice/submission', scenario: 'greylist' }]);
    expect(r.state.replayUntil).toBe(2);
  });

  it('a command step after the server hung up fails with a way to reconnect', () => {
    const r = new LessonRunner(LESSON, values, emptyProgress());
    r.start();
    r.opened(false);
    r.data(enc('220 hi\r\n'));
    r.sent('EHLO x');
    r.data(enc('250 ok\r\n'));
    r.sent('STARTTLS');
    r.closed(); // the server dropped the line instead of answering
    expect(r.state.phase).toBe('failed');
    expect(r.state.result && !r.state.result.pass && r.state.result.message).toMatch(/^The server closed the connection without answering/);
    expect(r.retry()[0]).toMatchObject({ type: 'open' });
    expect(r.state).toMatchObject({ stepIndex: 0, replayUntil: 2, phase: 'connecting' });
  });

  it('typing is ignored outside command steps', () => {
    const r = new LessonRunner(LESSON, values, emptyProgress());
    r.start();
    expect(r.sent('EHLO x')).toEqual([]);
    expect(r.state.phase).toBe('connecting');
  });

  it('a finished lesson starts as done; restart forgets the progress', () => {
    let p = emptyProgress();
    for (let i = 0; i < 5; i++) p = completeStep(p, LESSON, i);
    const r = new LessonRunner(LESSON, values, p);
    expect(r.start()).toEqual([]);
    expect(r.state.phase).toBe('done');
    expect(r.restart()[0]).toMatchObject({ type: 'open' });
    expect(r.state.progress.lessons.r).toBeUndefined();
  });
});

const WAIT_TEXT = `---
id: w
title: W
protocol: imap
target: practice/imaps
level: beginner
minutes: 5
---
## Greeting
\`\`\`expect
match /^\\* OK/ "the greeting"
\`\`\`
## Wait for the bounce
wait: 6
\`\`\`send
a1 SEARCH SUBJECT "{nonce}"
\`\`\`
\`\`\`expect
match /^\\* SEARCH \\d+/m "a message number"
\`\`\`
## Done
\`\`\`send
a2 LOGOUT
\`\`\`
\`\`\`expect
imap OK
\`\`\`
`;
const WAIT_LESSON = parseLesson('lessons/w.md', WAIT_TEXT);

describe('LessonRunner: a wait: step (mail that arrives later)', () => {
  const greeted = () => {
    const r = new LessonRunner(WAIT_LESSON, values, emptyProgress());
    r.start();
    r.opened(true);
    r.data(enc('* OK ready\r\n'));
    expect(r.state.stepIndex).toBe(1);
    return r;
  };

  it('a whole reply without the mail asks again, the same command, until it shows', () => {
    expect(WAIT_LESSON.steps[1].waitSeconds).toBe(6);
    const r = greeted();
    r.typeItForMe();
    expect(r.data(enc('* SEARCH\r\na1 OK done\r\n'))).toEqual([{ type: 'wait', ms: RECHECK_EVERY_MS }]);
    expect(r.state.phase).toBe('awaiting');
    expect(r.state.note).toMatch(/still on its way/);
    // The same command under a new tag (RFC 9051 section 2.2.1: a tag per command).
    expect(r.recheck()).toEqual([{ type: 'send', text: 'a1.1 SEARCH SUBJECT "n"\r\n' }]);
    expect(r.state.phase).toBe('waiting');
    expect(r.state.reply).toBe('');
    expect(r.recheck()).toEqual([]); // only while awaiting: a stray timer does nothing
    // The answer of the first ask (tag a1) does not complete the second one.
    r.data(enc('* SEARCH\r\na1 OK done\r\n'));
    expect(r.state.phase).toBe('waiting');
    r.data(enc('* SEARCH 4\r\n'));
    expect(r.state.phase).toBe('waiting'); // not whole yet: no tagged line
    r.data(enc('a1.1 OK done\r\n'));
    expect(r.state.stepIndex).toBe(2);
    expect(r.state.phase).toBe('ready');
  });

  it('is bounded: after waitSeconds / RECHECK_EVERY_MS asks it fails like any step', () => {
    const r = greeted();
    r.typeItForMe();
    const asks = Math.ceil(6000 / RECHECK_EVERY_MS);
    const tags = ['a1'];
    for (let i = 0; i < asks; i++) {
      expect(r.data(enc(`* SEARCH\r\n${tags[i]} OK done\r\n`))).toEqual([{ type: 'wait', ms: RECHECK_EVERY_MS }]);
      const [ask] = r.recheck();
      tags.push(/^(\S+) SEARCH/.exec((ask as { text: string }).text)![1]!);
    }
    // Every ask had a tag of its own: a1, a1.1, a1.2 ... (never a1.1.1).
    expect(tags).toEqual(['a1', ...Array.from({ length: asks }, (_, i) => `a1.${i + 1}`)]);
    expect(r.data(enc(`* SEARCH\r\n${tags[asks]} OK done\r\n`))).toEqual([]);
    expect(r.state.phase).toBe('failed');
    expect(r.state.result?.pass).toBe(false);
    // Typing the command again starts a new round of asks.
    r.sent('a1 SEARCH SUBJECT "n"');
    expect(r.data(enc('* SEARCH\r\na1 OK done\r\n'))).toEqual([{ type: 'wait', ms: RECHECK_EVERY_MS }]);
  });

  it('a closed connection while awaiting fails with a way to reconnect; a step without wait: fails at once', () => {
    const r = greeted();
    r.typeItForMe();
    r.data(enc('* SEARCH\r\na1 OK done\r\n'));
    r.closed();
    expect(r.state.phase).toBe('failed');
    expect(r.recheck()).toEqual([]);
    const plain = parseLesson('lessons/w.md', WAIT_TEXT.replace('wait: 6\n', ''));
    expect(plain.steps[1].waitSeconds).toBeNull();
  });

  it('the parser refuses wait: outside IMAP command steps and out of range', () => {
    const bad = (body: string) => {
      try {
        parseLesson('lessons/b.md', `---\nid: b\ntitle: B\nprotocol: smtp\ntarget: practice/smtp\nlevel: beginner\nminutes: 5\n---\n${body}`);
        return '';
      } catch (e) {
        return String((e as Error).message);
      }
    };
    expect(bad('## G\n```expect\ncode 220\n```\n## N\nwait: 10\n```send\nNOOP\n```\n```expect\ncode 250\n```\n')).toMatch(/wait:.*IMAP/);
    expect(bad('## G\nwait: 0\n```expect\ncode 220\n```\n')).toMatch(/1 to 300/);
  });
});

describe('resumeIndex', () => {
  const mime: Lesson = parseLesson(
    'lessons/m.md',
    '---\nid: m\ntitle: M\nprotocol: mime\ntarget: practice/smtp\nlevel: advanced\nminutes: 5\n---\n## Build\nstudio: build\n```expect\nmime image/*\n```\n## Connect\n```expect\ncode 220\n```\n## Envelope\n```send\nDATA\n```\n```expect\ncode 354\n```\n## Send\n```send\n{studio}\n.\n```\n```expect\ncode 250\n```\n',
  );
  it('goes back to the greeting of the connection, and to the studio step when its message is lost', () => {
    expect(resumeIndex(mime, 2, true)).toBe(1);
    expect(resumeIndex(mime, 3, true)).toBe(1);
    expect(resumeIndex(mime, 3, false)).toBe(0);
    expect(resumeIndex(mime, 2, false)).toBe(1); // the {studio} step is later: not needed yet
  });
});
