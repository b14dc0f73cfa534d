import { describe, expect, it } from 'vitest';
import { imapTags, replyComplete, retagImapCommands, smtpExpectedReplies, splitReplies } from '../../../app/src/lessons/replies.ts';

describe('replyComplete: SMTP', () => {
  it('waits for the final line of a multi-line reply', () => {
    expect(replyComplete('smtp', ['EHLO x'], '250-mail.practice.test hi\r\n250-PIPELINING\r\n')).toBe(false);
    expect(replyComplete('smtp', ['EHLO x'], '250-mail.practice.test hi\r\n250-PIPELINING\r\n250 8BITMIME')).toBe(false); // no line end yet
    expect(replyComplete('smtp', ['EHLO x'], '250-mail.practice.test hi\r\n250-PIPELINING\r\n250 8BITMIME\r\n')).toBe(true);
  });

  it('a greeting is one reply', () => {
    expect(replyComplete('smtp', [], '220 mail.practice.test ESMTP\r\n')).toBe(true);
    expect(replyComplete('smtp', [], '')).toBe(false);
  });

  it('counts one reply per pipelined command (RFC 2920)', () => {
    const sent = ['MAIL FROM:<a@b>', 'RCPT TO:<c@d>', 'RSET'];
    expect(replyComplete('smtp', sent, '250 2.1.0 ok\r\n250 2.1.5 ok\r\n')).toBe(false);
    expect(replyComplete('smtp', sent, '250 2.1.0 ok\r\n250 2.1.5 ok\r\n250 2.0.0 ok\r\n')).toBe(true);
  });

  it('DATA content gets one reply at its lone dot, whether DATA is in the block or not', () => {
    expect(smtpExpectedReplies(['Subject: x', '', 'body', '.'])).toBe(1);
    expect(smtpExpectedReplies(['MAIL FROM:<a@b>', 'RCPT TO:<c@d>', 'DATA', 'Subject: x', '', 'QUIT is text here', '.', 'QUIT'])).toBe(5);
    expect(smtpExpectedReplies(['DATA'])).toBe(1);
  });

  it('splits replies so the last one is the answer to the last command', () => {
    const r = splitReplies('smtp', ['EHLO x', 'QUIT'], '250-a\r\n250 b\r\n221 2.0.0 Bye\r\n');
    expect(r.replies).toEqual([['250-a', '250 b'], ['221 2.0.0 Bye']]);
    expect(r.complete).toBe(true);
  });
});

describe('replyComplete: IMAP', () => {
  it('completes at the tagged line of the step tag, not at untagged lines', () => {
    expect(replyComplete('imap', ['a2 SELECT INBOX'], '* 3 EXISTS\r\n* 0 RECENT\r\n')).toBe(false);
    expect(replyComplete('imap', ['a2 SELECT INBOX'], '* 3 EXISTS\r\na1 OK old\r\n')).toBe(false);
    expect(replyComplete('imap', ['a2 SELECT INBOX'], '* 3 EXISTS\r\na2 OK [READ-WRITE] done\r\n')).toBe(true);
  });

  it('waits for every tag of a block with several commands', () => {
    const sent = ['a1 LOGIN u p', 'a2 SELECT INBOX'];
    expect(replyComplete('imap', sent, 'a1 OK in\r\n')).toBe(false);
    expect(replyComplete('imap', sent, 'a1 OK in\r\n* 1 EXISTS\r\na2 OK sel\r\n')).toBe(true);
  });

  it('does not mistake a line inside a literal for the tagged completion (RFC 3501 4.3)', () => {
    const body = 'x\r\na5 OK fake\r\n';
    const data = `* 1 FETCH (BODY[TEXT] {${body.length}}\r\n${body})\r\n`;
    expect(replyComplete('imap', ['a5 FETCH 1 BODY[TEXT]'], data)).toBe(false);
    expect(replyComplete('imap', ['a5 FETCH 1 BODY[TEXT]'], `${data}a5 OK done\r\n`)).toBe(true);
    // a literal cut in the middle is not complete either
    expect(replyComplete('imap', ['a5 FETCH 1 BODY[TEXT]'], data.slice(0, 30))).toBe(false);
  });

  it('counts literal octets, not characters', () => {
    const body = 'héllo\r\na5 OK no';
    const octets = new TextEncoder().encode(body).length;
    expect(replyComplete('imap', ['a5 FETCH 1 BODY[TEXT]'], `* 1 FETCH (BODY[TEXT] {${octets}}\r\n${body})\r\na5 OK yes\r\n`)).toBe(true);
  });

  it('reads no tags inside a literal the learner sends (an APPENDed message), counting octets', () => {
    const message = ['From: alice@practice.test', 'Subject: Grüße', '', 'a9 is not a tag here'];
    const octets = new TextEncoder().encode(message.map((l) => `${l}\r\n`).join('')).length;
    const sent = ['a3 APPEND INBOX {' + octets + '+}', ...message, '', 'a4 NOOP'];
    expect(imapTags(sent)).toEqual(['a3', 'a4']);
    expect(replyComplete('imap', sent, 'a3 OK [APPENDUID 1 2] done\r\n')).toBe(false);
    expect(replyComplete('imap', sent, 'a3 OK [APPENDUID 1 2] done\r\na4 OK noop\r\n')).toBe(true);
    // the command goes on after the literal on the same line, and may open another literal
    expect(imapTags(['a5 LOGIN {5}', 'alice {8}', 'practice', 'a6 LOGOUT'])).toEqual(['a5', 'a6']);
  });

  it('retags the commands of a send block for a new ask, leaving literal data alone', () => {
    expect(retagImapCommands(['a3 SEARCH FROM "MAILER-DAEMON"'], 2)).toEqual(['a3.2 SEARCH FROM "MAILER-DAEMON"']);
    const sent = ['a3 APPEND INBOX {32+}', 'Subject: hi', '', 'a9 is not a tag', 'a4 NOOP'];
    expect(retagImapCommands(sent, 1)).toEqual(['a3.1 APPEND INBOX {32+}', 'Subject: hi', '', 'a9 is not a tag', 'a4.1 NOOP']);
    expect(imapTags(retagImapCommands(sent, 1))).toEqual(['a3.1', 'a4.1']);
  });

  it('stops at a continuation request, and a greeting is one line', () => {
    expect(replyComplete('imap', ['a1 AUTHENTICATE PLAIN'], '+ \r\n')).toBe(true);
    expect(replyComplete('imap', [], '* OK [CAPABILITY IMAP4rev1] ready\r\n')).toBe(true);
    expect(replyComplete('imap', [], '* OK [CAPABILITY IMAP4rev1] rea')).toBe(false);
  });
});

describe('replyComplete: POP3', () => {
  it('single-line commands end at the status line', () => {
    expect(replyComplete('pop3', ['USER alice'], '+OK\r\n')).toBe(true);
    expect(replyComplete('pop3', ['STAT'], '+OK 2 320')).toBe(false);
  });

  it('RETR, TOP, CAPA and argument-less LIST/UIDL end at the dot (RFC 1939 3)', () => {
    expect(replyComplete('pop3', ['RETR 1'], '+OK 12 octets\r\nSubject: x\r\n..dot\r\n')).toBe(false);
    expect(replyComplete('pop3', ['RETR 1'], '+OK 12 octets\r\nSubject: x\r\n..dot\r\n.\r\n')).toBe(true);
    expect(replyComplete('pop3', ['LIST'], '+OK\r\n1 100\r\n')).toBe(false);
    expect(replyComplete('pop3', ['LIST 1'], '+OK 1 100\r\n')).toBe(true);
    expect(replyComplete('pop3', ['CAPA'], '+OK\r\nSTLS\r\n.\r\n')).toBe(true);
    expect(replyComplete('pop3', ['UIDL'], '+OK\r\n1 abc\r\n')).toBe(false);
  });

  it('an -ERR to a multi-line command has no body', () => {
    expect(replyComplete('pop3', ['RETR 9'], '-ERR no such message\r\n')).toBe(true);
  });

  it('several commands in one block each need their reply', () => {
    expect(replyComplete('pop3', ['DELE 1', 'RSET'], '+OK marked\r\n')).toBe(false);
    const r = splitReplies('pop3', ['DELE 1', 'RSET'], '+OK marked\r\n+OK reset\r\n');
    expect(r).toEqual({ complete: true, replies: [['+OK marked'], ['+OK reset']] });
  });
});
