// What a learner may rightly type is accepted (issue 12): their own IMAP tag, AUTH PLAIN in two
// steps, AUTH LOGIN with the user name as initial response, HELO where only 250 is asked, a
// greylisted or already-known triplet; and a failed pattern is said in words, not as a regex.
import { describe, expect, it } from 'vitest';
import { LessonRunner, checkReply, emptyProgress, fillProse, hintText, parseLesson, type RunnerEffect } from '../../../app/src/lessons/index.ts';

const values = { user: 'student07', password: 'pw', domain: 'class.test', peer: 'student08', nonce: 'n1' };
const enc = (s: string) => new TextEncoder().encode(s);
const b64 = (s: string) => Buffer.from(s, 'binary').toString('base64');

function lesson(protocol: 'smtp' | 'imap', target: string, body: string) {
  return parseLesson('lessons/t.md', `---\nid: t\ntitle: T\nprotocol: ${protocol}\ntarget: ${target}\nlevel: beginner\nminutes: 1\n---\n## Greeting\n\`\`\`expect\nmatch /./ "a greeting"\n\`\`\`\n${body}`);
}
/** Opens the runner and passes the greeting. */
function started(l: ReturnType<typeof lesson>, greeting: string): LessonRunner {
  const r = new LessonRunner(l, values, emptyProgress());
  r.start();
  r.opened(true);
  r.data(enc(greeting));
  return r;
}
const sends = (effects: RunnerEffect[]) => effects.filter((e) => e.type === 'send').map((e) => (e as { text: string }).text);

describe('IMAP: the learner\'s own tag', () => {
  const l = lesson('imap', 'practice/imaps', '## Examine\n```send\na3 EXAMINE INBOX\n```\n```expect\nimap OK [READ-ONLY]\n```\n## Create\n```send\na4 CREATE x\n```\n```expect\nimap NO|BAD\n```\n');

  it('reads the tag the learner typed, with the response code', () => {
    const s = l.steps[1];
    expect(checkReply(s, { text: '* 1 EXISTS\r\nzz9 OK [READ-ONLY] done\r\n', tlsActive: true, closed: false, sentLines: ['zz9 EXAMINE INBOX'] })).toEqual({ pass: true });
    const wrong = checkReply(s, { text: 'zz9 OK [READ-WRITE] done\r\n', tlsActive: true, closed: false, sentLines: ['zz9 EXAMINE INBOX'] });
    expect(!wrong.pass && wrong.message).toBe('Expected zz9 OK to carry the response code [READ-ONLY], but the server answered "zz9 OK [READ-WRITE] done" with [READ-WRITE] instead.');
  });

  it('takes either status of an alternative', () => {
    const s = l.steps[2];
    for (const st of ['NO', 'BAD']) expect(checkReply(s, { text: `t1 ${st} nope\r\n`, tlsActive: true, closed: false, sentLines: ['t1 CREATE x'] }).pass).toBe(true);
    const ok = checkReply(s, { text: 't1 OK made\r\n', tlsActive: true, closed: false, sentLines: ['t1 CREATE x'] });
    expect(!ok.pass && ok.message).toMatch(/^Expected t1 NO or BAD but the server answered "t1 OK made"/);
  });

  it('a whole run with the learner\'s tags passes', () => {
    const r = started(l, '* OK ready\r\n');
    r.sent('x1 EXAMINE INBOX');
    r.data(enc('x1 OK [READ-ONLY] EXAMINE completed\r\n'));
    expect(r.state.stepIndex).toBe(2);
    r.sent('x2 CREATE x');
    r.data(enc('x2 NO [CANNOT] no\r\n'));
    expect(r.state.phase).toBe('done');
  });
});

describe('SMTP AUTH as a learner may type it', () => {
  const plain = lesson('smtp', 'practice/smtps', '## Login\n```send\nAUTH PLAIN {base64:\\0{user}\\0{password}}\n```\n```expect\ncode 235\n```\n## Quit\n```send\nQUIT\n```\n```expect\ncode 221\n```\n');

  it('AUTH PLAIN alone, then the credentials on the next line (RFC 4954 section 4)', () => {
    const r = started(plain, '220 hi\r\n');
    r.sent('AUTH PLAIN');
    r.data(enc('334 \r\n'));
    // Not a failure: the server asks; the learner may type, and "type it for me" sends only the base64.
    expect(r.state.phase).toBe('ready');
    expect(r.state.result).toBeNull();
    expect(r.state.note).toMatch(/334/);
    expect(sends(r.typeItForMe())).toEqual([`${b64('\0student07\0pw')}\r\n`]);
    expect(r.state.phase).toBe('waiting');
    r.data(enc('235 2.7.0 Authentication successful\r\n'));
    expect(r.state.stepIndex).toBe(2);
  });

  it('the one-line form passes as before', () => {
    const r = started(plain, '220 hi\r\n');
    r.sent(`AUTH PLAIN ${b64('\0student07\0pw')}`);
    r.data(enc('235 2.7.0 ok\r\n'));
    expect(r.state.stepIndex).toBe(2);
  });

  const login = lesson('smtp', 'practice/smtps', '## Start\n```send\nAUTH LOGIN\n```\n```expect\ncode 334\n```\n## User\n```send\n{base64:{user}}\n```\n```expect\ncode 334\n```\n## Password\n```send\n{base64:{password}}\n```\n```expect\ncode 235\n```\n');

  it('AUTH LOGIN with the user name as initial response does the user-name step too', () => {
    const r = started(login, '220 hi\r\n');
    r.sent(`AUTH LOGIN ${b64('student07')}`);
    r.data(enc('334 UGFzc3dvcmQ6\r\n'));
    expect(r.lesson.steps[r.state.stepIndex].title).toBe('Password');
    expect(r.state.progress.lessons.t.completed).toEqual(['greeting', 'start', 'user']);
    r.sent(b64('pw'));
    r.data(enc('235 ok\r\n'));
    expect(r.state.phase).toBe('done');
  });

  it('AUTH LOGIN step by step still walks every step', () => {
    const r = started(login, '220 hi\r\n');
    r.sent('AUTH LOGIN');
    r.data(enc('334 VXNlcm5hbWU6\r\n'));
    expect(r.lesson.steps[r.state.stepIndex].title).toBe('User');
  });
});

describe('SMTP: HELO, enhanced codes, alternatives and words', () => {
  const l = lesson('smtp', 'practice/smtp', '## Hello\n```send\nEHLO client.example\n```\n```expect\ncode 250\n```\n## Mail\n```send\nMAIL FROM:<{address}>\n```\n```expect\ncode 250\nenhanced 2.1.0\n```\n');

  it('HELO passes where only 250 is asked, and then no enhanced code is owed (RFC 2034 section 3)', () => {
    const r = started(l, '220 hi\r\n');
    r.sent('HELO client.example');
    r.data(enc('250 mail.example Hello\r\n'));
    r.sent('MAIL FROM:<student07@class.test>');
    r.data(enc('250 OK\r\n'));
    expect(r.state.phase).toBe('done');
  });

  it('after an EHLO that offered ENHANCEDSTATUSCODES the code is checked', () => {
    const r = started(l, '220 hi\r\n');
    r.sent('EHLO client.example');
    r.data(enc('250-mail.example\r\n250 ENHANCEDSTATUSCODES\r\n'));
    r.sent('MAIL FROM:<student07@class.test>');
    r.data(enc('250 OK\r\n'));
    expect(r.state.phase).toBe('failed');
  });

  it('says in words what a pattern looks for, and that HELO lists no extensions', () => {
    const s = lesson('smtp', 'practice/smtp', '## Hello\n```send\nEHLO client.example\n```\n```expect\nmatch /^250[ -]PIPELINING/m "PIPELINING in the keyword list"\n```\n').steps[1];
    const r = checkReply(s, { text: '250 hi\r\n', tlsActive: false, closed: false, sentLines: ['HELO client.example'] });
    expect(!r.pass && r.message).toBe('Expected the reply to show PIPELINING in the keyword list, but it does not: you sent HELO, whose reply lists no extensions; send EHLO to see them.');
  });

  it('code 451|250 takes either, and names both when neither came', () => {
    const s = lesson('smtp', 'practice/smtp', '## Rcpt\n```send\nRCPT TO:<{peerAddress}>\n```\n```expect\ncode 451|250\n```\n').steps[1];
    expect(checkReply(s, { text: '451 4.7.1 Greylisted\r\n', tlsActive: false, closed: false }).pass).toBe(true);
    expect(checkReply(s, { text: '250 2.1.5 ok\r\n', tlsActive: false, closed: false }).pass).toBe(true);
    const r = checkReply(s, { text: '550 5.1.1 no\r\n', tlsActive: false, closed: false });
    expect(!r.pass && r.message).toMatch(/^Expected 451 or 250 but the server answered 550 5\.1\.1/);
  });
});

describe('hints and prose are filled for the learner', () => {
  it('fills names, base64 of them and the nonce; never the password', () => {
    const hint = "printf '%s' '{user}' | base64 gives {base64:{user}}; {password} stays; run {nonce}";
    expect(hintText({ hint }, values)).toBe(`printf '%s' 'student07' | base64 gives ${b64('student07')}; {password} stays; run n1`);
    expect(hintText({ hint: null }, values)).toBeNull();
    expect(fillProse('{nonce}', { ...values, nonce: '' })).toBe('{nonce}');
  });
});
