// faraway/imaps and faraway/smtp through the relay: carol's mailbox and faraway.test's MX, each
// verified by faraway.test's own pinned certificate, only while the practice internet runs; without
// it, opening one is refused with PRACTICE_UNAVAILABLE and a sentence saying why.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { farawayDomain } from '../../../bridge/practice/domains/relay.ts';
import { startBridge, TestClient, type TestBridge } from './helpers.ts';
import { EPHEMERAL_PORTS } from '../../helpers/practice-ports.ts';
import { PRACTICE_TARGETS } from '../../../app/src/wire/messages.ts';

describe('faraway/* named targets with the practice internet', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mw-faraway-'));
    const relay = { domains: [farawayDomain({ smtpPort: 0, imapsPort: 0 })], retrySeconds: [1], timeoutMs: 3000 };
    bridge = await startBridge({
      dataDir,
      practice: practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS, relay }),
    });
  });
  afterAll(async () => bridge?.close());

  it("faraway/imaps: implicit TLS pinned to faraway.test's own certificate; carol logs in", async () => {
    const faraway = bridge.practice!.relay!.domains[0]!;
    const c = await TestClient.connect(bridge.wsUrl);
    c.json({ type: 'open', target: 'faraway/imaps' });
    const opened = await c.next('opened');
    expect(opened.remote.port).toBe(faraway.imaps.port);
    expect(opened.tls?.verified).toBe(true);
    expect(opened.tls?.certificate?.fingerprint256).toBe(faraway.fingerprint256);
    expect(faraway.fingerprint256).not.toBe(bridge.practice!.credentials.fingerprint256);
    await c.waitForText('* OK');
    c.bytes('a1 LOGIN carol practice\r\n');
    await c.until(() => /\r\na1 OK/.test(c.text()), 'the tagged OK of LOGIN');
    c.json({ type: 'close' });
    await c.next('closed');
  });

  it('GET /api/practice lists faraway/smtp and faraway/imaps where the relay dials them', async () => {
    const faraway = bridge.practice!.relay!.domains[0]!;
    const body = (await (await fetch(new URL('/api/practice', bridge.url))).json()) as {
      targets: Array<{ target: string; host: string; port: number; tls: string; starttls: boolean }>;
    };
    const listed = body.targets.filter((t) => t.target.startsWith('faraway/'));
    expect(listed).toEqual([
      { target: 'faraway/smtp', host: '127.0.1.1', port: faraway.smtpPort, tls: 'none', starttls: true },
      { target: 'faraway/imaps', host: '127.0.1.1', port: faraway.imaps.port, tls: 'implicit', starttls: false },
    ]);
    // The practice targets are all still there, first.
    expect(body.targets.slice(0, 8).map((t) => t.target)).toEqual([...PRACTICE_TARGETS]);
    // What the page is told is where the relay connects: the opened remote is that port.
    const c = await TestClient.connect(bridge.wsUrl);
    c.json({ type: 'open', target: 'faraway/smtp' });
    const opened = await c.next('opened');
    expect(opened.remote).toMatchObject({ address: listed[0]!.host, port: listed[0]!.port });
    c.json({ type: 'close' });
    await c.next('closed');
  });

  it('faraway/smtp: the MX greets as mx1.faraway.test and offers STARTTLS (no AUTH: it is a port-25 server)', async () => {
    const c = await TestClient.connect(bridge.wsUrl);
    c.json({ type: 'open', target: 'faraway/smtp' });
    const opened = await c.next('opened');
    expect(opened.remote.port).toBe(bridge.practice!.relay!.domains[0]!.smtpPort);
    await c.waitForText('220 mx1.faraway.test');
    c.bytes('EHLO learner.example\r\n');
    await c.until(() => /\r\n250 [^\r\n]*\r\n$/.test(c.text()), 'the end of the EHLO reply');
    expect(c.text()).toContain('STARTTLS');
    expect(c.text()).not.toMatch(/^250[ -]AUTH/m);
    c.json({ type: 'close' });
    await c.next('closed');
  });
});

describe('faraway/* named targets without the practice internet', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mw-faraway-off-'));
    bridge = await startBridge({ dataDir, practice: practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS }) });
  });
  afterAll(async () => bridge?.close());

  it('GET /api/practice lists no faraway/* target', async () => {
    const body = (await (await fetch(new URL('/api/practice', bridge.url))).json()) as {
      targets: Array<{ target: string }>;
    };
    expect(body.targets.map((t) => t.target)).toEqual([...PRACTICE_TARGETS]);
  });

  it('is refused with PRACTICE_UNAVAILABLE, saying the relay is off', async () => {
    const c = await TestClient.connect(bridge.wsUrl);
    c.json({ type: 'open', target: 'faraway/imaps' });
    const error = await c.next('error');
    expect(error.code).toBe('PRACTICE_UNAVAILABLE');
    expect(error.message).toContain('practice internet');
  });
});
