// `npm run bench -- robustness-practice`: the issue-11 floods against mailwire as `npm start` runs
// it (page, bridge and practice server in one child process, so its RSS and descriptors can be
// read from /proc). Each flood runs
// against the server with mailwire's default limits and, side by side in the same run, against
// the same server with those limits opened wide (the pre-login literal cap, the caps and the budget
// as good as off; DATA is spooled to disk either way): the ratios of RSS growth and descriptors are
// printed, how long a well-formed session from another address (127.0.0.2) took, and whether the
// page still answered.
//   literal: 40 IMAP connections, before login, each announcing a 24 MB LITERAL+ and sending it.
//   data:    20 SMTP DATA transfers of 24 MB on the relay port, never finished.
//   idle:    20,000 idle TCP connections to the IMAP port (from two helper processes).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { DEFAULT_LIMITS, type Limits } from '../bridge/practice/types.ts';

const MB = 1024 * 1024;
const WIDE: Partial<Limits> = {
  preAuthLiteralMax: 30 * MB,
  maxMessageSize: 30 * MB,
  memoryBudget: 64 * 1024 * MB,
  maxConnectionsPerAddress: 1_000_000,
  maxConnectionsPerPort: 1_000_000,
  preAuthIdleTimeoutMs: DEFAULT_LIMITS.idleTimeoutMs,
};

interface Child {
  proc: ChildProcess;
  endpoints: Record<string, { port: number }> & { url?: string };
  dir: string;
}

async function startChild(limits: Partial<Limits>): Promise<Child> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailwire-bench-robust-'));
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/robustness-practice-child-lib.ts', dir, JSON.stringify(limits)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    proc.once('exit', () => reject(new Error('practice child exited')));
  });
  return { proc, endpoints: JSON.parse(line), dir };
}

async function stopChild(c: Child): Promise<void> {
  c.proc.kill('SIGKILL');
  await new Promise((r) => c.proc.once('exit', r));
  await rm(c.dir, { recursive: true, force: true });
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function fds(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}

/** A well-formed IMAPS session from 127.0.0.2 (another client address); its time in ms, or -1. */
async function session(port: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    const raw = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' });
    raw.on('error', () => resolve(-1));
    const s = tls.connect({ socket: raw, rejectUnauthorized: false });
    let buf = '';
    const timer = setTimeout(() => {
      s.destroy();
      resolve(-1);
    }, 10_000);
    s.on('error', () => resolve(-1));
    s.on('data', (d: Buffer) => {
      buf += d.toString();
      if (/^\* OK/m.test(buf) && !buf.includes('a ')) s.write('a LOGIN alice practice\r\nb LOGOUT\r\n');
      if (/^b OK/m.test(buf)) {
        clearTimeout(timer);
        s.destroy();
        resolve(Date.now() - started);
      }
    });
  });
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.1' });
    s.on('error', () => {});
    s.once('connect', () => resolve(s));
    s.once('close', () => resolve(s));
  });
}

/** Writes `total` octets of `byte`, as fast as the peer takes them, until it closes or all is sent. */
function pour(s: net.Socket, total: number): Promise<void> {
  return new Promise((resolve) => {
    const block = Buffer.alloc(256 * 1024, 0x61);
    let left = total;
    const more = () => {
      while (left > 0 && !s.destroyed) {
        const n = Math.min(left, block.length);
        left -= n;
        if (!s.write(n === block.length ? block : block.subarray(0, n))) return void s.once('drain', more);
      }
      resolve();
    };
    s.once('close', () => resolve());
    more();
  });
}

async function literalFlood(c: Child): Promise<void> {
  const sockets = await Promise.all(Array.from({ length: 40 }, () => connect(c.endpoints['practice/imap']!.port)));
  await Promise.all(
    sockets.map((s) => {
      s.write('a LOGIN {25165824+}\r\n');
      return pour(s, 24 * MB - 1); // one octet short: the command never completes
    }),
  );
  await new Promise((r) => setTimeout(r, 500));
  (c as Child & { held?: net.Socket[] }).held = sockets;
}

async function dataFlood(c: Child): Promise<void> {
  const port = c.endpoints['practice/smtp']!.port;
  const sockets = await Promise.all(Array.from({ length: 20 }, () => connect(port)));
  await Promise.all(
    sockets.map(async (s) => {
      await new Promise((r) => setTimeout(r, 300)); // smtp-server refuses early talkers
      s.write('EHLO bench\r\nMAIL FROM:<b@example.org>\r\nRCPT TO:<alice@practice.test>\r\nDATA\r\n');
      await new Promise((r) => setTimeout(r, 300));
      return pour(s, 24 * MB);
    }),
  );
  await new Promise((r) => setTimeout(r, 500));
  (c as Child & { held?: net.Socket[] }).held = sockets;
}

/** 20,000 idle connections from two helper processes (one process alone would run out of descriptors). */
async function idleFlood(c: Child): Promise<void> {
  const port = c.endpoints['practice/imap']!.port;
  const script = `const net=require('node:net');let n=0,open=0;const all=[];
    const go=()=>{for(let i=0;i<200&&n<10000;i++,n++){const s=net.connect({host:'127.0.0.1',port:${port},localAddress:'127.0.0.1'});
    s.on('error',()=>{});s.on('connect',()=>{open++});all.push(s)} if(n<10000)setTimeout(go,5);else setTimeout(()=>{process.stdout.write('done '+open+'\\n')},2000)};go();`;
  const helpers = [0, 1].map(() => spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] }));
  await Promise.all(helpers.map((h) => new Promise((r) => h.stdout!.once('data', r))));
  (c as Child & { helpers?: ChildProcess[] }).helpers = helpers;
}

async function measure(name: string, flood: (c: Child) => Promise<void>, limits: Partial<Limits>) {
  const c = await startChild(limits);
  const pid = c.proc.pid!;
  const imaps = c.endpoints['practice/imaps']!.port;
  await session(imaps); // warm up
  const rss0 = await rssMb(pid);
  const fd0 = await fds(pid);
  const started = Date.now();
  await flood(c);
  const floodMs = Date.now() - started;
  const rss1 = await rssMb(pid);
  const fd1 = await fds(pid);
  const other = await session(imaps);
  const page = await fetch(c.endpoints.url as unknown as string, { signal: AbortSignal.timeout(5000) }).then(
    (r) => r.status,
    () => -1,
  );
  const held = (c as Child & { held?: net.Socket[] }).held ?? [];
  for (const s of held) s.destroy();
  for (const h of (c as Child & { helpers?: ChildProcess[] }).helpers ?? []) h.kill('SIGKILL');
  await stopChild(c);
  return { name, growthMb: rss1 - rss0, fds: fd1 - fd0, other, floodMs, page };
}

export async function run(): Promise<void> {
  // [name, flood, MB the flood has in flight towards the server]
  const floods: Array<[string, (c: Child) => Promise<void>, number]> = [
    ['literal: 40 x 24 MB LITERAL+ before login', literalFlood, 40 * 24],
    ['data: 20 x 24 MB unfinished SMTP DATA', dataFlood, 20 * 24],
    ['idle: 20,000 idle TCP connections to IMAP', idleFlood, 0],
  ];
  const only = process.env.BENCH_FLOOD;
  for (const [name, flood, inFlight] of floods) {
    if (only && !name.startsWith(only)) continue;
    const limited = await measure(name, flood, {});
    const wide = await measure(name, flood, WIDE);
    const fmt = (r: typeof limited) =>
      `RSS +${r.growthMb.toFixed(0)} MB, descriptors +${r.fds}, other client's IMAPS session ${r.other < 0 ? 'FAILED' : `${r.other} ms`}, page ${r.page < 0 ? 'FAILED' : r.page}`;
    console.log(`${name}`);
    console.log(`  default limits : ${fmt(limited)}`);
    console.log(`  limits opened  : ${fmt(wide)}`);
    const ratio = (a: number, b: number) => (a / Math.max(b, 1)).toFixed(3);
    console.log(
      `  ratios default / opened: RSS growth ${ratio(Math.max(limited.growthMb, 0), wide.growthMb)}, descriptors ${ratio(limited.fds, wide.fds)}`,
    );
    if (inFlight)
      console.log(`  RSS growth per MB in flight (default limits): ${ratio(Math.max(limited.growthMb, 0), inFlight)}`);
  }
}
