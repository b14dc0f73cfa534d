// The practice server's quota replies beside Dovecot's (quota plugin, `count` backend, 16 KiB),
// command by command: same status and response code for GETQUOTAROOT, SETQUOTA, APPEND over the
// limit, COPY over the limit and MOVE when full, and the same STORAGE figures (RFC 9208).
// Known differences, kept on purpose: the root is "" here and "User quota" in Dovecot's config;
// SETQUOTA is NO [NOPERM] here and a plain NO there; Dovecot 2.3 announces only QUOTA.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/peers.ts';
import { DOVECOT, dovecotUsers, IS_ROOT, NOBODY } from './imap/dovecot-peer.ts';
import { RawClient, startPractice, type Practice } from './imap/harness.ts';

const QUOTA = 16 * 1024;

async function startDovecotWithQuota(): Promise<{ port: number; stop: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dovecot-quota-'));
  await chmod(dir, 0o755);
  await mkdir(path.join(dir, 'mail'));
  await chown(path.join(dir, 'mail'), NOBODY, NOBODY);
  await writeFile(path.join(dir, 'passwd'), 'alice:{PLAIN}practice::::::\n');
  const port = await freePort();
  await writeFile(
    path.join(dir, 'dovecot.conf'),
    `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
auth_failure_delay = 0
mail_location = maildir:${dir}/mail/%u:LAYOUT=fs
first_valid_uid = ${NOBODY}
mail_plugins = quota
protocol imap {
  mail_plugins = $mail_plugins imap_quota
}
plugin {
  quota = count:User quota
  quota_rule = *:storage=${QUOTA / 1024}K
  quota_vsizes = yes
}
${dovecotUsers(dir)}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Trash {
    auto = create
    special_use = \\Trash
  }
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`,
  );
  const out = openSync(path.join(dir, 'dovecot.out'), 'a');
  const dovecot = spawn(DOVECOT!, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: ['ignore', out, out] });
  closeSync(out);
  const stop = async () => {
    if (dovecot.pid && dovecot.exitCode === null) {
      const exited = new Promise((r) => dovecot.once('exit', r));
      process.kill(dovecot.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    await rm(dir, { recursive: true, force: true });
  };
  for (const deadline = Date.now() + 15_000; ;) {
    try {
      (await RawClient.connect(port)).close();
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw error;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { port, stop };
}

/** Status and response code of the tagged reply, and the STORAGE figures of any QUOTA line. */
function shape(reply: string, tag: string): { status: string; code: string | null; storage: string | null } {
  const tagged = new RegExp(`^${tag} (OK|NO|BAD)(?: \\[([A-Z-]+)[^\\]]*\\])?`, 'm').exec(reply);
  return {
    status: tagged?.[1] ?? '?',
    code: tagged?.[2] ?? null,
    storage: /^\* QUOTA (?:"[^"]*"|\S+) \((STORAGE \d+ \d+)\)/m.exec(reply)?.[1] ?? null,
  };
}

const body = (octets: number, tag: string) => {
  const head = `Subject: ${tag}\r\n\r\n`;
  return head + 'x'.repeat(octets - head.length - 2) + '\r\n';
};

/** The same session against either server; the practice INBOX is emptied first (its welcome message). */
async function session(port: number, practice: boolean) {
  const c = await RawClient.connect(port);
  const out: Array<[string, ReturnType<typeof shape>]> = [];
  const run = async (tag: string, command: string) =>
    out.push([`${tag} ${command.split('\r\n')[0]}`, shape(await c.command(tag, command), tag)]);
  expect(await c.command('l', 'LOGIN alice practice')).toMatch(/^l OK/m);
  if (practice) {
    await c.command('s0', 'SELECT INBOX');
    await c.command('d0', 'STORE 1:* +FLAGS.SILENT (\\Deleted)');
    await c.command('e0', 'EXPUNGE');
    await c.command('c0', 'CLOSE');
  }
  await run('r1', 'GETQUOTAROOT INBOX');
  await run('q1', 'SETQUOTA "" (STORAGE 1)');
  const a = body(9019, 'first');
  await run('a1', `APPEND INBOX {${a.length}+}\r\n${a}`);
  await run('r2', 'GETQUOTAROOT INBOX');
  const b = body(7019, 'second');
  await run('a2', `APPEND INBOX {${b.length}+}\r\n${b}`);
  const over = body(2019, 'over');
  await run('a3', `APPEND INBOX {${over.length}+}\r\n${over}`);
  await run('r3', 'GETQUOTAROOT INBOX');
  await run('s1', 'SELECT INBOX');
  await run('c1', 'COPY 1:* Trash');
  await run('m1', 'MOVE 1 Trash');
  await run('r4', 'GETQUOTAROOT Trash');
  c.close();
  return out;
}

describe.skipIf(!DOVECOT || !IS_ROOT)('quota replies beside Dovecot (needs dovecot, run as root)', () => {
  let dovecot: { port: number; stop: () => Promise<void> };
  let practice: Practice;
  beforeAll(async () => {
    dovecot = await startDovecotWithQuota();
    practice = await startPractice({ limits: { quota: QUOTA } });
  });
  afterAll(async () => {
    await dovecot?.stop();
    await practice?.close();
  });

  it('gives the same status, code and STORAGE figures at every step', async () => {
    const theirs = await session(dovecot.port, false);
    const ours = await session(practice.plain.port, true);
    const codes = (steps: typeof ours) =>
      steps.map(([cmd, s]) => [cmd, s.status, s.code === 'NOPERM' ? null : s.code, s.storage]);
    expect(codes(ours)).toEqual(codes(theirs));
    // And the steps say what the quota should do: refusals where the limit is passed.
    expect(
      Object.fromEntries(ours.map(([cmd, s]) => [cmd.split(' ')[0], `${s.status}${s.code ? ` [${s.code}]` : ''}`])),
    ).toMatchObject({
      q1: 'NO [NOPERM]',
      a1: 'OK [APPENDUID]',
      a2: 'OK [APPENDUID]',
      a3: 'NO [OVERQUOTA]',
      c1: 'NO [OVERQUOTA]',
      m1: 'OK',
    });
    expect(ours.find(([cmd]) => cmd.startsWith('r2'))![1].storage).toBe('STORAGE 9 16'); // 9019 octets, rounded up
    expect(ours.find(([cmd]) => cmd.startsWith('r3'))![1].storage).toBe('STORAGE 16 16');
  });
});
