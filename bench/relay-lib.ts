// Helpers for bench/relay.ts: loopback target servers, relays as child processes (mailwire's
// bridge and websockify), clients for each path, and memory readings from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { randomBytes, randomFillSync } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** What the bulk target sends, over and over: byte i of the stream is `bulkByte(i)`. */
export const bulkByte = (i: number) => (i % (1024 * 1024)) % 251;
export const BULK_BLOCK = Buffer.from(Array.from({ length: 1024 * 1024 }, (_, i) => bulkByte(i)));

/**
 * Bytes per throughput run (RELAY_BENCH_MB, default 256 MiB): at the ~1 GB/s of a loopback relay
 * here a 50 MB run lasted 50 ms, the scale of a scheduler hiccup and of /proc's 10 ms CPU ticks,
 * and the TCP windows were still opening; a quarter of a second or more measures the steady state.
 */
export const BULK_TOTAL = Number(process.env.RELAY_BENCH_MB ?? 256) * 1024 * 1024;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function listenOn(onSocket: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => {
    s.setNoDelay(true);
    s.on('error', () => {});
    onSocket(s);
  });
  server.maxConnections = 100_000;
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => r()));
  return { server, port: (server.address() as { port: number }).port };
}

export async function freePort(): Promise<number> {
  const { server, port } = await listenOn(() => {});
  await new Promise((r) => server.close(r));
  return port;
}

/** A child process with a PID, output redirected, stopped by that PID. */
export interface Child {
  proc: ChildProcess;
  stop(): Promise<void>;
}

function child(proc: ChildProcess): Child {
  return {
    proc,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      try {
        process.kill(-proc.pid!, 'SIGTERM'); // its own process group (websockify forks one per session)
      } catch {
        proc.kill('SIGTERM');
      }
      await Promise.race([exited, sleep(3000)]);
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    },
  };
}

/** mailwire's bridge in a child process with a raised descriptor limit (bench only). */
export async function startBridgeChild(targetPorts: number[]): Promise<Child & { wsUrl: string; pid: number }> {
  const allow = targetPorts.map((p) => `127.0.0.1:${p}`).join(',');
  const args = [
    '--port',
    '0',
    '--no-practice',
    '--quiet',
    '--allow-private',
    '--allow',
    allow,
    '--mail-ports',
    targetPorts.join(','),
    '--sessions-per-client',
    '100000',
    '--max-sessions',
    '100000',
    '--idle-timeout',
    '3600000',
  ];
  // For profiling: BENCH_BRIDGE_NODE_ARGS adds node flags (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"),
  // BENCH_BRIDGE_ENTRY replaces the entry point (e.g. a bundle of bridge/main.ts, to see what tsx costs).
  const entry = process.env.BENCH_BRIDGE_ENTRY ?? '--import tsx bridge/main.ts';
  const cmd = `ulimit -n 20000; exec node ${process.env.BENCH_BRIDGE_NODE_ARGS ?? ''} ${entry} ${args.join(' ')}`;
  const proc = spawn('bash', ['-c', cmd], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  const wsUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`bridge did not start: ${out}`)), 30_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /bridge WebSocket: (\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => reject(new Error(`bridge exited with ${code}: ${out}`)));
  });
  proc.stdout!.resume();
  return { ...child(proc), wsUrl, pid: proc.pid! };
}

/** A relay script of bench/ in its own process, relaying to one fixed port; it prints its own port. */
async function startScriptRelay(
  script: string,
  targetPort: number,
  nodeArgs = '',
): Promise<Child & { port: number; pid: number }> {
  const proc = spawn('bash', ['-c', `ulimit -n 20000; exec node ${nodeArgs} --import tsx ${script} ${targetPort}`], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(Number(out.split('\n')[0]));
    });
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  proc.stdout!.resume();
  return { ...child(proc), port, pid: proc.pid! };
}

/** The bare `ws` relay of relay-bare-lib.ts (BENCH_BARE_NODE_ARGS adds node flags, for profiling). */
export async function startBareWs(targetPort: number): Promise<Child & { wsUrl: string; pid: number }> {
  const relay = await startScriptRelay('bench/relay-bare-lib.ts', targetPort, process.env.BENCH_BARE_NODE_ARGS ?? '');
  return { ...relay, wsUrl: `ws://127.0.0.1:${relay.port}/` };
}

/** The plain TCP relay of relay-plain-lib.ts: the floor below any WebSocket relay. */
export const startPlainTcpRelay = (targetPort: number) => startScriptRelay('bench/relay-plain-lib.ts', targetPort);

/** The target servers (echo, bulk) in their own process with a raised descriptor limit. */
export async function startTargetsChild(): Promise<Child & { echo: number; bulk: number }> {
  const proc = spawn('bash', ['-c', 'ulimit -n 20000; exec node --import tsx bench/relay-targets-lib.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  const ports = await new Promise<{ echo: number; bulk: number }>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as { echo: number; bulk: number });
    });
    proc.once('exit', (code) => reject(new Error(`target servers exited with ${code}`)));
  });
  proc.stdout!.resume();
  return { ...child(proc), ...ports };
}

/** An installed program that listens on `port` once it is up (websockify, socat), in its own process group. */
async function startListening(command: string, port: number): Promise<(Child & { port: number; pid: number }) | null> {
  const proc = spawn('bash', ['-c', `ulimit -n 20000; exec ${command}`], { stdio: 'ignore', detached: true });
  for (let i = 0; i < 100; i++) {
    await sleep(100);
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1', () => (s.destroy(), r(true)));
      s.on('error', () => r(false));
    });
    if (ok) return { ...child(proc), port, pid: proc.pid! };
  }
  await child(proc).stop();
  return null;
}

export async function startWebsockify(targetPort: number): Promise<(Child & { wsUrl: string; pid: number }) | null> {
  const port = await freePort();
  const relay = await startListening(`websockify 127.0.0.1:${port} 127.0.0.1:${targetPort}`, port);
  return relay && { ...relay, wsUrl: `ws://127.0.0.1:${port}/` };
}

/** socat, a TCP relay written in C (Debian package socat), as a second floor when installed. */
export async function startSocat(targetPort: number): Promise<(Child & { port: number; pid: number }) | null> {
  const port = await freePort();
  return startListening(
    `socat TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork,backlog=4096 TCP:127.0.0.1:${targetPort},nodelay`,
    port,
  );
}

/** An idle session over a relay WebSocket (the memory test): mailwire needs an `open` first, the others do not. */
export async function relayStream(kind: RelayKind, wsUrl: string, targetPort: number): Promise<WebSocket> {
  const ws = new WebSocket(wsUrl, kind === 'websockify' ? ['binary'] : [], { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  if (kind === 'mailwire') {
    ws.send(JSON.stringify({ type: 'open', host: '127.0.0.1', port: targetPort, tls: 'none' }));
    await new Promise<void>((resolve, reject) => {
      ws.once('message', (d: Buffer) => {
        const m = JSON.parse(d.toString()) as { type: string; message?: string };
        if (m.type === 'opened') resolve();
        else reject(new Error(`open failed: ${m.message}`));
      });
    });
  }
  return ws;
}

/** Proportional set size (shared pages split fairly) of a process and all its descendants, bytes. */
export function treePss(pid: number): number {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid)!.push(Number(name));
    } catch {
      /* exited */
    }
  }
  let total = 0;
  const visit = (p: number) => {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
      total += Number(m?.[1] ?? 0) * 1024;
    } catch {
      /* exited */
    }
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return total;
}

export function rss(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function installed(program: 'websockify' | 'socat'): boolean {
  try {
    readFileSync(`/usr/bin/${program}`);
    return true;
  } catch {
    return false;
  }
}

/**
 * CPU time (user + system) a process has used so far, in ms; with `reaped`, that of its children
 * that have exited and been waited for too (websockify and socat serve each connection in a child).
 */
export function cpuMs(pid: number, reaped = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const ticks = f[11]! + f[12]! + (reaped ? f[13]! + f[14]! : 0);
  return (ticks * 1000) / 100; // clock ticks, USER_HZ = 100 on Linux
}

/**
 * A download over a relay WebSocket, read by a client that only parses frame headers (RFC 6455
 * section 5.2) and counts payload bytes, checking the first and last byte of each piece against
 * the bulk target's pattern. The throughput test reads every relay with it and the TCP paths
 * with a socket that does the same, so the figures measure the relays, not a client library
 * (a `ws` client allocates and copies every frame: up to half the CPU of the relay it measures).
 */
export interface Download {
  /** Payload bytes so far, and whether any byte was out of place. */
  onBytes(cb: (n: number) => void): void;
  readonly corrupt: boolean;
  onEnd(cb: () => void): void;
  close(): void;
}

class PatternCheck {
  offset = 0;
  corrupt = false;
  see(b: Buffer, start: number, end: number): number {
    const n = end - start;
    if (n <= 0) return 0;
    if (b[start] !== bulkByte(this.offset) || b[end - 1] !== bulkByte(this.offset + n - 1)) this.corrupt = true;
    this.offset += n;
    return n;
  }
}

/** A TCP download (direct, plain relay, socat) read the same way. */
export function tcpDownload(port: number): Promise<Download> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', noDelay: true }, () => {
      const check = new PatternCheck();
      resolve({
        onBytes: (cb) => s.on('data', (d: Buffer) => cb(check.see(d, 0, d.length))),
        get corrupt() {
          return check.corrupt;
        },
        onEnd: (cb) => s.on('close', cb),
        close: () => s.destroy(),
      });
    });
    s.once('error', reject);
  });
}

/** The same download through a WebSocket relay; mailwire's bridge is sent its `open` first. */
export const wsDownload = (kind: RelayKind, wsUrl: string, targetPort: number): Promise<Download> =>
  leanWebSocket(kind, wsUrl, targetPort, new PatternCheck());

/** A lean WebSocket stream that can also send: the round trip's client, for the same reason as above. */
export const wsStream = (kind: RelayKind, wsUrl: string, targetPort: number): Promise<LeanStream> =>
  leanWebSocket(kind, wsUrl, targetPort, null);

type RelayKind = 'mailwire' | 'websockify' | 'bare-ws';
export interface LeanStream extends Download {
  /** One binary frame, masked with a fresh key as every client frame must be (RFC 6455 section 5.3). */
  send(payload: Buffer): void;
}

// Masking keys come from a pool of random bytes, refilled when used up (as ws does).
const maskPool = Buffer.alloc(4096);
let maskAt = maskPool.length;

/** A client frame: FIN, the opcode, the masked length and key, then the masked payload (RFC 6455 section 5.2). */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  if (maskAt === maskPool.length) {
    randomFillSync(maskPool);
    maskAt = 0;
  }
  const head = payload.length < 126 ? 2 : 4;
  const frame = Buffer.allocUnsafe(head + 4 + payload.length);
  frame[0] = 0x80 | opcode;
  if (head === 2) frame[1] = 0x80 | payload.length;
  else {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(payload.length, 2);
  }
  maskPool.copy(frame, head, maskAt, maskAt + 4);
  maskAt += 4;
  for (let i = 0; i < payload.length; i++) frame[head + 4 + i] = payload[i]! ^ frame[head + (i & 3)]!;
  return frame;
}

function leanWebSocket(
  kind: RelayKind,
  wsUrl: string,
  targetPort: number,
  check: PatternCheck | null,
): Promise<LeanStream> {
  const url = new URL(wsUrl);
  return new Promise((resolve, reject) => {
    const s = connect({ port: Number(url.port), host: url.hostname, noDelay: true });
    s.once('error', reject);
    const key = randomBytes(16).toString('base64');
    const protocol = kind === 'websockify' ? 'Sec-WebSocket-Protocol: binary\r\n' : '';
    s.write(
      `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${protocol}\r\n`,
    );
    let onBytes: ((n: number) => void) | null = null;
    let early = 0; // payload bytes that came before the caller listened
    let head: Buffer = Buffer.alloc(0); // unparsed bytes: the HTTP response, or a frame header cut by a read
    let upgraded = false;
    let remaining = 0; // payload bytes of the current frame still to come
    let opcode = 0;
    let text = '';
    const dl: LeanStream = {
      onBytes: (cb) => {
        onBytes = cb;
        if (early > 0) cb(early);
      },
      get corrupt() {
        return check?.corrupt ?? false;
      },
      onEnd: (cb) => s.on('close', cb),
      close: () => s.destroy(),
      send: (payload) => s.write(clientFrame(0x2, payload)),
    };
    const ready = () => {
      if (kind !== 'mailwire') return resolve(dl);
      s.write(
        clientFrame(
          0x1,
          Buffer.from(JSON.stringify({ type: 'open', host: '127.0.0.1', port: targetPort, tls: 'none' })),
        ),
      );
    };
    const onText = (t: string) => {
      const m = JSON.parse(t) as { type: string; message?: string };
      if (m.type === 'opened') resolve(dl);
      else if (m.type === 'error') reject(new Error(`open failed: ${m.message}`));
    };
    const payload = (b: Buffer, start: number, end: number) => {
      if (opcode === 1) text += b.toString('latin1', start, end);
      else if (opcode === 2) {
        const n = check ? check.see(b, start, end) : end - start;
        if (onBytes) onBytes(n);
        else early += n;
      }
    };
    s.on('data', (d: Buffer) => {
      const b = head.length ? Buffer.concat([head, d]) : d;
      head = Buffer.alloc(0);
      let i = 0;
      if (!upgraded) {
        const end = b.indexOf('\r\n\r\n');
        if (end < 0) return void (head = b);
        if (!b.toString('latin1', 0, 12).startsWith('HTTP/1.1 101')) return reject(new Error('no upgrade'));
        upgraded = true;
        i = end + 4;
        ready();
      }
      while (i < b.length) {
        if (remaining > 0) {
          const n = Math.min(remaining, b.length - i);
          payload(b, i, i + n);
          remaining -= n;
          i += n;
          if (remaining === 0 && opcode === 1) {
            onText(text);
            text = '';
          }
          continue;
        }
        // A frame header: 2 bytes, then 2 or 8 bytes of length (servers send no mask).
        if (b.length - i < 2) break;
        const len7 = b[i + 1]! & 0x7f;
        const need = len7 === 126 ? 4 : len7 === 127 ? 10 : 2;
        if (b.length - i < need) break;
        const op = b[i]! & 0x0f;
        if (op !== 0) opcode = op; // 0 continues a fragmented message
        remaining = len7 === 126 ? b.readUInt16BE(i + 2) : len7 === 127 ? Number(b.readBigUInt64BE(i + 2)) : len7;
        i += need;
        if (opcode === 8) return void s.destroy(); // close
        if (remaining === 0 && opcode === 1) onText(text);
      }
      if (i < b.length) head = Buffer.from(b.subarray(i));
    });
  });
}
