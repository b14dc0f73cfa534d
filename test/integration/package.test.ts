// `npx mailwire` (issue 18): the packed tarball, installed offline into an empty directory, starts
// through its bin in under 2 s, serves the playground, and gives a practice SMTP greeting, with
// no Vite, Svelte or tsx installed. The machine has no registry, so the install is what npm would
// make of the tarball: the package unpacked into node_modules/mailwire, its runtime dependencies
// (and theirs) copied from this repository's node_modules, and the bin linked in node_modules/.bin.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { get } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../bridge/build.ts';
import { makePackage } from '../../bridge/package.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

/** Copies `name` and everything it depends on from the repository's node_modules. */
function copyWithDependencies(name: string, into: string, done = new Set<string>()): void {
  if (done.has(name)) return;
  const from = join(projectRoot, 'node_modules', name);
  if (!existsSync(from)) return; // an optional dependency that is not installed here
  done.add(name);
  cpSync(from, join(into, name), { recursive: true, dereference: true });
  const manifest = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
    if (!existsSync(join(from, 'node_modules', dep))) copyWithDependencies(dep, into, done); // nested ones came along
  }
}

const PORTS = ['smtp', 'submission', 'smtps', 'imap', 'imaps', 'pop3', 'pop3s', 'dns'].flatMap((p) => [
  `--${p}-port`,
  '0',
]);

/** Starts mailwire with `command`, checks the page and a practice SMTP greeting, stops it; returns the start-up ms. */
async function startAndProbe(cwd: string, command: string[]): Promise<number> {
  const t0 = Date.now();
  const proc = spawn(command[0]!, [...command.slice(1), '--port', '0', ...PORTS], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  try {
    let out = '';
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => (err += d));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no start-up summary: ${out}\n${err}`)), 20_000);
      proc.stdout!.on('data', (d: Buffer) => {
        out += d;
        if (/practice\/pop3s +127\.0\.0\.1:\d+/.test(out)) {
          clearTimeout(t);
          resolve();
        }
      });
      proc.once('exit', (code) => reject(new Error(`exited ${code}: ${out}\n${err}`)));
    });
    const startMs = Date.now() - t0;
    const url = /open (http:\/\/\S+)/.exec(out)![1]!;
    const page = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      get(url, { headers: { 'accept-encoding': 'identity' } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      }).on('error', reject);
    });
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<script type="module"[^>]+src="\/assets\/index-/);
    const smtpPort = Number(/practice\/smtp +127\.0\.0\.1:(\d+)/.exec(out)![1]);
    const greeting = await new Promise<string>((resolve, reject) => {
      const s = connect(smtpPort, '127.0.0.1');
      s.once('data', (d: Buffer) => {
        s.end('QUIT\r\n');
        resolve(d.toString('latin1'));
      });
      s.on('error', reject);
    });
    expect(greeting).toMatch(/^220 /);
    return startMs;
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exit = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exit;
    }
  }
}

describe('npx mailwire from the packed tarball', () => {
  it('installs offline, starts in under 2 s, serves the page and a practice SMTP greeting', async () => {
    const tarball = await makePackage(temp('mw-pack-out-'));
    const app = temp('mw-npx-');
    const modules = join(app, 'node_modules');
    mkdirSync(join(modules, 'mailwire'), { recursive: true });
    execFileSync('tar', ['xzf', tarball, '-C', join(modules, 'mailwire'), '--strip-components=1']);
    const manifest = JSON.parse(readFileSync(join(modules, 'mailwire', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      optionalDependencies?: Record<string, string>;
      bin: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['postal-mime', 'selfsigned', 'smtp-server', 'ws']);
    const done = new Set<string>();
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }))
      copyWithDependencies(dep, modules, done);
    for (const toolchain of ['vite', 'svelte', 'tsx', 'typescript', 'esbuild'])
      expect([toolchain, existsSync(join(modules, toolchain))]).toEqual([toolchain, false]);
    mkdirSync(join(modules, '.bin'));
    symlinkSync(join('..', 'mailwire', manifest.bin.mailwire), join(modules, '.bin', 'mailwire'));

    // First through the installed bin itself (the start-up time is mailwire's: a fresh data dir,
    // so it includes making the practice certificate), then through npx, which adds npm's own start.
    const first = await startAndProbe(app, [join(modules, '.bin', 'mailwire')]);
    process.stdout.write(`installed bin: ready in ${first} ms (fresh data dir)\n`);
    expect(first).toBeLessThan(2000);
    const viaNpx = await startAndProbe(app, ['npx', '--offline', '--no-install', 'mailwire']);
    process.stdout.write(`npx mailwire: ready in ${viaNpx} ms (npm's own start included)\n`);
  }, 120_000);
});
