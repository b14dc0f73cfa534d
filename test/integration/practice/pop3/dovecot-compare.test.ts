// The same scripted POP3 session against Dovecot's pop3 and against ours: the status of every step
// (+OK / -ERR) must agree, and RETR/TOP must send the same bytes for the same stored message.
// Dovecot runs as a private instance: config, Maildir and sockets in a temp dir, loopback port,
// its output redirected to a file, stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST, RawClient, startFixture, type Pop3Fixture } from './harness.ts';
import { freePort } from '../../../helpers/peers.ts';

const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p));
const IS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

const MESSAGES = [
  'From: bob@practice.test\r\nTo: alice@practice.test\r\nSubject: first\r\n\r\nHello Alice.\r\n.a line with a dot\r\n.\r\nbye\r\n',
  'From: bob@practice.test\r\nTo: alice@practice.test\r\nSubject: second\r\n\r\nline 1\r\nline 2\r\nline 3\r\n',
];

/** [command, multi-line on +OK]; the same script for both servers. */
const SCRIPT: Array<[string, boolean]> = [
  ['CAPA', true],
  ['STAT', false],
  ['PASS practice', false],
  ['USER alice', false],
  ['PASS wrong', false],
  ['USER alice', false],
  ['PASS practice', false],
  ['STAT', false],
  ['LIST', true],
  ['LIST 2', false],
  ['LIST 99', false],
  ['RETR 1', true],
  ['TOP 2 1', true],
  ['TOP 2', false],
  ['UIDL', true],
  ['UIDL 1', false],
  ['DELE 1', false],
  ['DELE 1', false],
  ['RETR 1', false],
  ['LIST 1', false],
  ['RSET', false],
  ['RETR 1', true],
  ['NOOP', false],
  ['USER alice', false],
  ['RETR abc', false],
  ['XYZZY', false],
  ['DELE 2', false],
  ['QUIT', false],
];

interface Step {
  command: string;
  status: string;
  text: string;
  body?: Buffer;
}

async function runScript(port: number): Promise<Step[]> {
  const c = await RawClient.connect(port);
  const greeting = await c.line();
  const steps: Step[] = [{ command: '(greeting)', status: greeting.split(' ')[0], text: greeting }];
  for (const [command, multi] of SCRIPT) {
    const line = await c.cmd(command);
    const status = line.split(' ')[0];
    const step: Step = { command, status, text: line };
    if (multi && status === '+OK') step.body = await c.body();
    steps.push(step);
  }
  c.destroy();
  return steps;
}

async function waitForGreeting(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const c = await RawClient.connect(port);
      await c.line(2000);
      c.destroy();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe.skipIf(!DOVECOT || !IS_ROOT)('POP3 replies compared with Dovecot (needs dovecot and root)', () => {
  let fx: Pop3Fixture;
  let dir: string;
  let dovecot: ChildProcess | undefined;
  let dovecotPort: number;

  beforeAll(async () => {
    fx = await startFixture();
    // Our store: replace the welcome message by the script's messages.
    const inbox = fx.store.forAccount('alice').mailbox('INBOX')!;
    await inbox.expunge(inbox.messages().map((m) => m.uid));
    for (const m of MESSAGES) await fx.store.forAccount('alice').append('INBOX', Buffer.from(m));

    dir = await mkdtemp(path.join(tmpdir(), 'dovecot-pop3-'));
    await chmod(dir, 0o755);
    const maildir = path.join(dir, 'mail', 'alice');
    for (const sub of ['new', 'cur', 'tmp']) await mkdir(path.join(maildir, sub), { recursive: true });
    for (const [i, m] of MESSAGES.entries())
      await writeFile(path.join(maildir, 'new', `${1000 + i}.M${i}P1.practice`), m);
    for (const p of [path.join(dir, 'mail'), maildir, ...['new', 'cur', 'tmp'].map((s) => path.join(maildir, s))])
      await chown(p, NOBODY, NOBODY);
    for (const [i] of MESSAGES.entries())
      await chown(path.join(maildir, 'new', `${1000 + i}.M${i}P1.practice`), NOBODY, NOBODY);
    await writeFile(path.join(dir, 'passwd'), 'alice:{PLAIN}practice::::::\n');
    await writeFile(path.join(dir, 'cert.pem'), fx.credentials.cert);
    await writeFile(path.join(dir, 'key.pem'), fx.credentials.key, { mode: 0o600 });
    dovecotPort = await freePort();
    const conf = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = pop3
listen = ${HOST}
ssl = yes
ssl_cert = <${dir}/cert.pem
ssl_key = <${dir}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain
auth_failure_delay = 0
mail_location = maildir:${dir}/mail/%u
first_valid_uid = ${NOBODY}
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${NOBODY} gid=${NOBODY} home=${dir}/mail/%u
}
service pop3-login {
  inet_listener pop3 {
    address = ${HOST}
    port = ${dovecotPort}
  }
  inet_listener pop3s {
    port = 0
  }
}
service imap-login {
  inet_listener imap {
    port = 0
  }
}
`;
    await writeFile(path.join(dir, 'dovecot.conf'), conf);
    const out = openSync(path.join(dir, 'dovecot.out'), 'a');
    dovecot = spawn(DOVECOT!, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: ['ignore', out, out] });
    await waitForGreeting(dovecotPort, 15_000);
  }, 40_000);

  afterAll(async () => {
    if (dovecot?.pid && dovecot.exitCode === null) {
      const exited = new Promise((r) => dovecot!.once('exit', r));
      process.kill(dovecot.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    await fx?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('every step has the same status, and RETR/TOP send the same bytes', async () => {
    const theirs = await runScript(dovecotPort);
    const ours = await runScript(fx.plainPort);
    expect(theirs[0].text).toMatch(/Dovecot/); // it really was Dovecot that answered
    expect(ours.map((s) => `${s.command} -> ${s.status}`)).toEqual(theirs.map((s) => `${s.command} -> ${s.status}`));
    for (const [i, step] of ours.entries()) {
      if (step.command.startsWith('RETR') || step.command.startsWith('TOP')) {
        expect(step.body?.toString('latin1'), step.command).toBe(theirs[i].body?.toString('latin1'));
      }
    }
    // Both removed message 2 at QUIT.
    expect(fx.store.forAccount('alice').mailbox('INBOX')!.messages()).toHaveLength(1);
  }, 30_000);

  it('STLS, then CAPA and login under TLS: same statuses, and we offer at least what Dovecot offers', async () => {
    const session = async (port: number) => {
      const c = await RawClient.connect(port);
      await c.line();
      await c.cmd('CAPA');
      const capaBefore = (await c.body()).toString('latin1').split('\r\n').slice(0, -2);
      const statuses = [(await c.cmd('STLS')).split(' ')[0]];
      await c.startTls();
      statuses.push((await c.cmd('CAPA')).split(' ')[0]);
      const capaAfter = (await c.body()).toString('latin1').split('\r\n').slice(0, -2);
      statuses.push((await c.cmd('STLS')).split(' ')[0]);
      statuses.push((await c.cmd('USER alice')).split(' ')[0], (await c.cmd('PASS practice')).split(' ')[0]);
      statuses.push((await c.cmd('QUIT')).split(' ')[0]);
      c.destroy();
      return { statuses, capaBefore, capaAfter };
    };
    const theirs = await session(dovecotPort);
    const ours = await session(fx.plainPort);
    expect(ours.statuses).toEqual(theirs.statuses);
    expect(ours.capaBefore).toEqual(expect.arrayContaining(theirs.capaBefore));
    expect(ours.capaAfter).toEqual(expect.arrayContaining(theirs.capaAfter));
    expect(theirs.capaBefore).toContain('STLS');
    expect(ours.capaAfter).not.toContain('STLS');
  }, 30_000);
});
