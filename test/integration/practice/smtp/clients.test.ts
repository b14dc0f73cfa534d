// Real SMTP clients against the practice server: nodemailer (submission+STARTTLS and smtps), Python's
// smtplib, curl, swaks and openssl s_client. Each message must then be in the recipient's INBOX.
import { execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findBySubject,
  has,
  sampleMessage,
  startTestPractice,
  type TestPractice,
  practiceTransport,
} from './helpers.ts';

let t: TestPractice;
beforeAll(async () => {
  t = await startTestPractice();
});
afterAll(async () => {
  await t.stop();
});

function run(cmd: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

describe('nodemailer', () => {
  it('submission with STARTTLS + AUTH, pinned to the practice certificate', async () => {
    const transport = practiceTransport(t, 'submission', 'alice', 'practice');
    const info = await transport.sendMail({
      from: 'alice@practice.test',
      to: 'bob@practice.test',
      subject: 'nm-submission',
      text: 'hi',
    });
    expect(info.accepted).toEqual(['bob@practice.test']);
    expect(info.response).toMatch(/^250 2\.6\.0/);
    const [raw] = await findBySubject(t, 'bob', 'nm-submission');
    expect(raw.toString()).toContain('From: alice@practice.test');
    transport.close();
  });

  it('smtps (implicit TLS) + AUTH with the address as login', async () => {
    const transport = practiceTransport(t, 'smtps', 'bob@practice.test', 'practice');
    await transport.sendMail({ from: 'bob@practice.test', to: 'alice@practice.test', subject: 'nm-smtps', text: 'hi' });
    expect(await findBySubject(t, 'alice', 'nm-smtps')).toHaveLength(1);
    transport.close();
  });

  it('a wrong password is refused with 535 and nothing is stored', async () => {
    const transport = practiceTransport(t, 'smtps', 'bob', 'nope');
    await expect(
      transport.sendMail({ from: 'bob@practice.test', to: 'alice@practice.test', subject: 'nm-bad', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 535 });
    expect(await findBySubject(t, 'alice', 'nm-bad')).toHaveLength(0);
    transport.close();
  });
});

describe.skipIf(!has('python3'))('Python smtplib (needs python3)', () => {
  it('starttls + login + sendmail on submission', async () => {
    const script = `
import smtplib, ssl, sys
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=10)
s.ehlo()
print('AUTH before TLS:', s.has_extn('auth'))
s.starttls(context=ctx); s.ehlo()
print('AUTH after TLS:', s.esmtp_features.get('auth').strip())
s.login('alice', 'practice')
refused = s.sendmail('alice@practice.test', ['bob@practice.test'], 'Subject: py-smtplib\\r\\n\\r\\nfrom python\\r\\n')
print('refused:', refused)
try:
    s.sendmail('alice@practice.test', ['x@example.com'], 'Subject: py-relay\\r\\n\\r\\nx\\r\\n')
except smtplib.SMTPRecipientsRefused as e:
    print('relay:', e.recipients['x@example.com'][0])
s.quit()
`;
    const r = await run('python3', ['-c', script, String(t.port('submission'))]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('AUTH before TLS: False');
    expect(r.stdout).toContain('AUTH after TLS: PLAIN LOGIN');
    expect(r.stdout).toContain('refused: {}');
    expect(r.stdout).toContain('relay: 554');
    expect(await findBySubject(t, 'bob', 'py-smtplib')).toHaveLength(1);
  });
});

describe.skipIf(!has('curl'))('curl (needs curl)', () => {
  it('smtp:// on the relay port, and --ssl-reqd with login on submission', async () => {
    const file = path.join(t.dataDir, 'curl-mail.eml');
    await writeFile(file, sampleMessage('bob@practice.test', 'curl-relay'));
    const a = await run('curl', [
      '-sS',
      `smtp://127.0.0.1:${t.port('smtp')}`,
      '--mail-from',
      'alice@practice.test',
      '--mail-rcpt',
      'bob@practice.test',
      '-T',
      file,
    ]);
    expect(a.code).toBe(0);
    await writeFile(file, sampleMessage('bob@practice.test', 'curl-submission'));
    const b = await run('curl', [
      '-sS',
      '-k',
      '--ssl-reqd',
      `smtp://127.0.0.1:${t.port('submission')}`,
      '--user',
      'alice:practice',
      '--mail-from',
      'alice@practice.test',
      '--mail-rcpt',
      'bob@practice.test',
      '-T',
      file,
    ]);
    expect(b.code).toBe(0);
    expect(await findBySubject(t, 'bob', 'curl-relay')).toHaveLength(1);
    expect(await findBySubject(t, 'bob', 'curl-submission')).toHaveLength(1);
    // curl reports the relay refusal as a failure (exit 55: failed sending network data)
    const c = await run('curl', [
      '-sS',
      `smtp://127.0.0.1:${t.port('smtp')}`,
      '--mail-from',
      'alice@practice.test',
      '--mail-rcpt',
      'eve@example.com',
      '-T',
      file,
    ]);
    expect(c.code).not.toBe(0);
    expect(c.stderr).toMatch(/554|RCPT failed/);
  });
});

describe.skipIf(!has('swaks'))('swaks (needs swaks)', () => {
  it('STARTTLS + AUTH LOGIN on submission, then AUTH PLAIN on smtps', async () => {
    const a = await run('swaks', [
      '--server',
      `127.0.0.1:${t.port('submission')}`,
      '--to',
      'bob@practice.test',
      '--from',
      'alice@practice.test',
      '-tls',
      '-a',
      'LOGIN',
      '-au',
      'alice',
      '-ap',
      'practice',
      '--header',
      'Subject: swaks-submission',
    ]);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/<~ +250 2\.6\.0/);
    const b = await run('swaks', [
      '--server',
      `127.0.0.1:${t.port('smtps')}`,
      '--to',
      'bob@practice.test',
      '--from',
      'alice@practice.test',
      '--tlsc',
      '-a',
      'PLAIN',
      '-au',
      'alice',
      '-ap',
      'practice',
      '--header',
      'Subject: swaks-smtps',
    ]);
    expect(b.code).toBe(0);
    expect(await findBySubject(t, 'bob', 'swaks-submission')).toHaveLength(1);
    expect(await findBySubject(t, 'bob', 'swaks-smtps')).toHaveLength(1);
  });
});

describe.skipIf(!has('openssl'))('openssl s_client (needs openssl)', () => {
  it('-starttls smtp shows the practice certificate and a working session', async () => {
    const child = spawn(
      'openssl',
      [
        's_client',
        '-connect',
        `127.0.0.1:${t.port('submission')}`,
        '-starttls',
        'smtp',
        '-crlf',
        '-quiet',
        '-servername',
        'mail.practice.test',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const waitFor = async (re: RegExp, from = () => out) => {
      for (let i = 0; i < 200 && !re.test(from()); i++) await new Promise((r) => setTimeout(r, 25));
    };
    await waitFor(/CN ?= ?mail\.practice\.test/, () => err); // handshake done (openssl consumed greeting and STARTTLS)
    child.stdin.write('EHLO openssl.test\n');
    await waitFor(/AUTH PLAIN LOGIN/);
    child.stdin.write(`AUTH PLAIN ${Buffer.from('\0alice\0practice').toString('base64')}\n`);
    await waitFor(/^235 /m);
    child.stdin.write('QUIT\n');
    await new Promise((r) => child.once('close', r));
    expect(err).toMatch(/CN ?= ?mail\.practice\.test/);
    expect(out).toMatch(/^250-AUTH PLAIN LOGIN\r?$/m);
    expect(out).toMatch(/^235 2\.7\.0/m);
    expect(out).toMatch(/^221 /m);
  });
});
