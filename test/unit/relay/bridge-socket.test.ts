// BridgeWebSocket.sendReplyNow over a real loopback WebSocket: the frames it builds by hand are
// read by ws's own client as the same binary messages, in order with ws.send's, at every length
// class of RFC 6455 section 5.2; it declines (and the caller falls back to send) when the
// message would not fit one short frame or when anything is still queued before it.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { BridgeWebSocket } from '../../../bridge/relay/bridge-socket.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A server-side BridgeWebSocket and a ws client that records every message it receives. */
async function pair(): Promise<{ server: BridgeWebSocket; got: { binary: boolean; bytes: Buffer }[] }> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false, WebSocket: BridgeWebSocket });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const port = (http.address() as { port: number }).port;
  const serverSide = new Promise<BridgeWebSocket>((r) => wss.once('connection', (ws) => r(ws as BridgeWebSocket)));
  const client = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
  const got: { binary: boolean; bytes: Buffer }[] = [];
  client.on('message', (d: Buffer, binary: boolean) => got.push({ binary, bytes: Buffer.from(d) }));
  await new Promise<void>((r, j) => (client.once('open', () => r()), client.once('error', j)));
  cleanups.push(async () => {
    client.terminate();
    wss.close();
    await new Promise((r) => http.close(r));
  });
  return { server: await serverSide, got };
}

const bytesOf = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('BridgeWebSocket.sendReplyNow', () => {
  it('sends 0 to 65,535 bytes as one binary message each, in order with ws.send', async () => {
    const { server, got } = await pair();
    const lengths = [0, 1, 6, 125, 126, 127, 4096, 65535];
    const sent: { binary: boolean; bytes: Buffer }[] = [];
    for (const [i, n] of lengths.entries()) {
      const b = bytesOf(n, i);
      expect(server.sendReplyNow(b)).toBe(true);
      sent.push({ binary: true, bytes: b });
      server.send(`after ${n}`); // a control message between replies keeps its place
      sent.push({ binary: false, bytes: Buffer.from(`after ${n}`) });
    }
    await until(() => got.length === sent.length);
    expect(got).toEqual(sent);
  });

  it('declines a payload above 65,535 bytes, which needs the 8-byte length', async () => {
    const { server } = await pair();
    expect(server.sendReplyNow(Buffer.alloc(65536))).toBe(false);
  });

  it('declines while bytes are still queued, so a reply never overtakes them', async () => {
    const { server, got } = await pair();
    const socket = (server as unknown as { _socket: Socket })._socket;
    socket.cork(); // what ws.send writes now waits in the socket, as under backpressure
    server.send(bytesOf(10, 1));
    expect(server.bufferedAmount).toBeGreaterThan(0);
    expect(server.sendReplyNow(bytesOf(5, 2))).toBe(false);
    server.send(bytesOf(5, 2)); // the fallback, as the session does
    socket.uncork();
    await until(() => got.length === 2);
    expect(got.map((g) => g.bytes)).toEqual([bytesOf(10, 1), bytesOf(5, 2)]);
  });

  it('declines once the WebSocket is closing', async () => {
    const { server } = await pair();
    server.close(1000);
    expect(server.sendReplyNow(bytesOf(3, 0))).toBe(false);
  });
});
