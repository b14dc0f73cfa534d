// The relay benchmark (issue 2): round trip, throughput and memory per idle session, through
// mailwire's bridge and websockify, each beside direct TCP, in one run on loopback. A bare `ws`
// relay (relay-bare-lib.ts) is the least a Node WebSocket relay does, so that the gap above it is
// the bridge's own code; a plain TCP relay (relay-plain-lib.ts) and socat, when installed, are the
// floor of any relay at all: the extra process and hop, with no WebSocket framing. The relays and
// the target servers run as child processes; the clients run here, and every WebSocket path is
// spoken by the same lean client (relay-lib.ts: wsStream, wsDownload), as a browser's native one
// would, so that a client library's costs do not blur the relays' (a `ws` client adds its own
// per-message work to every WebSocket path and none to the TCP ones). Paths are measured in
// interleaved rounds so that load from elsewhere on the machine hits all of them alike.
// RELAY_BENCH=roundtrip or throughput runs one part; RELAY_BENCH_MB and RELAY_BENCH_ROUNDS change
// the transfer's size and count.
import { connect, type Socket } from 'node:net';
import { loadavg } from 'node:os';
import {
  BULK_TOTAL,
  cpuMs,
  installed,
  percentile,
  relayStream,
  rss,
  sleep,
  startBareWs,
  startBridgeChild,
  startPlainTcpRelay,
  startSocat,
  startTargetsChild,
  startWebsockify,
  tcpDownload,
  treePss,
  wsDownload,
  wsStream,
  type Download,
} from './relay-lib.ts';
import { median } from './stats.ts';

const PAIRS = 5000;
const ROUNDS = 50; // fine interleaving: the machine's load changes within seconds, and must hit every path alike
const WARMUP = 2000; // enough round trips for V8 to optimize the hot path of every process
const TOTAL = BULK_TOTAL;
const THROUGHPUT_ROUNDS = Number(process.env.RELAY_BENCH_ROUNDS ?? 9); // after one untimed warm-up transfer per path
const COMMAND = Buffer.from('NOOP\r\n');

interface Pipe {
  send(b: Buffer): void;
  onBytes(cb: (n: number) => void): void;
  onEnd(cb: () => void): void;
  close(): void;
}
const tcpPipe = (s: Socket): Pipe => ({
  send: (b) => s.write(b),
  onBytes: (cb) => s.on('data', (d: Buffer) => cb(d.length)),
  onEnd: (cb) => s.on('close', cb),
  close: () => s.destroy(),
});

async function tcpTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', noDelay: true }, () => resolve(s));
    s.once('error', reject);
  });
}

/** A command/reply loop over one connection: call it for as many pairs as wanted. */
function pinger(p: Pipe): (pairs: number, into: number[] | null) => Promise<void> {
  let got = 0;
  let wake: (() => void) | null = null;
  p.onBytes((n) => {
    got += n;
    if (got >= COMMAND.length && wake) {
      got -= COMMAND.length;
      const w = wake;
      wake = null;
      w();
    }
  });
  return async (pairs, into) => {
    for (let i = 0; i < pairs; i++) {
      const t0 = process.hrtime.bigint();
      await new Promise<void>((r) => {
        wake = r;
        p.send(COMMAND);
      });
      into?.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  };
}

/** MB/s for TOTAL bytes; a stream that ended short, stalled or changed a byte is a failed run, said why. */
async function download(p: Download): Promise<{ mbps: number; failed: string | null }> {
  const t0 = process.hrtime.bigint();
  let got = 0;
  await new Promise<void>((r) => {
    p.onBytes((n) => (got += n) >= TOTAL && r());
    p.onEnd(r);
    setTimeout(r, 60_000);
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  p.close();
  if (p.corrupt) return { mbps: NaN, failed: 'bytes out of place' };
  if (got < TOTAL) return { mbps: NaN, failed: `ended at ${(got / 1048576).toFixed(1)} of ${TOTAL / 1048576} MB` };
  return { mbps: TOTAL / 1048576 / seconds, failed: null };
}

async function holdSessions(
  open: () => Promise<{ close(): void }>,
  count: number,
  held: { close(): void }[],
): Promise<number> {
  let failures = 0;
  while (held.length < count && failures < 50) {
    const batch = Math.min(100, count - held.length);
    const timeout = () => sleep(15_000).then(() => Promise.reject(new Error('timeout')));
    const results = await Promise.allSettled(Array.from({ length: batch }, () => Promise.race([open(), timeout()])));
    for (const r of results) {
      if (r.status === 'fulfilled') held.push(r.value as { close(): void });
      else failures++;
    }
  }
  await sleep(1500);
  return held.length;
}

const us = (n: number) => `${n.toFixed(0)} µs`;
const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const verdict = (ok: boolean) => (ok ? 'MEETS' : 'MISSES');
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (2 cores, shared)`;
const shuffled = <T>(v: T[]): T[] => {
  const out = [...v];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

function printRoundTrip(paths: { name: string; times: number[] }[]): void {
  console.log(
    `round trip: ${PAIRS} sequential ${COMMAND.length}-byte command/reply pairs per path, interleaved in ${ROUNDS} rounds`,
  );
  const [d, ...relays] = paths.map((p) => ({
    name: p.name,
    p50: percentile(
      p.times.sort((a, b) => a - b),
      50,
    ),
    p99: percentile(p.times, 99),
  }));
  console.log(`  ${d!.name.padEnd(16)} p50 ${us(d!.p50)}  p99 ${us(d!.p99)}`);
  const plain = relays.find((r) => r.name === 'plain TCP relay')!;
  for (const r of relays) {
    // Issue 18: p50 within 1.1x of the plain Node TCP relay's, measured beside it.
    const target = r.name.startsWith('mailwire')
      ? `  [p50 <= 2.2x and p99 <= 3.0x direct: ${verdict(r.p50 / d!.p50 <= 2.2 && r.p99 / d!.p99 <= 3.0)}; ` +
        `p50 ${x(r.p50, plain.p50)} the plain relay's, target <= 1.10x: ${verdict(r.p50 / plain.p50 <= 1.1)}]`
      : '';
    const floor = r.name === 'plain TCP relay' || r.name === 'socat' ? '  (no WebSocket: the floor of any relay)' : '';
    console.log(
      `  ${r.name.padEnd(16)} p50 ${us(r.p50)} (${x(r.p50, d!.p50)})  p99 ${us(r.p99)} (${x(r.p99, d!.p99)})${target}${floor}`,
    );
  }
}

export async function run(): Promise<void> {
  console.log(`start: ${load()}`);
  const targets = await startTargetsChild();
  const bridge = await startBridgeChild([targets.echo, targets.bulk]);
  const bare = await startBareWs(targets.echo);
  const plainEcho = await startPlainTcpRelay(targets.echo);
  const plainBulk = await startPlainTcpRelay(targets.bulk);
  const bareBulk = await startBareWs(targets.bulk);
  const roundTripOnly = process.env.RELAY_BENCH === 'roundtrip';
  const throughputOnly = process.env.RELAY_BENCH === 'throughput';
  const wsEcho = installed('websockify') ? await startWebsockify(targets.echo) : null;
  const wsBulk = installed('websockify') ? await startWebsockify(targets.bulk) : null;
  const socatEcho = installed('socat') ? await startSocat(targets.echo) : null;
  const socatBulk = installed('socat') ? await startSocat(targets.bulk) : null;
  if (!wsEcho) console.log('websockify: not installed (Debian package websockify), its rows are skipped');
  if (!socatEcho) console.log('socat: not installed (Debian package socat), its rows are skipped');
  try {
    // ---- round trip ----
    const paths: { name: string; ping: ReturnType<typeof pinger>; times: number[] }[] = [
      { name: 'direct TCP', ping: pinger(tcpPipe(await tcpTo(targets.echo))), times: [] },
      {
        name: 'mailwire bridge',
        ping: pinger(await wsStream('mailwire', bridge.wsUrl, targets.echo)),
        times: [],
      },
      {
        name: 'bare ws relay',
        ping: pinger(await wsStream('bare-ws', bare.wsUrl, targets.echo)),
        times: [],
      },
      { name: 'plain TCP relay', ping: pinger(tcpPipe(await tcpTo(plainEcho.port))), times: [] },
    ];
    if (wsEcho)
      paths.push({
        name: 'websockify',
        ping: pinger(await wsStream('websockify', wsEcho.wsUrl, targets.echo)),
        times: [],
      });
    if (socatEcho) paths.push({ name: 'socat', ping: pinger(tcpPipe(await tcpTo(socatEcho.port))), times: [] });
    for (const p of paths) await p.ping(throughputOnly ? 0 : WARMUP, null);
    // Each round runs the paths in a fresh random order, so that no path always follows another.
    // Its first pair is not timed: after the other paths' turns a relay wakes from idle, which
    // costs milliseconds here and would otherwise fill the p99 of the relays (never of direct TCP,
    // whose server serves every path and is never idle).
    for (let r = 0; r < (throughputOnly ? 0 : ROUNDS); r++) {
      for (const p of shuffled(paths)) {
        await p.ping(1, null);
        await p.ping(PAIRS / ROUNDS, p.times);
      }
    }
    if (!throughputOnly) printRoundTrip(paths);

    await bare.stop();
    await plainEcho.stop();
    await socatEcho?.stop();
    if (roundTripOnly) return;

    // ---- throughput ----
    // Every path gets one untimed transfer first (JIT, buffers, socket autotuning), then the timed
    // ones run in a fresh random order each round. Every path is read by the same lean client
    // (relay-lib.ts: tcpDownload, wsDownload) that counts bytes and checks the pattern, so that a
    // client library's costs do not blur the relays'. A run that ends short or changes a byte is a
    // failure, shown beside the median of the whole runs: websockify 0.10 drops the bytes it has
    // read from the target but not yet sent when the target closes first (websocketproxy.py,
    // do_proxy: "Target closed" raises CClose with its queue unsent), so it fails whenever the
    // client is behind at the end. The relay's CPU time per run is read from /proc: for websockify
    // and socat, which serve each connection in a forked child, once that child has been reaped.
    const flows: {
      name: string;
      open: () => Promise<Download>;
      pid?: number;
      forks?: boolean;
      mbps: number[];
      cpu: number[];
      failed: string[];
      note?: string;
    }[] = [
      { name: 'direct TCP', open: () => tcpDownload(targets.bulk), mbps: [], cpu: [], failed: [] },
      {
        name: 'mailwire bridge',
        open: () => wsDownload('mailwire', bridge.wsUrl, targets.bulk),
        pid: bridge.pid,
        mbps: [],
        cpu: [],
        failed: [],
      },
      {
        name: 'bare ws relay',
        open: () => wsDownload('bare-ws', bareBulk.wsUrl, targets.bulk),
        pid: bareBulk.pid,
        mbps: [],
        cpu: [],
        failed: [],
        note: 'the least a Node `ws` relay does',
      },
      {
        name: 'plain TCP relay',
        open: () => tcpDownload(plainBulk.port),
        pid: plainBulk.pid,
        mbps: [],
        cpu: [],
        failed: [],
        note: 'no WebSocket: the floor of any relay',
      },
    ];
    if (wsBulk)
      flows.push({
        name: 'websockify',
        open: () => wsDownload('websockify', wsBulk.wsUrl, targets.bulk),
        pid: wsBulk.pid,
        forks: true,
        mbps: [],
        cpu: [],
        failed: [],
      });
    if (socatBulk)
      flows.push({
        name: 'socat',
        open: () => tcpDownload(socatBulk.port),
        pid: socatBulk.pid,
        forks: true,
        mbps: [],
        cpu: [],
        failed: [],
        note: 'no WebSocket, C, 8 KiB reads',
      });
    for (const f of flows) await download(await f.open());
    for (let r = 0; r < THROUGHPUT_ROUNDS; r++) {
      for (const f of shuffled(flows)) {
        const cpu0 = f.pid ? cpuMs(f.pid, f.forks) : 0;
        const got = await download(await f.open());
        if (got.failed) f.failed.push(got.failed);
        else f.mbps.push(got.mbps);
        if (f.forks) await sleep(300); // the child sees the close, exits and is reaped
        if (f.pid) f.cpu.push(cpuMs(f.pid, f.forks) - cpu0);
      }
    }
    const rate = (f: (typeof flows)[number] | undefined) => (f?.mbps.length ? median(f.mbps) : NaN);
    const dT = rate(flows[0]);
    console.log(
      `throughput: ${TOTAL / 1048576} MB server -> client, ${THROUGHPUT_ROUNDS} interleaved runs per path after a warm-up run; median of the whole runs`,
    );
    console.log(`  ${'direct TCP'.padEnd(16)} ${dT.toFixed(0)} MB/s`);
    const plainT = rate(flows.find((g) => g.name === 'plain TCP relay'));
    const wskT = rate(flows.find((g) => g.name === 'websockify'));
    for (const f of flows.slice(1)) {
      const t = rate(f);
      const shown = Number.isNaN(t) ? 'n/a' : `${t.toFixed(0)} MB/s (${x(t, dT)})`;
      const cpu = f.cpu.length ? `  relay CPU ${median(f.cpu).toFixed(0)} ms per run` : '';
      // Issue 18: at least websockify's throughput and within 1.2x of the plain Node TCP relay's,
      // with every run whole.
      const target = f.name.startsWith('mailwire')
        ? `  [${x(t, wskT)} websockify's, target >= 1.00x: ${verdict(!(t < wskT) && !Number.isNaN(t))}; ` +
          `${x(t, plainT)} the plain relay's, target >= 0.83x: ${verdict(t >= plainT / 1.2)}; ` +
          `whole runs ${f.mbps.length}/${THROUGHPUT_ROUNDS}: ${verdict(f.failed.length === 0)}]`
        : '';
      const failed = f.failed.length
        ? `  FAILED ${f.failed.length} of ${THROUGHPUT_ROUNDS} runs (${f.failed.join('; ')})`
        : '';
      console.log(`  ${f.name.padEnd(16)} ${shown}${cpu}${target}${f.note ? `  (${f.note})` : ''}${failed}`);
      console.log(`  ${''.padEnd(16)} whole runs in order: ${f.mbps.map((m) => m.toFixed(0)).join(', ')} MB/s`);
    }
    console.log(`end: ${load()}`);
  } finally {
    await bridge.stop();
    await bare.stop();
    await bareBulk.stop();
    await plainEcho.stop();
    await plainBulk.stop();
    await socatEcho?.stop();
    await socatBulk?.stop();
    await wsBulk?.stop();
  }
  if (roundTripOnly || throughputOnly) {
    await wsEcho?.stop();
    await targets.stop();
    return;
  }

  // ---- memory per idle session: a fresh bridge, so earlier tests leave no garbage behind ----
  console.log(
    'memory per idle session (mailwire: RSS growth of the bridge; websockify forks a process per session: PSS growth of its tree)',
  );
  const fresh = await startBridgeChild([targets.echo]);
  const held: { close(): void }[] = [];
  try {
    await holdSessions(() => relayStream('mailwire', fresh.wsUrl, targets.echo), 20, held); // warm the code paths
    const before = rss(fresh.pid);
    for (const n of [1000, 5000]) {
      const have = (await holdSessions(() => relayStream('mailwire', fresh.wsUrl, targets.echo), n + 20, held)) - 20;
      const per = (rss(fresh.pid) - before) / have / 1024;
      const target = n === 5000 ? `  [target <= 30 KiB at 5,000: ${verdict(have === 5000 && per <= 30)}]` : '';
      console.log(
        `  mailwire bridge  ${have} sessions: ${per.toFixed(1)} KiB each (bridge RSS ${(rss(fresh.pid) / 1048576).toFixed(0)} MiB)${target}`,
      );
    }
  } finally {
    for (const h of held.splice(0)) h.close();
    await fresh.stop();
  }
  if (wsEcho) {
    try {
      const base = treePss(wsEcho.pid);
      const have = await holdSessions(() => relayStream('websockify', wsEcho.wsUrl, targets.echo), 1000, held);
      const per = (treePss(wsEcho.pid) - base) / Math.max(have, 1) / 1024;
      console.log(`  websockify       ${have} of 1000 sessions held: ${per.toFixed(1)} KiB each`);
    } finally {
      for (const h of held.splice(0)) h.close();
      await wsEcho.stop();
    }
  }
  await targets.stop();
}
