// The robustness benchmark (issue 11): mailwire's resident memory (RSS of its process, from
// /proc) before and after each hostile flood, against the 150 MB growth budget, and whether a
// well-formed session from another address still gets its greeting within 2 s afterwards.
// Memory is measured here, not asserted in unit tests: it depends on the machine and its load.
// `npm run bench -- robustness`.
import { readFileSync } from 'node:fs';
import {
  clientFrame,
  rawExchange,
  rawWebSocket,
  startMailwireProcess,
  wellFormedSession,
  type Mailwire,
} from '../test/robustness/harness.ts';

const BUDGET_MB = 150;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const FLOODS: Record<string, (mw: Mailwire) => Promise<void>> = {
  '2M malformed frames, never read': async (mw) => {
    const { socket } = await rawWebSocket(mw.port);
    socket.on('error', () => {});
    const batch = Buffer.concat(Array.from({ length: 100_000 }, () => clientFrame(1, Buffer.from('x'))));
    for (let i = 0; i < 20; i++) socket.write(batch);
    await sleep(4000); // the peak: the bridge has read what it will read
  },
  '20 sessions x 2M malformed frames, never read': async (mw) => {
    const batch = Buffer.concat(Array.from({ length: 100_000 }, () => clientFrame(1, Buffer.from('x'))));
    for (let s = 0; s < 20; s++) {
      const { socket } = await rawWebSocket(mw.port);
      socket.on('error', () => {});
      for (let i = 0; i < 20; i++) socket.write(batch);
    }
    await sleep(6000);
  },
  '1,000 unparsable request targets': async (mw) => {
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          rawExchange(mw.port, `GET ${(i + j) % 2 ? 'http://[/' : 'http://a:99999/'} HTTP/1.1\r\nHost: x\r\n\r\n`, 500),
        ),
      );
    }
  },
  '50 frames over the hard cap': async (mw) => {
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        const { socket } = await rawWebSocket(mw.port);
        socket.on('error', () => {});
        socket.resume();
        socket.write(clientFrame(2, Buffer.alloc(64 * 1024, 0x41), 5 * 1024 * 1024));
      }),
    );
    await sleep(1000);
  },
};

export async function run(): Promise<void> {
  const mw = await startMailwireProcess();
  const pid = mw.proc.pid!;
  try {
    await wellFormedSession(mw);
    console.log(`mailwire pid ${pid}, growth budget ${BUDGET_MB} MB per flood (the machine is shared: figures vary)`);
    console.log('flood'.padEnd(48) + 'RSS before  peak/after   growth  budget  session after');
    for (const [name, flood] of Object.entries(FLOODS)) {
      const before = rssMb(pid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
      await flood(mw);
      clearInterval(sampler);
      peak = Math.max(peak, rssMb(pid));
      const t0 = Date.now();
      const ok = await wellFormedSession(mw).then(
        () => `ok ${Date.now() - t0} ms`,
        (e: Error) => `FAILED: ${e.message}`,
      );
      const growth = peak - before;
      console.log(
        `${name.padEnd(48)}${before.toFixed(0).padStart(7)} MB ${peak.toFixed(0).padStart(7)} MB ${growth.toFixed(0).padStart(6)} MB  ${(growth / BUDGET_MB).toFixed(2)}x   ${mw.alive() ? ok : 'PROCESS DIED'}`,
      );
    }
  } finally {
    await mw.stop();
  }
}
