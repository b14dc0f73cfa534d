// Scripted sessions against the practice server, recorded byte for byte. Used by the integration
// tests and by record-examples.ts (which makes the bundled examples from the same real exchanges).

import type { PracticeServer } from '../../../bridge/practice/types.ts';
import type { Transcript } from '../../../app/src/transcript/model.ts';
import {
  connectRecording,
  imapGreetingDone,
  imapTaggedDone,
  pop3LineDone,
  pop3MultiDone,
  smtpReplyDone,
} from './wire-client.ts';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export interface SmtpSessionOptions {
  user: string;
  password: string;
  from: string;
  to: string;
  subject: string;
  /** AUTH PLAIN with an initial response, or AUTH LOGIN answering the 334 challenges. */
  mechanism?: 'PLAIN' | 'LOGIN';
  /** An extra recipient outside the practice domain: the server refuses it (no open relay). */
  refusedRcpt?: string;
}

export function sampleMessage(o: { from: string; to: string; subject: string }): string {
  return (
    [
      `From: Alice <${o.from}>`,
      `To: Bob <${o.to}>`,
      `Subject: ${o.subject}`,
      'Date: Wed, 25 Nov 2026 10:00:00 +0000',
      `Message-ID: <${o.subject.replace(/[^A-Za-z0-9]/g, '')}@practice.test>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello Bob,',
      '.this line starts with a dot, so the client doubles it on the wire (RFC 5321 4.5.2).',
      'Bye.',
    ].join('\r\n') + '\r\n'
  );
}

/** Submission with STARTTLS and AUTH, one message, QUIT. */
export async function recordSmtpSession(practice: PracticeServer, o: SmtpSessionOptions): Promise<Transcript> {
  const ep = practice.endpoints['practice/submission'];
  const c = await connectRecording({
    protocol: 'smtp',
    target: 'practice/submission',
    host: ep.host,
    port: ep.port,
    pinnedFingerprint: practice.credentials.fingerprint256,
    client: 'mailwire test client',
  });
  await c.reply(smtpReplyDone);
  await c.command('EHLO learner.example', smtpReplyDone);
  await c.command('STARTTLS', smtpReplyDone);
  await c.starttls();
  await c.command('EHLO learner.example', smtpReplyDone);
  if (o.mechanism === 'LOGIN') {
    await c.command('AUTH LOGIN', smtpReplyDone);
    await c.command(b64(o.user), smtpReplyDone);
    await c.command(b64(o.password), smtpReplyDone);
  } else {
    await c.command(`AUTH PLAIN ${b64(`\0${o.user}\0${o.password}`)}`, smtpReplyDone);
  }
  await c.command(`MAIL FROM:<${o.from}>`, smtpReplyDone);
  await c.command(`RCPT TO:<${o.to}>`, smtpReplyDone);
  if (o.refusedRcpt) await c.command(`RCPT TO:<${o.refusedRcpt}>`, smtpReplyDone);
  await c.command('DATA', smtpReplyDone);
  const stuffed = sampleMessage(o).replace(/^\./gm, '..');
  c.send(`${stuffed}.\r\n`);
  await c.reply(smtpReplyDone);
  await c.command('QUIT', smtpReplyDone);
  return c.close();
}

/** IMAP with STARTTLS, LOGIN, SELECT, SEARCH, FETCH of one message, LOGOUT. */
export async function recordImapSession(
  practice: PracticeServer,
  o: { user: string; password: string; subject: string },
): Promise<Transcript> {
  const ep = practice.endpoints['practice/imap'];
  const c = await connectRecording({
    protocol: 'imap',
    target: 'practice/imap',
    host: ep.host,
    port: ep.port,
    pinnedFingerprint: practice.credentials.fingerprint256,
  });
  await c.reply(imapGreetingDone);
  await c.command('a1 CAPABILITY', imapTaggedDone('a1'));
  await c.command('a2 STARTTLS', imapTaggedDone('a2'));
  await c.starttls();
  await c.command(`a3 LOGIN ${o.user} "${o.password}"`, imapTaggedDone('a3'));
  await c.command('a4 SELECT INBOX', imapTaggedDone('a4'));
  const search = await c.command(`a5 UID SEARCH SUBJECT "${o.subject}"`, imapTaggedDone('a5'));
  const uid = /\* SEARCH ([\d ]+)/.exec(search)?.[1]?.trim().split(' ')[0] ?? '1';
  await c.command('a6 FETCH 1:* (FLAGS RFC822.SIZE)', imapTaggedDone('a6'));
  await c.command(`a7 UID FETCH ${uid} (BODY.PEEK[])`, imapTaggedDone('a7'));
  await c.command('a8 LOGOUT', imapTaggedDone('a8'));
  return c.close();
}

/** POP3 with STLS, USER/PASS, STAT, LIST, RETR 1, QUIT. */
export async function recordPop3Session(
  practice: PracticeServer,
  o: { user: string; password: string },
): Promise<Transcript> {
  const ep = practice.endpoints['practice/pop3'];
  const c = await connectRecording({
    protocol: 'pop3',
    target: 'practice/pop3',
    host: ep.host,
    port: ep.port,
    pinnedFingerprint: practice.credentials.fingerprint256,
  });
  await c.reply(pop3LineDone);
  await c.command('CAPA', pop3MultiDone);
  await c.command('STLS', pop3LineDone);
  await c.starttls();
  await c.command(`USER ${o.user}`, pop3LineDone);
  await c.command(`PASS ${o.password}`, pop3LineDone);
  await c.command('STAT', pop3LineDone);
  await c.command('LIST', pop3MultiDone);
  await c.command('RETR 1', pop3MultiDone);
  await c.command('QUIT', pop3LineDone);
  return c.close();
}
