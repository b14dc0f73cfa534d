// Through the real bridge: the relay registers the browser's address for each practice socket it
// opens, so the practice server's caps count the browser (here ::1, the page's client) and not the
// bridge's own 127.0.0.1 socket. A local client on 127.0.0.1 that fills its own cap does not lock
// out the browser, and the browser's second session meets the cap with the protocol's refusal.
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import type { Limits } from '../../../bridge/practice/types.ts';
import { startBridge, TestClient, type TestBridge } from '../relay/helpers.ts';
import { EPHEMERAL_PORTS } from '../../helpers/practice-ports.ts';

let bridge: TestBridge;
beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mw-limits-origin-'));
  const limits = { maxConnectionsPerAddress: 1 } as Limits;
  bridge = await startBridge({
    host: '::1',
    dataDir,
    practice: practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS, limits }),
  });
});
afterAll(() => bridge.close());

it('caps count the browser behind the bridge, not the bridge socket', async () => {
  // A local client takes the one place of 127.0.0.1.
  const local = net.connect({ host: '127.0.0.1', port: bridge.practice!.endpoints['practice/imap'].port });
  const greeting = await new Promise<string>((resolve) => local.once('data', (d: Buffer) => resolve(d.toString())));
  expect(greeting).toMatch(/^\* OK/);

  const first = await TestClient.connect(bridge.wsUrl);
  first.json({ type: 'open', target: 'practice/imap' });
  await first.next('opened');
  await first.waitForText('* OK'); // served: it counts for ::1, whose place was free

  const second = await TestClient.connect(bridge.wsUrl);
  second.json({ type: 'open', target: 'practice/imap' });
  await second.next('opened');
  await second.waitForText('* BYE [UNAVAILABLE] Too many connections from your address (the limit is 1)');
  const refused = bridge.logs.map((l) => JSON.parse(l)).find((e) => e.event === 'imap.refused');
  expect(refused?.address).toBe('::1');
  first.ws.close();
  second.ws.close();
  local.destroy();
});
