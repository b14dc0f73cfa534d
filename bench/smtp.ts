// SMTP throughput of the practice server: messages accepted per second over 10 pooled connections
// (nodemailer, relay port, loopback), beside the floor: the same number of direct in-process
// `store.deliver` calls, 10 at a time. Both fsync every message; the ratio is the protocol's cost.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import { practiceConfigWithDefaults } from '../bridge/practice/defaults.ts';
import { startPractice } from '../bridge/practice/index.ts';
import { EPHEMERAL_PORTS } from '../test/helpers/practice-ports.ts';

const MESSAGES = 600;
const CONCURRENCY = 10;
const ROUNDS = 4;

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

export async function run(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-bench-smtp-'));
  const server = await startPractice(practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS }), () => {});
  try {
    const raws = Array.from({ length: MESSAGES }, (_, i) => Buffer.from(message(i)));
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.endpoints['practice/smtp'].port,
      pool: true,
      maxConnections: CONCURRENCY,
      maxMessages: Infinity,
      ignoreTLS: true,
    });
    // Rounds alternate floor and SMTP so a busy machine slows both alike.
    let floorMs = 0;
    let smtpMs = 0;
    const perRound = MESSAGES / ROUNDS;
    for (let round = 0; round < ROUNDS; round++) {
      const batch = raws.slice(round * perRound, (round + 1) * perRound);
      let t0 = performance.now();
      await limited(batch.length, CONCURRENCY, (i) => server.store.deliver(['bob@practice.test'], batch[i]));
      floorMs += performance.now() - t0;
      t0 = performance.now();
      await Promise.all(
        batch.map((raw) =>
          transport.sendMail({ envelope: { from: 'alice@practice.test', to: ['bob@practice.test'] }, raw }),
        ),
      );
      smtpMs += performance.now() - t0;
    }
    transport.close();
    const floorRate = MESSAGES / (floorMs / 1000);
    const smtpRate = MESSAGES / (smtpMs / 1000);

    const stored = server.store.forAccount('bob').mailbox('INBOX')!.messages().length;
    if (stored !== 2 * MESSAGES + 1)
      throw new Error(`expected ${2 * MESSAGES + 1} messages in bob's INBOX, found ${stored}`);
    console.log(
      `smtp: ${smtpRate.toFixed(0)} msg/s over ${CONCURRENCY} connections vs store.deliver ${floorRate.toFixed(0)} msg/s ` +
        `(${MESSAGES} messages of ${raws[0].length} octets, fsync each): ratio ${(smtpRate / floorRate).toFixed(2)}`,
    );
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
