import { describe, expect, it } from 'vitest';
import { checkReply, contentTypes, expectsClose, parseLesson, type Step } from '../../../app/src/lessons/index.ts';

/** A one-lesson file with the given step blocks after a greeting step; returns that step. */
function step(protocol: 'smtp' | 'imap' | 'pop3', send: string, expectLines: string): Step {
  const target = { smtp: 'practice/smtp', imap: 'practice/imap', pop3: 'practice/pop3' }[protocol];
  const text = `---\nid: t\ntitle: T\nprotocol: ${protocol}\ntarget: ${target}\nlevel: beginner\nminutes: 1\n---\n## Greeting\n\`\`\`expect\nmatch /./\n\`\`\`\n## Step\n\`\`\`send\n${send}\n\`\`\`\n\`\`\`expect\n${expectLines}\n\`\`\`\n`;
  return parseLesson('lessons/t.md', text).steps[1];
}
const reply = (text: string, extra: Partial<{ tlsActive: boolean; closed: boolean }> = {}) => ({ text, tlsActive: false, closed: false, ...extra });

describe('checkReply: SMTP', () => {
  const mail = step('smtp', 'MAIL FROM:<alice@practice.test>', 'code 250\nenhanced 2.1.0');

  it('passes a matching reply', () => {
    expect(checkReply(mail, reply('250 2.1.0 Accepted\r\n'))).toEqual({ pass: true });
  });

  it('explains a wrong code with what it means', () => {
    const r = checkReply(mail, reply('503 5.5.1 Error: send HELO/EHLO first\r\n'));
    expect(r.pass).toBe(false);
    if (r.pass) return;
    // One wrong reply is one mistake: code and enhanced code are explained together, once.
    expect(r.failures.map((f) => f.condition)).toEqual(['code 250, enhanced 2.1.0']);
    expect(r.message).toBe(
      'Expected 250 2.1.0 but the server answered 503 5.5.1: that means a command came in the wrong order or is unknown here — did you send EHLO first, and MAIL before RCPT?',
    );
  });

  it('keeps code and enhanced apart when only one of them fails', () => {
    const r = checkReply(mail, reply('250 2.1.5 Accepted\r\n'));
    expect(r.pass).toBe(false);
    if (r.pass) return;
    expect(r.failures.map((f) => f.condition)).toEqual(['enhanced 2.1.0']);
    expect(r.message).toContain('Expected the enhanced status code 2.1.0 but the server answered 250 2.1.5');
  });

  it('says the enhanced code is missing rather than merging when the reply has none', () => {
    const r = checkReply(mail, reply('503 Bad sequence of commands\r\n'));
    expect(r.pass).toBe(false);
    if (r.pass) return;
    expect(r.failures.map((f) => f.condition)).toEqual(['code 250', 'enhanced 2.1.0']);
    expect(r.failures[1]!.message).toContain('has none');
  });

  it('x in a code pattern matches any digit', () => {
    const s = step('smtp', 'RCPT TO:<x@example.org>', 'code 5xx\nenhanced 5.x.x');
    expect(checkReply(s, reply('550 5.7.1 Relay denied\r\n')).pass).toBe(true);
    const r = checkReply(s, reply('250 2.1.5 Accepted\r\n'));
    expect(r.pass).toBe(false);
    if (!r.pass) expect(r.failures[0].message).toBe('Expected 5xx 5.x.x but the server answered 250 2.1.5: that means the command was accepted.');
  });

  it('code looks at the reply to the last command of a pipelined block', () => {
    const s = step('smtp', 'MAIL FROM:<a@b.c>\nRCPT TO:<d@e.f>', 'code 250');
    expect(checkReply(s, reply('250 2.1.0 ok\r\n550 5.1.1 unknown\r\n')).pass).toBe(false);
    expect(checkReply(s, reply('550 5.1.1 unknown\r\n250 2.1.5 ok\r\n')).pass).toBe(true);
  });

  it('match and nomatch look at the whole reply', () => {
    const s = step('smtp', 'EHLO x', 'match /^250-/m\nnomatch /STARTTLS/');
    expect(checkReply(s, reply('250-mail hi\r\n250 PIPELINING\r\n')).pass).toBe(true);
    const r = checkReply(s, reply('250-mail hi\r\n250 STARTTLS\r\n'));
    expect(r.pass).toBe(false);
    if (!r.pass) expect(r.message).toBe('Expected the reply not to show the pattern /STARTTLS/, but it does: "STARTTLS".');
  });

  it('says when nothing came, or the server hung up', () => {
    const r = checkReply(mail, reply(''));
    expect(!r.pass && r.message).toMatch(/^No reply has arrived yet/);
    const c = checkReply(mail, reply('', { closed: true }));
    expect(!c.pass && c.message).toMatch(/^The server closed the connection without answering/);
  });

  it('tls and closed flags', () => {
    const s = step('smtp', 'QUIT', 'code 221\nclosed\ntls active');
    expect(expectsClose(s)).toBe(true);
    expect(checkReply(s, reply('221 2.0.0 Bye\r\n', { closed: true, tlsActive: true })).pass).toBe(true);
    const r = checkReply(s, reply('221 2.0.0 Bye\r\n'));
    expect(!r.pass && r.failures.map((f) => f.message)).toEqual([
      'Expected the server to close the connection, but it is still open.',
      'Expected the connection to be encrypted with TLS, but it is still plain text — run STARTTLS (or STLS) and wait for its go-ahead first.',
    ]);
  });
});

describe('checkReply: IMAP', () => {
  const select = step('imap', 'a2 SELECT INBOX', 'imap OK\nuntagged EXISTS\nuntagged [UIDNEXT]');
  const good = '* FLAGS (\\Seen)\r\n* 2 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 7] v\r\n* OK [UIDNEXT 3] n\r\na2 OK [READ-WRITE] done\r\n';

  it('passes on the tagged OK of the step tag with the untagged data', () => {
    expect(checkReply(select, reply(good))).toEqual({ pass: true });
  });

  it('explains NO and BAD', () => {
    const r = checkReply(select, reply('a2 BAD not authenticated\r\n'));
    expect(r.pass).toBe(false);
    if (r.pass) return;
    expect(r.failures[0].message).toMatch(/^Expected a2 OK but the server answered "a2 BAD not authenticated": BAD means the server could not parse the command, or it is not allowed in this state/);
    expect(r.failures[1].message).toBe('Expected an untagged * EXISTS line, but none came.');
    expect(r.failures[2].message).toBe('Expected an untagged response code [UIDNEXT] line, but none came.');
  });

  it('uses the tag the learner really typed when sentLines is given', () => {
    const typed = { ...reply('* 2 EXISTS\r\n* OK [UIDNEXT 3] n\r\nA001 OK done\r\n'), sentLines: ['A001 SELECT INBOX'] };
    expect(checkReply(select, typed)).toEqual({ pass: true });
    const r = checkReply(select, { ...typed, text: '* 2 EXISTS\r\n* OK [UIDNEXT 3] n\r\nA001 NO nope\r\n' });
    expect(!r.pass && r.message).toMatch(/^Expected A001 OK but the server answered "A001 NO nope": NO means/);
  });

  it('ignores tagged lines of other tags', () => {
    const r = checkReply(select, reply('a1 OK earlier\r\n'));
    expect(!r.pass && r.failures[0].message).toBe('Expected your command tagged a2 to finish with OK, but no line starting with a2 came back.');
  });

  it('untagged NAME matches numbered and plain responses only at the start of an untagged line', () => {
    const s = step('imap', 'a1 CAPABILITY', 'untagged CAPABILITY');
    expect(checkReply(s, reply('* CAPABILITY IMAP4rev1\r\na1 OK\r\n')).pass).toBe(true);
    expect(checkReply(s, reply('a1 OK [CAPABILITY IMAP4rev1] done\r\n')).pass).toBe(false);
  });
});

describe('checkReply: POP3', () => {
  it('checks the status of the last command', () => {
    const s = step('pop3', 'DELE 1\nRSET', 'pop3 +OK');
    expect(checkReply(s, reply('+OK marked\r\n+OK reset\r\n')).pass).toBe(true);
    const r = checkReply(s, reply('+OK marked\r\n-ERR no\r\n'));
    expect(!r.pass && r.message).toBe('Expected +OK but the server answered "-ERR no": the server refused the command (wrong order, wrong password, no such message, or TLS needed first).');
  });

  it('a RETR body line that looks like a status is not the status', () => {
    const s = step('pop3', 'RETR 1', 'pop3 +OK\nmatch /^Subject:/mi');
    expect(checkReply(s, reply('+OK\r\nSubject: x\r\n\r\n-ERR in the body\r\n.\r\n')).pass).toBe(true);
  });
});

describe('checkReply: studio steps', () => {
  const lesson = parseLesson(
    'lessons/m.md',
    '---\nid: m\ntitle: M\nprotocol: mime\ntarget: practice/smtp\nlevel: advanced\nminutes: 5\n---\n## Build\nstudio: build\n```expect\nheader Subject\nmime multipart/mixed\nmime image/*\n```\n',
  );
  const s = lesson.steps[0];
  const message = [
    'From: a@practice.test',
    'Subject: pic',
    'Content-Type: multipart/mixed;',
    ' boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'hi',
    '--b1',
    'Content-Type: image/png; name="p.png"',
    'Content-Transfer-Encoding: base64',
    '',
    'iVBORw0KGgo=',
    '--b1--',
  ].join('\r\n');

  it('finds every content type, folded headers included', () => {
    expect(contentTypes(message)).toEqual(['multipart/mixed', 'text/plain', 'image/png']);
  });

  it('passes a message with an image part, fails one without', () => {
    expect(checkReply(s, reply(message))).toEqual({ pass: true });
    const r = checkReply(s, reply('From: a@b\r\nSubject: x\r\n\r\nplain\r\n'));
    expect(!r.pass && r.failures.map((f) => f.message)).toEqual([
      'Expected the message to have a multipart/mixed part, but its parts are: none (no Content-Type at all, so plain text). Add it in the MIME studio.',
      'Expected the message to have a image/* part, but its parts are: none (no Content-Type at all, so plain text). Add it in the MIME studio.',
    ]);
  });

  it('header looks only at the top-level header block', () => {
    const r = checkReply(s, reply(message.replace('Subject: pic\r\n', '') + '\r\nSubject: in body'));
    expect(!r.pass && r.message).toBe('Expected the message to have a Subject: header, but it has none. Fill it in in the MIME studio.');
  });
});
