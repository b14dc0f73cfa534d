// The browser test of issue 2: Chromium loads the page from a running mailwire, and JavaScript
// in that page opens a WebSocket to /bridge (same origin), relays a line to a loopback server
// and gets the reply. It uses no UI element, so it does not depend on the app's screens.
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildIfNeeded } from '../../bridge/build.ts';
import { configWithDefaults } from '../../bridge/config/load.ts';
import { startMailwire, type RunningMailwire } from '../../bridge/start.ts';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';

const root = join(import.meta.dirname, '../..');
const dist = join(root, 'dist');

describe.skipIf(!hasChromium)('the page talks through /bridge (needs /usr/bin/chromium)', () => {
  let browser: Browser;
  let mailwire: RunningMailwire;
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    await buildIfNeeded(dist); // normally done already by the global setup (test/setup/build-app.ts)
    server = createServer((s) => {
      s.write('220 loopback ESMTP\r\n');
      s.on('data', (d: Buffer) => s.write(`250 heard ${d.toString().trim()}\r\n`));
      s.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
    mailwire = await startMailwire(
      configWithDefaults({
        dataDir: mkdtempSync(join(tmpdir(), 'mw-e2e-')),
        port: 0,
        distDir: dist,
        practice: null,
        allow: [{ host: '127.0.0.1', port }],
        allowPrivate: true,
        mailPorts: [port],
      }),
      { log: () => {} },
    );
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await mailwire?.close();
    server?.close();
  });

  it('loads the page, opens a loopback target through the bridge, sends a line and shows the reply', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    const res = await page.goto(mailwire.url, { waitUntil: 'networkidle' });
    expect(res?.status()).toBe(200);
    expect(await page.title()).toContain('mailwire');
    expect(consoleErrors).toEqual([]); // e.g. no 404 for /favicon.ico
    const result = await page.evaluate(async (targetPort) => {
      const ws = new WebSocket(`ws://${location.host}/bridge`);
      ws.binaryType = 'arraybuffer';
      const controls: unknown[] = [];
      let text = '';
      const dec = new TextDecoder();
      return await new Promise<{ controls: unknown[]; text: string }>((resolve, reject) => {
        setTimeout(() => reject(new Error(`timeout: ${text} ${JSON.stringify(controls)}`)), 10_000);
        ws.onopen = () => ws.send(JSON.stringify({ type: 'open', host: '127.0.0.1', port: targetPort, tls: 'none' }));
        ws.onmessage = (ev) => {
          if (typeof ev.data === 'string') {
            controls.push(JSON.parse(ev.data));
            return;
          }
          text += dec.decode(ev.data as ArrayBuffer);
          if (text.includes('220 loopback') && !text.includes('250'))
            ws.send(new TextEncoder().encode('EHLO chromium\r\n'));
          if (text.includes('250 heard EHLO chromium')) {
            ws.send(JSON.stringify({ type: 'close' }));
            ws.onclose = () => resolve({ controls, text });
          }
        };
      });
    }, port);
    expect(result.controls[0]).toMatchObject({ type: 'opened', remote: { address: '127.0.0.1', port } });
    expect(result.text).toBe('220 loopback ESMTP\r\n250 heard EHLO chromium\r\n');
    expect(result.controls.at(-1)).toMatchObject({ type: 'closed', by: 'client' });
    await page.close();
  });
});
