// Queued while the MX is down, delivered when it is back: outage.test's one MX is taken down with
// POST /api/practice/outage (its listening socket closed, so the connect is refused). Python's
// smtplib submits to erin@outage.test; the MTA's first try is refused and the message waits with
// that as its last reply (RFC 5321 section 4.5.4.1: keep it, retry later); a retry while it is
// still down is refused again; after {"down": false} the next retry delivers, and imaplib reads the
// letter from outage.test's own IMAPS with its Return-Path and Received fields.
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutageBody, QueueBody } from '../../../../app/src/wire/queue.ts';
import { configWithDefaults } from '../../../../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../../../../bridge/practice/defaults.ts';
import { farawayDomain, outageDomain } from '../../../../bridge/practice/domains/relay.ts';
import { startMailwire, type RunningMailwire } from '../../../../bridge/start.ts';
import { has } from '../../../helpers/peers.ts';
import { ZERO_PORTS } from '../smtp/helpers.ts';
import { python, READ_HEADER, submitOne } from './python.ts';

const skip = has('python3') ? false : 'python3 is not installed';
/** The MTA retries after 2 s, three times, before a bounce. */
const RETRY_SECONDS = [2, 2, 2, 2];
let mailwire: RunningMailwire;
let dataDir = '';

beforeAll(async () => {
  if (skip) return;
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-outage-'));
  const ports = { smtpPort: 0, imapsPort: 0 };
  const relay = { domains: [farawayDomain(ports), outageDomain(ports)], retrySeconds: RETRY_SECONDS, timeoutMs: 3000 };
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
const outage = async (down?: boolean): Promise<{ status: number; body: OutageBody }> => {
  const res = await fetch(new URL('/api/practice/outage', mailwire.url), {
    method: down === undefined ? 'GET' : 'POST',
    headers: { origin: new URL(mailwire.url).origin, 'content-type': 'application/json' },
    body: down === undefined ? undefined : JSON.stringify({ down }),
  });
  return { status: res.status, body: (await res.json()) as OutageBody };
};
/** Whether something listens at host:port: 'open', or the connect error's code (ECONNREFUSED). */
const probe = (host: string, port: number) =>
  new Promise<string>((resolve) => {
    const s = connect({ host, port }, () => {
      s.destroy();
      resolve('open');
    });
    s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });

describe.skipIf(skip)(`an MX that is down, then back${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it(
    'down: connection refused, the message waits; up: the next retry delivers, erin reads it',
    { timeout: 60_000 },
    async () => {
      const mx = mailwire.practice!.relay!.domains.find((d) => d.config.domain === 'outage.test')!;
      // It starts up.
      expect(await outage()).toEqual({
        status: 200,
        body: { host: 'mx.outage.test', address: '127.0.1.4', port: mx.smtpPort, down: false },
      });
      expect(await probe('127.0.1.4', mx.smtpPort)).toBe('open');

      // Down, twice (idempotent): nothing listens on 127.0.1.4 any more.
      expect((await outage(true)).body.down).toBe(true);
      expect(await outage(true)).toMatchObject({ status: 200, body: { down: true } });
      expect(await probe('127.0.1.4', mx.smtpPort)).toBe('ECONNREFUSED');

      const sent = await submitOne(mailwire.practice!.endpoints['practice/submission'].port, {
        user: 'alice',
        from: 'alice@practice.test',
        to: ['erin@outage.test'],
        subject: 'outage-1',
      });
      expect(sent).toMatchObject({ code: 250, reply: expect.stringMatching(/queued/) });

      // The first attempt and a retry are both refused: still queued, "connection refused" as the last reply.
      await expect.poll(async () => (await queue()).messages[0]?.attempts ?? 0, { timeout: 15_000 }).toBe(2);
      const waiting = (await queue()).messages[0]!;
      expect(waiting).toMatchObject({ domain: 'outage.test', recipients: ['erin@outage.test'], attempts: 2 });
      expect(waiting.lastReply).toMatch(/ECONNREFUSED 127\.0\.1\.4/);

      // Back up: listening again on the same address and port; the next retry delivers.
      expect(await outage(false)).toMatchObject({ status: 200, body: { down: false, port: mx.smtpPort } });
      expect(await probe('127.0.1.4', mx.smtpPort)).toBe('open');
      await expect.poll(async () => (await queue()).messages.length, { timeout: 15_000 }).toBe(0);
      expect((await queue()).recent[0]).toMatchObject({
        id: waiting.id,
        domain: 'outage.test',
        recipients: ['erin@outage.test'],
        outcome: 'delivered',
      });

      // erin reads it from outage.test's own IMAPS, handed over by mail.practice.test.
      const got = await python(READ_HEADER, mx.imaps.host, String(mx.imaps.port), 'erin', 'outage-1');
      expect(got.stderr).toBe('');
      const fields = got.stdout.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
      expect(fields[0]).toBe('Return-Path: <alice@practice.test>');
      expect(fields[1]).toBe('Delivered-To: erin@outage.test');
      expect(fields[2]).toMatch(/^Received: from mail\.practice\.test \(\[127\.0\.0\.1\]\) by mx\.outage\.test /);
    },
  );

  it('refuses a bad body, another method and a request without Origin, with a stable code', async () => {
    const url = new URL('/api/practice/outage', mailwire.url);
    const origin = new URL(mailwire.url).origin;
    const before = (await outage()).body.down;
    const post = (body: string, headers: Record<string, string> = { origin }) =>
      fetch(url, { method: 'POST', headers, body }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect(await post('{"down": "yes"}')).toMatchObject({ status: 400, body: { code: 'OUTAGE_BAD_REQUEST' } });
    expect(await post('{down')).toMatchObject({ status: 400, body: { code: 'BAD_JSON' } });
    expect(await post('x'.repeat(300 * 1024))).toMatchObject({ status: 413, body: { code: 'BODY_TOO_LARGE' } });
    expect(await post('{"down": true}', {})).toMatchObject({ status: 403, body: { code: 'ORIGIN_REQUIRED' } });
    const put = await fetch(url, { method: 'PUT', headers: { origin }, body: '{}' });
    expect(put.status).toBe(400);
    // None of them switched it.
    expect((await outage()).body.down).toBe(before);
  });
});
