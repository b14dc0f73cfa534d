// A private Dovecot POP3 server on a loopback port, for the tests and benches that put the
// practice POP3 server beside it (test/integration/practice/pop3/dovecot-compare.test.ts,
// bench/pop3.ts): config, Maildir and sockets in a temp dir, user alice (password "practice")
// whose maildir holds the given messages, STLS with the given certificate, its output in a file,
// stopped by its PID. Needs dovecot and root (it drops to nobody).
import { spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './peers.ts';

const HOST = '127.0.0.1';
export const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p));
export const IS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

export interface DovecotPop3 {
  port: number;
  stop(): Promise<void>;
}

export async function startDovecotPop3(
  messages: Array<string | Buffer>,
  credentials: { cert: string; key: string },
): Promise<DovecotPop3> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dovecot-pop3-'));
  await chmod(dir, 0o755);
  const maildir = path.join(dir, 'mail', 'alice');
  for (const sub of ['new', 'cur', 'tmp']) await mkdir(path.join(maildir, sub), { recursive: true });
  for (const p of [path.join(dir, 'mail'), maildir, ...['new', 'cur', 'tmp'].map((s) => path.join(maildir, s))])
    await chown(p, NOBODY, NOBODY);
  for (const [i, m] of messages.entries()) {
    const file = path.join(maildir, 'new', `${1000 + i}.M${i}P1.practice`);
    await writeFile(file, m);
    await chown(file, NOBODY, NOBODY);
  }
  await writeFile(path.join(dir, 'passwd'), 'alice:{PLAIN}practice::::::\n');
  await writeFile(path.join(dir, 'cert.pem'), credentials.cert);
  await writeFile(path.join(dir, 'key.pem'), credentials.key, { mode: 0o600 });
  const port = await freePort();
  await writeFile(path.join(dir, 'dovecot.conf'), config(dir, port));
  const out = openSync(path.join(dir, 'dovecot.out'), 'a');
  const dovecot = spawn(DOVECOT!, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: ['ignore', out, out] });
  const stop = async () => {
    if (dovecot.pid && dovecot.exitCode === null) {
      const exited = new Promise((r) => dovecot.once('exit', r));
      process.kill(dovecot.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForGreeting(port, 15_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stop };
}

function config(dir: string, port: number): string {
  return `
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
    port = ${port}
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
}

/** Resolves once the server sends a greeting line; retries while it starts. */
async function waitForGreeting(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: HOST, port });
      const done = (v: boolean) => {
        socket.destroy();
        resolve(v);
      };
      socket.setTimeout(2000, () => done(false));
      socket.once('error', () => done(false));
      socket.once('data', (d: Buffer) => done(d.toString('latin1').startsWith('+OK')));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Dovecot POP3 did not answer on ${HOST}:${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
