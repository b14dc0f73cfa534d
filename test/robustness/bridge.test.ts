// Issue 11, bridge side: hostile WebSocket clients. Each case runs against mailwire in its own
// process; after each, a well-formed session from another address must get its greeting within 2 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientFrame,
  eventually,
  parseFrames,
  rawWebSocket,
  startMailwireProcess,
  wellFormedSession,
  type Mailwire,
  type ServerFrame,
} from './harness.ts';

let mw: Mailwire;
beforeAll(async () => {
  mw = await startMailwireProcess();
}, 60_000);
afterAll(async () => mw?.stop());

/** Reads everything the bridge sends on `socket` until it closes the connection. */
function readToClose(socket: import('node:net').Socket, first: Buffer, timeoutMs = 10_000): Promise<ServerFrame[]> {
  return new Promise((resolve, reject) => {
    const parts = [first];
    const timer = setTimeout(() => reject(new Error('the bridge did not close the connection')), timeoutMs);
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseFrames(Buffer.concat(parts)).frames);
    });
    socket.resume();
  });
}

const texts = (frames: ServerFrame[]) =>
  frames.filter((f) => f.opcode === 1).map((f) => JSON.parse(f.payload.toString()) as { type: string; code?: string });
const closeCode = (frames: ServerFrame[]) => {
  const close = frames.find((f) => f.opcode === 8);
  return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : null;
};

describe('hostile WebSocket clients', () => {
  it('a client that never reads and sends 2 million malformed frames is closed with LIMIT_REACHED', async () => {
    const { socket, leftover } = await rawWebSocket(mw.port);
    const one = clientFrame(1, Buffer.from('x')); // not JSON: each one earns a BAD_MESSAGE reply
    const batch = Buffer.concat(Array.from({ length: 100_000 }, () => one));
    socket.on('error', () => {});
    for (let i = 0; i < 20; i++) socket.write(batch);
    // The bridge logs the refusal; only then does this client start reading.
    await eventually(() => mw.err().includes('"LIMIT_REACHED"'), 'relay.error LIMIT_REACHED in the log', 30_000);
    const frames = await readToClose(socket, leftover);
    const controls = texts(frames);
    expect(controls.filter((m) => m.code === 'BAD_MESSAGE').length).toBeGreaterThan(100);
    expect(controls.filter((m) => m.code === 'LIMIT_REACHED')).toHaveLength(1);
    expect(mw.alive()).toBe(true);
    expect(await wellFormedSession(mw)).toMatch(/^220 /);
  }, 60_000);

  it('a frame above the 4 MiB hard cap gets an error frame FRAME_TOO_LARGE, then close code 1009', async () => {
    const { socket, leftover } = await rawWebSocket(mw.port);
    socket.write(clientFrame(2, Buffer.alloc(1000, 0x41), 5 * 1024 * 1024));
    const frames = await readToClose(socket, leftover);
    const error = texts(frames).find((m) => m.type === 'error');
    expect(error).toMatchObject({ type: 'error', code: 'FRAME_TOO_LARGE' });
    expect(closeCode(frames)).toBe(1009);
    expect(frames.findIndex((f) => f.opcode === 1)).toBeLessThan(frames.findIndex((f) => f.opcode === 8));
    expect(await wellFormedSession(mw)).toMatch(/^220 /);
  });
});
