// Shared by the store robustness tests: the practice server as a child process (so a test can
// SIGKILL it, or give up on it when it hangs) and a raw IMAP client with deadlines.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { connectLoopback, RawStream } from '../helpers/raw-stream.ts';
import type { PracticeEndpoint } from '../../bridge/practice/types.ts';

const childScript = path.resolve('test/robustness/store-child-practice.ts');

export interface Child {
  child: ChildProcess;
  endpoints: Record<string, PracticeEndpoint>;
  /** SIGKILL (no flush, no graceful close) and wait for the exit. */
  kill(): Promise<void>;
}

export async function startChild(dataDir: string, config: object = {}): Promise<Child> {
  // Node with tsx as a loader, not the tsx launcher: the PID we kill is the server's own.
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, dataDir, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
  });
  const endpoints = await new Promise<Record<string, PracticeEndpoint>>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl !== -1) resolve(JSON.parse(out.slice(0, nl)));
    });
    child.once('exit', (code) => reject(new Error(`practice child exited (${code}) before listening: ${err}`)));
  });
  return {
    child,
    endpoints,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A raw IMAP client over implicit TLS: `command` sends a line and waits for its tagged reply. */
export class Imap extends RawStream {
  static async connect(port: number): Promise<Imap> {
    const c = new Imap(await connectLoopback(port, true));
    await c.waitFor(() => c.buffer.includes('\r\n'), Date.now() + 10_000);
    c.buffer = Buffer.alloc(0); // the greeting
    return c;
  }

  /** Everything up to and including the tagged reply, or null when `timeoutMs` passed first. */
  async command(tag: string, text: string | Buffer, timeoutMs = 10_000): Promise<string | null> {
    this.socket.write(
      typeof text === 'string'
        ? `${tag} ${text}\r\n`
        : Buffer.concat([Buffer.from(`${tag} `), text, Buffer.from('\r\n')]),
    );
    const done = () => new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n`).test(this.buffer.toString('latin1'));
    const ok = await this.waitFor(done, Date.now() + timeoutMs);
    if (!ok || !done()) return null;
    const text2 = this.buffer.toString('utf8');
    this.buffer = Buffer.alloc(0);
    return text2;
  }

  async login(user: string): Promise<void> {
    const r = await this.command('l', `LOGIN ${user} practice`);
    if (!r || !/^l OK/m.test(r)) throw new Error(`LOGIN ${user} failed: ${r}`);
  }

  destroy(): void {
    this.socket.destroy();
  }
}
