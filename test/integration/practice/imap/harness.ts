// Starts the real practice mailstore and IMAP servers (STARTTLS and implicit TLS) on ephemeral
// loopback ports in a temp data dir, and a raw-socket client for exact protocol checks.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { spawnSync } from 'node:child_process';
import { openMailstore } from '../../../../bridge/practice/mailstore.ts';
import { createScenarioRegistry } from '../../../../bridge/practice/scenarios.ts';
import { loadOrCreateCredentials } from '../../../../bridge/practice/tls.ts';
import { startImapServer } from '../../../../bridge/practice/imap/server.ts';
import { DEFAULT_LIMITS, type Limits, type RunningServer, type Scenarios } from '../../../../bridge/practice/types.ts';
import type { MailstoreApi } from '../../../../bridge/practice/mailstore-types.ts';

export interface Practice {
  store: MailstoreApi;
  starttls: RunningServer;
  implicit: RunningServer;
  /** Plain, no STARTTLS (security 'none'), for the requireTlsForAuth scenario. */
  plain: RunningServer;
  scenarios: ReturnType<typeof createScenarioRegistry>;
  dataDir: string;
  close(): Promise<void>;
}

export async function startPractice(options: { limits?: Partial<Limits>; scenarios?: Scenarios } = {}): Promise<Practice> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mailwire-imap-'));
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const store = await openMailstore({
    dataDir,
    domain: 'practice.test',
    accounts: [
      { username: 'alice', password: 'practice' },
      { username: 'bob', password: 'practice' },
    ],
    limits,
  });
  const credentials = await loadOrCreateCredentials(dataDir, 'mail.practice.test');
  const scenarios = createScenarioRegistry(options.scenarios ?? {});
  const base = { host: '127.0.0.1', port: 0, hostname: 'mail.practice.test', credentials, store, scenarios, limits, log: () => {} };
  const starttls = await startImapServer({ ...base, security: 'starttls' });
  const implicit = await startImapServer({ ...base, security: 'implicit' });
  const plain = await startImapServer({ ...base, security: 'none' });
  return {
    store,
    starttls,
    implicit,
    plain,
    scenarios,
    dataDir,
    async close() {
      await starttls.close();
      await implicit.close();
      await plain.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export { has } from '../../../helpers/peers.ts';

/** A line-oriented raw client: send text, read until a tagged line arrives. */
export class RawClient {
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(public socket: net.Socket) {
    this.listen(socket);
  }

  static async connect(port: number, implicitTls = false): Promise<RawClient> {
    const socket = implicitTls
      ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false })
      : net.connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once(implicitTls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    const client = new RawClient(socket);
    await client.readUntil((t) => t.includes('\r\n'));
    return client;
  }

  private listen(socket: net.Socket): void {
    socket.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('error', () => {});
  }

  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Reads until `done(text)` holds for the buffered text; returns and consumes it. */
  async readUntil(done: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.buffer.toString('latin1'))) {
      if (this.closed) break;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout; got: ${this.buffer.toString('latin1').slice(-500)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    const text = this.buffer.toString('latin1');
    this.buffer = Buffer.alloc(0);
    return text;
  }

  /** Sends `tag command` and returns everything up to and including the tagged reply. */
  async command(tag: string, command: string, timeoutMs?: number): Promise<string> {
    this.write(`${tag} ${command}\r\n`);
    return this.readUntil((t) => new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n`).test(t), timeoutMs);
  }

  async startTls(): Promise<void> {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('close');
    const secure = tls.connect({ socket: this.socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
  }

  close(): void {
    this.socket.destroy();
  }
}
