// A whole practice server (seven listeners on port 0) with chosen limits and a captured log, and a
// line client that can stand for a browser behind the bridge: it registers its local port with
// the client address it plays, exactly as bridge/relay/session.ts does on 'connect'.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { practiceConfigWithDefaults } from '../../bridge/practice/defaults.ts';
import { startPractice, type RunningPractice } from '../../bridge/practice/index.ts';
import type { Limits } from '../../bridge/practice/types.ts';
import { ZERO_PORTS } from '../integration/practice/smtp/helpers.ts';

export interface Practice {
  server: RunningPractice;
  /** Every log line as the bridge would print it on stderr (JSON). */
  logs: string[];
  port(target: 'smtp' | 'submission' | 'smtps' | 'imap' | 'imaps' | 'pop3' | 'pop3s'): number;
  close(): Promise<void>;
}

export async function startLimitedPractice(limits: Partial<Limits>): Promise<Practice> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailwire-limits-'));
  const logs: string[] = [];
  const server = await startPractice(
    practiceConfigWithDefaults({ dataDir: dir, ports: ZERO_PORTS, limits: limits as Limits }),
    (event, fields) => logs.push(JSON.stringify({ event, ...fields })),
  );
  return {
    server,
    logs,
    port: (target) => server.endpoints[`practice/${target}`].port,
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export class LineClient {
  private buffer = '';
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.wake();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Connects; `as` registers the connection the way the bridge does, for that client address. */
  static connect(p: Practice, port: number, options: { as?: string; tls?: boolean } = {}): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = options.tls
        ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false })
        : net.connect({ host: '127.0.0.1', port });
      socket.once('error', reject);
      socket.once('connect', () => {
        if (options.as) p.server.scenarios.register(socket.localPort!, {}, options.as);
        resolve(new LineClient(socket));
      });
    });
  }

  /** The next CRLF-terminated line, without the CRLF. */
  async line(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.buffer.indexOf('\r\n');
      if (at >= 0) {
        const out = this.buffer.slice(0, at);
        this.buffer = this.buffer.slice(at + 2);
        return out;
      }
      if (this.closed) throw new Error(`closed; unread: ${JSON.stringify(this.buffer)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; unread: ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Lines up to and including the first one matching `last`. */
  async until(last: RegExp, timeoutMs = 5000): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const l = await this.line(timeoutMs);
      lines.push(l);
      if (last.test(l)) return lines;
    }
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A well-formed IMAP session from another client: greeting, LOGIN, NOOP, LOGOUT; its duration in ms. */
export async function imapSessionWorks(p: Practice, as = '192.0.2.200'): Promise<number> {
  const started = Date.now();
  const c = await LineClient.connect(p, p.port('imaps'), { as, tls: true });
  try {
    if (!/^\* OK/.test(await c.line())) throw new Error('no IMAP greeting');
    c.send('a LOGIN alice practice\r\n');
    const login = await c.until(/^a /);
    if (!/^a OK/.test(login.at(-1)!)) throw new Error(`login failed: ${login.at(-1)}`);
    c.send('b NOOP\r\nc LOGOUT\r\n');
    await c.until(/^c OK/);
    return Date.now() - started;
  } finally {
    c.close();
  }
}
