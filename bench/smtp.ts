// SMTP throughput: messages accepted per second over 10 pooled connections (nodemailer, loopback)
// by the practice server (its relay port) and by exim in the same run (issue 18), beside the
// floor: the same number of direct `store.deliver` calls, 10 at a time, in this process. The
// practice server runs in a child process of its own (bench/smtp-practice-child-lib.ts), as exim
// runs apart, so nodemailer's CPU in this process counts against neither server. Both sync each
// message to disk before its 250 (the practice Maildir fsyncs; Debian's exim is built without
// disable_fsync and syncs its spool files). exim delivers into a maildir after its 250; the bench
// waits for its queue to empty, untimed, before the next path runs. Rounds interleave the servers
// and alternate which goes first, so a busy machine slows both alike. exim needs the package
// exim4-daemon-light and root; without them its row says why. BENCH_SMTP_NODE_ARGS adds node flags
// to the practice child (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p").
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import { openMailstore } from '../bridge/practice/mailstore.ts';
import { startChild, stopChild } from './child-lib.ts';
import { EXIM, startExim, type EximPeer } from '../test/helpers/exim-peer.ts';

const MESSAGES = 600;
const CONCURRENCY = 10;
const ROUNDS = 6;
const ENVELOPE = { from: 'alice@practice.test', to: ['bob@practice.test'] };

function message(i: number): string {
  const body = `Benchmark message ${i}.\r\n`.repeat(40);
  return `From: alice@practice.test\r\nTo: bob@practice.test\r\nSubject: bench ${i}\r\nMessage-ID: <bench.${i}@practice.test>\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n\r\n${body}`;
}

async function limited(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function inboxCount(dataDir: string): Promise<number> {
  const store = await openMailstore({
    dataDir,
    domain: 'practice.test',
    accounts: [{ username: 'bob', password: 'x' }],
  });
  try {
    return store.forAccount('bob').mailbox('INBOX')!.messages().length;
  } finally {
    await store.close();
  }
}

export async function run(): Promise<void> {
  const practiceDir = await mkdtemp(path.join(tmpdir(), 'mailwire-bench-smtp-'));
  const floorDir = await mkdtemp(path.join(tmpdir(), 'mailwire-bench-smtp-floor-'));
  const nodeArgs = (process.env.BENCH_SMTP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const practice = await startChild('bench/smtp-practice-child-lib.ts', [practiceDir], nodeArgs);
  const floorStore = await openMailstore({
    dataDir: floorDir,
    domain: 'practice.test',
    accounts: [{ username: 'bob', password: 'x' }],
  });
  let exim: EximPeer | null = null;
  try {
    const raws = Array.from({ length: MESSAGES }, (_, i) => Buffer.from(message(i)));
    const pooled = (port: number) =>
      nodemailer.createTransport({
        host: '127.0.0.1',
        port,
        pool: true,
        maxConnections: CONCURRENCY,
        maxMessages: Infinity,
        ignoreTLS: true,
      });
    const eximWhy = !EXIM
      ? 'exim is not installed (apt-get install exim4-daemon-light)'
      : process.getuid?.() !== 0
        ? 'needs root'
        : null;
    exim = eximWhy ? null : await startExim();
    const servers: Array<{
      name: string;
      transport: ReturnType<typeof pooled>;
      ms: number;
      settle: () => Promise<void>;
    }> = [{ name: 'mailwire', transport: pooled(practice.port), ms: 0, settle: async () => {} }];
    if (exim) {
      const peer = exim;
      servers.push({
        name: 'exim',
        transport: pooled(peer.port),
        ms: 0,
        // Untimed: exim's deliveries into the maildir finish before the next path runs.
        settle: async () => {
          for (let i = 0; i < 600 && peer.queued() > 0; i++) await new Promise((r) => setTimeout(r, 100));
        },
      });
    }
    let floorMs = 0;
    const perRound = MESSAGES / ROUNDS;
    const roundRates: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const batch = raws.slice(round * perRound, (round + 1) * perRound);
      let t0 = performance.now();
      await limited(batch.length, CONCURRENCY, (i) => floorStore.deliver(['bob@practice.test'], batch[i]!));
      floorMs += performance.now() - t0;
      const rates: number[] = [];
      for (const s of round % 2 ? [...servers].reverse() : servers) {
        t0 = performance.now();
        await Promise.all(batch.map((raw) => s.transport.sendMail({ envelope: ENVELOPE, raw })));
        const ms = performance.now() - t0;
        s.ms += ms;
        rates[servers.indexOf(s)] = batch.length / (ms / 1000);
        await s.settle();
      }
      if (rates.length === 2) roundRates.push((rates[0]! / rates[1]!).toFixed(2));
    }
    for (const s of servers) s.transport.close();
    const floorRate = MESSAGES / (floorMs / 1000);
    const smtpRate = MESSAGES / (servers[0]!.ms / 1000);

    await stopChild(practice); // the child closes its store, then this process reads it
    const stored = await inboxCount(practiceDir);
    if (stored !== MESSAGES + 1) throw new Error(`expected ${MESSAGES + 1} messages in bob's INBOX, found ${stored}`);
    console.log(
      `smtp: mailwire ${smtpRate.toFixed(0)} msg/s over ${CONCURRENCY} connections (server in a child process) vs store.deliver ` +
        `${floorRate.toFixed(0)} msg/s in process (${MESSAGES} messages of ${raws[0]!.length} octets, fsync each): ratio ${(smtpRate / floorRate).toFixed(2)}`,
    );
    if (exim) {
      const inbox = path.join(exim.dir, 'mail', 'bob', 'new');
      const delivered = (await readdir(inbox).catch(() => [])).length;
      if (delivered !== MESSAGES)
        throw new Error(`expected ${MESSAGES} messages in exim's maildir for bob, found ${delivered}`);
      const eximRate = MESSAGES / (servers[1]!.ms / 1000);
      console.log(
        `smtp: mailwire ${smtpRate.toFixed(0)} msg/s vs exim ${eximRate.toFixed(0)} msg/s over ${CONCURRENCY} connections, same messages, ` +
          `${ROUNDS} interleaved rounds: mailwire/exim ${(smtpRate / eximRate).toFixed(2)}x (per round: ${roundRates.join(' ')})`,
      );
    } else console.log(`smtp: exim n/a (${eximWhy})`);
  } finally {
    await exim?.stop();
    await floorStore.close();
    await stopChild(practice);
    await rm(practiceDir, { recursive: true, force: true });
    await rm(floorDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
