// Trace headers and submission hygiene over real SMTP and IMAP: Python's smtplib sends (relay port
// with HELO and with EHLO, submission with STARTTLS+AUTH, smtps), Python's imaplib FETCHes the header.
// RFC 5321 section 4.4 (Received on every hop, Return-Path at final delivery), RFC 3848 (with ...),
// RFC 9228 (Delivered-To at final delivery, one per copy),
// RFC 6409 section 8 (Date and Message-ID added on submission when missing).
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { has, startTestPractice, type TestPractice } from './helpers.ts';

let t: TestPractice;
beforeAll(async () => {
  t = await startTestPractice();
});
afterAll(async () => {
  await t.stop();
});

function python(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('python3', ['-c', script, ...args], { timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const SEND = `
import smtplib, ssl, sys
mode, port, subject, helo, extra = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
rcpts = sys.argv[6].split(',') if len(sys.argv) > 6 else ['bob@practice.test']
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = smtplib.SMTP_SSL('127.0.0.1', port, context=ctx) if mode == 'smtps' else smtplib.SMTP('127.0.0.1', port)
if helo == 'HELO': s.helo('client.test')
else: s.ehlo('client.test')
if mode == 'submission': s.starttls(context=ctx); s.ehlo('client.test')
if mode != 'relay': s.login('alice', 'practice')
msg = ('From: alice@practice.test\\r\\nTo: bob@practice.test\\r\\nSubject: ' + subject + '\\r\\n' + extra + '\\r\\nhello\\r\\n')
print(s.sendmail('alice@practice.test', rcpts, msg.encode()))
s.quit()
`;

const FETCH = `
import imaplib, ssl, sys
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
m = imaplib.IMAP4_SSL('127.0.0.1', int(sys.argv[1]), ssl_context=ctx)
m.login(sys.argv[3] if len(sys.argv) > 3 else 'bob', 'practice'); m.select('INBOX')
typ, data = m.search(None, 'SUBJECT', sys.argv[2])
n = data[0].split()[-1]
typ, data = m.fetch(n, '(BODY.PEEK[HEADER])')
sys.stdout.write(data[0][1].decode('utf-8'))
m.logout()
`;

async function sendAndFetch(
  mode: 'relay' | 'submission' | 'smtps',
  subject: string,
  helo: 'HELO' | 'EHLO',
  extra = '',
) {
  const port = mode === 'relay' ? t.port('smtp') : t.port(mode);
  const sent = await python(SEND, mode, String(port), subject, helo, extra);
  expect(sent.stderr).toBe('');
  expect(sent.stdout.trim()).toBe('{}');
  const got = await python(FETCH, String(t.server.endpoints['practice/imaps'].port), subject);
  expect(got.stderr).toBe('');
  return got.stdout;
}

/** The header fields in order, unfolded (RFC 5322 section 2.2.3). */
const fields = (header: string) =>
  header
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')
    .filter(Boolean);

const DATE =
  /(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000/;

describe.skipIf(!has('python3'))(
  'trace headers on the practice server (needs python3: smtplib sends, imaplib fetches)',
  { timeout: 60_000 },
  () => {
    it('submission (STARTTLS + AUTH): Return-Path first, Received with ESMTPSA, then Date and Message-ID added', async () => {
      const f = fields(await sendAndFetch('submission', 'trace-submission', 'EHLO'));
      expect(f[0]).toBe('Return-Path: <alice@practice.test>');
      expect(f[1]).toBe('Delivered-To: bob@practice.test');
      expect(f[2]).toMatch(
        new RegExp(
          `^Received: from client\\.test \\(\\[127\\.0\\.0\\.1\\]\\) by mail\\.practice\\.test with ESMTPSA id \\S+ for <bob@practice\\.test>; ${DATE.source}$`,
        ),
      );
      expect(f[3]).toMatch(new RegExp(`^Date: ${DATE.source}$`));
      expect(f[4]).toMatch(/^Message-ID: <[0-9a-f-]{36}@mail\.practice\.test>$/);
      expect(f[5]).toBe('From: alice@practice.test');
      expect(f.filter((l) => /^Received:/.test(l))).toHaveLength(1);
    });

    it('smtps (implicit TLS + AUTH) says ESMTPSA; a Date and Message-ID the client wrote are kept, not doubled', async () => {
      const extra = 'Date: Mon, 30 Nov 2026 10:00:00 +0100\r\nMessage-ID: <mine@client.test>\r\n';
      const f = fields(await sendAndFetch('smtps', 'trace-smtps', 'EHLO', extra));
      expect(f[2]).toMatch(/ with ESMTPSA /);
      expect(f.filter((l) => /^Date:/i.test(l))).toEqual(['Date: Mon, 30 Nov 2026 10:00:00 +0100']);
      expect(f.filter((l) => /^Message-ID:/i.test(l))).toEqual(['Message-ID: <mine@client.test>']);
    });

    it('relay port: ESMTP after EHLO, SMTP after HELO, and no Date or Message-ID added (not a submission port)', async () => {
      const e = fields(await sendAndFetch('relay', 'trace-relay-ehlo', 'EHLO'));
      expect(e[0]).toBe('Return-Path: <alice@practice.test>');
      expect(e[2]).toMatch(/^Received: from client\.test \(\[127\.0\.0\.1\]\) by mail\.practice\.test with ESMTP id /);
      const h = fields(await sendAndFetch('relay', 'trace-relay-helo', 'HELO'));
      expect(h[2]).toMatch(/ with SMTP id /);
      expect(h.some((l) => /^(Date|Message-ID):/i.test(l))).toBe(false);
    });

    it('two recipients: each copy has its own Delivered-To and no other (RFC 9228 section 4), so a Bcc stays hidden', async () => {
      const sent = await python(
        SEND,
        'relay',
        String(t.port('smtp')),
        'trace-two',
        'EHLO',
        '',
        'bob@practice.test,alice@practice.test',
      );
      expect(sent.stderr).toBe('');
      expect(sent.stdout.trim()).toBe('{}');
      const imaps = String(t.server.endpoints['practice/imaps'].port);
      for (const user of ['bob', 'alice']) {
        const got = await python(FETCH, imaps, 'trace-two', user);
        expect(got.stderr).toBe('');
        expect(fields(got.stdout).filter((l) => /^Delivered-To:/i.test(l))).toEqual([
          `Delivered-To: ${user}@practice.test`,
        ]);
      }
    });
  },
);
