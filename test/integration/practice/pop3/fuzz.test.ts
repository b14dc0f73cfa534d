// Fuzz-style: at least 10,000 random and mutated command lines at the POP3 server over loopback,
// then a well-formed session must still work and alice's mail must be untouched.
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dotUnstuff } from '../../../../bridge/practice/pop3/dot-stuffing.ts';
import { HOST, RawClient, startFixture, type Pop3Fixture } from './harness.ts';
import { prng } from '../../../helpers/prng.ts';

const LINES = 10_000;
const PER_CONNECTION = 15; // below the bad-command limit, so most lines get an answer
const PARALLEL = 6;
const SEED = 20261125;

// Valid lines to mutate. They log in as bob only, so alice's maildrop must come out unchanged.
const CORPUS = [
  'CAPA',
  'USER bob',
  'PASS practice',
  'STAT',
  'LIST',
  'LIST 1',
  'RETR 1',
  'TOP 1 3',
  'UIDL',
  'UIDL 2',
  'DELE 1',
  'RSET',
  'NOOP',
  'AUTH PLAIN',
  'AUTH PLAIN AGJvYgBwcmFjdGljZQ==',
  'AUTH',
  'APOP bob x',
  'QUIT',
  'STLS',
];

function makeLine(rand: () => number, maxLine: number): Buffer {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const kind = rand();
  if (kind < 0.3) {
    // random bytes, any value
    return Buffer.from(Array.from({ length: Math.floor(rand() * 60) }, () => Math.floor(rand() * 256)));
  }
  if (kind < 0.35) return Buffer.alloc(maxLine + Math.floor(rand() * maxLine), pick(['A', ' ', '.', '\0']));
  const line = Buffer.from(pick(CORPUS));
  const edits = 1 + Math.floor(rand() * 4);
  let out = line;
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (out.length + 1));
    const op = rand();
    if (op < 0.3) out = Buffer.concat([out.subarray(0, at), Buffer.from([Math.floor(rand() * 256)]), out.subarray(at)]);
    else if (op < 0.5) out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1)]);
    else if (op < 0.7)
      out = Buffer.concat([out, Buffer.from(` ${pick(['-1', '0', '99999999999', '1', '%s', '\u00e9', '*', '='])}`)]);
    else if (op < 0.85) out = Buffer.from(out.toString('latin1').toLowerCase(), 'latin1');
    else
      out = Buffer.concat([
        out.subarray(0, at),
        Buffer.from(pick(['\r', '\n', '\r\n', ' ', '\t']), 'latin1'),
        out.subarray(at),
      ]);
  }
  return out;
}

/** Sends lines on one connection, pipelined, then QUIT and half-close; resolves with all it got. */
function throwLines(port: number, lines: Buffer[], secure: boolean): Promise<{ reply: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const socket = secure
      ? tls.connect({ host: HOST, port, rejectUnauthorized: false })
      : net.connect({ host: HOST, port });
    const got: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ reply: Buffer.concat(got).toString('latin1'), timedOut: true });
    }, 10_000);
    socket.once('data', () => {
      socket.end(Buffer.concat([...lines.flatMap((l) => [l, Buffer.from('\r\n')]), Buffer.from('QUIT\r\n')]));
    });
    socket.on('data', (d: Buffer) => got.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ reply: Buffer.concat(got).toString('latin1'), timedOut: false });
    });
  });
}

describe('POP3 fuzz: random and mutated command lines', () => {
  let fx: Pop3Fixture;
  beforeAll(async () => {
    fx = await startFixture({ maxLineLength: 512 });
  }, 30_000);
  afterAll(async () => fx?.close());

  it(`survives ${LINES} lines (seed ${SEED}) and then serves a well-formed session`, async () => {
    const inbox = fx.store.forAccount('alice').mailbox('INBOX')!;
    const before = inbox.messages();
    const rand = prng(SEED);
    const batches: Buffer[][] = [];
    for (let sent = 0; sent < LINES; sent += PER_CONNECTION) {
      batches.push(Array.from({ length: Math.min(PER_CONNECTION, LINES - sent) }, () => makeLine(rand, 512)));
    }
    expect(batches.flat().length).toBeGreaterThanOrEqual(10_000);

    let errs = 0;
    let timeouts = 0;
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        const secure = next % 5 === 0; // every fifth connection over the implicit-TLS port
        const { reply, timedOut } = await throwLines(secure ? fx.tlsPort : fx.plainPort, batch, secure);
        expect(reply.startsWith('+OK mail.practice.test POP3 practice server ready\r\n')).toBe(true);
        expect(reply).not.toContain('internal error');
        errs += reply.split('\r\n-ERR ').length - 1;
        if (timedOut) timeouts++;
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    expect(timeouts).toBe(0);
    expect(errs).toBeGreaterThan(LINES / 2); // most lines were bad and were told so
    expect(fx.logs.filter((l) => l.startsWith('pop3.internal-error'))).toEqual([]);

    // A well-formed session afterwards, on both ports.
    for (const secure of [false, true]) {
      const c = await RawClient.connect(secure ? fx.tlsPort : fx.plainPort, secure);
      expect(await c.line()).toMatch(/^\+OK/);
      await c.login('alice');
      const total = before.reduce((s, m) => s + m.size, 0);
      expect(await c.cmd('STAT')).toBe(`+OK ${before.length} ${total}`);
      expect(await c.cmd('RETR 1')).toMatch(/^\+OK/);
      expect(Buffer.from(dotUnstuff(await c.body())!)).toEqual(await inbox.read(before[0].uid));
      expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
    }
    expect(inbox.messages().map((m) => m.uid)).toEqual(before.map((m) => m.uid));
  }, 120_000);
});
