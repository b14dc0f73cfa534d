// The journey of a message with real clients: Python's smtplib submits on 587 (STARTTLS + AUTH) to
// carol@faraway.test; the MTA finds faraway.test's MX through the practice DNS and hands it over;
// imaplib reads it from faraway.test's own IMAP. A missing faraway.test user yields a DSN (RFC 3464)
// in alice's INBOX that Python's email parser reads as multipart/report.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { practiceConfigWithDefaults } from '../../../../bridge/practice/defaults.ts';
import { farawayDomain } from '../../../../bridge/practice/domains/relay.ts';
import { startPractice, type RunningPractice } from '../../../../bridge/practice/index.ts';
import { has } from '../../../helpers/peers.ts';
import { ZERO_PORTS } from '../smtp/helpers.ts';

const python = (script: string, ...args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile('python3', ['-c', script, ...args], { timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

const SEND = `
import smtplib, ssl, sys
port, rcpt, subject = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = smtplib.SMTP('127.0.0.1', port); s.ehlo('client.test'); s.starttls(context=ctx); s.ehlo('client.test')
s.login('alice', 'practice')
msg = 'From: alice@practice.test\\r\\nTo: ' + rcpt + '\\r\\nSubject: ' + subject + '\\r\\n\\r\\nhello\\r\\n'
print(s.sendmail('alice@practice.test', [rcpt], msg.encode())); s.quit()
`;

// Polls the mailbox until a message with the subject arrives; prints its header (or the DSN's structure).
const FETCH = `
import imaplib, ssl, sys, time, email
host, port, user, subject, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
for _ in range(100):
    m = imaplib.IMAP4_SSL(host, port, ssl_context=ctx); m.login(user, 'practice'); m.select('INBOX')
    typ, data = m.search(None, 'FROM', 'MAILER-DAEMON') if mode == 'dsn' else m.search(None, 'TEXT', subject)
    if data[0].split(): break
    m.logout(); time.sleep(0.2)
else:
    sys.exit('not arrived')
n = data[0].split()[-1]
typ, data = m.fetch(n, '(BODY.PEEK[])')
raw = data[0][1]
if mode == 'header': sys.stdout.write(raw.decode('utf-8').split('\\r\\n\\r\\n')[0])
else:
    msg = email.message_from_bytes(raw)
    print(msg.get_content_type(), msg.get_param('report-type'), msg['From'], msg['Return-Path'])
    print('delivered-to', msg.get_all('Delivered-To'))
    for part in msg.walk(): print('part', part.get_content_type())
    status = [p for p in msg.walk() if p.get_content_type() == 'message/delivery-status'][0]
    for block in status.get_payload(): print('field', dict(block.items()))
m.logout()
`;

const skip = has('python3') ? false : 'python3 is not installed';
let practice: RunningPractice;
let dataDir = '';

beforeAll(async () => {
  if (skip) return;
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-mta-'));
  practice = await startPractice(
    practiceConfigWithDefaults({
      dataDir,
      ports: ZERO_PORTS,
      relay: { domains: [farawayDomain({ smtpPort: 0, imapsPort: 0 })], retrySeconds: [1], timeoutMs: 3000 },
    }),
    () => {},
  );
});
afterAll(async () => {
  await practice?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe.skipIf(skip)(
  `relaying between practice domains${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 60_000 },
  () => {
    it('alice -> carol@faraway.test arrives at faraway.test with two Received lines and a Return-Path', async () => {
      const sent = await python(
        SEND,
        String(practice.endpoints['practice/submission'].port),
        'carol@faraway.test',
        'journey-1',
      );
      expect(sent.stderr).toBe('');
      expect(sent.stdout.trim()).toBe('{}');
      const faraway = practice.relay!.domains[0]!;
      const got = await python(FETCH, faraway.imaps.host, String(faraway.imaps.port), 'carol', 'journey-1', 'header');
      expect(got.stderr).toBe('');
      const fields = got.stdout.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
      expect(fields[0]).toBe('Return-Path: <alice@practice.test>');
      expect(fields[1]).toBe('Delivered-To: carol@faraway.test'); // RFC 9228, at final delivery only
      const received = fields.filter((f) => f.startsWith('Received:'));
      expect(received).toHaveLength(2);
      // Newest first: mx1.faraway.test took it from mail.practice.test (over STARTTLS), which took it from the client.
      expect(received[0]).toMatch(
        /^Received: from mail\.practice\.test \(\[127\.0\.0\.1\]\) by mx1\.faraway\.test with ESMTPS /,
      );
      expect(received[1]).toMatch(/by mail\.practice\.test with ESMTPSA .*for <carol@faraway\.test>/);
      expect(practice.relay!.queue()).toEqual([]);
    });

    it('nobody@faraway.test: the remote 550 5.1.1 comes back to alice as a DSN (multipart/report)', async () => {
      const sent = await python(
        SEND,
        String(practice.endpoints['practice/submission'].port),
        'nobody@faraway.test',
        'journey-2',
      );
      expect(sent.stdout.trim()).toBe('{}');
      const imaps = practice.endpoints['practice/imaps'];
      const got = await python(FETCH, imaps.host, String(imaps.port), 'alice', 'journey-2', 'dsn');
      expect(got.stderr).toBe('');
      const lines = got.stdout.trim().split('\n');
      expect(lines[0]).toBe(
        'multipart/report delivery-status Mail Delivery System <MAILER-DAEMON@mail.practice.test> <>',
      );
      // Final delivery into alice's mailbox, like every other: one Delivered-To, hers (RFC 9228 section 4).
      expect(lines[1]).toBe("delivered-to ['alice@practice.test']");
      expect(lines).toContain('part message/delivery-status');
      expect(lines).toContain('part text/rfc822-headers');
      const recipientBlock = lines.find((l) => l.includes('Final-Recipient'))!;
      expect(recipientBlock).toContain("'Final-Recipient': 'rfc822; nobody@faraway.test'");
      expect(recipientBlock).toContain("'Status': '5.1.1'");
      expect(recipientBlock).toContain("'Remote-MTA': 'dns; mx1.faraway.test'");
    });

    it('a recipient outside the practice domains is still refused with 554 relay denied', async () => {
      const sent = await python(
        SEND,
        String(practice.endpoints['practice/submission'].port),
        'someone@example.com',
        'journey-3',
      );
      expect(sent.stderr).toMatch(/554/);
    });
  },
);
