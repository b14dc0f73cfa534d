// The exported scripts of recorded practice sessions run with the real python3 (and curl) against
// the practice server and redo the exchange: the message they send arrives in the mailstore.

import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { startPractice } from '../../../bridge/practice/index.ts';
import type { PracticeServer } from '../../../bridge/practice/types.ts';
import { exportCurl } from '../../../app/src/transcript/export-curl.ts';
import { exportPythonScript } from '../../../app/src/transcript/export-script.ts';
import { EXAMPLES, loadExample } from '../../../app/src/transcript/examples/index.ts';
import type { PracticeTarget } from '../../../app/src/wire/messages.ts';
import { recordImapSession, recordPop3Session, recordSmtpSession } from './sessions.ts';
import { connectRecording, imapContinuationOrTagged, imapGreetingDone, imapTaggedDone } from './wire-client.ts';
import { EPHEMERAL_PORTS } from '../../helpers/practice-ports.ts';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const PASSWORD = 'practice'; // the practice server's default, printed at start

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
/** Runs a program without blocking the event loop (the practice server lives in this process). */
function run(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MAILWIRE_'))) as Record<
    string,
    string
  >;
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: { ...clean, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

async function messagesWithSubject(practice: PracticeServer, user: string, subject: string): Promise<string[]> {
  const inbox = practice.store.forAccount(user).mailbox('INBOX')!;
  const out: string[] = [];
  for (const m of inbox.messages()) {
    const raw = (await inbox.read(m.uid))?.toString('utf8') ?? '';
    if (raw.includes(`Subject: ${subject}\r\n`)) out.push(raw);
  }
  return out;
}

// python3 can take seconds just to start on a loaded machine (pyenv shims): generous timeouts.
describe.skipIf(!has('python3'))(
  'exported Python scripts redo recorded practice sessions (needs python3)',
  { timeout: 180_000 },
  () => {
    let practice: PracticeServer;
    let dataDir: string;
    let work: string;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'mailwire-script-store-'));
      work = mkdtempSync(join(tmpdir(), 'mailwire-script-'));
      practice = await startPractice(practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS }), () => {});
    });
    afterAll(async () => {
      await practice?.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    });

    it('SMTP + IMAP: the scripts of a recorded submission and a recorded IMAP read succeed, and the message arrives again', async () => {
      const subject = `Script ${randomUUID()}`;
      const smtp = await recordSmtpSession(practice, {
        user: 'alice',
        password: PASSWORD,
        from: 'alice@practice.test',
        to: 'bob@practice.test',
        subject,
      });
      const imap = await recordImapSession(practice, { user: 'bob', password: PASSWORD, subject });
      const recorded = await messagesWithSubject(practice, 'bob', subject);
      expect(recorded).toHaveLength(1);

      writeFileSync(join(work, 'smtp.py'), exportPythonScript(smtp, { reveal: true }));
      const sent = await run('python3', ['smtp.py'], work);
      expect(sent.stderr).toBe('');
      expect(sent.code).toBe(0);
      expect(sent.stdout).toContain('AUTH PLAIN: 235 (recorded 235)');
      expect(sent.stdout).toContain('sendmail: 250 (recorded 250)');

      const after = await messagesWithSubject(practice, 'bob', subject);
      expect(after).toHaveLength(2);
      // The same message body arrived, dot line included (un-stuffed by the export, stuffed again by smtplib).
      const body = (raw: string) => raw.slice(raw.indexOf('\r\n\r\n'));
      expect(body(after[1]!)).toBe(body(after[0]!));
      expect(after[1]).toContain('\r\n.this line starts with a dot');

      writeFileSync(join(work, 'imap.py'), exportPythonScript(imap, { reveal: true }));
      const read = await run('python3', ['imap.py'], work);
      expect(read.stderr).toBe('');
      expect(read.code).toBe(0);
      expect(read.stdout).toContain('LOGIN: OK (recorded OK)');
      expect(read.stdout).toMatch(/UID FETCH \d+ \(BODY\.PEEK\[\]\): OK \(recorded OK\)/);
    });

    it('a masked script stops with a clear message until MAILWIRE_PASSWORD is set, then succeeds', async () => {
      const subject = `Masked ${randomUUID()}`;
      const smtp = await recordSmtpSession(practice, {
        user: 'alice',
        password: PASSWORD,
        from: 'alice@practice.test',
        to: 'bob@practice.test',
        subject,
        mechanism: 'LOGIN',
      });
      const script = exportPythonScript(smtp);
      expect(script).not.toMatch(/"practice"/);
      writeFileSync(join(work, 'masked.py'), script);
      const refused = await run('python3', ['masked.py'], work);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('Set MAILWIRE_PASSWORD');
      expect(await messagesWithSubject(practice, 'bob', subject)).toHaveLength(1);

      const wrong = await run('python3', ['masked.py'], work, { MAILWIRE_PASSWORD: 'not-the-password' });
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toMatch(/AUTH LOGIN: the server answered 535, the recording got 235/);

      const ok = await run('python3', ['masked.py'], work, { MAILWIRE_PASSWORD: PASSWORD });
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(await messagesWithSubject(practice, 'bob', subject)).toHaveLength(2);
    });

    it('IMAP APPEND with a literal: the script appends the same message again', async () => {
      const subject = `Append ${randomUUID()}`;
      const ep = practice.endpoints['practice/imaps'];
      const c = await connectRecording({
        protocol: 'imap',
        target: 'practice/imaps',
        host: ep.host,
        port: ep.port,
        implicitTls: true,
        pinnedFingerprint: practice.credentials.fingerprint256,
      });
      await c.reply(imapGreetingDone);
      await c.command(`a1 LOGIN bob ${PASSWORD}`, imapTaggedDone('a1'));
      const message = `From: bob@practice.test\r\nSubject: ${subject}\r\n\r\nA note to self.\r\n`;
      await c.command(`a2 APPEND INBOX (\\Flagged) {${message.length}}`, imapContinuationOrTagged('a2'));
      await c.command(message, imapTaggedDone('a2'));
      await c.command('a3 LOGOUT', imapTaggedDone('a3'));
      const t = await c.close();
      expect(await messagesWithSubject(practice, 'bob', subject)).toHaveLength(1);

      const script = exportPythonScript(t, { reveal: true });
      expect(script).toContain('imap = imaplib.IMAP4_SSL(HOST, PORT, ssl_context=context)');
      writeFileSync(join(work, 'append.py'), script);
      const r = await run('python3', ['append.py'], work);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('APPEND: OK (recorded OK)');
      const after = await messagesWithSubject(practice, 'bob', subject);
      expect(after).toEqual([message, message]);
      const inbox = practice.store.forAccount('bob').mailbox('INBOX')!;
      expect(
        inbox
          .messages()
          .slice(-2)
          .map((m) => m.flags.includes('\\Flagged')),
      ).toEqual([true, true]);
    });

    it('POP3: the script of a recorded session succeeds', async () => {
      const pop3 = await recordPop3Session(practice, { user: 'bob', password: PASSWORD });
      writeFileSync(join(work, 'pop3.py'), exportPythonScript(pop3, { reveal: true }));
      const r = await run('python3', ['pop3.py'], work);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('RETR: +OK (recorded +OK)');
    });

    it('the scripts of the bundled examples run against a live practice server (endpoint given at export)', async () => {
      for (const example of EXAMPLES) {
        const t = loadExample(example.name)!;
        const endpoint = practice.endpoints[t.meta.target as PracticeTarget];
        writeFileSync(join(work, `${example.name}.py`), exportPythonScript(t, { reveal: true, endpoint }));
        const r = await run('python3', [`${example.name}.py`], work);
        expect(r.stderr, example.name).toBe('');
        expect(r.code, example.name).toBe(0);
      }
      expect((await messagesWithSubject(practice, 'bob', 'Lunch on Friday')).length).toBeGreaterThanOrEqual(1);
    });

    describe.skipIf(!has('curl') || !has('bash'))('the curl form (needs curl and bash)', () => {
      it('SMTP: the curl command sends the recorded message over STARTTLS with AUTH', async () => {
        const subject = `Curl ${randomUUID()}`;
        const smtp = await recordSmtpSession(practice, {
          user: 'alice',
          password: PASSWORD,
          from: 'alice@practice.test',
          to: 'bob@practice.test',
          subject,
        });
        const curl = exportCurl(smtp);
        expect(curl.ok).toBe(true);
        if (!curl.ok) return;
        writeFileSync(join(work, 'curl.sh'), curl.command);
        const r = await run('bash', ['curl.sh'], work, { MAILWIRE_USERNAME: 'alice', MAILWIRE_PASSWORD: PASSWORD });
        expect(r.code).toBe(0);
        const arrived = await messagesWithSubject(practice, 'bob', subject);
        expect(arrived).toHaveLength(2);
        expect(arrived[1]!.slice(arrived[1]!.indexOf('\r\n\r\n'))).toBe(
          arrived[0]!.slice(arrived[0]!.indexOf('\r\n\r\n')),
        );
      });
    });
  },
);
