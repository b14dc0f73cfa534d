// The robustness suite's subject: mailwire as `npm start` runs it (bridge/main.ts in its own
// process, practice server on free ports, a temp data dir), so a crash is a real exit and not a
// failed test worker. After each hostile case, `wellFormedSession` proves another client (from
// another loopback address, 127.0.0.2) still gets a practice SMTP greeting through the bridge.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';

const root = join(import.meta.dirname, '../..');
const FREE_PRACTICE_PORTS = ['smtp', 'submission', 'smtps', 'imap', 'imaps', 'pop3', 'pop3s', 'dns'].flatMap((p) => [
  `--${p}-port`,
  '0',
]);

export interface Mailwire {
  proc: ChildProcess;
  url: string;
  port: number;
  /** Practice ports by target name, e.g. practice/smtp. */
  practice: Record<string, number>;
  out(): string;
  err(): string;
  alive(): boolean;
  stop(): Promise<void>;
}

export async function startMailwireProcess(args: string[] = []): Promise<Mailwire> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mw-robust-'));
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'bridge/main.ts', '--port', '0', '--data-dir', dataDir, ...FREE_PRACTICE_PORTS, ...args],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no start-up summary: ${out}\n${err}`)), 30_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/practice\/pop3s +127\.0\.0\.1:\d+/.test(out)) {
        clearTimeout(t);
        resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`exited ${code}: ${out}\n${err}`)));
  });
  const url = /open (http:\/\/\S+)/.exec(out)![1]!;
  const practice: Record<string, number> = {};
  for (const m of out.matchAll(/(practice\/\w+) +127\.0\.0\.1:(\d+)/g)) practice[m[1]!] = Number(m[2]);
  return {
    proc,
    url,
    port: Number(new URL(url).port),
    practice,
    out: () => out,
    err: () => err,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exit = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exit;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A well-formed session from another client address: WebSocket to /bridge from 127.0.0.2, open
 * practice/smtp, read the 220 greeting. Rejects if that takes more than `withinMs`.
 */
export function wellFormedSession(mw: Mailwire, withinMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${mw.port}/bridge`, { localAddress: '127.0.0.2' });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(
        new Error(`no practice SMTP greeting through the bridge within ${withinMs} ms (process alive: ${mw.alive()})`),
      );
    }, withinMs);
    let text = '';
    ws.on('open', () => ws.send(JSON.stringify({ type: 'open', target: 'practice/smtp' })));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return;
      text += data.toString('latin1');
      if (/^220 .*\r\n/.test(text)) {
        clearTimeout(timer);
        ws.close();
        resolve(text);
      }
    });
    ws.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** A plain GET from 127.0.0.2; resolves to the status and headers. */
export function httpGet(
  mw: Mailwire,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: mw.port, path, headers, localAddress: '127.0.0.2' }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends raw bytes to a port on 127.0.0.1 and collects what comes back until close or `waitMs`. */
export function rawExchange(port: number, bytes: Buffer | string, waitMs = 1500): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let got = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, waitMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    socket.on('error', done);
    socket.on('close', done);
  });
}

/** One frame as the bridge sent it (server frames are never masked, RFC 6455 section 5.1). */
export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/** Splits server-to-client bytes into frames; returns the frames and the unparsed rest. */
export function parseFrames(bytes: Buffer): { frames: ServerFrame[]; rest: Buffer } {
  const frames: ServerFrame[] = [];
  let at = 0;
  for (;;) {
    if (bytes.length - at < 2) break;
    let len = bytes[at + 1]! & 0x7f;
    let head = 2;
    if (len === 126) {
      if (bytes.length - at < 4) break;
      len = bytes.readUInt16BE(at + 2);
      head = 4;
    } else if (len === 127) {
      if (bytes.length - at < 10) break;
      len = Number(bytes.readBigUInt64BE(at + 2));
      head = 10;
    }
    if (bytes.length - at < head + len) break;
    frames.push({ opcode: bytes[at]! & 0x0f, payload: bytes.subarray(at + head, at + head + len) });
    at += head + len;
  }
  return { frames, rest: bytes.subarray(at) };
}

/** A client frame, masked as RFC 6455 section 5.3 requires (the mask is fixed: tests, not secrecy). */
export function clientFrame(opcode: number, payload: Buffer, declaredLength = payload.length): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const head =
    declaredLength < 126
      ? Buffer.from([0x80 | opcode, 0x80 | declaredLength])
      : declaredLength < 65536
        ? Buffer.from([0x80 | opcode, 0x80 | 126, declaredLength >> 8, declaredLength & 0xff])
        : Buffer.concat([
            Buffer.from([0x80 | opcode, 0x80 | 127]),
            (() => {
              const b = Buffer.alloc(8);
              b.writeBigUInt64BE(BigInt(declaredLength));
              return b;
            })(),
          ]);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i & 3]!;
  return Buffer.concat([head, mask, body]);
}

/** A WebSocket to /bridge over a plain TCP socket, so a test can stop reading or send any bytes. */
export function rawWebSocket(port: number): Promise<{ socket: Socket; leftover: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let got = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      got = Buffer.concat([got, d]);
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.pause();
      const head = got.subarray(0, end).toString('latin1');
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`no upgrade: ${head}`));
      resolve({ socket, leftover: got.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.on('error', reject);
    socket.on('connect', () =>
      socket.write(
        `GET /bridge HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      ),
    );
  });
}

/** Waits until `check()` holds, polling; rejects with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
