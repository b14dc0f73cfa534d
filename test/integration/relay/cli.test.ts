// bridge/main.ts as a user runs it: a bad flag stops with a sentence and exit code 2 (no stack
// trace), --help lists the options, and a real start prints the URL and stops on SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const main = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'bridge/main.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });

describe('mailwire CLI', () => {
  it('stops on a bad flag value with a clear message and exit code 2', () => {
    const r = main(['--port', 'seventy']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('mailwire: --port must be a whole number from 0 to 65535 (got "seventy").');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const env = spawnSync(process.execPath, ['--import', 'tsx', 'bridge/main.ts'], { cwd: root, encoding: 'utf8', env: { ...process.env, MAILWIRE_ALLOW: 'nocolon' } });
    expect(env.status).toBe(2);
    expect(env.stderr).toContain('MAILWIRE_ALLOW: "nocolon" is not HOST:PORT');
  });

  it('--help lists the options and exits 0', () => {
    const r = main(['--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--port', '--host', '--allow', '--allow-private', '--data-dir', '--no-practice', '--allowed-origins', '--smtp-port', '--max-frame']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('starts on port 0, prints the URL, serves it, and exits cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mw-cli-'));
    const proc = spawn(process.execPath, ['--import', 'tsx', 'bridge/main.ts', '--port', '0', '--no-practice', '--data-dir', dataDir, '--dist-dir', join(dataDir, 'dist')], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
        proc.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          // The URL and the practice line are separate writes: wait for both.
          if (m && out.includes('practice server:')) {
            clearTimeout(t);
            resolve(m[1]!);
          }
        });
      });
      expect(out).toContain('practice server: off');
      const res = await fetch(url);
      expect(res.status).toBe(503); // no build in this dist dir: the page says how to build
      const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
      proc.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
  });
});
