// Deferred, then delivered: greylist.test's MX greylists (RFC 6647 section 2.3). Python's smtplib
// submits to dana@greylist.test; the MTA's first try gets 451 4.7.1 and the message waits in the
// queue with that last reply; the retry after the compressed delay is taken, the queue is empty,
// /api/queue says "delivered", and imaplib reads the letter from greylist.test's own IMAPS.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importJsonValue } from '../../../../app/src/transcript/import-json.ts';
import { decodeUtf8 } from '../../../../app/src/transcript/bytes.ts';
import type { QueueBody } from '../../../../app/src/wire/queue.ts';
import { configWithDefaults } from '../../../../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../../../../bridge/practice/defaults.ts';
import { farawayDomain, greylistDomain } from '../../../../bridge/practice/domains/relay.ts';
import { startMailwire, type RunningMailwire } from '../../../../bridge/start.ts';
import { has } from '../../../helpers/peers.ts';
import { ZERO_PORTS } from '../smtp/helpers.ts';
import { python, READ_HEADER, submitOne } from './python.ts';

const skip = has('python3') ? false : 'python3 is not installed';
/** The MTA retries after 2 s; the greylist lets a triplet through 1 s after its first try. */
const RETRY_SECONDS = [2, 2];
const GREYLIST_DELAY_MS = 1000;
let mailwire: RunningMailwire;
let dataDir = '';

beforeAll(async () => {
  if (skip) return;
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-greylist-'));
  const ports = { smtpPort: 0, imapsPort: 0 };
  const relay = {
    domains: [farawayDomain(ports), greylistDomain(ports, GREYLIST_DELAY_MS)],
    retrySeconds: RETRY_SECONDS,
    timeoutMs: 3000,
  };
  const practice = practiceConfigWithDefaults({ dataDir, ports: ZERO_PORTS, relay });
  mailwire = await startMailwire(configWithDefaults({ dataDir, host: '127.0.0.1', port: 0, practice }), {
    log: () => {},
  });
});
afterAll(async () => {
  await mailwire?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const queue = async (): Promise<QueueBody> => (await fetch(new URL('/api/queue', mailwire.url))).json();

describe.skipIf(skip)(`a greylisting MX: deferred, then delivered${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it(
    'first try 451 4.7.1 (queued, last reply shown), the retry is taken, dana reads it',
    { timeout: 60_000 },
    async () => {
      const started = Date.now();
      const sent = await submitOne(mailwire.practice!.endpoints['practice/submission'].port, {
        user: 'alice',
        from: 'alice@practice.test',
        to: ['dana@greylist.test'],
        subject: 'grey-1',
      });
      expect(sent).toMatchObject({ code: 250, reply: expect.stringMatching(/queued/) });

      // After the first attempt: still queued, with the greylister's temporary refusal as the last reply.
      await expect.poll(async () => (await queue()).messages[0]?.attempts ?? 0, { timeout: 10_000 }).toBe(1);
      const waiting = (await queue()).messages[0]!;
      expect(waiting).toMatchObject({ domain: 'greylist.test', recipients: ['dana@greylist.test'], attempts: 1 });
      expect(waiting.lastReply).toMatch(/^451 4\.7\.1 /);
      expect(waiting.lastReply).toContain('Greylisted');
      expect(waiting.lastHost).toBe('mx.greylist.test');
      // The retry is due after the schedule's first delay.
      expect(Date.parse(waiting.nextAttempt) - Date.parse(waiting.arrival)).toBeGreaterThanOrEqual(
        RETRY_SECONDS[0]! * 1000,
      );

      // The retry comes after the greylist's minimum delay, so it is taken: the queue empties.
      await expect.poll(async () => (await queue()).messages.length, { timeout: 20_000 }).toBe(0);
      const body = await queue();
      expect(body.recent[0]).toMatchObject({
        id: waiting.id,
        domain: 'greylist.test',
        recipients: ['dana@greylist.test'],
        outcome: 'delivered',
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(RETRY_SECONDS[0]! * 1000);

      // Both sessions are recorded: RCPT TO answered 451 the first time, 250 the second.
      const hops = await Promise.all(
        [1, 2].map(async (n) => {
          const res = await fetch(new URL(`/api/queue/transcript?id=${waiting.id}&n=${n}`, mailwire.url));
          expect(res.status).toBe(200);
          const t = importJsonValue(await res.json());
          if (!t.ok) throw new Error(t.error.message);
          return t.transcript.events
            .filter((e) => e.kind === 'received')
            .map((e) => decodeUtf8((e as { data: Uint8Array }).data))
            .join('');
        }),
      );
      expect(hops[0]).toMatch(/^451 4\.7\.1 /m);
      expect(hops[1]).not.toMatch(/^451 /m);
      // An MX offers no DSN (what the lesson's "relayed" notice explains).
      expect(hops[1]).toMatch(/^250[ -]STARTTLS/m);
      expect(hops[1]).not.toMatch(/^250[ -]DSN/m);
      expect(hops[1]).toMatch(/^250 [^\r\n]*(queued|accepted|Ok|OK)/im);

      // dana reads it from greylist.test's own IMAPS, handed over by mail.practice.test.
      const grey = mailwire.practice!.relay!.domains.find((d) => d.config.domain === 'greylist.test')!;
      const got = await python(READ_HEADER, grey.imaps.host, String(grey.imaps.port), 'dana', 'grey-1');
      expect(got.stderr).toBe('');
      const fields = got.stdout.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
      expect(fields[0]).toBe('Return-Path: <alice@practice.test>');
      expect(fields[1]).toBe('Delivered-To: dana@greylist.test');
      // The start-up summary says where it is and that it greylists.
      expect(mailwire.practice!.accountsSummary()).toMatch(
        /greylist\.test +MX 127\.0\.1\.3:\d+; IMAPS 127\.0\.1\.3:\d+; dana@greylist\.test \(password practice\); greylists: 451 4\.7\.1 to a new sender and recipient, taken again after 1 s/,
      );
      expect(fields[2]).toMatch(/^Received: from mail\.practice\.test \(\[127\.0\.0\.1\]\) by mx\.greylist\.test /);
    },
  );
});
