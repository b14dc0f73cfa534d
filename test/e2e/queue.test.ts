// The queue view in Chromium: alice submits (nodemailer, STARTTLS + AUTH) to a domain whose only
// MX never answers (unreachable.test); the view shows the message queued with its attempts, its
// next attempt counting down and the last reply; a recorded SMTP session opens in Replay; after the
// last retry the message leaves the queue (bounced back to alice) and the view says so.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../bridge/build.ts';
import { configWithDefaults } from '../../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../../bridge/practice/defaults.ts';
import { farawayDomain, greylistDelayFor, greylistDomain, outageDomain } from '../../bridge/practice/domains/relay.ts';
import { startMailwire, type RunningMailwire } from '../../bridge/start.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { EPHEMERAL_PORTS } from '../helpers/practice-ports.ts';
import { hasChromium, SCREENSHOTS } from './harness.ts';

describe.skipIf(!hasChromium)('the queue view (needs /usr/bin/chromium)', () => {
  let mailwire: RunningMailwire;
  let browser: Browser;
  let dataDir = '';
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mw-e2e-queue-'));
    mailwire = await startMailwire(
      configWithDefaults({
        dataDir,
        port: 0,
        distDir: join(projectRoot, 'dist'),
        practice: practiceConfigWithDefaults({
          dataDir,
          ports: EPHEMERAL_PORTS,
          // Two retries 6 s apart: long enough to watch, short enough to see it leave. greylist.test
          // lets a retry through after 3 s, as `npm start` does (half the first delay).
          relay: {
            domains: [
              farawayDomain({ smtpPort: 0, imapsPort: 0 }),
              greylistDomain({ smtpPort: 0, imapsPort: 0 }, greylistDelayFor([6, 6])),
              outageDomain({ smtpPort: 0, imapsPort: 0 }),
            ],
            retrySeconds: [6, 6],
            timeoutMs: 3000,
          },
        }),
      }),
      { log: () => {} },
    );
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await mailwire?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("the connection panel offers faraway.test's MX and IMAPS while the relay runs; its MX answers", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.goto(mailwire.url);
    const faraway = mailwire.practice!.relay!.domains[0]!;
    const mx = page.locator('button[data-target="faraway/smtp"]');
    const imaps = page.locator('button[data-target="faraway/imaps"]');
    await mx.waitFor();
    // The ports are the running ones from /api/practice, not defaults.
    expect(await mx.innerText()).toContain(`:${faraway.smtpPort}`);
    expect(await imaps.innerText()).toContain(`:${faraway.imaps.port}`);
    await mx.click();
    await page.locator('[data-kind="server"]', { hasText: '220 mx1.faraway.test' }).waitFor();
    await page.close();
  }, 60_000);

  it('shows a message queued for a down MX with its next attempt, then sees it leave the queue', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.goto(`${mailwire.url}#/queue`);
    await page.locator('[data-testid="queue-empty"]').waitFor();

    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: mailwire.practice!.endpoints['practice/submission'].port,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: 'alice', pass: 'practice' },
    });
    const info = await transport.sendMail({
      from: 'alice@practice.test',
      to: 'someone@unreachable.test',
      subject: 'queued in the browser',
      text: 'waiting for an MX that never answers',
    });
    transport.close();
    const id = /queue id ([A-Z0-9]+)/.exec(info.response)![1]!;

    const row = page.locator(`tr[data-queue-id="${id}"]`);
    await row.waitFor();
    await expect.poll(() => row.locator('td').nth(3).innerText()).toMatch(/^[12]$/);
    await expect.poll(() => row.locator('[data-testid="next-attempt"]').innerText()).toMatch(/^in \d s /);
    expect(await row.innerText()).toContain('someone@unreachable.test');
    expect(await row.locator('.reply').innerText()).toMatch(/ECONNREFUSED/);
    await page.screenshot({ path: join(SCREENSHOTS, 'queue.png') });

    // It leaves after the third failed attempt, and the view says it bounced.
    await expect.poll(() => row.count(), { timeout: 45_000 }).toBe(0);
    await expect
      .poll(() => page.locator('[data-testid="queue-recent"]').innerText())
      .toMatch(new RegExp(`${id} bounced back \\(a DSN to the sender\\) for someone@unreachable\\.test`));

    // A recorded session opens in Replay.
    await page.locator('[data-testid="queue-recent"] button').first().click();
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/replay\/session\//);
    await page.close();
  }, 90_000);
  it('shows a letter to greylist.test deferred with 451 4.7.1, then delivered on the retry', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.goto(`${mailwire.url}#/queue`);
    await page.locator('h1#queue-title').waitFor();
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: mailwire.practice!.endpoints['practice/submission'].port,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: 'alice', pass: 'practice' },
    });
    const info = await transport.sendMail({
      from: 'alice@practice.test',
      to: 'dana@greylist.test',
      subject: 'greylisted in the browser',
      text: 'let me in',
    });
    transport.close();
    const id = /queue id ([A-Z0-9]+)/.exec(info.response)![1]!;
    const row = page.locator(`tr[data-queue-id="${id}"]`);
    await row.waitFor();
    await expect.poll(() => row.locator('.reply').innerText()).toMatch(/^451 4\.7\.1 Greylisted/);
    expect(await row.locator('td').nth(3).innerText()).toBe('1');
    await page.screenshot({ path: join(SCREENSHOTS, 'queue-greylisted.png') });
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(0);
    await expect
      .poll(() => page.locator('[data-testid="queue-recent"]').innerText())
      .toMatch(new RegExp(`${id} delivered to dana@greylist\\.test`));
    await page.close();
  }, 60_000);
  it('takes mx.outage.test down with its button: a letter waits (ECONNREFUSED); brought back, the retry delivers', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.goto(`${mailwire.url}#/queue`);
    const status = page.locator('[data-testid="outage-state"]');
    await expect.poll(() => status.innerText()).toMatch(/mx\.outage\.test \(127\.0\.1\.4\) is up/);
    const down = page.getByRole('button', { name: 'Take mx.outage.test down' });
    const back = page.getByRole('button', { name: 'Bring mx.outage.test back' });
    expect(await back.isDisabled()).toBe(true);
    await down.click();
    await expect.poll(() => status.innerText()).toMatch(/is down: connections to it are refused/);
    expect(await down.isDisabled()).toBe(true);
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: mailwire.practice!.endpoints['practice/submission'].port,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: 'alice', pass: 'practice' },
    });
    const info = await transport.sendMail({
      from: 'alice@practice.test',
      to: 'erin@outage.test',
      subject: 'through an outage in the browser',
      text: 'I will wait',
    });
    transport.close();
    const id = /queue id ([A-Z0-9]+)/.exec(info.response)![1]!;
    const row = page.locator(`tr[data-queue-id="${id}"]`);
    await row.waitFor();
    await expect.poll(() => row.locator('.reply').innerText()).toMatch(/ECONNREFUSED 127\.0\.1\.4/);
    await page.screenshot({ path: join(SCREENSHOTS, 'queue-outage.png') });
    await back.click();
    await expect.poll(() => status.innerText()).toMatch(/is up/);
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(0);
    await expect
      .poll(() => page.locator('[data-testid="queue-recent"]').innerText())
      .toMatch(new RegExp(`${id} delivered to erin@outage\\.test`));
    await page.close();
  }, 60_000);
});
