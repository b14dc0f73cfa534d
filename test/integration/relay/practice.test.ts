// The relay against the real embedded practice server: STARTTLS on submission and POP3, implicit
// TLS on imaps, each practice certificate verified by its pinned fingerprint.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { startBridge, TestClient, type TestBridge } from './helpers.ts';
import { EPHEMERAL_PORTS } from '../../helpers/practice-ports.ts';

let bridge: TestBridge;
beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mw-practice-'));
  bridge = await startBridge({ dataDir, practice: practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS }) });
});
afterAll(async () => {
  await bridge.close();
});

describe('relay to the practice server', () => {
  it('practice/submission: EHLO, STARTTLS, pinned certificate, AUTH offered inside TLS', async () => {
    const c = await TestClient.connect(bridge.wsUrl);
    c.json({ type: 'open', target: 'practice/submission' });
    const opened = await c.next('opened');
    expect(opened.remote.port).toBe(bridge.practice!.endpoints['practice/submission'].port);
    await c.waitForText('220 ');
    c.bytes('EHLO learner\r\n');
    await c.waitForText('STARTTLS');
    await c.until(() => /\r\n250 [^\r\n]*\r\n$/.test(c.text()), 'the end of the EHLO reply');
    expect(c.text()).not.toContain('AUTH');
    c.bytes('STARTTLS\r\n');
    await c.until(() => /\r\n220 [^\r\n]*\r\n$/.test(c.text()), 'the go-ahead');
    c.json({ type: 'starttls' });
    const tls = await c.next('tls');
    expect(tls.discardedPlaintextBytes).toBe(0);
    expect(tls.tls.verified).toBe(true);
    expect(tls.tls.verifyReason).toContain('pinned');
    expect(tls.tls.certificate!.fingerprint256).toBe(bridge.practice!.credentials.fingerprint256);
    expect(tls.tls.servername).toBe(bridge.practice!.config.hostname);
    const before = c.text().length;
    c.bytes('EHLO learner\r\n');
    await c.until(() => c.text().slice(before).includes('AUTH'), 'AUTH after TLS');
    c.json({ type: 'close' });
    await c.next('closed');
  });

  it('GET /api/practice lists the actual practice ports', async () => {
    const body = (await (await fetch(`${bridge.url}api/practice`)).json()) as {
      targets: { target: string; port: number }[];
    };
    const smtp = body.targets.find((t) => t.target === 'practice/smtp');
    expect(smtp?.port).toBe(bridge.practice!.endpoints['practice/smtp'].port);
    expect(body.targets).toHaveLength(8);
    expect(body.targets.find((t) => t.target === 'practice/dns')?.port).toBe(bridge.practice!.dns.port);
  });

  it('practice/imaps: implicit TLS verified by the pin, greeting relayed', async () => {
    const c = await TestClient.connect(bridge.wsUrl);
    c.json({ type: 'open', target: 'practice/imaps' });
    const opened = await c.next('opened');
    expect(opened.tls).toMatchObject({ verified: true });
    await c.waitForText('* OK');
    c.bytes('a1 CAPABILITY\r\n');
    await c.waitForText('a1 OK');
    c.ws.close();
  });

  it('practice/pop3: STLS upgrade', async () => {
    const c = await TestClient.connect(bridge.wsUrl);
    c.json({ type: 'open', target: 'practice/pop3' });
    await c.waitForText('+OK');
    c.bytes('STLS\r\n');
    await c.until(() => (c.text().match(/\+OK/g) ?? []).length >= 2, 'the STLS go-ahead');
    c.json({ type: 'starttls' });
    expect((await c.next('tls')).tls.verified).toBe(true);
    const before = c.text().length;
    c.bytes('CAPA\r\n');
    await c.until(() => c.text().slice(before).includes('\r\n.\r\n'), 'CAPA inside TLS');
    c.ws.close();
  });

  it('a lesson scenario applies to its own connection only (greylisting)', async () => {
    const rcpt = async (scenario?: string) => {
      const c = await TestClient.connect(bridge.wsUrl);
      c.json(
        scenario ? { type: 'open', target: 'practice/smtp', scenario } : { type: 'open', target: 'practice/smtp' },
      );
      await c.next('opened');
      await c.waitForText('220 ');
      c.bytes('EHLO learner\r\nMAIL FROM:<alice@practice.test>\r\nRCPT TO:<bob@practice.test>\r\n');
      await c.until(
        () =>
          /\r\n(250|451)[ -]\S*[^\r\n]*\r\n$/.test(c.text()) &&
          c
            .text()
            .split('\r\n')
            .filter((l) => /^(250|451) /.test(l)).length >= 3,
        'the RCPT reply',
      );
      const last = c.text().trimEnd().split('\r\n').at(-1)!;
      c.json({ type: 'close' });
      await c.next('closed');
      return last;
    };
    expect(await rcpt('greylist')).toMatch(/^451 4\.7\.1/);
    // Another learner on the same server at the same time is not greylisted.
    expect(await rcpt()).toMatch(/^250 /);
  });
});
