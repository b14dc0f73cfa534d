// bridge/outage-api.ts on a real mailwire, who may switch mx.outage.test: in a class only the
// teacher (a student gets 403 OUTAGE_TEACHER_ONLY, a page signed out 401 OUTAGE_SIGN_IN, and the MX
// stays as it was); alone anyone on the page may. Whether it is down is checked by connecting to it.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configWithDefaults } from '../../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../../bridge/practice/defaults.ts';
import { outageDomain } from '../../bridge/practice/domains/relay.ts';
import { startMailwire, type RunningMailwire } from '../../bridge/start.ts';
import { ZERO_PORTS } from './practice/smtp/helpers.ts';
import { ApiPage } from '../helpers/api-page.ts';

const running: RunningMailwire[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const m of running.splice(0)) await m.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(classSize: number, relay = true): Promise<RunningMailwire> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mw-outage-api-'));
  dirs.push(dataDir);
  const config = configWithDefaults({
    dataDir,
    port: 0,
    practice: practiceConfigWithDefaults({
      dataDir,
      ports: ZERO_PORTS,
      classSize,
      ...(relay
        ? { relay: { domains: [outageDomain({ smtpPort: 0, imapsPort: 0 })], retrySeconds: [60], timeoutMs: 3000 } }
        : {}),
    }),
  });
  const m = await startMailwire(config, { log: () => {} });
  running.push(m);
  return m;
}

const probe = (port: number) =>
  new Promise<string>((resolve) => {
    const s = connect({ host: '127.0.1.4', port }, () => {
      s.destroy();
      resolve('open');
    });
    s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });

const mxPort = (m: RunningMailwire) =>
  m.practice!.relay!.domains.find((d) => d.config.domain === 'outage.test')!.smtpPort;

describe('/api/practice/outage', { timeout: 60_000 }, () => {
  it('in a class: signed out 401, a student 403, the teacher 200; the MX is down only after the teacher', async () => {
    const m = await start(2);
    const [one] = m.practice!.roster!.students;
    const anon = new ApiPage(m.url);
    expect(await anon.call('POST', '/api/practice/outage', { down: true })).toMatchObject({
      status: 401,
      body: { code: 'OUTAGE_SIGN_IN', message: expect.stringMatching(/teacher/) },
    });
    const student = new ApiPage(m.url);
    await student.call('POST', '/api/class/sign-in', { account: one!.account, password: one!.password });
    const refused = await student.call('POST', '/api/practice/outage', { down: true });
    expect(refused).toMatchObject({ status: 403, body: { code: 'OUTAGE_TEACHER_ONLY' } });
    expect(refused.body.message).toContain(one!.account);
    // A student may still see the state.
    expect(await student.call('GET', '/api/practice/outage')).toMatchObject({ status: 200, body: { down: false } });
    expect(await probe(mxPort(m))).toBe('open');

    const teacher = new ApiPage(m.url);
    await teacher.call('POST', '/api/class/sign-in', {
      account: 'teacher',
      password: m.practice!.roster!.teacher.password,
    });
    expect(await teacher.call('POST', '/api/practice/outage', { down: true })).toMatchObject({
      status: 200,
      body: { host: 'mx.outage.test', down: true },
    });
    expect(await probe(mxPort(m))).toBe('ECONNREFUSED');
    expect((await student.call('GET', '/api/practice/outage')).body.down).toBe(true);
    expect((await teacher.call('POST', '/api/practice/outage', { down: false })).body.down).toBe(false);
    expect(await probe(mxPort(m))).toBe('open');
  });

  it('alone (no class) anyone on the page may switch it; the same ask at once, many times, is one switch', async () => {
    const m = await start(0);
    const page = new ApiPage(m.url);
    const downs = await Promise.all([1, 2, 3, 4].map(() => page.call('POST', '/api/practice/outage', { down: true })));
    expect(downs.map((r) => [r.status, r.body.down])).toEqual(downs.map(() => [200, true]));
    expect(await probe(mxPort(m))).toBe('ECONNREFUSED');
    const ups = await Promise.all([1, 2, 3].map(() => page.call('POST', '/api/practice/outage', { down: false })));
    expect(ups.map((r) => [r.status, r.body.down])).toEqual(ups.map(() => [200, false]));
    expect(await probe(mxPort(m))).toBe('open');
  });

  it('without outage.test (no relay): 404 OUTAGE_OFF with a sentence', async () => {
    const m = await start(0, false);
    const r = await new ApiPage(m.url).call('GET', '/api/practice/outage');
    expect(r).toMatchObject({ status: 404, body: { code: 'OUTAGE_OFF' } });
    expect(r.body.message).toMatch(/not served here/);
  });
});
