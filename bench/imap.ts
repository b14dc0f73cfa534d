// IMAP over the same 5,000 messages on the practice server and on Dovecot, side by side in one
// run (issue 18): `FETCH 1:* (FLAGS ENVELOPE)` and `UID SEARCH` with a few criteria, after one
// warm-up (Dovecot builds its index and cache then). Both servers run in a process of their own
// on loopback, LOGIN without TLS. The machine is shared, so load comes and goes within a run:
// each command runs on both servers back to back (which goes first alternates by round), the
// ratio is taken per pair, and the table shows each server's median, the median ratio and the
// spread of the ratios (lowest to highest). Beside them, the floor: the same FETCH items computed
// in-process (store reads + the same envelope builder). Dovecot needs dovecot and root; without
// them its column says why.
import type { ChildProcess } from 'node:child_process';
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { envelopeChunks, buildEnvelope } from '../bridge/practice/imap/envelope.ts';
import { flagList } from '../bridge/practice/imap/encode.ts';
import { parseMimeStructure } from '../bridge/practice/imap/mime-structure.ts';
import { openMailstore } from '../bridge/practice/mailstore.ts';
import { DOVECOT, IS_ROOT, NOBODY, startDovecotImap } from '../test/integration/practice/imap/dovecot-peer.ts';
import { startChild } from './child-lib.ts';
import { median } from './stats.ts';

const COUNT = 5000;
const ROUNDS = 9; // each a pair per command, first server alternating, so load hits both alike
const TARGET = 1.5; // practice server at most 1.5x Dovecot's time

/** What is timed: the FETCH, then searches on a header, the subject, flags+size+date and the body. */
const COMMANDS = [
  'FETCH 1:* (FLAGS ENVELOPE)',
  'UID SEARCH FROM "sender4321@"',
  'UID SEARCH SUBJECT "number 2500"',
  'UID SEARCH UNSEEN LARGER 400 SINCE 1-Jan-2026',
  'UID SEARCH BODY "message 4999."',
];

export function sample(i: number): Buffer {
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

/** One logged-in IMAP session with Bench selected; `timed` runs a command to its tagged reply. */
export class Session {
  private buffer = '';
  private waiting: { tag: string; resolve: (text: string) => void } | null = null;
  private n = 0;
  private constructor(private socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buffer += d;
      const w = this.waiting;
      if (!w) return;
      const tail = this.buffer.slice(-512);
      if (new RegExp(`(^|\\r\\n)${w.tag} (OK|NO|BAD)[^\\r]*\\r\\n$`).test(tail)) {
        this.waiting = null;
        const text = this.buffer;
        this.buffer = '';
        w.resolve(text);
      }
    });
  }

  /** Logs in as alice and selects Bench; `localAddress` is the client's own loopback address. */
  static async open(port: number, localAddress?: string): Promise<Session> {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('data', () => resolve()); // the greeting
    });
    const s = new Session(socket);
    for (const c of ['LOGIN alice practice', 'SELECT Bench']) {
      const reply = await s.command(c);
      if (!/ OK[^\r]*\r\n$/.test(reply)) throw new Error(`${c}: ${reply.slice(-200)}`);
    }
    return s;
  }

  command(text: string): Promise<string> {
    const tag = `t${++this.n}`;
    return new Promise((resolve) => {
      this.waiting = { tag, resolve };
      this.socket.write(`${tag} ${text}\r\n`);
    });
  }

  async timed(text: string): Promise<{ ms: number; reply: string }> {
    const t0 = performance.now();
    const reply = await this.command(text);
    return { ms: performance.now() - t0, reply };
  }

  close(): void {
    this.socket.end('z LOGOUT\r\n');
  }
}

/** What a reply says, to check both servers answered alike: FETCH lines, or the UIDs found. */
function gist(command: string, reply: string): string {
  if (command.startsWith('FETCH')) return `${reply.split('\r\n').filter((l) => /^\* \d+ FETCH/.test(l)).length} FETCH`;
  const found = /^\* SEARCH([^\r]*)/m.exec(reply)?.[1]?.trim().split(' ').filter(Boolean) ?? [];
  return `${found.length} found`;
}

export function startPracticeChild(dataDir: string): Promise<{ port: number; proc: ChildProcess }> {
  // BENCH_IMAP_NODE_ARGS adds node flags to the practice server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p").
  const nodeArgs = (process.env.BENCH_IMAP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return startChild('bench/mailbox-practice-child-lib.ts', ['imap', dataDir], nodeArgs);
}

/** The same messages as maildir files in Dovecot's Bench folder (LAYOUT=fs), owned by its uid. */
export async function fillDovecot(dir: string, raws: Buffer[]): Promise<void> {
  const home = path.join(dir, 'mail', 'alice');
  const bench = path.join(home, 'Bench');
  for (const d of [home, bench, ...['cur', 'new', 'tmp'].map((s) => path.join(bench, s))]) {
    await mkdir(d, { recursive: true });
    await chown(d, NOBODY, NOBODY);
  }
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < raws.length; i++) {
    const file = path.join(bench, 'cur', `${now}.M${i}P1.bench,S=${raws[i]!.length}:2,`);
    await writeFile(file, raws[i]!);
    await chown(file, NOBODY, NOBODY);
  }
}

export async function run(): Promise<void> {
  const raws = Array.from({ length: COUNT }, (_, i) => sample(i));
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mailwire-bench-imap-'));
  const store = await openMailstore({
    dataDir,
    domain: 'practice.test',
    accounts: [{ username: 'alice', password: 'practice' }],
  });
  let floorMs: number;
  let floorBytes = 0;
  try {
    const account = store.forAccount('alice');
    await account.createMailbox('Bench');
    const appendStart = performance.now();
    for (let i = 0; i < COUNT; i += 50)
      await Promise.all(raws.slice(i, i + 50).map((raw) => account.append('Bench', raw)));
    console.log(`filled ${COUNT} messages in ${((performance.now() - appendStart) / 1000).toFixed(1)} s`);
    const floors: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const d = await directFetch(store.forAccount('alice').mailbox('Bench')!);
      floors.push(d.ms);
      floorBytes = d.bytes;
    }
    floorMs = median(floors);
  } finally {
    await store.close();
  }

  const practice = await startPracticeChild(dataDir);
  const why = !DOVECOT ? 'dovecot is not installed (apt-get install dovecot-imapd)' : !IS_ROOT ? 'needs root' : null;
  const dovecot = why ? null : await startDovecotImap();
  try {
    if (dovecot) await fillDovecot(dovecot.dir, raws);
    const servers: { name: string; session: Session; times: number[][]; gists: string[] }[] = [
      { name: 'mailwire', session: await Session.open(practice.port), times: COMMANDS.map(() => []), gists: [] },
    ];
    if (dovecot)
      servers.push({
        name: 'Dovecot',
        session: await Session.open(dovecot.port),
        times: COMMANDS.map(() => []),
        gists: [],
      });
    for (const s of servers) for (const c of COMMANDS) s.gists.push(gist(c, (await s.session.timed(c)).reply));
    let fetchBytes = 0;
    const ratios: number[][] = COMMANDS.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      for (let c = 0; c < COMMANDS.length; c++) {
        for (const s of r % 2 ? [...servers].reverse() : servers) {
          const t = await s.session.timed(COMMANDS[c]!);
          s.times[c]!.push(t.ms);
          if (c === 0 && s.name === 'mailwire') fetchBytes = t.reply.length;
        }
        if (dovecot) ratios[c]!.push(servers[0]!.times[c]![r]! / servers[1]!.times[c]![r]!);
      }
    }
    console.log(
      `IMAP over ${COUNT} messages, ${ROUNDS} rounds after a warm-up, each command on both servers back to back (ms):`,
    );
    console.log(
      `  ${'command'.padEnd(46)} ${'mailwire'.padStart(9)} ${'Dovecot'.padStart(9)}  mailwire/Dovecot: median of the pairs (spread)`,
    );
    let worst = 0;
    for (let c = 0; c < COMMANDS.length; c++) {
      const mine = median(servers[0]!.times[c]!);
      const peer = dovecot ? median(servers[1]!.times[c]!) : NaN;
      const ratio = dovecot ? median(ratios[c]!) : NaN;
      worst = Math.max(worst, ratio);
      const spread = dovecot ? ` (${Math.min(...ratios[c]!).toFixed(2)}-${Math.max(...ratios[c]!).toFixed(2)})` : '';
      const differs =
        dovecot && servers[0]!.gists[c] !== servers[1]!.gists[c]
          ? `  (answers differ: ${servers[0]!.gists[c]} vs ${servers[1]!.gists[c]})`
          : `  [${servers[0]!.gists[c]}]`;
      console.log(
        `  ${COMMANDS[c]!.padEnd(46)} ${mine.toFixed(1).padStart(9)} ${dovecot ? peer.toFixed(1).padStart(9) : '      n/a'}  ${dovecot ? `${ratio.toFixed(2)}x${spread}` : `n/a: ${why}`}${differs}`,
      );
    }
    if (dovecot)
      console.log(
        `  [target <= ${TARGET}x Dovecot (median of the pairs) on every command: ${worst <= TARGET ? 'meets target' : 'MISSES target'}]`,
      );
    const fetchMs = median(servers[0]!.times[0]!);
    console.log(
      `  FETCH beside the uncached in-process floor (reads and parses every message, no cache): ${fetchMs.toFixed(0)} ms over a socket (${(fetchBytes / 1024).toFixed(0)} KiB) vs ` +
        `${floorMs.toFixed(0)} ms in-process (${(floorBytes / 1024).toFixed(0)} KiB of the same items): ${(fetchMs / floorMs).toFixed(2)}x`,
    );
    for (const s of servers) s.session.close();
  } finally {
    await dovecot?.stop();
    practice.proc.kill('SIGTERM');
    await new Promise((r) => practice.proc.once('exit', r));
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
    const raw = await mailbox.read(metas[i]!.uid);
    if (!raw) continue;
    const env = envelopeChunks(buildEnvelope(parseMimeStructure(raw)));
    const line = `* ${i + 1} FETCH (FLAGS ${flagList(metas[i]!.flags)} ENVELOPE ${env.map(String).join('')})\r\n`;
    bytes += line.length;
  }
  return { ms: performance.now() - start, bytes };
}
