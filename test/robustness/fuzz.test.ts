// The seeded fuzzer (fuzz.ts) against mailwire in its own process: HTTP, WebSocket frames and
// control messages, and bytes to every practice port, for FUZZ_SECONDS (10 in the normal run,
// longer with `npm run fuzz`). Afterwards the process must be alive, every practice port must
// still greet, and a well-formed session from another address must work within 2 s.
// FUZZ_SEED replays a run.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzFor } from './fuzz.ts';
import { startMailwireProcess, wellFormedSession, type Mailwire } from './harness.ts';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 10);
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);

let mw: Mailwire;
beforeAll(async () => {
  mw = await startMailwireProcess();
}, 60_000);
afterAll(async () => mw?.stop());

function greeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' });
    const t = setTimeout(() => (s.destroy(), reject(new Error(`no greeting on ${port} within 2 s`))), 2000);
    s.once('data', (d: Buffer) => {
      clearTimeout(t);
      s.destroy();
      resolve(d.toString('latin1'));
    });
    s.on('error', reject);
  });
}

describe('seeded fuzzing', () => {
  it(
    `survives ${SECONDS} s of grammar-aware fuzzing (seed ${SEED})`,
    async () => {
      const counts = await fuzzFor(mw, SEED, SECONDS);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      process.stdout.write(`fuzz seed ${SEED}: ${total} cases in ${SECONDS} s ${JSON.stringify(counts)}\n`);
      expect(total).toBeGreaterThan(SECONDS * 5);
      expect(mw.alive()).toBe(true);
      expect(await wellFormedSession(mw)).toMatch(/^220 /);
      expect(await greeting(mw.practice['practice/smtp']!)).toMatch(/^220 /);
      expect(await greeting(mw.practice['practice/imap']!)).toMatch(/^\* OK/);
      expect(await greeting(mw.practice['practice/pop3']!)).toMatch(/^\+OK/);
      expect(mw.err()).not.toMatch(/UNCAUGHT_EXCEPTION|UNHANDLED_REJECTION/);
    },
    (SECONDS + 60) * 1000,
  );
});
