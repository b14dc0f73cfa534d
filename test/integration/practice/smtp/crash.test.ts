// Durability: the practice server runs in a child process; we SIGKILL it the moment a 250 to DATA
// arrives, restart on the same data dir, and the message must be there. A message whose DATA was
// still in flight at the kill must not be.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNTS } from '../../../../bridge/practice/defaults.ts';
import { openMailstore } from '../../../../bridge/practice/mailstore.ts';
import type { PracticeEndpoint } from '../../../../bridge/practice/types.ts';
import { RawSmtp, sampleMessage } from './helpers.ts';

const childScript = path.resolve('test/integration/practice/smtp/child-practice.ts');
const children: ChildProcess[] = [];
let dataDir = '';

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function startChild(dir: string): Promise<{ child: ChildProcess; endpoints: Record<string, PracticeEndpoint> }> {
  // Node itself with tsx as a loader (not the tsx launcher, which would leave the server running
  // in a grandchild when we kill the launcher): the PID we SIGKILL is the server's.
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const endpoints = await new Promise<Record<string, PracticeEndpoint>>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl !== -1) resolve(JSON.parse(out.slice(0, nl)));
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before listening: ${err}`)));
  });
  return { child, endpoints };
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

describe('kill -9 right after 250', () => {
  it('keeps every acknowledged message and never stores a cut-off one', { timeout: 60_000 }, async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-crash-'));
    const { child, endpoints } = await startChild(dataDir);
    const c = await RawSmtp.connect(endpoints['practice/smtp'].port);
    await c.reply();
    await c.cmd('EHLO crash.test');

    // Message A in full, then a second transaction whose DATA is still open when the kill lands.
    await c.cmd('MAIL FROM:<alice@practice.test>');
    await c.cmd('RCPT TO:<bob@practice.test>');
    await c.cmd('DATA');
    const full = sampleMessage('bob@practice.test', 'survives-kill', 'acknowledged before the kill');
    const second = await RawSmtp.connect(endpoints['practice/smtp'].port);
    await second.reply();
    await second.cmd('EHLO crash.test');
    await second.cmd('MAIL FROM:<alice@practice.test>');
    await second.cmd('RCPT TO:<bob@practice.test>');
    await second.cmd('DATA');
    second.write(sampleMessage('bob@practice.test', 'cut-by-kill').slice(0, 100));

    c.write(`${full}.\r\n`);
    const reply = await c.reply();
    child.kill('SIGKILL'); // at once: no graceful close, no flush
    expect(reply).toMatch(/^250 /);
    await killed(child);
    expect(child.signalCode).toBe('SIGKILL');
    // Really gone: nothing listens on its port any more.
    await expect(RawSmtp.connect(endpoints['practice/smtp'].port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    c.destroy();
    second.destroy();

    const store = await openMailstore({ dataDir, domain: 'practice.test', accounts: DEFAULT_ACCOUNTS });
    try {
      const inbox = store.forAccount('bob').mailbox('INBOX')!;
      const texts = await Promise.all(inbox.messages().map(async (m) => (await inbox.read(m.uid))!.toString('utf8')));
      // byte-exact after the trace fields the server prepends (Return-Path, Received: RFC 5321 section 4.4)
      expect(
        texts.filter(
          (t) =>
            t.endsWith(`\r\n${full}`) &&
            /^Return-Path: <alice@practice\.test>\r\nDelivered-To: [^\r\n]+\r\nReceived: /.test(t),
        ),
      ).toHaveLength(1);
      expect(texts.some((t) => t.includes('cut-by-kill'))).toBe(false);
    } finally {
      await store.close();
    }

    // And the server itself restarts cleanly on the same data dir and keeps UIDs moving forward.
    const again = await startChild(dataDir);
    const d = await RawSmtp.connect(again.endpoints['practice/smtp'].port);
    expect(await d.reply()).toMatch(/^220 /);
    d.destroy();
    again.child.kill('SIGKILL');
    await killed(again.child);
  });
});
