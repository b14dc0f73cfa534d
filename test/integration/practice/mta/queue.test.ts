// The queue with real clients (Python's smtplib submits, imaplib and the email package read the
// bounces): the 250 after the dot says "queued" for another domain (RFC 5321 section 6.1); the
// caps per sender and in all answer 452 4.3.1; the MX of preference 20 takes the mail when the
// first is down (RFC 5321 section 5.1); the last retry ends in a 5.4.7 bounce; the DSN parameters
// of RFC 3461 (RET, ENVID, NOTIFY, ORCPT) are honoured; a bounce is never bounced (RFC 5321 4.5.5).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { practiceConfigWithDefaults } from '../../../../bridge/practice/defaults.ts';
import { farawayDomain, type RelayConfig } from '../../../../bridge/practice/domains/relay.ts';
import { startPractice, type RunningPractice } from '../../../../bridge/practice/index.ts';
import { PRACTICE_HOSTS } from '../../../../app/src/protocols/dns/zones.ts';
import { has } from '../../../helpers/peers.ts';
import { ZERO_PORTS } from '../smtp/helpers.ts';
import { DSNS, python, submitOne, type SubmitReply } from './python.ts';

const skip = has('python3') ? false : 'python3 is not installed';

interface Started {
  practice: RunningPractice;
  events: Array<{ event: string; fields: Record<string, unknown> }>;
}
const started: Started[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const s of started) await s.practice.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function start(relay: Partial<RelayConfig>): Promise<Started> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-queue-'));
  dirs.push(dataDir);
  const events: Started['events'] = [];
  const practice = await startPractice(
    practiceConfigWithDefaults({
      dataDir,
      ports: ZERO_PORTS,
      relay: {
        domains: [farawayDomain({ smtpPort: 0, imapsPort: 0 })],
        retrySeconds: [0.2, 0.2],
        timeoutMs: 3000,
        ...relay,
      },
    }),
    (event, fields = {}) => events.push({ event, fields }),
  );
  const s = { practice, events };
  started.push(s);
  return s;
}

async function submit(
  s: Started,
  a: { user?: string; from?: string; to: string[]; subject: string; mail_options?: string[]; rcpt_options?: string[] },
): Promise<SubmitReply> {
  const user = a.user ?? 'alice';
  return submitOne(s.practice.endpoints['practice/submission'].port, { user, from: `${user}@practice.test`, ...a });
}

interface Dsn {
  type: string;
  reportType: string;
  from: string;
  returnPath: string;
  parts: string[];
  message: Record<string, string>;
  recipients: Array<Record<string, string>>;
  returned: string;
}
async function bounces(s: Started, tag: string, count = 1): Promise<Dsn[]> {
  const imaps = s.practice.endpoints['practice/imaps'];
  const r = await python(DSNS, imaps.host, String(imaps.port), 'alice', tag, String(count));
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Dsn[];
}

const QUEUED = /^2\.0\.0 Message accepted: queued for 1 recipient at another domain \(queue id [A-Z0-9]+\)/;

describe.skipIf(skip)(`the outbound queue${skip ? ` (skipped: ${skip})` : ''}`, { timeout: 90_000 }, () => {
  it('the 250 after the dot says "queued" with the queue id, and "stored" for a local recipient', async () => {
    const s = await start({ retrySeconds: [60] });
    const away = await submit(s, { to: ['someone@unreachable.test'], subject: 'q-1' });
    expect(away.code).toBe(250);
    expect(away.reply).toMatch(QUEUED);
    const id = /queue id ([A-Z0-9]+)/.exec(away.reply)![1];
    expect(s.practice.relay!.queue().map((q) => q.id)).toEqual([id]);
    const both = await submit(s, { to: ['bob@practice.test', 'someone@unreachable.test'], subject: 'q-2' });
    expect(both.reply).toMatch(
      /^2\.0\.0 Message accepted: stored for 1 local recipient and queued for 1 recipient at another domain/,
    );
    const home = await submit(s, { to: ['bob@practice.test'], subject: 'q-3' });
    expect(home.reply).toMatch(/^2\.6\.0 Message accepted and stored for 1 recipient\./);
  });

  it('caps: a sender over its share gets 452 4.3.1, then everyone once the queue is full; nothing is queued', async () => {
    const s = await start({
      retrySeconds: [60],
      caps: { perSenderMessages: 2, perSenderOctets: 1 << 30, messages: 3, octets: 1 << 30 },
    });
    for (const n of [1, 2])
      expect((await submit(s, { to: ['x@unreachable.test'], subject: `cap-${n}` })).code).toBe(250);
    // Refused at RCPT, before the client sends the message (RFC 5321 section 4.5.3.1.10: 452 there).
    const over = await submit(s, { to: ['x@unreachable.test'], subject: 'cap-3' });
    expect(over).toMatchObject({ code: 452, at: 'RCPT' });
    expect(over.reply).toMatch(/^4\.3\.1 Too much of your mail is waiting in the queue \(2 messages/);
    // bob has his own share, until the queue as a whole is full.
    expect((await submit(s, { user: 'bob', to: ['x@unreachable.test'], subject: 'cap-4' })).code).toBe(250);
    const full = await submit(s, { user: 'bob', to: ['x@unreachable.test'], subject: 'cap-5' });
    expect(full).toMatchObject({ code: 452, at: 'RCPT' });
    expect(full.reply).toMatch(/^4\.3\.1 The outbound queue is full \(3 messages/);
    expect(s.practice.relay!.queue()).toHaveLength(3);
    // Local delivery is not the queue's business.
    expect((await submit(s, { user: 'bob', to: ['alice@practice.test'], subject: 'cap-6' })).code).toBe(250);
  });

  it('caps: a message whose size is over the octets left is refused after the dot with 452 4.3.1', async () => {
    const s = await start({
      retrySeconds: [60],
      caps: { perSenderMessages: 10, perSenderOctets: 64, messages: 10, octets: 1 << 30 },
    });
    const big = await submit(s, { to: ['x@unreachable.test'], subject: 'cap-octets' });
    expect(big).toMatchObject({ code: 452, at: 'DATA' });
    expect(big.reply).toMatch(
      /^4\.3\.1 Too much of your mail is waiting in the queue \(0 messages, 0 octets; at most 10 and 64/,
    );
    expect(s.practice.relay!.queue()).toEqual([]);
  });

  it('with mx1.faraway.test down, the MX of preference 20 (mx2) takes the message', async () => {
    // faraway.test served on mx2's address only: nothing answers on mx1's.
    const only2 = { ...farawayDomain({ smtpPort: 0, imapsPort: 0 }), addresses: [PRACTICE_HOSTS['mx2.faraway.test']] };
    const s = await start({ domains: [only2], retrySeconds: [60] });
    expect((await submit(s, { to: ['carol@faraway.test'], subject: 'fallback-1' })).code).toBe(250);
    await expect
      .poll(() => s.events.find((e) => e.event === 'mta.delivered')?.fields, { timeout: 20_000 })
      .toMatchObject({
        host: 'mx2.faraway.test',
        recipients: 1,
      });
    expect(s.events.some((e) => e.event === 'mta.deferred')).toBe(false);
    const carol = s.practice.relay!.domains[0]!.store.forAccount('carol').mailbox('INBOX')!;
    await expect.poll(() => carol.messages().length).toBeGreaterThan(1); // the welcome message and ours
  });

  it('the last retry fails too: a 5.4.7 bounce with RET=FULL, ENVID and ORCPT echoed (RFC 3461, 3464)', async () => {
    const s = await start({ retrySeconds: [0.2, 0.2] });
    const sent = await submit(s, {
      to: ['nobody@unreachable.test'],
      subject: 'giveup-1',
      mail_options: ['RET=FULL', 'ENVID=env+2Bgiveup-1'],
      rcpt_options: ['NOTIFY=FAILURE,DELAY', 'ORCPT=rfc822;Nobody@unreachable.test'],
    });
    expect(sent).toMatchObject({ dsn: true, code: 250 });
    const [dsn] = await bounces(s, 'giveup-1');
    expect(dsn).toMatchObject({
      type: 'multipart/report',
      reportType: 'delivery-status',
      returnPath: '<>',
      parts: ['multipart/report', 'text/plain', 'message/delivery-status', 'message/rfc822'],
    });
    // ENVID arrives xtext-decoded (+2B is "+"), as RFC 3461 section 4 encodes it.
    expect(dsn!.message['Original-Envelope-Id']).toBe('env+giveup-1');
    expect(dsn!.recipients).toEqual([
      expect.objectContaining({
        'Original-Recipient': 'rfc822;Nobody@unreachable.test',
        'Final-Recipient': 'rfc822; nobody@unreachable.test',
        Action: 'failed',
        Status: '5.4.7',
      }),
    ]);
    // RET=FULL: the body too, not just the header section.
    expect(dsn!.returned).toContain('body of giveup-1');
    // One attempt and the two retries of the schedule.
    const deferred = s.events.filter((e) => e.event === 'mta.deferred');
    expect(deferred.map((e) => e.fields.attempts)).toEqual([1, 2]);
    await expect.poll(() => s.practice.relay!.queue()).toEqual([]);
  });

  it('RET=HDRS returns the header section only; NOTIFY=NEVER sends no bounce at all', async () => {
    const s = await start({ retrySeconds: [0.2] });
    const never = await submit(s, {
      to: ['nobody@faraway.test'],
      subject: 'never-1',
      rcpt_options: ['NOTIFY=NEVER'],
    });
    expect(never.code).toBe(250);
    await expect.poll(() => s.events.some((e) => e.event === 'mta.bounce-not-wanted'), { timeout: 20_000 }).toBe(true);
    await submit(s, { to: ['nobody@faraway.test'], subject: 'hdrs-1', mail_options: ['RET=HDRS'] });
    const [dsn] = await bounces(s, 'hdrs-1');
    expect(dsn!.parts).toEqual(['multipart/report', 'text/plain', 'message/delivery-status', 'text/rfc822-headers']);
    expect(dsn!.returned).toContain('Subject: hdrs-1');
    expect(dsn!.returned).not.toContain('body of hdrs-1');
    expect(dsn!.recipients[0]).toMatchObject({ Status: '5.1.1', 'Remote-MTA': 'dns; mx1.faraway.test' });
    // The NEVER message was refused by faraway.test as well, and no bounce of it is in the mailbox.
    expect(await bounces(s, 'never-1', 0)).toEqual([]);
  });

  it('NOTIFY=SUCCESS: faraway.test offers no DSN, so a "relayed" notice (2.x.x) comes back (RFC 3461 5.2.2.1)', async () => {
    const s = await start({ retrySeconds: [60] });
    const sent = await submit(s, {
      to: ['carol@faraway.test'],
      subject: 'success-1',
      rcpt_options: ['NOTIFY=SUCCESS,FAILURE', 'ORCPT=rfc822;carol@faraway.test'],
    });
    expect(sent.code).toBe(250);
    const [dsn] = await bounces(s, 'success-1');
    expect(dsn!.type).toBe('multipart/report');
    expect(dsn!.recipients).toEqual([
      expect.objectContaining({
        'Original-Recipient': 'rfc822;carol@faraway.test',
        'Final-Recipient': 'rfc822; carol@faraway.test',
        Action: 'relayed',
        Status: expect.stringMatching(/^2\.\d+\.\d+$/),
        'Remote-MTA': 'dns; mx1.faraway.test',
      }),
    ]);
    // And carol has it: a notice of relaying, not instead of delivery.
    const carol = s.practice.relay!.domains[0]!.store.forAccount('carol').mailbox('INBOX')!;
    expect(carol.messages().length).toBe(2);
  });

  it('hostile DSN parameters: an ENVID over 100 or an ORCPT over 500 characters gets 501 5.5.4 (RFC 3461 4.2, 4.4)', async () => {
    const s = await start({ retrySeconds: [60] });
    const envid = await submit(s, {
      to: ['carol@faraway.test'],
      subject: 'long-1',
      mail_options: [`ENVID=${'e'.repeat(101)}`],
    });
    expect(envid).toMatchObject({ code: 501, at: 'MAIL' });
    expect(envid.reply).toMatch(/^5\.5\.4 ENVID is longer than 100 characters/);
    const orcpt = await submit(s, {
      to: ['carol@faraway.test'],
      subject: 'long-2',
      rcpt_options: [`ORCPT=rfc822;${'o'.repeat(500)}@faraway.test`],
    });
    expect(orcpt).toMatchObject({ code: 501, at: 'RCPT' });
    expect(s.practice.relay!.queue()).toEqual([]);
  });

  it('a message with the null sender <> that fails is dropped, never bounced (no bounce loop)', async () => {
    const s = await start({ retrySeconds: [0.2] });
    expect((await submit(s, { from: '', to: ['nobody@unreachable.test'], subject: 'null-1' })).code).toBe(250);
    await expect
      .poll(() => s.events.find((e) => e.event === 'mta.bounced')?.fields, { timeout: 20_000 })
      .toMatchObject({ to: 'nobody' });
    // The entry leaves the queue just after its outcome is logged.
    await expect.poll(() => s.practice.relay!.queue()).toEqual([]);
    expect(s.events.filter((e) => e.event === 'mta.queued')).toHaveLength(1);
  });
});
