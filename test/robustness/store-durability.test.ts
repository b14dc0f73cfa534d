// Durability under kill -9: SMTP deliveries and IMAP APPENDs run in parallel against the practice
// server in a child process, which is SIGKILLed at a random moment; five rounds on one data dir.
// After each round every acknowledged write (250 to DATA, tagged OK to APPEND) must be there byte
// for byte, exactly once, and nothing else may appear but whole messages that were sent. The
// randomness is seeded and the seed printed: STORE_SEED=<seed> replays a run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNTS } from '../../bridge/practice/defaults.ts';
import { openMailstore } from '../../bridge/practice/mailstore.ts';
import { RawSmtp } from '../integration/practice/smtp/helpers.ts';
import { Imap, startChild, type Child } from './store-helpers.ts';
import { prng as rng } from '../helpers/prng.ts';

const ROUNDS = 5;
const SMTP_WRITERS = 3;
const IMAP_WRITERS = 3;

interface Sent {
  key: string; // "user/mailbox"
  body: string;
  acked: boolean;
}

let dataDir = '';
let child: Child | null = null;
afterAll(async () => {
  await child?.kill();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A message no other write sends: its id in the subject, a random-length body. */
function makeMessage(next: () => number, id: string): string {
  const lines = [`From: writer@example.test`, `Subject: ${id}`, `Message-ID: <${id}@durability.test>`, ''];
  const n = 1 + Math.floor(next() * 400); // up to ~30 KB
  for (let i = 0; i < n; i++) lines.push(`${id} line ${i} ${'x'.repeat(Math.floor(next() * 70))}`);
  return lines.join('\r\n') + '\r\n';
}

async function smtpWriter(port: number, next: () => number, name: string, sent: Sent[]): Promise<void> {
  const c = await RawSmtp.connect(port);
  try {
    if (!(await c.reply()).startsWith('220')) return;
    if (!(await c.cmd('EHLO durability.test')).startsWith('250')) return;
    for (let i = 0; ; i++) {
      const user = next() < 0.5 ? 'alice' : 'bob';
      if (!(await c.cmd('MAIL FROM:<writer@example.test>')).startsWith('250')) return;
      if (!(await c.cmd(`RCPT TO:<${user}@practice.test>`)).startsWith('250')) return;
      if (!(await c.cmd('DATA')).startsWith('354')) return;
      const entry: Sent = { key: `${user}/INBOX`, body: makeMessage(next, `${name}-${i}`), acked: false };
      sent.push(entry);
      c.write(`${entry.body}.\r\n`);
      const reply = await c.reply(10_000);
      if (!reply.startsWith('250')) return;
      entry.acked = true;
    }
  } catch {
    // the kill: the connection went away mid-write
  } finally {
    c.destroy();
  }
}

async function imapWriter(port: number, next: () => number, name: string, sent: Sent[]): Promise<void> {
  const c = await Imap.connect(port);
  try {
    const user = next() < 0.5 ? 'alice' : 'bob';
    await c.login(user);
    for (let i = 0; ; i++) {
      const box = next() < 0.5 ? 'INBOX' : 'Drafts';
      const entry: Sent = { key: `${user}/${box}`, body: makeMessage(next, `${name}-${i}`), acked: false };
      sent.push(entry);
      const reply = await c.command(
        'a',
        Buffer.from(`APPEND ${box} (\\Seen) {${Buffer.byteLength(entry.body)}+}\r\n${entry.body}`),
        10_000,
      );
      if (!reply || !/^a OK/m.test(reply)) return;
      entry.acked = true;
    }
  } catch {
    // the kill
  } finally {
    c.destroy();
  }
}

describe('kill -9 while SMTP and IMAP write in parallel', () => {
  /** SMTP delivery adds Return-Path, Delivered-To (RFC 9228) and Received in front (RFC 5321 4.4); the rest is the message as sent. */
  const withoutTrace = (text: string) =>
    text.replace(/^(?:(?:Return-Path|Delivered-To|Received):[^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*)+/, '');

  it(
    `keeps every acknowledged write byte-exact over ${ROUNDS} rounds, and nothing partial appears`,
    { timeout: 180_000 },
    async () => {
      const seed = Number(process.env.STORE_SEED ?? Math.floor(Math.random() * 2 ** 31));
      console.log(`store durability seed ${seed} (STORE_SEED=${seed} replays it)`);
      const next = rng(seed);
      dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-durability-'));
      const sent: Sent[] = [];
      const summary: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        child = await startChild(dataDir, {
          limits: { maxLineLength: 8192, maxMessageSize: 25 * 1024 * 1024, idleTimeoutMs: 60_000, quota: 0 },
        });
        const smtpPort = child.endpoints['practice/smtp'].port;
        const imapPort = child.endpoints['practice/imaps'].port;
        const before = sent.length;
        const writers = [
          ...Array.from({ length: SMTP_WRITERS }, (_, w) =>
            smtpWriter(smtpPort, rng(seed + round * 100 + w), `r${round}s${w}`, sent).catch(() => {}),
          ),
          ...Array.from({ length: IMAP_WRITERS }, (_, w) =>
            imapWriter(imapPort, rng(seed + round * 100 + 50 + w), `r${round}i${w}`, sent).catch(() => {}),
          ),
        ];
        const delay = 300 + Math.floor(next() * 1200);
        await new Promise((r) => setTimeout(r, delay));
        await child.kill();
        expect(child.child.signalCode).toBe('SIGKILL');
        await Promise.all(writers);
        const mine = sent.slice(before);

        // The data dir as the next start will see it.
        const store = await openMailstore({
          dataDir,
          domain: 'practice.test',
          accounts: DEFAULT_ACCOUNTS,
          limits: { quota: 0 },
        });
        try {
          const stored = new Map<string, string[]>();
          for (const { username } of DEFAULT_ACCOUNTS) {
            for (const name of ['INBOX', 'Drafts']) {
              const box = store.forAccount(username).mailbox(name)!;
              const texts: string[] = [];
              for (const m of box.messages()) texts.push(withoutTrace((await box.read(m.uid))!.toString('utf8')));
              stored.set(`${username}/${name}`, texts);
            }
          }
          const sentBodies = new Map(sent.map((s) => [s.body, s]));
          for (const s of sent.filter((x) => x.acked)) {
            const copies = stored.get(s.key)!.filter((t) => t === s.body).length;
            expect(copies, `acknowledged ${s.body.slice(0, 80)} in ${s.key}`).toBe(1);
          }
          for (const [key, texts] of stored) {
            for (const t of texts) {
              if (t.includes('Welcome to mailwire') || t.includes('Subject: Welcome')) continue; // the account's welcome message
              const origin = sentBodies.get(t);
              expect(
                origin,
                `a partial or unknown message in ${key}: ${JSON.stringify(t.slice(0, 120))}`,
              ).toBeDefined();
              expect(origin!.key).toBe(key);
            }
          }
          const inFlight = mine.filter((s) => !s.acked);
          const kept = inFlight.filter((s) => stored.get(s.key)!.includes(s.body)).length;
          summary.push(
            `round ${round}: killed after ${delay} ms; ${mine.length - inFlight.length} acknowledged, all kept; ${inFlight.length} in flight, ${kept} of them kept whole`,
          );
        } finally {
          await store.close();
        }
      }
      console.log(summary.join('\n'));
      expect(sent.filter((s) => s.acked).length).toBeGreaterThan(ROUNDS); // the writes really happened
    },
  );
});
