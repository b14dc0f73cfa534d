// The DELETE and RENAME of a mailbox another session has selected, on a real Dovecot and on the
// practice server side by side. The scenario files (scenarios.test.ts) replay one connection, so
// this two-session case has its own test. Both accept the DELETE; they part in what the other
// session hears. Dovecot (RFC 2180 section 3.2's way) answers that session's next command with
// "* BYE" and hangs up; the practice server reports EXPUNGE, then "* OK [CLOSED]" with the reason,
// and keeps the login (authenticated state), which suits a learner typing by hand.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../helpers/peers.ts';
import { RawClient, startPractice, type Practice } from './harness.ts';

const HOST = '127.0.0.1';
const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((f) => existsSync(f));
const IS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

/** What the session that had the mailbox selected saw, step by step. */
interface Outcome {
  deleteReply: string;
  nextReply: string; // its next selected-state command (a STORE by UID)
  stillConnected: boolean;
  selectInbox: string; // '' when the connection was gone
}

async function login(port: number, tag: string): Promise<RawClient> {
  const c = await RawClient.connect(port);
  const reply = await c.command(tag, 'LOGIN alice practice');
  if (!new RegExp(`${tag} OK`).test(reply)) throw new Error(`login failed: ${reply}`);
  return c;
}

/** One session deletes (or renames) the mailbox a second session has selected. */
async function otherSessionLoses(port: number, box: string, change: 'DELETE' | 'RENAME'): Promise<Outcome> {
  const owner = await login(port, 'o1');
  const other = await login(port, 'x1');
  try {
    expect(await owner.command('o2', `CREATE ${box}`)).toMatch(/o2 OK/);
    expect(await owner.command('o3', `APPEND ${box} {17+}\r\nSubject: doomed\r\n`)).toMatch(/o3 OK/);
    expect(await other.command('x2', `SELECT ${box}`)).toMatch(/\* 1 EXISTS[\s\S]*x2 OK/);
    const deleteReply = await owner.command('o4', change === 'DELETE' ? `DELETE ${box}` : `RENAME ${box} ${box}-moved`);
    let nextReply = await other.command('x3', 'UID STORE 1 +FLAGS (\\Seen)').catch((e: Error) => `(no reply: ${e.message})`);
    // A BYE may follow the tagged reply, and the server then closes: give both a moment to arrive.
    await new Promise((r) => setTimeout(r, 200));
    nextReply += await other.readUntil(() => true);
    const stillConnected = !other.closed;
    const selectInbox = stillConnected ? await other.command('x4', 'SELECT INBOX') : '';
    return { deleteReply, nextReply, stillConnected, selectInbox };
  } finally {
    owner.close();
    other.close();
  }
}

describe.skipIf(!DOVECOT || !IS_ROOT)('a mailbox deleted or renamed under another session, compared with Dovecot (needs dovecot and root)', () => {
  let p: Practice;
  let dir = '';
  let dovecot: ChildProcess | undefined;
  let port = 0;

  beforeAll(async () => {
    p = await startPractice();
    dir = await mkdtemp(path.join(tmpdir(), 'dovecot-closed-'));
    await chmod(dir, 0o755);
    await mkdir(path.join(dir, 'mail'));
    await chown(path.join(dir, 'mail'), NOBODY, NOBODY);
    await writeFile(path.join(dir, 'passwd'), 'alice:{PLAIN}practice::::::\n');
    port = await freePort();
    await writeFile(path.join(dir, 'dovecot.conf'), dovecotConfig(dir, port));
    const out = openSync(path.join(dir, 'dovecot.out'), 'a');
    dovecot = spawn(DOVECOT!, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: ['ignore', out, out] });
    closeSync(out);
    await waitForGreeting(port, 15_000).catch(async (err: Error) => {
      throw new Error(`Dovecot did not answer on ${HOST}:${port}: ${err.message}\n${await readFile(path.join(dir, 'dovecot.out'), 'utf8').catch(() => '')}`);
    });
  }, 40_000);

  afterAll(async () => {
    if (dovecot?.pid && dovecot.exitCode === null) {
      const exited = new Promise((r) => dovecot!.once('exit', r));
      process.kill(dovecot.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    await p?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(['DELETE', 'RENAME'] as const)('%s: both servers accept it and stop serving the old mailbox to the other session; only the practice server keeps that session logged in', async (change) => {
    const theirs = await otherSessionLoses(port, `Dc${change}`, change);
    const ours = await otherSessionLoses(p.plain.port, `Dc${change}`, change);

    for (const o of [theirs, ours]) expect(o.deleteReply).toMatch(/^o4 OK/m);
    // Dovecot: the command fails, then BYE and a closed connection.
    expect(theirs.nextReply).toMatch(/^x3 NO /m);
    expect(theirs.nextReply).toMatch(/^\* BYE /m);
    expect(theirs.stillConnected).toBe(false);
    // Practice server: EXPUNGE for the message (a DELETE removed it; a RENAME moved it), the
    // notice, a BAD with the reason, and the login still usable.
    if (change === 'DELETE') expect(ours.nextReply).toMatch(/^\* 1 EXPUNGE\r\n\* OK \[CLOSED\] [^\r]*deleted by another session/);
    else expect(ours.nextReply).toMatch(/^\* OK \[CLOSED\] [^\r]*renamed to "DcRENAME-moved"/);
    expect(ours.nextReply).toMatch(/^x3 BAD UID STORE needs a selected mailbox/m);
    expect(ours.nextReply).not.toMatch(/BYE|SERVERBUG/);
    expect(ours.stillConnected).toBe(true);
    expect(ours.selectInbox).toMatch(/x4 OK \[READ-WRITE\]/);
    console.log(`${change} of a mailbox selected elsewhere:\n--- Dovecot\n${theirs.nextReply}--- practice\n${ours.nextReply}`);
  });
});

function dovecotConfig(dir: string, port: number): string {
  // The same shape as scenarios.test.ts: plaintext LOGIN on loopback, maildir, "/" separator.
  return `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = ${HOST}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
auth_failure_delay = 0
mail_location = maildir:${dir}/mail/%u:LAYOUT=fs
first_valid_uid = ${NOBODY}
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${NOBODY} gid=${NOBODY} home=${dir}/mail/%u
}
namespace inbox {
  inbox = yes
  separator = /
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
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
