// Shared set-up of the POP3 integration tests: the real mailstore in a temp dir, the real practice
// certificate, and POP3 servers on ephemeral loopback ports; plus a small raw-socket client.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MailstoreApi } from '../../../../bridge/practice/mailstore-types.ts';
import { openMailstore } from '../../../../bridge/practice/mailstore.ts';
import { connectLoopback, RawStream } from '../../../helpers/raw-stream.ts';
import { startPop3Server } from '../../../../bridge/practice/pop3.ts';
import { createScenarioRegistry } from '../../../../bridge/practice/scenarios.ts';
import { loadOrCreateCredentials } from '../../../../bridge/practice/tls.ts';
import {
  DEFAULT_LIMITS,
  type Limits,
  type PracticeCredentials,
  type RunningServer,
  type ScenarioRegistry,
} from '../../../../bridge/practice/types.ts';

export const HOST = '127.0.0.1';

export { has } from '../../../helpers/peers.ts';

export interface Pop3Fixture {
  dataDir: string;
  store: MailstoreApi;
  credentials: PracticeCredentials;
  scenarios: ScenarioRegistry;
  /** Plain port with STLS offered. */
  plainPort: number;
  /** Implicit TLS port. */
  tlsPort: number;
  logs: string[];
  close(): Promise<void>;
}

export async function startFixture(limits: Partial<Limits> = {}): Promise<Pop3Fixture> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pop3-it-'));
  const store = await openMailstore({
    dataDir,
    domain: 'practice.test',
    accounts: [
      { username: 'alice', password: 'practice' },
      { username: 'bob', password: 'practice' },
    ],
  });
  const credentials = await loadOrCreateCredentials(dataDir, 'mail.practice.test');
  const scenarios = createScenarioRegistry();
  const logs: string[] = [];
  const base = {
    host: HOST,
    port: 0,
    hostname: 'mail.practice.test',
    credentials,
    store,
    scenarios,
    limits: { ...DEFAULT_LIMITS, ...limits },
    log: (event: string, fields?: Record<string, unknown>) => logs.push(`${event} ${JSON.stringify(fields ?? {})}`),
  };
  const servers: RunningServer[] = [
    await startPop3Server({ ...base, security: 'starttls' }),
    await startPop3Server({ ...base, security: 'implicit' }),
  ];
  return {
    dataDir,
    store,
    credentials,
    scenarios,
    plainPort: servers[0].port,
    tlsPort: servers[1].port,
    logs,
    async close() {
      for (const s of servers) await s.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A POP3 client over a raw socket that reads replies byte-exact. */
export class RawClient extends RawStream {
  static async connect(port: number, secure = false): Promise<RawClient> {
    return new RawClient(await connectLoopback(port, secure));
  }

  /** Waits until `find` locates an end offset in the buffer; returns and consumes the bytes. */
  private async take(find: (b: Buffer) => number, timeoutMs = 5000): Promise<Buffer> {
    await this.waitFor(() => find(this.buffer) >= 0, Date.now() + timeoutMs);
    const end = find(this.buffer);
    if (end < 0) {
      const unread = JSON.stringify(this.buffer.toString('latin1'));
      throw new Error(this.closed ? `connection closed; unread: ${unread}` : `timed out; unread: ${unread}`);
    }
    const out = this.buffer.subarray(0, end);
    this.buffer = this.buffer.subarray(end);
    return out;
  }

  /** One status line, without CRLF. */
  async line(timeoutMs?: number): Promise<string> {
    const raw = await this.take((b) => {
      const i = b.indexOf('\r\n');
      return i === -1 ? -1 : i + 2;
    }, timeoutMs);
    return raw.subarray(0, raw.length - 2).toString('latin1');
  }

  /** The body of a multi-line response, byte-exact as sent, terminator included. */
  async body(): Promise<Buffer> {
    return this.take((b) => {
      if (b.subarray(0, 3).equals(Buffer.from('.\r\n'))) return 3;
      const i = b.indexOf('\r\n.\r\n');
      return i === -1 ? -1 : i + 5;
    });
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  async cmd(line: string): Promise<string> {
    this.send(`${line}\r\n`);
    return this.line();
  }

  async login(user = 'alice', password = 'practice'): Promise<void> {
    await this.cmd(`USER ${user}`);
    const r = await this.cmd(`PASS ${password}`);
    if (!r.startsWith('+OK')) throw new Error(`login failed: ${r}`);
  }

  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Replaces the socket by a TLS socket over it (after +OK to STLS). */
  override async startTls(): Promise<void> {
    await super.startTls('mail.practice.test');
  }
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program asynchronously (the servers live in this process, so never spawnSync). */
export async function run(
  program: string,
  args: string[],
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('latin1')));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}
