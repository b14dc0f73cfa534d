// IMAP `FETCH 1:* (FLAGS ENVELOPE)` over a 5,000-message mailbox through a real socket, beside
// the same data computed in-process (store reads + the same envelope builder): the floor.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { envelopeChunks, buildEnvelope } from '../bridge/practice/imap/envelope.ts';
import { flagList } from '../bridge/practice/imap/encode.ts';
import { parseMimeStructure } from '../bridge/practice/imap/mime-structure.ts';
import { startImapServer } from '../bridge/practice/imap/server.ts';
import { openMailstore } from '../bridge/practice/mailstore.ts';
import { createScenarioRegistry } from '../bridge/practice/scenarios.ts';
import { loadOrCreateCredentials } from '../bridge/practice/tls.ts';
import { DEFAULT_LIMITS } from '../bridge/practice/types.ts';

const COUNT = 5000;
const ROUNDS = 5; // alternated socket/in-process, so load from other processes hits both alike

function sample(i: number): Buffer {
  return Buffer.from(
    [
      `From: "Sender ${i}" <sender${i}@example.org>`,
      'To: alice@practice.test, "Bob" <bob@practice.test>',
      `Subject: Benchmark message number ${i}`,
      `Date: Wed, 25 Nov 2026 10:${String(i % 60).padStart(2, '0')}:00 +0000`,
      `Message-ID: <bench-${i}@practice.test>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Body of message ${i}.`.repeat(20),
      '',
    ].join('\r\n'),
  );
}

export async function run(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mailwire-bench-imap-'));
  const store = await openMailstore({
    dataDir,
    domain: 'practice.test',
    accounts: [{ username: 'alice', password: 'practice' }],
  });
  try {
    const account = store.forAccount('alice');
    await account.createMailbox('Bench');
    const appendStart = performance.now();
    for (let i = 0; i < COUNT; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, COUNT - i) }, (_, k) => account.append('Bench', sample(i + k))),
      );
    }
    console.log(`filled ${COUNT} messages in ${((performance.now() - appendStart) / 1000).toFixed(1)} s`);
    const credentials = await loadOrCreateCredentials(dataDir, 'mail.practice.test');
    const server = await startImapServer({
      host: '127.0.0.1',
      port: 0,
      security: 'none',
      hostname: 'mail.practice.test',
      credentials,
      store,
      scenarios: createScenarioRegistry(),
      limits: DEFAULT_LIMITS,
      log: () => {},
    });
    try {
      const socketTimes: number[] = [];
      const directTimes: number[] = [];
      let socketBytes = 0;
      let directBytes = 0;
      for (let r = 0; r < ROUNDS; r++) {
        const s = await socketFetch(server.port);
        socketTimes.push(s.ms);
        socketBytes = s.bytes;
        const d = await directFetch(store.forAccount('alice').mailbox('Bench')!);
        directTimes.push(d.ms);
        directBytes = d.bytes;
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      console.log(`FETCH 1:* (FLAGS ENVELOPE), ${COUNT} messages, median of ${ROUNDS}:`);
      console.log(
        `  over a socket:        ${median(socketTimes).toFixed(0)} ms (${(socketBytes / 1024).toFixed(0)} KiB of responses)`,
      );
      console.log(
        `  in-process (floor):   ${median(directTimes).toFixed(0)} ms (${(directBytes / 1024).toFixed(0)} KiB of the same items)`,
      );
      console.log(`  ratio socket/floor:   ${(median(socketTimes) / median(directTimes)).toFixed(2)}x`);
    } finally {
      await server.close();
    }
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function directFetch(
  mailbox: NonNullable<ReturnType<ReturnType<Awaited<ReturnType<typeof openMailstore>>['forAccount']>['mailbox']>>,
): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  let bytes = 0;
  const metas = mailbox.messages();
  for (let i = 0; i < metas.length; i++) {
    const raw = await mailbox.read(metas[i].uid);
    if (!raw) continue;
    const env = envelopeChunks(buildEnvelope(parseMimeStructure(raw)));
    const line = `* ${i + 1} FETCH (FLAGS ${flagList(metas[i].flags)} ENVELOPE ${env.map(String).join('')})\r\n`;
    bytes += line.length;
  }
  return { ms: performance.now() - start, bytes };
}

function socketFetch(port: number): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = '';
    let step = 0;
    let start = 0;
    let bytes = 0;
    socket.setEncoding('latin1');
    socket.on('error', reject);
    socket.on('data', (d: string) => {
      buffer += d;
      if (step === 2) bytes += d.length;
      if (step === 0 && buffer.includes('\r\n')) {
        step = 1;
        buffer = '';
        socket.write('a LOGIN alice practice\r\nb SELECT Bench\r\n');
      } else if (step === 1 && buffer.includes('\r\nb OK')) {
        step = 2;
        buffer = '';
        start = performance.now();
        socket.write('c FETCH 1:* (FLAGS ENVELOPE)\r\n');
      } else if (step === 2) {
        if (buffer.length > 4096) buffer = buffer.slice(-4096);
        if (/\r\nc (OK|NO|BAD)[^\r]*\r\n$/.test(buffer)) {
          const ms = performance.now() - start;
          socket.end('d LOGOUT\r\n');
          resolve({ ms, bytes });
        }
      }
    });
  });
}
