// Real loopback peers for the relay tests: the bridge on port 0, a WebSocket client that
// collects control messages and bytes, and small TCP/TLS servers (echo, SMTP-like STARTTLS).

import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { WebSocket } from 'ws';
import { configWithDefaults } from '../../../bridge/config/load.ts';
import type { MailwireConfig, RelayLimits } from '../../../bridge/config/types.ts';
import type { ServerMessage } from '../../../app/src/wire/messages.ts';
import { startMailwire, type RunningMailwire } from '../../../bridge/start.ts';

export type TestConfig = Omit<Partial<MailwireConfig>, 'limits'> & { limits?: Partial<RelayLimits> };

export interface TestBridge extends RunningMailwire {
  logs: string[];
}

export async function startBridge(overrides: TestConfig = {}): Promise<TestBridge> {
  const logs: string[] = [];
  const config = configWithDefaults({
    dataDir: mkdtempSync(join(tmpdir(), 'mw-relay-')),
    port: 0,
    practice: null,
    ...overrides,
  });
  const running = await startMailwire(config, {
    log: (event, fields) => logs.push(JSON.stringify({ event, ...fields })),
  });
  return { ...running, logs };
}

export class TestClient {
  controls: ServerMessage[] = [];
  chunks: Buffer[] = [];
  received = 0;
  closeCode: number | null = null;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        this.chunks.push(data);
        this.received += data.length;
      } else this.controls.push(JSON.parse(data.toString()) as ServerMessage);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    ws.on('error', () => this.wake());
  }

  static connect(url: string, origin?: string): Promise<TestClient> {
    const ws = new WebSocket(url, origin ? { origin } : {});
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestClient(ws)));
      ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
      );
      ws.once('error', reject);
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waits until `check` returns a value (re-checked on every event). */
  until<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 8000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}; controls=${JSON.stringify(this.controls)}`)),
        timeoutMs,
      );
      const test = () => {
        const v = check();
        if (v) {
          clearTimeout(timer);
          resolve(v);
        } else this.waiters.push(test);
      };
      test();
    });
  }

  next<K extends ServerMessage['type']>(type: K, timeoutMs?: number): Promise<Extract<ServerMessage, { type: K }>> {
    return this.until(
      () => this.controls.find((m) => m.type === type) as Extract<ServerMessage, { type: K }> | undefined,
      `"${type}"`,
      timeoutMs,
    );
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }

  waitForText(s: string, timeoutMs?: number): Promise<true> {
    return this.until(() => this.text().includes(s), JSON.stringify(s), timeoutMs);
  }

  closed(timeoutMs?: number): Promise<number> {
    return this.until(() => this.closeCode, 'WebSocket close', timeoutMs);
  }

  json(obj: unknown): void {
    this.ws.send(JSON.stringify(obj));
  }

  bytes(data: Buffer | string): void {
    this.ws.send(typeof data === 'string' ? Buffer.from(data, 'latin1') : data, { binary: true });
  }
}

export interface TestServer {
  port: number;
  server: Server;
  connections: number;
  sockets: Set<Socket>;
  close(): Promise<void>;
}

export async function listen(
  onSocket: (s: Socket) => void,
  server: Server = createServer(),
  event = 'connection',
): Promise<TestServer> {
  const t: TestServer = {
    port: 0,
    server,
    connections: 0,
    sockets: new Set(),
    close: async () => {
      for (const s of t.sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  server.on(event, (s: Socket) => {
    t.connections++;
    t.sockets.add(s);
    s.on('close', () => t.sockets.delete(s));
    s.on('error', () => {});
    onSocket(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.port = (server.address() as { port: number }).port;
  return t;
}

export const echoServer = () => listen((s) => s.pipe(s));

export interface TestCert {
  key: string;
  cert: string;
}

export async function makeCert(): Promise<TestCert> {
  const made = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: made.private, cert: made.cert };
}

/** Implicit TLS: answers every line with "250 tls:<line>". */
export function tlsLineServer(cert: TestCert): Promise<TestServer> {
  const server = createTlsServer({ key: cert.key, cert: cert.cert });
  return listen(
    (s) => {
      s.write('220 implicit tls ready\r\n');
      onLines(s, (line) => s.write(`250 tls:${line}\r\n`));
    },
    server,
    'secureConnection',
  );
}

function onLines(s: Socket, handle: (line: string) => void): void {
  let buf = '';
  const onData = (d: Buffer) => {
    buf += d.toString('latin1');
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).replace(/\r$/, '');
      buf = buf.slice(i + 1);
      handle(line);
    }
  };
  s.on('data', onData);
}

export interface StartTlsServer extends TestServer {
  /** Lines received in plaintext after STARTTLS and before the handshake (must stay empty). */
  plaintextAfterStartTls: string[];
  linesInTls: string[];
}

/**
 * SMTP-like: greets, EHLO lists STARTTLS, STARTTLS answers "220 go ahead" (plus `inject` in the
 * same write, as a man in the middle would) and then upgrades the same socket to TLS.
 */
export async function startTlsServer(cert: TestCert, inject = ''): Promise<StartTlsServer> {
  const plaintextAfterStartTls: string[] = [];
  const linesInTls: string[] = [];
  const t = await listen((s) => {
    s.write('220 test ESMTP\r\n');
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString('latin1');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).replace(/\r$/, '');
        buf = buf.slice(i + 1);
        if (/^EHLO/i.test(line)) s.write('250-test\r\n250 STARTTLS\r\n');
        else if (/^STARTTLS$/i.test(line)) {
          s.removeListener('data', onData);
          if (buf) plaintextAfterStartTls.push(buf);
          s.write(`220 go ahead\r\n${inject}`);
          const secure = new TLSSocket(s, { isServer: true, key: cert.key, cert: cert.cert });
          secure.on('error', () => {});
          onLines(secure, (l) => {
            linesInTls.push(l);
            secure.write(`250 tls:${l}\r\n`);
          });
          return;
        } else s.write(`250 plain:${line}\r\n`);
      }
    };
    s.on('data', onData);
  });
  return Object.assign(t, { plaintextAfterStartTls, linesInTls });
}

/** Config for remote loopback targets in tests: allowlisted, private allowed, port a mail port. */
export function remoteConfig(...ports: number[]): TestConfig {
  return { allow: ports.map((port) => ({ host: '127.0.0.1', port })), allowPrivate: true, mailPorts: ports };
}
