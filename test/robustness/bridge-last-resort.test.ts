// bridge/last-resort.ts in a real process: an exception thrown from a timer and a rejected
// promise nobody awaits are each logged as one JSON line with a stable code, and the process
// goes on (it still answers on its socket afterwards). Without the handlers Node exits with 1.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function run(script: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d));
    proc.stderr.on('data', (d: Buffer) => (err += d));
    proc.on('exit', (code) => resolve({ code, out, err }));
  });
}

const SCRIPT = (install: boolean) => `
import { createServer, connect } from 'node:net';
import { installLastResort } from './bridge/last-resort.ts';
import { jsonLogger } from './bridge/relay/log.ts';
${install ? 'installLastResort(jsonLogger());' : ''}
const server = createServer((s) => s.end('still serving\\n')).listen(0, '127.0.0.1', () => {
  setTimeout(() => { throw new TypeError('a bug in one handler'); }, 10);
  setTimeout(() => { Promise.reject(new Error('a promise nobody awaited')); }, 20);
  setTimeout(() => {
    const c = connect(server.address().port, '127.0.0.1');
    c.on('data', (d) => { process.stdout.write(d); c.end(); server.close(); });
  }, 100);
});
`;

describe('the last-resort handler', () => {
  it('logs an uncaught exception and an unhandled rejection as JSON lines with codes and keeps serving', async () => {
    const r = await run(SCRIPT(true));
    expect(r.code).toBe(0);
    expect(r.out).toBe('still serving\n');
    const lines = r.err
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines.map((l) => [l.event, l.code])).toEqual([
      ['process.error', 'UNCAUGHT_EXCEPTION'],
      ['process.error', 'UNHANDLED_REJECTION'],
    ]);
    expect(lines[0]!.error).toBe('TypeError: a bug in one handler');
    expect(lines[1]!.error).toBe('Error: a promise nobody awaited');
  });

  it('is what keeps the process alive: the same script without it exits on the first throw', async () => {
    const r = await run(SCRIPT(false));
    expect(r.code).not.toBe(0);
    expect(r.out).toBe('');
  });
});
