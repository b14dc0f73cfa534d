// Fuzz-style robustness: at least 10,000 random and mutated command lines (binary garbage, over-long
// lines, flipped bytes in real commands, commands out of order) thrown at the three SMTP ports over
// many pipelined connections. Afterwards the server must still run a well-formed session end to end.
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBySubject, startTestPractice, type TestPractice, practiceTransport } from './helpers.ts';
import { prng } from '../../../helpers/prng.ts';

let t: TestPractice;
beforeAll(async () => {
  t = await startTestPractice({ limits: { maxLineLength: 8192, maxMessageSize: 64 * 1024, idleTimeoutMs: 10_000 } });
});
afterAll(async () => {
  await t.stop();
});

let timeouts = 0;

const VALID = [
  'EHLO fuzz.test',
  'HELO fuzz.test',
  'MAIL FROM:<alice@practice.test>',
  'MAIL FROM:<alice@practice.test> SIZE=100 BODY=8BITMIME SMTPUTF8',
  'RCPT TO:<bob@practice.test>',
  'RCPT TO:<x@example.com>',
  'DATA',
  'RSET',
  'NOOP',
  'VRFY bob',
  'HELP',
  'STARTTLS',
  'AUTH PLAIN AGFsaWNlAHByYWN0aWNl',
  'AUTH LOGIN',
  'AUTH CRAM-MD5',
  'BDAT 10 LAST',
  'ETRN x',
  'QUIT',
  '.',
  'Subject: x',
];

function line(rand: () => number): Buffer {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const kind = rand();
  if (kind < 0.3) {
    const len = Math.floor(rand() * 200);
    return Buffer.from(Array.from({ length: len }, () => Math.floor(rand() * 256)).filter((b) => b !== 0x0a));
  }
  if (kind < 0.35) return Buffer.alloc(2000 + Math.floor(rand() * 12000), pick(['A', '%', '<', ' ']));
  const base = Buffer.from(pick(VALID));
  const out = [...base];
  const edits = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (out.length + 1));
    const op = rand();
    if (op < 0.4) out.splice(at, 1);
    else if (op < 0.8) out.splice(at, 0, Math.floor(rand() * 256));
    else out.splice(at, 0, ...Buffer.from(pick(['<', '>', ':', '=', ' ', '\r', '\0', 'ÿ', '@', '"'])));
  }
  return Buffer.from(out.filter((b) => b !== 0x0a));
}

function blast(port: number, secure: boolean, lines: Buffer[]): Promise<number> {
  return new Promise((resolve) => {
    let replies = 0;
    const socket = secure
      ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false })
      : net.connect({ host: '127.0.0.1', port });
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(replies);
    };
    const timer = setTimeout(() => {
      timeouts++;
      done();
    }, 3000);
    socket.on('error', done);
    socket.on('close', done);
    let greeted = false;
    socket.on('data', (d: Buffer) => {
      replies += d.toString('latin1').match(/^\d{3}[ -]/gm)?.length ?? 0;
      if (greeted) return;
      greeted = true; // talking before the greeting only earns "421 You talk too soon"
      socket.write(Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\r\n')])));
      socket.end();
    });
  });
}

describe('SMTP fuzz', () => {
  it('survives 10,000+ random and mutated lines and then serves a normal session', { timeout: 120_000 }, async () => {
    const rand = prng(20261125);
    const ports: Array<[number, boolean]> = [
      [t.port('smtp'), false],
      [t.port('submission'), false],
      [t.port('smtps'), true],
    ];
    let sent = 0;
    let answered = 0;
    let round = 0;
    while (sent < 10_500) {
      const wave = Array.from({ length: 12 }, (_, i) => {
        // Fewer than 10 per connection: smtp-server hangs up after 10 unrecognized commands.
        const lines = Array.from({ length: 4 + Math.floor(rand() * 5) }, () => line(rand));
        sent += lines.length;
        const [port, secure] = ports[(round + i) % ports.length];
        return blast(port, secure, lines);
      });
      for (const n of await Promise.all(wave)) answered += n;
      round++;
    }
    expect(sent).toBeGreaterThanOrEqual(10_000);
    // The lines were read and answered, not just dropped at the door.
    expect(answered).toBeGreaterThan(sent / 4);
    console.log(`fuzz: ${sent} lines sent, ${answered} reply lines, ${timeouts} timeouts`);

    const transport = practiceTransport(t, 'submission', 'alice', 'practice');
    const info = await transport.sendMail({
      from: 'alice@practice.test',
      to: 'bob@practice.test',
      subject: 'after-fuzz',
      text: 'still here',
    });
    transport.close();
    expect(info.response).toMatch(/^250 /);
    expect(await findBySubject(t, 'bob', 'after-fuzz')).toHaveLength(1);
  });
});
