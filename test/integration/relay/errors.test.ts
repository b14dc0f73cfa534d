// Every error code of the wire contract produced by a real cause on loopback. Policy refusals
// are checked to happen before any connection: the listening test server must see none.
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { has } from '../../helpers/peers.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  echoServer,
  listen,
  remoteConfig,
  startBridge,
  TestClient,
  type TestBridge,
  type TestServer,
} from './helpers.ts';

let echo: TestServer;
let resetter: TestServer;
let deadPort: number;
const bridges: TestBridge[] = [];
const bridge = async (c: Parameters<typeof startBridge>[0]) => {
  const b = await startBridge(c);
  bridges.push(b);
  return b;
};

beforeAll(async () => {
  echo = await echoServer();
  resetter = await listen((s) => {
    s.write('220 ready\r\n');
    s.on('data', (d: Buffer) => {
      if (d.toString().includes('RESET')) s.resetAndDestroy();
    });
  });
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  deadPort = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
});
afterAll(async () => {
  await Promise.all(bridges.map((b) => b.close()));
  await echo.close();
  await resetter.close();
});

async function openAndExpect(b: TestBridge, open: object, code: string) {
  const c = await TestClient.connect(b.wsUrl);
  c.json({ type: 'open', ...open });
  const err = await c.next('error');
  expect(err.code).toBe(code);
  expect(err.message.length).toBeGreaterThan(30);
  expect((await c.next('closed')).by).toBe('bridge');
  return { c, err };
}

describe('target policy (refused before any connect)', () => {
  it('TARGET_NOT_ALLOWED for a host:port not on the allow list', async () => {
    const b = await bridge({ allowPrivate: true, mailPorts: [echo.port] });
    const before = echo.connections;
    const { err } = await openAndExpect(b, { host: '127.0.0.1', port: echo.port, tls: 'none' }, 'TARGET_NOT_ALLOWED');
    expect(err.message).toContain(`--allow 127.0.0.1:${echo.port}`);
    expect(echo.connections).toBe(before);
  });

  it('PORT_NOT_ALLOWED for an allowlisted target on a port that is not a mail port', async () => {
    const b = await bridge({ allow: [{ host: '127.0.0.1', port: echo.port }], allowPrivate: true });
    const before = echo.connections;
    await openAndExpect(b, { host: '127.0.0.1', port: echo.port, tls: 'none' }, 'PORT_NOT_ALLOWED');
    expect(echo.connections).toBe(before);
  });

  it('ADDRESS_NOT_ALLOWED for allowlisted loopback targets (literal and by name) without --allow-private', async () => {
    const b = await bridge({
      allow: [
        { host: '127.0.0.1', port: echo.port },
        { host: 'localhost', port: echo.port },
      ],
      mailPorts: [echo.port],
    });
    const before = echo.connections;
    const { err } = await openAndExpect(b, { host: '127.0.0.1', port: echo.port, tls: 'none' }, 'ADDRESS_NOT_ALLOWED');
    expect(err.message).toContain('loopback');
    await openAndExpect(b, { host: 'localhost', port: echo.port, tls: 'none' }, 'ADDRESS_NOT_ALLOWED');
    expect(echo.connections).toBe(before);
  });

  it('DNS_FAILED for a name under .invalid', async () => {
    const b = await bridge({ allow: [{ host: 'no-such-host.invalid', port: 25 }] });
    const { err } = await openAndExpect(b, { host: 'no-such-host.invalid', port: 25, tls: 'none' }, 'DNS_FAILED');
    expect(err.message).toContain('no-such-host.invalid');
  });

  it('PRACTICE_UNAVAILABLE for a practice target when the practice server is off', async () => {
    const b = await bridge({});
    await openAndExpect(b, { target: 'practice/imap' }, 'PRACTICE_UNAVAILABLE');
  });
});

describe('connection failures', () => {
  it('CONNECT_REFUSED when nothing listens on the port', async () => {
    const b = await bridge(remoteConfig(deadPort));
    await openAndExpect(b, { host: '127.0.0.1', port: deadPort, tls: 'none' }, 'CONNECT_REFUSED');
  });

  it('CONNECTION_RESET then closed by "server" when the server resets mid-stream', async () => {
    const b = await bridge(remoteConfig(resetter.port));
    const c = await TestClient.connect(b.wsUrl);
    c.json({ type: 'open', host: '127.0.0.1', port: resetter.port, tls: 'none' });
    await c.waitForText('220 ready\r\n');
    c.bytes('RESET\r\n');
    expect((await c.next('error')).code).toBe('CONNECTION_RESET');
    expect((await c.next('closed')).by).toBe('server');
    const order = c.controls.map((m) => m.type);
    expect(order.indexOf('error')).toBeLessThan(order.indexOf('closed'));
  });

  // A listener whose accept queue is full drops new SYNs (Linux, tcp_abort_on_overflow = 0), so the
  // connect hangs exactly as it does behind a firewall that drops packets, without leaving loopback.
  it.skipIf(!has('python3'))(
    'CONNECT_TIMEOUT when the target never completes the TCP handshake (needs python3)',
    async () => {
      const script = [
        'import socket, sys, time',
        "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)",
        'port = s.getsockname()[1]; held = []',
        'for _ in range(4):',
        "    c = socket.socket(); c.setblocking(False); c.connect_ex(('127.0.0.1', port)); held.append(c)",
        'time.sleep(0.3); print(port, flush=True); sys.stdin.read()',
      ].join('\n');
      const full = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'ignore'] });
      try {
        const port = await new Promise<number>((resolve, reject) => {
          full.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
          full.once('exit', (code) => reject(new Error(`python3 exited with ${code}`)));
        });
        const b = await bridge({ ...remoteConfig(port), limits: { connectTimeoutMs: 400 } });
        const started = Date.now();
        const { err } = await openAndExpect(b, { host: '127.0.0.1', port, tls: 'none' }, 'CONNECT_TIMEOUT');
        expect(Date.now() - started).toBeGreaterThanOrEqual(350);
        expect(err.message).toContain('did not answer within 400 ms');
        expect(b.logs.some((l) => l.includes('"code":"CONNECT_TIMEOUT"'))).toBe(true);
      } finally {
        full.kill('SIGTERM');
      }
    },
  );

  it('TLS_FAILED when a server never answers the TLS handshake', async () => {
    const silent = await listen(() => {});
    try {
      const b = await bridge({ ...remoteConfig(silent.port), limits: { connectTimeoutMs: 300 } });
      const { err } = await openAndExpect(b, { host: '127.0.0.1', port: silent.port, tls: 'implicit' }, 'TLS_FAILED');
      expect(err.message).toContain('did not finish the TLS handshake');
    } finally {
      await silent.close();
    }
  });

  it('TLS_FAILED when implicit TLS meets a server that does not speak TLS', async () => {
    const b = await bridge(remoteConfig(echo.port));
    await openAndExpect(b, { host: '127.0.0.1', port: echo.port, tls: 'implicit' }, 'TLS_FAILED');
  });
});

describe('bridge shutdown', () => {
  it('INTERNAL to every open session, then closed by "bridge", and the server side is closed too', async () => {
    const b = await startBridge(remoteConfig(echo.port)); // closed here, not in afterAll
    const clients = await Promise.all([0, 1].map(() => TestClient.connect(b.wsUrl)));
    const before = new Set(echo.sockets);
    for (const c of clients) {
      c.json({ type: 'open', host: '127.0.0.1', port: echo.port, tls: 'none' });
      await c.next('opened');
    }
    await expect.poll(() => echo.sockets.size - before.size).toBe(2);
    const relayed = [...echo.sockets].filter((s) => !before.has(s));
    await b.close();
    for (const c of clients) {
      const err = await c.next('error');
      expect(err.code).toBe('INTERNAL');
      expect(err.message).toBe('The bridge is shutting down.');
      expect((await c.next('closed')).by).toBe('bridge');
    }
    await expect.poll(() => relayed.filter((s) => !s.destroyed).length).toBe(0);
    expect(relayed).toHaveLength(2);
  });
});

describe('malformed input and limits', () => {
  it('BAD_MESSAGE for malformed JSON and unknown types, and the session stays usable', async () => {
    const b = await bridge(remoteConfig(echo.port));
    const c = await TestClient.connect(b.wsUrl);
    c.ws.send('{"type": "open", oops');
    c.ws.send('{"type":"teleport"}');
    await c.until(() => c.controls.filter((m) => m.type === 'error').length === 2, 'two errors');
    expect(c.controls.map((m) => m.type === 'error' && m.code)).toEqual(['BAD_MESSAGE', 'BAD_MESSAGE']);
    c.json({ type: 'open', host: '127.0.0.1', port: echo.port, tls: 'none' });
    await c.next('opened');
    c.bytes('still here\r\n');
    await c.waitForText('still here\r\n');
    c.ws.close();
  });

  it('FRAME_TOO_LARGE for a frame above the configured maximum', async () => {
    const b = await bridge({ ...remoteConfig(echo.port), limits: { maxFrameBytes: 4096 } });
    const c = await TestClient.connect(b.wsUrl);
    c.json({ type: 'open', host: '127.0.0.1', port: echo.port, tls: 'none' });
    await c.next('opened');
    c.bytes(Buffer.alloc(4096, 0x41)); // exactly the limit passes
    await c.until(() => c.received === 4096, 'the echo of 4096 bytes');
    c.bytes(Buffer.alloc(4097, 0x42));
    const err = await c.next('error');
    expect(err.code).toBe('FRAME_TOO_LARGE');
    expect(err.message).toContain('4096');
    await c.next('closed');
    expect(c.text()).not.toContain('B');
  });

  it('LIMIT_REACHED for sessions per client and in total', async () => {
    const per = await bridge({ limits: { sessionsPerClient: 2 } });
    const a = await TestClient.connect(per.wsUrl);
    const b2 = await TestClient.connect(per.wsUrl);
    const third = await TestClient.connect(per.wsUrl);
    expect((await third.next('error')).code).toBe('LIMIT_REACHED');
    await third.closed();
    a.ws.close();
    await a.closed();
    await new Promise((r) => setTimeout(r, 50));
    const again = await TestClient.connect(per.wsUrl); // a slot was given back
    again.json({ type: 'starttls' });
    expect((await again.next('error')).code).toBe('BAD_STATE');
    b2.ws.close();
    again.ws.close();

    const total = await bridge({ limits: { maxSessions: 1 } });
    const one = await TestClient.connect(total.wsUrl);
    const two = await TestClient.connect(total.wsUrl);
    const err = await two.next('error');
    expect(err.code).toBe('LIMIT_REACHED');
    expect(err.message).toContain('limit');
    one.ws.close();
  });

  it('IDLE_TIMEOUT closes a session with no traffic', async () => {
    const b = await bridge({ ...remoteConfig(echo.port), limits: { idleTimeoutMs: 300 } });
    const c = await TestClient.connect(b.wsUrl);
    c.json({ type: 'open', host: '127.0.0.1', port: echo.port, tls: 'none' });
    await c.next('opened');
    const started = Date.now();
    expect((await c.next('error')).code).toBe('IDLE_TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect((await c.next('closed')).by).toBe('bridge');
  });

  it('LIFETIME_EXCEEDED closes a busy session at its maximum age', async () => {
    const b = await bridge({ ...remoteConfig(echo.port), limits: { lifetimeMs: 600, idleTimeoutMs: 10_000 } });
    const c = await TestClient.connect(b.wsUrl);
    c.json({ type: 'open', host: '127.0.0.1', port: echo.port, tls: 'none' });
    await c.next('opened');
    const busy = setInterval(() => c.ws.readyState === c.ws.OPEN && c.bytes('x'), 50);
    try {
      expect((await c.next('error')).code).toBe('LIFETIME_EXCEEDED');
    } finally {
      clearInterval(busy);
    }
    expect(c.received).toBeGreaterThan(3); // it was not idle
  });
});

describe('Origin check', () => {
  it('refuses a foreign Origin with HTTP 403 (ORIGIN_NOT_ALLOWED) and accepts its own and configured ones', async () => {
    const b = await bridge({ allowedOrigins: ['http://localhost:5173'] });
    const port = new URL(b.url).port;
    await expect(TestClient.connect(b.wsUrl, 'http://evil.example')).rejects.toMatchObject({ status: 403 });
    await expect(TestClient.connect(b.wsUrl, `http://rebound.example:${port}`)).rejects.toMatchObject({ status: 403 });
    expect(b.logs.some((l) => l.includes('ORIGIN_NOT_ALLOWED'))).toBe(true);
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, 'http://localhost:5173']) {
      const c = await TestClient.connect(b.wsUrl, origin);
      c.ws.close();
    }
    // the refusal explains itself to a client that reads the body
    const raw = await new Promise<string>((resolve) => {
      const sock = connect(Number(port), '127.0.0.1', () => {
        sock.write(
          `GET /bridge HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nOrigin: http://evil.example\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
        );
      });
      let text = '';
      sock.on('data', (d) => (text += d.toString()));
      sock.on('close', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 403 /);
    expect(raw).toContain('ORIGIN_NOT_ALLOWED');
  });
});
