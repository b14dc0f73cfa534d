// The slab reader over real loopback sockets: every byte the server wrote comes out once and in
// order; a reply is framed at once; a burst is framed per event-loop turn, up to the cap; and a
// frame's bytes stay intact until its send is done, even while the socket reads on and slabs are
// recycled for other sockets.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SlabReader, type FrameDone } from '../../../bridge/relay/slab-reader.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A loopback server that runs `serve` on its one connection. */
async function serverDoing(serve: (s: Socket) => void): Promise<number> {
  const server = createServer(serve);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as { port: number }).port;
}

/** Byte i of the stream: a pattern that shows any byte out of place. */
const pattern = (from: number, n: number) => {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = ((from + i) * 7 + ((from + i) >> 11)) & 0xff;
  return b;
};

interface Read {
  frames: { bytes: Buffer; copy: Buffer; done: FrameDone }[];
  ended: Promise<void>;
}

/** Reads the server through a SlabReader; frames are released only when `release` says so. */
function readThrough(port: number, frameCap: number, releaseAt: 'once-sent' | 'never' = 'once-sent'): Read {
  const frames: Read['frames'] = [];
  const reader: SlabReader = new SlabReader(
    frameCap,
    (n) => reader.keep(n),
    (bytes, done = () => {}) => {
      frames.push({ bytes, copy: Buffer.from(bytes), done });
      if (releaseAt === 'once-sent') setImmediate(done);
    },
    // A reply's bytes are the shared scratch memory, valid only during the call.
    (view) => frames.push({ bytes: Buffer.from(view), copy: Buffer.from(view), done: () => {} }),
  );
  const socket = connect({ port, host: '127.0.0.1', onread: reader.onread });
  const ended = new Promise<void>((r) =>
    socket.on('end', () => {
      reader.close();
      r();
    }),
  );
  return { frames, ended };
}

describe('SlabReader', () => {
  it('delivers 20 MB byte-exact and in order, in frames no larger than the cap', async () => {
    const TOTAL = 20 * 1024 * 1024;
    const port = await serverDoing((s) => {
      let sent = 0;
      const pump = () => {
        while (sent < TOTAL) {
          const n = Math.min(300_000, TOTAL - sent);
          const ok = s.write(pattern(sent, n));
          sent += n;
          if (!ok) return void s.once('drain', pump);
        }
        s.end();
      };
      pump();
    });
    const cap = 256 * 1024;
    const { frames, ended } = readThrough(port, cap);
    await ended;
    const all = Buffer.concat(frames.map((f) => f.copy));
    expect(all.length).toBe(TOTAL);
    expect(all.equals(pattern(0, TOTAL))).toBe(true);
    expect(Math.max(...frames.map((f) => f.bytes.length))).toBeLessThanOrEqual(cap);
    // A download is gathered: far fewer frames than Node's 64 KiB reads would make.
    expect(frames.length).toBeLessThan(TOTAL / (64 * 1024) / 2);
  });

  it('frames a short reply at once, as its own frame', async () => {
    const box: { server: Socket | null } = { server: null };
    const port = await serverDoing((s) => (box.server = s));
    const { frames } = readThrough(port, 256 * 1024);
    while (!box.server) await new Promise((r) => setTimeout(r, 5));
    const server = box.server;
    for (const line of ['+OK one\r\n', '+OK two\r\n', '+OK three\r\n']) {
      const before = frames.length;
      server.write(line);
      while (frames.length === before) await new Promise((r) => setTimeout(r, 2));
      expect(frames.at(-1)!.copy.toString()).toBe(line);
    }
    server.destroy();
  });

  it('never reuses a slab whose frame is still being sent, while two sockets read on', async () => {
    const TOTAL = 8 * 1024 * 1024;
    const port = await serverDoing((s) => {
      let sent = 0;
      const pump = () => {
        while (sent < TOTAL) {
          const ok = s.write(pattern(sent, 128 * 1024));
          sent += 128 * 1024;
          if (!ok) return void s.once('drain', pump);
        }
        s.end();
      };
      pump();
    });
    // One reader holds every frame unreleased; the other releases each at once, so slabs go
    // back to the pool and are taken again. The held frames must still hold their own bytes.
    const held = readThrough(port, 64 * 1024, 'never');
    const busy = readThrough(port, 64 * 1024);
    await Promise.all([held.ended, busy.ended]);
    for (const r of [held, busy]) {
      expect(Buffer.concat(r.frames.map((f) => f.copy)).equals(pattern(0, TOTAL))).toBe(true);
    }
    for (const f of held.frames) expect(f.bytes.equals(f.copy)).toBe(true);
    for (const f of held.frames) f.done();
  });
});
