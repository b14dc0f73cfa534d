// A real Dovecot IMAP server on a loopback port, for the tests that compare the practice server
// with it (scenarios.test.ts, mailbox-closed-dovecot.test.ts): plaintext LOGIN and no TLS, like
// the practice server's plain port; maildir under a temp dir; users alice and bob, password
// "practice". Runs as root (it drops to nobody); output goes to a file; stopped by its PID.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../../helpers/peers.ts';
import { RawClient } from './harness.ts';

const HOST = '127.0.0.1';
export const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p));
export const IS_ROOT = process.getuid?.() === 0;
/** The uid Dovecot runs mail as in these tests (nobody). */
export const NOBODY = 65534;

/** The users of a test Dovecot: a passwd-file under `dir`, mail owned by nobody under dir/mail. */
export function dovecotUsers(dir: string): string {
  return `passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${NOBODY} gid=${NOBODY} home=${dir}/mail/%u
}`;
}

export interface DovecotImap {
  port: number;
  /** The temp dir: the maildirs are under mail/<user>. */
  dir: string;
  stop(): Promise<void>;
}

export async function startDovecotImap(): Promise<DovecotImap> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dovecot-imap-'));
  await chmod(dir, 0o755);
  await mkdir(path.join(dir, 'mail'));
  await chown(path.join(dir, 'mail'), NOBODY, NOBODY);
  await writeFile(path.join(dir, 'passwd'), 'alice:{PLAIN}practice::::::\nbob:{PLAIN}practice::::::\n');
  const port = await freePort();
  await writeFile(path.join(dir, 'dovecot.conf'), dovecotConfig(dir, port));
  const out = openSync(path.join(dir, 'dovecot.out'), 'a');
  const dovecot = spawn(DOVECOT!, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: ['ignore', out, out] });
  closeSync(out); // the child holds its own copy
  const stop = async () => {
    if (dovecot.pid && dovecot.exitCode === null) {
      const exited = new Promise((r) => dovecot.once('exit', r));
      process.kill(dovecot.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    await rm(dir, { recursive: true, force: true });
  };
  await waitForGreeting(port, 15_000).catch(async (err: Error) => {
    const log = await readFile(path.join(dir, 'dovecot.out'), 'utf8').catch(() => '');
    await stop();
    throw new Error(`Dovecot did not answer on ${HOST}:${port}: ${err.message}\n${log}`);
  });
  return { port, dir, stop };
}

function dovecotConfig(dir: string, port: number): string {
  // Plaintext LOGIN allowed and no TLS, like the practice server's 'none' port; "/" as the
  // hierarchy separator; Drafts/Sent/Trash are created and subscribed at each reset, as the
  // practice store does for a new account.
  return `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = ${HOST}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:${dir}/mail/%u:LAYOUT=fs
first_valid_uid = ${NOBODY}
${dovecotUsers(dir)}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
  }
  mailbox Sent {
    special_use = \\Sent
  }
  mailbox Trash {
    special_use = \\Trash
  }
}
# No auth penalty: a scenario's wrong password must not slow the next login down.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
# imaptest's stress mode opens ten sessions at once and more as they reconnect (the default is 10).
protocol imap {
  mail_max_userip_connections = 100
}
service imap-login {
  inet_listener imap {
    address = ${HOST}
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}

async function waitForGreeting(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const c = await RawClient.connect(port);
      c.close();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
