// Plain TCP relaying through the real bridge: a line and its reply, 10 MB byte-exact both ways,
// the order of close messages, and the browser-side BridgeSocket driven by `ws`.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { BridgeSocket, type WebSocketConstructor } from '../../../app/src/bridge/socket.ts';
import type { ClosedMessage, ErrorMessage, OpenedMessage } from '../../../app/src/wire/messages.ts';
import {
  echoServer,
  listen,
  remoteConfig,
  startBridge,
  TestClient,
  type TestBridge,
  type TestServer,
} from './helpers.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('plain TCP relay', () => {
  let echo: TestServer;
  let sink: TestServer;
  let sinkData: Buffer[] = [];
  let bridge: TestBridge;
  beforeAll(async () => {
    echo = await echoServer();
    sink = await listen((s) => {
      sinkData = [];
      s.on('data', (d: Buffer) => sinkData.push(d));
      s.on('end', () => s.end('done\r\n'));
    });
    bridge = await startBridge(remoteConfig(echo.port, sink.port));
  });
  afterAll(async () => {
    await bridge.close();
    await echo.close();
    await sink.close();
  });

  it('opens, reports the dialled address, relays a line and its echo', async () => {
    const c = await TestClient.connect(bridge.wsUrl);
    c.json({ type: 'open', host: '127.0.0.1', port: echo.port, tls: 'none' });
    const opened = await c.next('opened');
    expect(opened.remote).toEqual({
      target: `127.0.0.1:${echo.port}`,
      host: '127.0.0.1',
      port: echo.port,
      address: '127.0.0.1',
      family: 'IPv4',
    });
    expect(opened.tls).toBeNull();
    c.bytes('NOOP\r\n');
    await c.waitForText('NOOP\r\n');
    c.json({ type: 'close' });
    const closed = await c.next('closed');
    expect(closed.by).toBe('client');
    expect(await c.closed()).toBe(1000);
  });

  it('carries 10 MB of random bytes byte-exact both ways', async () => {
    const payload = randomBytes(10 * 1024 * 1024);
    const c = await TestClient.connect(bridge.wsUrl);
    c.json({ type: 'open', host: '127.0.0.1', port: echo.port, tls: 'none' });
    await c.next('opened');
    for (let at = 0; at < payload.length; at += 256 * 1024) {
      c.bytes(payload.subarray(at, at + 256 * 1024));
      // the client honours its own backpressure, as the app does
      while (c.ws.bufferedAmount > 4 * 1024 * 1024) await new Promise((r) => setTimeout(r, 5));
    }
    await c.until(() => c.received >= payload.length, 'all echoed bytes', 30_000);
    const back = Buffer.concat(c.chunks);
    expect(back.length).toBe(payload.length);
    expect(sha(back)).toBe(sha(payload));
    c.ws.close();
  });

  it('reports a server close as closed by "server" after the last bytes', async () => {
    const c = await TestClient.connect(bridge.wsUrl);
    c.json({ type: 'open', host: '127.0.0.1', port: sink.port, tls: 'none' });
    await c.next('opened');
    c.bytes('QUIT\r\n');
    c.json({ type: 'close' });
    // the bridge half-closes towards the server, which answers "done" and closes
    await c.next('closed');
    expect(c.controls.find((m) => m.type === 'closed')).toMatchObject({ by: 'client' });
    await c.until(() => sinkData.length > 0, 'sink data');
    expect(Buffer.concat(sinkData).toString()).toBe('QUIT\r\n');
  });

  it('logs events without payload bytes', async () => {
    const c = await TestClient.connect(bridge.wsUrl);
    c.json({ type: 'open', host: '127.0.0.1', port: echo.port, tls: 'none' });
    await c.next('opened');
    c.bytes('AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n');
    await c.waitForText('AGFsaWNl');
    c.json({ type: 'close' });
    await c.closed();
    const all = bridge.logs.join('\n');
    expect(all).toContain('relay.connect');
    expect(all).not.toContain('AGFsaWNl');
    expect(all).not.toContain('AUTH');
  });

  it('BridgeSocket (the app side) opens, sends, receives and closes', async () => {
    const sock = new BridgeSocket(bridge.wsUrl, WebSocket as unknown as WebSocketConstructor);
    const events: string[] = [];
    const got: Uint8Array[] = [];
    const opened = new Promise<OpenedMessage>((r) => (sock.onOpened = r));
    const closed = new Promise<ClosedMessage>((r) => (sock.onClosed = r));
    sock.onData = (b) => got.push(b);
    sock.onError = (e: ErrorMessage) => events.push(e.code);
    sock.open({ host: '127.0.0.1', port: echo.port }); // before the WebSocket is even open: queued
    const o = await opened;
    expect(o.remote.port).toBe(echo.port);
    expect(sock.state).toBe('open');
    sock.send('EHLO app\r\n');
    const big = new Uint8Array(200_000).map((_, i) => i % 251);
    sock.send(big); // split into frames under the bridge's limit
    const total = 10 + big.length;
    const deadline = Date.now() + 5000;
    while (got.reduce((n, b) => n + b.length, 0) < total && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    const all = Buffer.concat(got);
    expect(all.subarray(0, 10).toString()).toBe('EHLO app\r\n');
    expect(Buffer.compare(all.subarray(10), Buffer.from(big))).toBe(0);
    sock.close();
    expect((await closed).by).toBe('client');
    expect(sock.state).toBe('closed');
    expect(events).toEqual([]);
  });

  it('BridgeSocket reports an error code from the bridge', async () => {
    const sock = new BridgeSocket(bridge.wsUrl, WebSocket as unknown as WebSocketConstructor);
    const error = new Promise<ErrorMessage>((r) => (sock.onError = r));
    const closed = new Promise<ClosedMessage>((r) => (sock.onClosed = r));
    sock.open({ target: 'practice/smtp' }); // this bridge runs without the practice server
    expect((await error).code).toBe('PRACTICE_UNAVAILABLE');
    expect((await closed).by).toBe('bridge');
  });
});
