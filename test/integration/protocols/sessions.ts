// Scripted sessions for the no-gaps test: as many distinct replies of the practice server as a
// client can provoke, on every port of each protocol, recorded byte for byte by the wire client.
import { dotStuff } from '../../../app/src/protocols/common/dot-stuffing.ts';
import type { MailstoreApi } from '../../../bridge/practice/mailstore-types.ts';
import type { Transcript } from '../../../app/src/transcript/model.ts';
import {
  imapContinuationOrTagged,
  imapGreetingDone,
  imapTaggedDone,
  pop3LineDone,
  pop3MultiDone,
  smtpReplyDone,
  type WireClient,
} from '../transcript/wire-client.ts';
import type { PracticeTarget } from '../../../app/src/wire/messages.ts';

/** Opens a recording client to a practice target, as the bridge would dial it. */
export type Dial = (target: PracticeTarget) => Promise<WireClient>;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const PLAIN_OK = b64('\0bob\0practice');
const PLAIN_WRONG = b64('\0bob\0not-the-password');
const PLAIN_OTHER_USER = b64('alice\0bob\0practice');

function message(subject: string, bodyLines = 3): string {
  const body = Array.from({ length: bodyLines }, (_, i) => `line ${i + 1} of a practice message`);
  return (
    [
      `From: alice@practice.test`,
      `To: bob@practice.test`,
      `Subject: ${subject}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      ...body,
      '.starts with a dot',
    ].join('\r\n') + '\r\n'
  );
}
const dotStuffed = (m: string) => new TextDecoder().decode(dotStuff(new TextEncoder().encode(m)));

// ---- SMTP ----

async function smtp(c: WireClient, lines: string[]): Promise<void> {
  for (const line of lines) await c.command(line, smtpReplyDone);
}

export async function smtpSessions(
  dial: { main: Dial; greylist: Dial; full: Dial },
  maxMessage: number,
): Promise<Transcript[]> {
  const out: Transcript[] = [];

  // Relay port: HELO/EHLO, sequence and syntax errors, recipients refused, DATA, size limits, STARTTLS.
  let c = await dial.main('practice/smtp');
  await c.reply(smtpReplyDone);
  await smtp(c, [
    'MAIL FROM:<alice@practice.test>', // 503: EHLO first
    'HELO', // 501
    'HELO client.example',
    'EHLO client.example',
    'NOOP',
    'HELP',
    'VRFY bob',
    'VRFY',
    'FROBNICATE', // 500 5.5.2
    'RCPT TO:<bob@practice.test>', // 503: need MAIL
    'DATA', // 503
    'MAIL FROM:<alice@practice.test>',
    'MAIL FROM:<alice@practice.test>', // 503: nested MAIL
    'RCPT TO:<nobody@practice.test>', // 550 5.1.1
    'RCPT TO:<someone@elsewhere.example>', // 554 5.7.1 relay denied
    'RCPT TO:<bob@practice.test', // 501 syntax
    'RCPT TO:<bob@practice.test>',
    'DATA',
  ]);
  c.send(dotStuffed(message('relay delivery')));
  await c.reply(smtpReplyDone);
  await smtp(c, [
    'RSET',
    `MAIL FROM:<alice@practice.test> SIZE=${maxMessage * 10}`,
    'RSET',
    'AUTH PLAIN ' + PLAIN_OK,
    'STARTTLS',
  ]);
  await c.starttls();
  await smtp(c, [
    'EHLO client.example',
    'STARTTLS',
    'MAIL FROM:<alice@practice.test>',
    'RCPT TO:<bob@practice.test>',
    'DATA',
  ]);
  c.send(dotStuffed(message('too big', Math.ceil((maxMessage * 2) / 30)))); // 552 5.3.4 after the dot
  await c.reply(smtpReplyDone);
  await smtp(c, ['QUIT']);
  out.push(await c.close());

  // A command line over the limit: 421 4.5.0 and the server hangs up.
  c = await dial.main('practice/smtp');
  await c.reply(smtpReplyDone);
  await smtp(c, ['EHLO client.example', `NOOP ${'x'.repeat(3000)}`]);
  out.push(await c.close());

  // Submission: AUTH refused before TLS, auth required, every AUTH outcome, a message.
  c = await dial.main('practice/submission');
  await c.reply(smtpReplyDone);
  await smtp(c, ['EHLO client.example', `AUTH PLAIN ${PLAIN_OK}`, 'MAIL FROM:<bob@practice.test>', 'STARTTLS']);
  await c.starttls();
  await smtp(c, [
    'EHLO client.example',
    'AUTH CRAM-MD5', // 504
    'AUTH LOGIN', // 334 Username:
    '*', // 501 aborted
    'AUTH PLAIN', // 334 (empty challenge)
    PLAIN_WRONG, // 535 5.7.8
    'AUTH LOGIN',
    b64('bob'), // 334 Password:
    b64('practice'), // 235
    `AUTH PLAIN ${PLAIN_OK}`, // 503: already logged in
    'MAIL FROM:<bob@practice.test>',
    'RCPT TO:<alice@practice.test>',
    'DATA',
  ]);
  c.send(dotStuffed(message('submitted')));
  await c.reply(smtpReplyDone);
  await smtp(c, ['QUIT']);
  out.push(await c.close());

  // SMTPS: TLS from the first byte.
  c = await dial.main('practice/smtps');
  await c.reply(smtpReplyDone);
  await smtp(c, [
    'EHLO client.example',
    `AUTH PLAIN ${PLAIN_WRONG}`,
    `AUTH PLAIN ${PLAIN_OK}`,
    'MAIL FROM:<bob@practice.test>',
    'RCPT TO:<bob@practice.test>',
    'DATA',
  ]);
  c.send(dotStuffed(message('over smtps')));
  await c.reply(smtpReplyDone);
  await smtp(c, ['QUIT']);
  out.push(await c.close());

  // Scenarios: greylisting (451 4.7.1, twice: the retry comes before the minimum delay) and a full
  // mailbox (452 4.2.2).
  c = await dial.greylist('practice/smtp');
  await c.reply(smtpReplyDone);
  await smtp(c, [
    'EHLO client.example',
    'MAIL FROM:<alice@practice.test>',
    'RCPT TO:<bob@practice.test>',
    'RCPT TO:<bob@practice.test>',
    'QUIT',
  ]);
  out.push(await c.close());
  c = await dial.full('practice/smtp');
  await c.reply(smtpReplyDone);
  await smtp(c, ['EHLO client.example', 'MAIL FROM:<alice@practice.test>', 'RCPT TO:<bob@practice.test>', 'QUIT']);
  out.push(await c.close());
  return out;
}

// ---- IMAP ----

async function imap(c: WireClient, lines: string[]): Promise<void> {
  for (const line of lines) {
    const tag = line.split(' ')[0]!;
    await c.command(line, imapTaggedDone(tag));
  }
}

/** APPEND with a synchronising literal: the command, the "+" go-ahead, then the message. */
async function append(c: WireClient, tag: string, mailbox: string, msg: string): Promise<void> {
  const first = await c.command(
    `${tag} APPEND ${mailbox} (\\Flagged) {${Buffer.byteLength(msg)}}`,
    imapContinuationOrTagged(tag),
  );
  if (first.startsWith('+')) await c.command(msg, imapTaggedDone(tag)); // command() adds the closing CRLF
}

export async function imapSessions(dial: { main: Dial; full: Dial; store: MailstoreApi }): Promise<Transcript[]> {
  const out: Transcript[] = [];
  let c = await dial.main('practice/imap');
  await c.reply(imapGreetingDone);
  await imap(c, [
    'a1 CAPABILITY',
    'a2 NOOP',
    'a3 ID ("name" "no-gaps test")',
    'a4 LOGIN bob practice',
    'a5 SELECT INBOX',
    'a6 FROBNICATE',
  ]);
  await c.command('untagged-nonsense', (t) => /BAD[^\n]*\r\n$/.test(t));
  await imap(c, ['a7 STARTTLS']);
  await c.starttls();
  await imap(c, ['a8 CAPABILITY', 'a9 AUTHENTICATE CRAM-MD5']);
  await c.command('b1 AUTHENTICATE PLAIN', imapContinuationOrTagged('b1'));
  await c.command(PLAIN_WRONG, imapTaggedDone('b1'));
  await imap(c, [
    `b2 AUTHENTICATE PLAIN ${PLAIN_OTHER_USER}`,
    'b3 LOGIN bob practice',
    'b4 ENABLE CONDSTORE',
    'b5 NAMESPACE',
    'b6 LIST "" "*"',
    'b7 LSUB "" "*"',
    'b8 LIST "" ""',
    'b9 CREATE Archive',
    'c1 CREATE Archive', // NO [ALREADYEXISTS]
    'c2 SUBSCRIBE Archive',
    'c3 SUBSCRIBE Nope', // NO [NONEXISTENT]
    'c4 UNSUBSCRIBE Archive',
    'c5 STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)',
    'c6 STATUS Nope (MESSAGES)',
  ]);
  await append(c, 'c7', 'INBOX', message('appended'));
  const plus = message('literal plus');
  await c.command(`c8 APPEND INBOX {${Buffer.byteLength(plus)}+}\r\n${plus}`, imapTaggedDone('c8'));
  await append(c, 'c9', 'Nope', message('to nowhere')); // NO [TRYCREATE]
  await imap(c, [
    'd2 FETCH 1 FLAGS', // BAD: nothing selected
    'd3 EXAMINE INBOX',
    'd4 STORE 1 +FLAGS (\\Seen)', // NO [READ-ONLY]
    'd6 SELECT INBOX',
    'd7 FETCH 1 (FLAGS UID RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)',
    'd8 FETCH 1:* FAST',
    'd9 UID FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)] BODY.PEEK[TEXT]<0.20>)',
    'e1 FETCH 2 BODY[]',
    'e2 FETCH 1 (BODY RFC822.HEADER)',
    'e3 SEARCH ALL',
    'e4 SEARCH UNSEEN SUBJECT "appended"',
    'e5 UID SEARCH ALL',
    'e6 SEARCH CHARSET KOI8-R ALL', // NO [BADCHARSET]
    'e7 SEARCH FROBNICATE', // BAD
    'e8 STORE 1 +FLAGS (\\Flagged)',
    'e9 STORE 1 -FLAGS.SILENT (\\Flagged)',
    'f1 UID STORE 1 FLAGS (\\Seen)',
    'f2 COPY 1 Archive', // OK [COPYUID]
    'f3 COPY 1 Nope', // NO [TRYCREATE]
    'f4 MOVE 2 Archive', // * OK [COPYUID], * EXPUNGE
    'f5 STORE 1 +FLAGS (\\Deleted)',
    'f6 EXPUNGE',
  ]);
  await c.command('f7 IDLE', imapContinuationOrTagged('f7'));
  await dial.store.deliver(['bob@practice.test'], Buffer.from(message('arrives during IDLE')));
  await c.reply((t) => /\* \d+ RECENT\r\n$/.test(t));
  await c.command('DONE', imapTaggedDone('f7'));
  await imap(c, [
    'f8 CHECK',
    'f9 UID NOOP', // BAD: UID cannot prefix NOOP
    'g1 DELETE INBOX', // NO [CANNOT]
    'g2 RENAME Archive Old',
    'g3 SELECT Old',
    'g4 DELETE Old', // NO [INUSE]
    'g5 UNSELECT',
    'g6 DELETE Old',
    'g7 SELECT Nope', // NO [NONEXISTENT]
    'g8 SELECT INBOX',
    'g9 CLOSE',
    `h1 NOOP ${'x'.repeat(3000)}`, // BAD: line too long
    'h2 LOGOUT', // * BYE
  ]);
  out.push(await c.close());

  // IMAPS: wrong password, SASL-IR login, logout.
  c = await dial.main('practice/imaps');
  await c.reply(imapGreetingDone);
  await imap(c, ['a1 LOGIN bob wrong', `a2 AUTHENTICATE PLAIN ${PLAIN_OK}`, 'a3 STARTTLS']);
  // Refused before the literal is sent (NO [TOOBIG]); last but one, as the console still expects
  // the literal's octets after such a refusal (reported to the console's owner).
  await c.command('a4 APPEND INBOX {999999}', imapTaggedDone('a4'));
  await imap(c, ['a5 LOGOUT']);
  out.push(await c.close());

  // Mailbox full: APPEND is refused before the literal is sent (NO [OVERQUOTA]).
  c = await dial.full('practice/imaps');
  await c.reply(imapGreetingDone);
  await imap(c, ['a1 LOGIN bob practice']);
  await c.command('a2 APPEND INBOX {40}', imapTaggedDone('a2'));
  await imap(c, ['a3 LOGOUT']);
  out.push(await c.close());
  return out;
}

// ---- POP3 ----

const MULTI = /^(CAPA|AUTH|LIST|UIDL|RETR|TOP)$/i;
async function pop3(c: WireClient, lines: string[]): Promise<void> {
  for (const line of lines) {
    const [verb, ...args] = line.split(' ');
    const multi = MULTI.test(verb!) && (/^(CAPA|RETR|TOP)$/i.test(verb!) || args.length === 0);
    await c.command(line, multi ? pop3MultiDone : pop3LineDone);
  }
}

export async function pop3Sessions(dial: { main: Dial; greylist: Dial }): Promise<Transcript[]> {
  const out: Transcript[] = [];
  // STLS port of the server whose scenario refuses logins before TLS: -ERR [AUTH].
  let c = await dial.greylist('practice/pop3');
  await c.reply(pop3LineDone);
  await pop3(c, ['CAPA', 'USER bob', 'AUTH', 'STAT', 'FROBNICATE', 'STLS']);
  await c.starttls();
  await pop3(c, ['CAPA', 'STLS', 'USER bob', 'PASS wrong', 'USER bob', 'PASS practice', 'QUIT']);
  out.push(await c.close());

  // POP3S: every transaction command and its errors, and a second session finding the lock.
  c = await dial.main('practice/pop3s');
  await c.reply(pop3LineDone);
  await pop3(c, [
    'PASS practice',
    'USER',
    'USER bob',
    'PASS practice',
    'STAT',
    'LIST',
    'LIST 1',
    'LIST 99',
    'LIST x',
    'UIDL',
    'UIDL 1',
    'TOP 1 0',
    'TOP 1',
    'RETR 1',
    'DELE 1',
    'RETR 1',
    'DELE 1',
    'RSET',
    'NOOP',
    'NOOP x',
    'STLS',
    'USER bob',
  ]);
  const second = await dial.main('practice/pop3s');
  await second.reply(pop3LineDone);
  await pop3(second, ['USER bob', 'PASS practice', 'QUIT']); // -ERR [IN-USE]
  out.push(await second.close());
  await pop3(c, ['QUIT']);
  out.push(await c.close());

  // SASL PLAIN: success, cancel, unknown mechanism, another user, bad base64.
  c = await dial.main('practice/pop3s');
  await c.reply(pop3LineDone);
  await pop3(c, [
    'AUTH PLAIN',
    '*',
    'AUTH CRAM-MD5',
    `AUTH PLAIN ${PLAIN_OTHER_USER}`,
    'AUTH PLAIN !!!',
    `AUTH PLAIN ${PLAIN_OK}`,
    'QUIT',
  ]);
  out.push(await c.close());
  return out;
}
