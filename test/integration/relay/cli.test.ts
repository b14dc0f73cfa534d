// bridge/main.ts as a user runs it: a bad flag stops with a sentence and exit code 2 (no stack
// trace), --help lists the options, a real start prints the human summary only (event lines are
// behind --verbose), --reset-practice empties the mailboxes and says so, SIGTERM stops it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient as ImapClient } from '../practice/imap/harness.ts';

const root = join(import.meta.dirname, '../../..');
const main = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'bridge/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env,
  });
const FREE_PRACTICE_PORTS = ['smtp', 'submission', 'smtps', 'imap', 'imaps', 'pop3', 'pop3s', 'dns'].flatMap((p) => [
  `--${p}-port`,
  '0',
]);

interface Started {
  proc: ChildProcess;
  out: () => string;
  err: () => string;
  /** Stops with SIGTERM; resolves to the exit code. */
  stop(): Promise<number | null>;
}

const running: ChildProcess[] = [];
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const p of running.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Starts mailwire and waits until stdout matches `ready` (the summary is several writes). */
async function start(args: string[], ready: RegExp): Promise<Started> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bridge/main.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(proc);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no start-up summary: ${out}\n${err}`)), 20_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(t);
        resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`exited ${code}: ${out}\n${err}`)));
  });
  return {
    proc,
    out: () => out,
    err: () => err,
    stop() {
      const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
      proc.kill('SIGTERM');
      return exit;
    },
  };
}

const portOf = (out: string, target: string) => Number(new RegExp(`${target} +127\\.0\\.0\\.1:(\\d+)`).exec(out)![1]);

describe('mailwire CLI', () => {
  it('stops on a bad flag value with a clear message and exit code 2', () => {
    const r = main(['--port', 'seventy']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('mailwire: --port must be a whole number from 0 to 65535 (got "seventy").');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const env = main([], { ...process.env, MAILWIRE_ALLOW: 'nocolon' });
    expect(env.status).toBe(2);
    expect(env.stderr).toContain('MAILWIRE_ALLOW: "nocolon" is not HOST:PORT');
  });

  it('refuses flags that contradict each other, naming where each came from', () => {
    const both = main(['--quiet', '--verbose']);
    expect(both.status).toBe(2);
    expect(both.stderr.trim()).toBe('mailwire: --quiet and --verbose contradict each other: pick one.');
    const nothing = main(['--no-practice'], { ...process.env, MAILWIRE_RESET_PRACTICE: '1' });
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toContain('MAILWIRE_RESET_PRACTICE and --no-practice do not go together');
  });

  it('--help lists the options and exits 0', () => {
    const r = main(['--help']);
    expect(r.status).toBe(0);
    for (const flag of [
      '--port',
      '--host',
      '--allow',
      '--allow-private',
      '--data-dir',
      '--no-practice',
      '--reset-practice',
      '--verbose',
      '--quiet',
      '--allowed-origins',
      '--smtp-port',
      '--max-frame',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('starts on port 0, prints the URL, serves it, and exits cleanly on SIGTERM', async () => {
    const dataDir = tempDir('mw-cli-');
    const mw = await start(
      ['--port', '0', '--no-practice', '--data-dir', dataDir, '--dist-dir', join(dataDir, 'dist')],
      /practice server: off/,
    );
    const url = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(mw.out())![1]!;
    const res = await fetch(url);
    expect(res.status).toBe(503); // no build in this dist dir: the page says how to build
    expect(await mw.stop()).toBe(0);
  });

  it('prints only the human summary by default, and --reset-practice empties the mailboxes and says so', async () => {
    const dataDir = tempDir('mw-cli-reset-');
    const args = ['--port', '0', '--data-dir', dataDir, '--dist-dir', join(dataDir, 'dist'), ...FREE_PRACTICE_PORTS];
    const first = await start(args, /certificate SHA-256 /);
    const lines = first.out().trim().split('\n');
    expect(lines[0]).toMatch(/^mailwire is running: open http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(lines[1]).toMatch(/^bridge WebSocket: ws:\/\//);
    expect(first.out()).toContain('alice@practice.test  password: practice');
    expect(first.out()).not.toContain('{'); // no JSON on stdout
    expect(first.out()).not.toContain('reset');
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: portOf(first.out(), 'practice/smtp'),
      ignoreTLS: true,
    });
    for (const to of ['alice', 'alice', 'bob'])
      await transport.sendMail({
        from: 'carol@example.org',
        to: `${to}@practice.test`,
        subject: 'before the reset',
        text: 'x',
      });
    transport.close();
    expect(await first.stop()).toBe(0);
    expect(first.err()).toBe(''); // nothing was refused or failed: no event lines at all

    const second = await start([...args, '--reset-practice'], /practice mailboxes reset/);
    // Each INBOX held its welcome message too: that one is replaced by a fresh one.
    expect(second.out()).toContain('practice mailboxes reset (--reset-practice): 5 messages removed (alice 3, bob 2)');
    const imap = await ImapClient.connect(portOf(second.out(), 'practice/imaps'), true);
    await imap.command('l', 'LOGIN alice practice');
    expect(await imap.command('s', 'SELECT INBOX')).toMatch(/\* 1 EXISTS/);
    imap.close();
    expect(await second.stop()).toBe(0);
    expect(second.err()).toBe('');
  });

  it('--verbose prints every event as JSON on stderr, credentials never among them', async () => {
    const dataDir = tempDir('mw-cli-verbose-');
    const args = [
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--dist-dir',
      join(dataDir, 'dist'),
      ...FREE_PRACTICE_PORTS,
      '--class',
      '1',
    ];
    const mw = await start([...args, '--verbose'], /certificate SHA-256 /);
    const secret = readFileSync(join(dataDir, 'class', 'roster.csv'), 'utf8')
      .split('\r\n')[2]!
      .split(',')[2]!;
    expect(secret).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);
    const imap = await ImapClient.connect(portOf(mw.out(), 'practice/imaps'), true);
    expect(await imap.command('a', 'LOGIN student01 Wr0ng-Guess')).toMatch(/a NO/);
    expect(await imap.command('b', `LOGIN student01 ${secret}`)).toMatch(/b OK/);
    await imap.command('c', 'LOGOUT');
    imap.close();
    expect(await mw.stop()).toBe(0);
    const events = mw
      .err()
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { event: string }).event);
    for (const e of [
      'smtp.listening',
      'imap.listening',
      'pop3.listening',
      'http.listening',
      'imap.login.failed',
      'imap.login',
    ])
      expect(events).toContain(e);
    expect(mw.err()).not.toContain(secret);
    expect(mw.out()).not.toContain(secret); // a student's password is in the roster file only
    expect(mw.err()).not.toContain('Wr0ng-Guess');
    expect(mw.out()).not.toContain('{"t"');
  });

  it('by default stderr gets one JSON line per refusal (a foreign page calling the reset), nothing else', async () => {
    const dataDir = tempDir('mw-cli-notable-');
    const mw = await start(
      ['--port', '0', '--data-dir', dataDir, '--dist-dir', join(dataDir, 'dist'), ...FREE_PRACTICE_PORTS],
      /certificate SHA-256 /,
    );
    const url = /open (http:\/\/\S+\/)/.exec(mw.out())![1]!;
    const refused = await fetch(`${url}api/practice/reset`, {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
    });
    expect(refused.status).toBe(403);
    const reset = await fetch(`${url}api/practice/reset`, { method: 'POST', headers: { origin: new URL(url).origin } });
    expect(reset.status).toBe(200);
    expect(await mw.stop()).toBe(0);
    const events = mw
      .err()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; code?: string; from?: string });
    expect(events.map((e) => e.event)).toEqual(['http.refused', 'practice.reset']);
    expect(events[0]!.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(events[1]!.from).toBe('http 127.0.0.1');
  });
});
