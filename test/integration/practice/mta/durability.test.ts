// A queued message survives a kill -9 of the server (RFC 5321 section 6.1: the 250 after the dot
// takes responsibility). A child practice process accepts alice -> carol@faraway.test while
// faraway.test's MX hosts are down and is killed with SIGKILL right after the 250; a new process
// on the same data dir, with faraway.test up, delivers it, and imaplib reads it at faraway.test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRACTICE_HOSTS } from '../../../../app/src/protocols/dns/zones.ts';
import { freePort, has } from '../../../helpers/peers.ts';
import { python, submitOne } from './python.ts';

const skip = has('python3') ? false : 'python3 is not installed';
const CHILD = path.join(import.meta.dirname, 'practice-child.ts');

interface Child {
  proc: ChildProcess;
  ports: { submission: number; farawayImaps: { host: string; port: number } | null };
  stderr: () => string;
}
const children: ChildProcess[] = [];
let dataDir = '';
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function startChild(args: { dataDir: string; mxPort: number; serveFaraway: boolean }): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY (.*)$/m.exec(out);
      if (m) resolve({ proc, ports: JSON.parse(m[1]!) as Child['ports'], stderr: () => err });
    });
    proc.once('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) before READY: ${err}`)));
  });
}

const FETCH = String.raw`
import imaplib, ssl, sys, time
host, port, subject = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
for _ in range(150):
    m = imaplib.IMAP4_SSL(host, port, ssl_context=ctx); m.login('carol', 'practice'); m.select('INBOX')
    typ, data = m.search(None, 'SUBJECT', subject)
    if data[0].split(): break
    m.logout(); time.sleep(0.2)
else:
    sys.exit('not arrived')
typ, d = m.fetch(data[0].split()[-1], '(BODY.PEEK[HEADER.FIELDS (SUBJECT RETURN-PATH)])')
sys.stdout.write(d[0][1].decode())
m.logout()
`;

describe.skipIf(skip)(`the queue and kill -9${skip ? ` (skipped: ${skip})` : ''}`, { timeout: 90_000 }, () => {
  it('a message queued while the MX is down survives SIGKILL and is delivered after the restart', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-kill-'));
    const mxPort = await freePort(PRACTICE_HOSTS['mx1.faraway.test']);
    const first = await startChild({ dataDir, mxPort, serveFaraway: false });
    const sent = await submitOne(first.ports.submission, {
      user: 'alice',
      from: 'alice@practice.test',
      to: ['carol@faraway.test'],
      subject: 'kill-9-1',
    });
    expect(sent).toMatchObject({ code: 250 });
    // The 250 came after the queue file was fsynced: kill at once, no chance to flush anything.
    const exited = new Promise((resolve) => first.proc.once('exit', (_code, signal) => resolve(signal)));
    first.proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect((await readdir(path.join(dataDir, 'queue'))).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    // The first process never delivered: faraway.test had no server, so carol has no mailbox yet.
    expect(first.stderr()).not.toContain('"mta.delivered"');

    // A write the kill cut short would sit in tmp/: the next start clears it.
    await writeFile(path.join(dataDir, 'queue', 'tmp', 'HALF.1234'), '{"id":"HALF"');
    const second = await startChild({ dataDir, mxPort, serveFaraway: true });
    expect(await readdir(path.join(dataDir, 'queue', 'tmp'))).toEqual([]);
    const imaps = second.ports.farawayImaps!;
    const got = await python(FETCH, imaps.host, String(imaps.port), 'kill-9-1');
    expect(got.stderr).toBe('');
    expect(got.stdout).toContain('Subject: kill-9-1');
    expect(got.stdout).toContain('Return-Path: <alice@practice.test>');
    expect(second.stderr()).toContain('"mta.resumed"');
    await expect
      .poll(async () => (await readdir(path.join(dataDir, 'queue'))).filter((f) => f.endsWith('.json')))
      .toEqual([]);
    second.proc.kill('SIGTERM');
  });
});
