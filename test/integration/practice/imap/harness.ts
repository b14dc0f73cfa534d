// Starts the real practice mailstore and IMAP servers (STARTTLS and implicit TLS) on ephemeral
// loopback ports in a temp data dir, and a raw-socket client for exact protocol checks.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openMailstore } from '../../../../bridge/practice/mailstore.ts';
import { createScenarioRegistry } from '../../../../bridge/practice/scenarios.ts';
import { loadOrCreateCredentials } from '../../../../bridge/practice/tls.ts';
import { connectLoopback, RawStream } from '../../../helpers/raw-stream.ts';
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

/** With `dataDir`, the store opens that directory (a restart) and close() leaves it in place. */
export async function startPractice(
  options: { limits?: Partial<Limits>; scenarios?: Scenarios; dataDir?: string } = {},
): Promise<Practice> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'mailwire-imap-')));
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
  const base = {
    host: '127.0.0.1',
    port: 0,
    hostname: 'mail.practice.test',
    credentials,
    store,
    scenarios,
    limits,
    log: () => {},
  };
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
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export { has } from '../../../helpers/peers.ts';

/** A line-oriented raw client: send text, read until a tagged line arrives. */
export class RawClient extends RawStream {
  static async connect(port: number, implicitTls = false): Promise<RawClient> {
    const client = new RawClient(await connectLoopback(port, implicitTls));
    await client.readUntil((t) => t.includes('\r\n'));
    return client;
  }

  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Reads until `done(text)` holds for the buffered text; returns and consumes it. */
  async readUntil(done: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
    const ok = await this.waitFor(() => done(this.buffer.toString('latin1')), Date.now() + timeoutMs);
    if (!ok) throw new Error(`timeout; got: ${this.buffer.toString('latin1').slice(-500)}`);
    const text = this.buffer.toString('latin1');
    this.buffer = Buffer.alloc(0);
    return text;
  }

  /** Sends `tag command` and returns everything up to and including the tagged reply. */
  async command(tag: string, command: string, timeoutMs?: number): Promise<string> {
    this.write(`${tag} ${command}\r\n`);
    return this.readUntil((t) => new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n`).test(t), timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }
}
