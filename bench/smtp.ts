// SMTP throughput: messages accepted per second over 10 pooled connections (nodemailer, loopback)
// by the practice server (its relay port) and by exim in the same run (issue 18), beside the
// floor: the same number of direct in-process `store.deliver` calls, 10 at a time. All of them
// sync each message to disk before its 250 (the practice Maildir fsyncs; Debian's exim is built
// without disable_fsync and syncs its spool files). exim delivers into a maildir after its 250;
// the bench waits for its queue to empty, untimed, before the next path runs. exim needs the
// package exim4-daemon-light and root; without them its row says why.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import { practiceConfigWithDefaults } from '../bridge/practice/defaults.ts';
import { startPractice } from '../bridge/practice/index.ts';
import { EPHEMERAL_PORTS } from '../test/helpers/practice-ports.ts';
import { EXIM, startExim, type EximPeer } from '../test/helpers/exim-peer.ts';

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
    const transport = pooled(server.endpoints['practice/smtp'].port);
    const eximWhy = !EXIM
      ? 'exim is not installed (apt-get install exim4-daemon-light)'
      : process.getuid?.() !== 0
        ? 'needs root'
        : null;
    exim = eximWhy ? null : await startExim();
    const eximTransport = exim ? pooled(exim.port) : null;
    let eximMs = 0;
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
      if (exim && eximTransport) {
        t0 = performance.now();
        await Promise.all(
          batch.map((raw) =>
            eximTransport.sendMail({ envelope: { from: 'alice@practice.test', to: ['bob@practice.test'] }, raw }),
          ),
        );
        eximMs += performance.now() - t0;
        for (let i = 0; i < 600 && exim.queued() > 0; i++) await new Promise((r) => setTimeout(r, 100));
      }
    }
    transport.close();
    eximTransport?.close();
    const floorRate = MESSAGES / (floorMs / 1000);
    const smtpRate = MESSAGES / (smtpMs / 1000);

    const stored = server.store.forAccount('bob').mailbox('INBOX')!.messages().length;
    if (stored !== 2 * MESSAGES + 1)
      throw new Error(`expected ${2 * MESSAGES + 1} messages in bob's INBOX, found ${stored}`);
    console.log(
      `smtp: ${smtpRate.toFixed(0)} msg/s over ${CONCURRENCY} connections vs store.deliver ${floorRate.toFixed(0)} msg/s ` +
        `(${MESSAGES} messages of ${raws[0].length} octets, fsync each): ratio ${(smtpRate / floorRate).toFixed(2)}`,
    );
    if (exim) {
      const inbox = path.join(exim.dir, 'mail', 'bob', 'new');
      const delivered = (await readdir(inbox).catch(() => [])).length;
      if (delivered !== MESSAGES)
        throw new Error(`expected ${MESSAGES} messages in exim's maildir for bob, found ${delivered}`);
      const eximRate = MESSAGES / (eximMs / 1000);
      console.log(
        `smtp: ${smtpRate.toFixed(0)} msg/s vs exim ${eximRate.toFixed(0)} msg/s over ${CONCURRENCY} connections, same messages: mailwire/exim ${(smtpRate / eximRate).toFixed(2)}x`,
      );
    } else console.log(`smtp: exim n/a (${eximWhy})`);
  } finally {
    await exim?.stop();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
