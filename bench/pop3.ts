// POP3 round trips on the practice server beside Dovecot's pop3, the same 20 messages, in one run
// (issue 18): STAT, LIST, UIDL, RETR and TOP, each asked 20 times per round on one server and
// then on the other (which goes first alternates by round), p50 per server and the ratio per
// round. This is where a reply written in two pieces shows: RETR's status line and message were
// two writes and, under Nagle's algorithm, the second waited for the client's delayed ACK, 48 ms
// per RETR (40 ms on Linux) against Dovecot's fraction of a millisecond: a ratio near 100x.
// Both servers run in a process of their own on loopback, USER/PASS without TLS. Dovecot needs
// dovecot and root; without them its column says why. Beside STAT each round, a plain Node server
// that answers every line with one fixed line (bench/pop3-node-floor-child-lib.ts): the round
// trip no Node server can beat, against which STAT's and LIST's ratio to Dovecot is read.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openMailstore } from '../bridge/practice/mailstore.ts';
import { loadOrCreateCredentials } from '../bridge/practice/tls.ts';
import { DOVECOT, IS_ROOT, startDovecotPop3 } from '../test/helpers/dovecot-pop3.ts';
import { startChild, stopChild } from './child-lib.ts';
import { sample } from './imap.ts';
import { median } from './stats.ts';

const MESSAGES = 20;
const ROUNDS = 5;
const ASKS = 20;
/** [command for ask i, multi-line reply]. */
const COMMANDS: Array<[string, (i: number) => string, boolean]> = [
  ['STAT', () => 'STAT', false],
  ['LIST', () => 'LIST', true],
  ['UIDL', () => 'UIDL', true],
  ['RETR n', (i) => `RETR ${(i % MESSAGES) + 1}`, true],
  ['TOP n 5', (i) => `TOP ${(i % MESSAGES) + 1} 5`, true],
];

/** One logged-in POP3 session; `ask` sends a command and resolves at the end of its reply. */
class Pop3Session {
  private buffer = '';
  private waiting: { multi: boolean; resolve: (text: string) => void } | null = null;
  private constructor(private socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buffer += d;
      const w = this.waiting;
      if (!w) return;
      const done =
        w.multi && this.buffer.startsWith('+OK') ? this.buffer.endsWith('\r\n.\r\n') : /\r\n/.test(this.buffer);
      if (!done) return;
      this.waiting = null;
      const text = this.buffer;
      this.buffer = '';
      w.resolve(text);
    });
  }

  static async open(port: number): Promise<Pop3Session> {
    const s = new Pop3Session(net.connect({ port, host: '127.0.0.1' }));
    await s.ask('', false); // the greeting
    for (const c of ['USER alice', 'PASS practice']) {
      const reply = await s.ask(c, false);
      if (!reply.startsWith('+OK')) throw new Error(`${c}: ${reply}`);
    }
    return s;
  }

  ask(text: string, multi: boolean): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = { multi, resolve };
      if (text) this.socket.write(`${text}\r\n`);
    });
  }

  close(): void {
    this.socket.end('QUIT\r\n');
  }
}

export async function run(): Promise<void> {
  const raws = Array.from({ length: MESSAGES }, (_, i) => sample(i));
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mailwire-bench-pop3-'));
  const store = await openMailstore({
    dataDir,
    domain: 'practice.test',
    accounts: [{ username: 'alice', password: 'practice' }],
  });
  const inbox = store.forAccount('alice').mailbox('INBOX')!;
  await inbox.expunge(inbox.messages().map((m) => m.uid)); // the welcome message out: the same 20 on both
  for (const raw of raws) await store.forAccount('alice').append('INBOX', raw);
  await store.close();
  // BENCH_POP3_NODE_ARGS adds node flags to the practice server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p").
  const nodeArgs = (process.env.BENCH_POP3_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const practice = await startChild('bench/mailbox-practice-child-lib.ts', ['pop3', dataDir], nodeArgs);
  const floor = await startChild('bench/pop3-node-floor-child-lib.ts', []);
  const why = !DOVECOT ? 'dovecot is not installed (apt-get install dovecot-pop3d)' : !IS_ROOT ? 'needs root' : null;
  const dovecot = why
    ? null
    : await startDovecotPop3(raws, await loadOrCreateCredentials(dataDir, 'mail.practice.test'));
  try {
    const servers = [
      { name: 'mailwire', session: await Pop3Session.open(practice.port), times: COMMANDS.map((): number[] => []) },
    ];
    const floorSession = await Pop3Session.open(floor.port);
    const floorTimes: number[] = [];
    if (dovecot)
      servers.push({ name: 'Dovecot', session: await Pop3Session.open(dovecot.port), times: COMMANDS.map(() => []) });
    // Warm-up: every message once (the first RETR marks it \Seen on both, a write to disk).
    for (const s of servers)
      for (const [, make, multi] of COMMANDS) for (let i = 0; i < MESSAGES; i++) await s.session.ask(make(i), multi);
    const ratios: number[][] = COMMANDS.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      for (let c = 0; c < COMMANDS.length; c++) {
        const [, make, multi] = COMMANDS[c]!;
        const p50: number[] = [];
        for (const s of r % 2 ? [...servers].reverse() : servers) {
          const times: number[] = [];
          for (let i = 0; i < ASKS; i++) {
            const t0 = performance.now();
            const reply = await s.session.ask(make(i), multi);
            times.push(performance.now() - t0);
            if (!reply.startsWith('+OK')) throw new Error(`${s.name} ${make(i)}: ${reply.slice(0, 200)}`);
          }
          s.times[c]!.push(...times);
          p50[servers.indexOf(s)] = median(times);
        }
        if (dovecot) ratios[c]!.push(p50[0]! / p50[1]!);
        if (c === 0)
          for (let i = 0; i < ASKS; i++) {
            const t0 = performance.now();
            await floorSession.ask('STAT', false);
            floorTimes.push(performance.now() - t0);
          }
      }
    }
    console.log(
      `POP3 over ${MESSAGES} messages, ${ROUNDS} rounds of ${ASKS} asks per command and server, back to back (p50 ms):`,
    );
    console.log(
      `  ${'command'.padEnd(10)} ${'mailwire'.padStart(9)} ${'Dovecot'.padStart(9)}  mailwire/Dovecot: median of the rounds (spread)`,
    );
    for (let c = 0; c < COMMANDS.length; c++) {
      const mine = median(servers[0]!.times[c]!);
      const peer = dovecot ? median(servers[1]!.times[c]!).toFixed(2).padStart(9) : '      n/a';
      const ratio = dovecot
        ? `${median(ratios[c]!).toFixed(2)}x (${Math.min(...ratios[c]!).toFixed(2)}-${Math.max(...ratios[c]!).toFixed(2)})`
        : `n/a: ${why}`;
      console.log(`  ${COMMANDS[c]![0].padEnd(10)} ${mine.toFixed(2).padStart(9)} ${peer}  ${ratio}`);
    }
    const floorP50 = median(floorTimes);
    console.log(
      `  plain Node reply (one fixed line, nothing else; the floor of any Node server): ${floorP50.toFixed(2)} ms; ` +
        `mailwire STAT/floor ${(median(servers[0]!.times[0]!) / floorP50).toFixed(2)}x`,
    );
    for (const s of servers) s.session.close();
    floorSession.close();
  } finally {
    await dovecot?.stop();
    await stopChild(practice);
    await stopChild(floor);
    await rm(dataDir, { recursive: true, force: true });
  }
}
