// bridge/queue-api.ts on a real mailwire: GET /api/queue lists what waits (id, sender, recipients,
// next attempt, attempts, last reply), scoped by the class session (a student sees only their own
// account's mail, the teacher all of it); GET /api/queue/transcript hands back a recorded outbound
// SMTP session that the app's own importer reads. Mail is submitted with Python's smtplib.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importJsonValue } from '../../app/src/transcript/import-json.ts';
import { decodeUtf8 } from '../../app/src/transcript/bytes.ts';
import type { QueueBody } from '../../app/src/wire/queue.ts';
import { configWithDefaults } from '../../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../../bridge/practice/defaults.ts';
import { farawayDomain } from '../../bridge/practice/domains/relay.ts';
import { startMailwire, type RunningMailwire } from '../../bridge/start.ts';
import { has } from '../helpers/peers.ts';
import { python } from './practice/mta/python.ts';
import { ZERO_PORTS } from './practice/smtp/helpers.ts';

const skip = has('python3') ? false : 'python3 is not installed';
const running: RunningMailwire[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const m of running.splice(0)) await m.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(classSize: number): Promise<RunningMailwire> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mw-queue-api-'));
  dirs.push(dataDir);
  const config = configWithDefaults({
    dataDir,
    port: 0,
    practice: practiceConfigWithDefaults({
      dataDir,
      ports: ZERO_PORTS,
      classSize,
      relay: { domains: [farawayDomain({ smtpPort: 0, imapsPort: 0 })], retrySeconds: [60], timeoutMs: 3000 },
    }),
  });
  const m = await startMailwire(config, { log: () => {} });
  running.push(m);
  return m;
}

const SEND = String.raw`
import smtplib, ssl, sys
port, user, password, rcpt = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = smtplib.SMTP('127.0.0.1', port); s.starttls(context=ctx); s.login(user, password)
me = user + '@practice.test'
s.sendmail(me, [rcpt], 'From: <%s>\r\nTo: <%s>\r\nSubject: queue api\r\n\r\nhello\r\n' % (me, rcpt)); s.quit()
`;
import { ApiPage } from '../helpers/api-page.ts';
async function send(m: RunningMailwire, user: string, password: string, rcpt: string) {
  const r = await python(SEND, String(m.practice!.endpoints['practice/submission'].port), user, password, rcpt);
  expect(r.stderr).toBe('');
}

describe.skipIf(skip)(`/api/queue${skip ? ` (skipped: ${skip})` : ''}`, { timeout: 60_000 }, () => {
  it('in a class: signed out 401; a student sees their own message only; the teacher sees all', async () => {
    const m = await start(2);
    const [one, two] = m.practice!.roster!.students;
    await send(m, one!.account, one!.password, 'someone@unreachable.test');
    const anon = new ApiPage(m.url);
    expect(await anon.call('GET', '/api/queue')).toMatchObject({ status: 401, body: { code: 'QUEUE_SIGN_IN' } });

    const p1 = new ApiPage(m.url);
    expect(
      (await p1.call('POST', '/api/class/sign-in', { account: one!.account, password: one!.password })).status,
    ).toBe(200);
    // The first attempt (connection refused at 127.0.1.9) is recorded, and the next is 60 s away.
    await expect.poll(async () => (await p1.call('GET', '/api/queue')).body.messages[0]?.attempts).toBe(1);
    const mine = (await p1.call('GET', '/api/queue')).body as QueueBody;
    expect(mine).toMatchObject({ relay: true, scope: 'account', account: one!.account, retrySeconds: [60] });
    expect(mine.messages).toHaveLength(1);
    const msg = mine.messages[0]!;
    expect(msg).toMatchObject({
      from: `${one!.account}@practice.test`,
      recipients: ['someone@unreachable.test'],
      domain: 'unreachable.test',
      attempts: 1,
    });
    expect(msg.lastReply).toMatch(/ECONNREFUSED/);
    expect(Date.parse(msg.nextAttempt) - Date.now()).toBeGreaterThan(30_000);
    expect(msg.transcripts).toEqual([expect.objectContaining({ n: 1, host: 'mx.unreachable.test' })]);
    const t = await p1.call('GET', `/api/queue/transcript?id=${msg.id}&n=1`);
    expect(t.status).toBe(200);
    expect(t.body.events).toEqual([expect.objectContaining({ kind: 'error', code: 'CONNECT_FAILED' })]);

    const p2 = new ApiPage(m.url);
    await p2.call('POST', '/api/class/sign-in', { account: two!.account, password: two!.password });
    expect(((await p2.call('GET', '/api/queue')).body as QueueBody).messages).toEqual([]);
    // Another student's message is "not found", exactly like a made-up id.
    expect(await p2.call('GET', `/api/queue/transcript?id=${msg.id}&n=1`)).toMatchObject({
      status: 404,
      body: { code: 'QUEUE_NOT_FOUND' },
    });
    expect((await p2.call('GET', '/api/queue/transcript?id=../x&n=1')).status).toBe(400);

    const teacher = new ApiPage(m.url);
    const roster = m.practice!.roster!;
    await teacher.call('POST', '/api/class/sign-in', { account: 'teacher', password: roster.teacher.password });
    const all = (await teacher.call('GET', '/api/queue')).body as QueueBody;
    expect(all).toMatchObject({ scope: 'all', account: null });
    expect(all.messages.map((x) => x.id)).toEqual([msg.id]);
  });

  it('the outbound session of a hop is a transcript the app imports: EHLO, STARTTLS, the 550 5.1.1', async () => {
    const m = await start(0);
    await send(m, 'alice', 'practice', 'nobody@faraway.test');
    const page = new ApiPage(m.url);
    await expect
      .poll(async () => ((await page.call('GET', '/api/queue')).body as QueueBody).recent[0], { timeout: 20_000 })
      .toMatchObject({ outcome: 'bounced', domain: 'faraway.test', recipients: ['nobody@faraway.test'] });
    const { id } = ((await page.call('GET', '/api/queue')).body as QueueBody).recent[0]!;
    const t = await page.call('GET', `/api/queue/transcript?id=${id}&n=1`);
    expect(t.status).toBe(200);
    const imported = importJsonValue(t.body);
    if (!imported.ok) throw new Error(JSON.stringify(imported));
    const { transcript } = imported;
    expect(transcript.meta).toMatchObject({
      protocol: 'smtp',
      target: expect.stringMatching(/^mx1\.faraway\.test:\d+$/),
    });
    const sent = transcript.events.filter((e) => e.kind === 'sent').map((e) => decodeUtf8(e.data));
    const received = transcript.events.filter((e) => e.kind === 'received').map((e) => decodeUtf8(e.data));
    expect(sent[0]).toBe('EHLO mail.practice.test\r\n');
    expect(sent).toContain('STARTTLS\r\n');
    expect(transcript.events.some((e) => e.kind === 'tls')).toBe(true);
    expect(sent).toContain('MAIL FROM:<alice@practice.test>\r\n');
    expect(received.some((r) => r.startsWith('550 5.1.1 <nobody@faraway.test>'))).toBe(true);
    expect(await page.call('GET', `/api/queue/transcript?id=${id}&n=2`)).toMatchObject({ status: 404 });
  });
});
