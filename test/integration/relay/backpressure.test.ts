// Backpressure both ways with 50 MB on offer: a stalled reader on either side must stop the
// writer on the other (only kernel socket buffers fill), the bridge's own memory stays bounded,
// and when the reader resumes every byte arrives in order.
import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, remoteConfig, startBridge, TestClient, type TestBridge, type TestServer } from './helpers.ts';

const TOTAL = 50 * 1024 * 1024;
const BLOCK = randomBytes(256 * 1024);
const expectedHash = (() => {
  const h = createHash('sha256');
  for (let n = 0; n < TOTAL; n += BLOCK.length) h.update(BLOCK);
  return h.digest('hex');
})();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function poll(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
// Loopback kernel buffers (send + receive on both hops) can hold tens of MB when autotuned;
// what matters is that the writer is stopped well short of 50 MB and user-space stays small.
const IN_FLIGHT_BOUND = 32 * 1024 * 1024;
const USER_SPACE_BOUND = 12 * 1024 * 1024;

let server: TestServer;
let bridge: TestBridge;
let current: Socket | null = null;
beforeAll(async () => {
  server = await listen((s) => (current = s));
  bridge = await startBridge(remoteConfig(server.port));
});
afterAll(async () => {
  await bridge.close();
  await server.close();
});

async function openSession(): Promise<{ c: TestClient; s: Socket }> {
  current = null;
  const c = await TestClient.connect(bridge.wsUrl);
  c.json({ type: 'open', host: '127.0.0.1', port: server.port, tls: 'none' });
  await c.next('opened');
  await poll(() => current !== null, 'the server socket', 5000);
  const s = current!;
  return { c, s };
}

describe('backpressure with a stalled reader (50 MB)', { timeout: 90_000 }, () => {
  it('a stalled browser pauses the server socket; memory stays bounded; all bytes arrive', async () => {
    const { c, s } = await openSession();
    c.ws.pause(); // the browser stops reading
    const baseline = process.memoryUsage().arrayBuffers;
    let written = 0;
    let done = false;
    const pump = async () => {
      while (written < TOTAL) {
        written += BLOCK.length;
        if (!s.write(BLOCK)) await new Promise((r) => s.once('drain', r));
      }
      done = true;
    };
    void pump();
    await sleep(1500);
    const stalledAt = written;
    let peak = 0;
    for (let i = 0; i < 5; i++) {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
      await sleep(100);
    }
    expect(done).toBe(false);
    expect(stalledAt).toBeLessThan(IN_FLIGHT_BOUND);
    expect(written).toBe(stalledAt); // the writer really is stopped, not just slow
    expect(peak).toBeLessThan(USER_SPACE_BOUND);

    const h = createHash('sha256');
    let got = 0;
    c.ws.removeAllListeners('message');
    c.ws.on('message', (d: Buffer) => {
      h.update(d);
      got += d.length;
    });
    c.ws.resume();
    await poll(() => got >= TOTAL, 'all 50 MB');
    expect(got).toBe(TOTAL);
    expect(h.digest('hex')).toBe(expectedHash);
    c.ws.close();
  });

  it('a stalled server pauses the WebSocket; memory stays bounded; all bytes arrive', async () => {
    const { c, s } = await openSession();
    s.pause(); // the server stops reading
    const baseline = process.memoryUsage().arrayBuffers;
    let offered = 0;
    let stop = false;
    const pump = async () => {
      while (offered < TOTAL && !stop) {
        if (c.ws.bufferedAmount > 1024 * 1024) {
          await sleep(5);
          continue;
        }
        c.bytes(BLOCK);
        offered += BLOCK.length;
      }
    };
    const pumping = pump();
    await sleep(1500);
    const accepted = offered - c.ws.bufferedAmount;
    let peak = 0;
    for (let i = 0; i < 5; i++) {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
      await sleep(100);
    }
    expect(offered).toBeLessThan(TOTAL);
    expect(accepted).toBeLessThan(IN_FLIGHT_BOUND);
    // Client, bridge and server share this process, and buffers already written may not be
    // collected yet on a loaded machine: the bound is half the 50 MB on offer, far below what an
    // unpaused relay would hold.
    expect(peak).toBeLessThan(TOTAL / 2);

    const h = createHash('sha256');
    let got = 0;
    s.on('data', (d: Buffer) => {
      h.update(d);
      got += d.length;
    });
    s.resume();
    await pumping;
    await poll(() => got >= TOTAL, 'all 50 MB at the server').finally(() => (stop = true));
    expect(got).toBe(TOTAL);
    expect(h.digest('hex')).toBe(expectedHash);
    c.ws.close();
  });
});
