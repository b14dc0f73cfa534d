// Issue 11 in Chromium: the page arrives with its security headers and the app runs under its
// Content-Security-Policy with no violation on any screen (console with a live session, studio
// with the HTML preview frame, lessons, replay, theme and presenter switches), and the page
// refuses to be framed by another origin.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, startPlayground, type Playground } from './harness.ts';

describe.skipIf(!hasChromium)('security headers and CSP (needs /usr/bin/chromium)', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 120_000);
  afterAll(async () => pg?.close());

  /** A page that records every CSP violation (in any frame) and every CSP console message. */
  async function watchedPage(): Promise<{ page: Page; violations: string[] }> {
    const page = await pg.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const violations: string[] = [];
    await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __cspViolation(v: string): void }).__cspViolation(
          `${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`,
        );
      });
    });
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));
    return { page, violations };
  }

  it('sends the headers with the page and the assets', async () => {
    const { page } = await watchedPage();
    const res = (await page.goto(pg.mailwire.url))!;
    const h = res.headers();
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(h['content-security-policy']).toContain("script-src 'self'");
    expect(h['x-frame-options']).toBe('DENY');
    expect(h['referrer-policy']).toBe('no-referrer');
    expect(h['x-content-type-options']).toBe('nosniff');
    await page.close();
  });

  it('runs every screen with no CSP violation', async () => {
    const { page, violations } = await watchedPage();
    await page.goto(pg.mailwire.url);
    // Console: a live practice session through the bridge (connect-src for ws://).
    await page.click('button[data-target="practice/smtp"]');
    await page.locator('[data-kind="server"]', { hasText: '220 ' }).waitFor();
    const input = page.locator('[data-testid="console-input"]');
    await input.fill('EHLO learner.example');
    await input.press('Enter');
    await page.locator('[data-kind="server"]', { hasText: '250 ' }).last().waitFor();
    await page.click('[data-testid="theme-toggle"]');
    await page.click('[data-testid="presenter-toggle"]');
    await page.click('[data-testid="presenter-toggle"]');
    // Studio: the HTML part opens in its sandboxed srcdoc preview, images as data: URLs.
    await page.goto(`${pg.mailwire.url}#/studio`);
    await page.selectOption('[data-testid="example-select"]', 'alternative');
    await page.locator('[data-testid="mime-tree"] .row', { hasText: 'text/html' }).click();
    await page.locator('iframe[title="HTML preview"]').waitFor();
    // HTML mail styles itself inline; the preview must show those styles (see style-src in http.ts).
    await page.fill(
      '[data-testid="text-editor"]',
      '<p id="styled" style="color: rgb(255, 0, 0)">red</p><style>#styled { font-weight: 700 }</style>',
    );
    const preview = page.frameLocator('iframe[title="HTML preview"]').locator('#styled');
    await expect.poll(() => preview.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(255, 0, 0)');
    expect(await preview.evaluate((el) => getComputedStyle(el).fontWeight)).toBe('700');
    await page.selectOption('[data-testid="example-select"]', 'inline-image');
    await page.locator('[data-testid="mime-tree"] .row', { hasText: 'image/png' }).click();
    // Lessons: the index, then one lesson's runner.
    await page.goto(`${pg.mailwire.url}#/lessons`);
    await page.locator('li.card a').first().click();
    await page.locator('[data-testid="lesson-runner"]').waitFor();
    // Replay.
    await page.goto(`${pg.mailwire.url}#/replay`);
    await page.waitForTimeout(300);
    expect(violations).toEqual([]);
    await page.close();
  }, 60_000);

  it('cannot be framed by another origin (frame-ancestors, X-Frame-Options)', async () => {
    const framer: Server = createServer((_req, res) => res.end(`<iframe id="f" src="${pg.mailwire.url}"></iframe>`));
    await new Promise<void>((r) => framer.listen(0, '127.0.0.1', () => r()));
    try {
      const { page, violations } = await watchedPage();
      await page.goto(`http://localhost:${(framer.address() as AddressInfo).port}/`);
      await page.waitForTimeout(800);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      // A blocked frame is left empty (Chromium shows its error page, never the app).
      const framed = frame ? await frame.locator('[data-target="practice/smtp"]').count() : 0;
      expect(framed).toBe(0);
      expect(violations.join('\n')).toMatch(/frame-ancestors|X-Frame-Options/);
      await page.close();
    } finally {
      framer.close();
    }
  });
});
