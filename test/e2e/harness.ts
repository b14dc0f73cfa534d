// Shared by the browser tests: a real mailwire (practice server on free ports, a temp data dir)
// and Debian's Chromium driven by playwright-core. The app was built by test/setup/build-app.ts.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { configWithDefaults } from '../../bridge/config.ts';
import { projectRoot } from '../../bridge/build.ts';
import { practiceConfigWithDefaults } from '../../bridge/practice/defaults.ts';
import { startMailwire, type RunningMailwire } from '../../bridge/start.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const SCREENSHOTS = join(projectRoot, 'test-results', 'screenshots');

const FREE_PORTS = { smtp: 0, submission: 0, smtps: 0, imap: 0, imaps: 0, pop3: 0, pop3s: 0 };

export interface Playground {
  mailwire: RunningMailwire;
  browser: Browser;
  newPage(): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Types `line` into the console and presses Enter; with `waitFor`, waits for a server line with
 * that text that was not there before the line was sent (an older line with the same text, such
 * as an earlier "250 ", does not count).
 */
export async function send(page: Page, line: string, waitFor?: string): Promise<void> {
  const replies = page.locator('[data-kind="server"]', { hasText: waitFor });
  const before = waitFor === undefined ? 0 : await replies.count();
  const input = page.locator('[data-testid="console-input"]');
  await input.fill(line);
  await input.press('Enter');
  if (waitFor !== undefined) await replies.nth(before).waitFor();
}

export async function startPlayground(): Promise<Playground> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mw-e2e-'));
  const mailwire = await startMailwire(
    configWithDefaults({
      dataDir,
      port: 0,
      distDir: join(projectRoot, 'dist'),
      practice: practiceConfigWithDefaults({ dataDir, ports: FREE_PORTS }),
    }),
    { log: () => {} },
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    mailwire,
    browser,
    async newPage() {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
      await page.goto(mailwire.url);
      return page;
    },
    async screenshot(page, name) {
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await browser.close();
      await mailwire.close();
    },
  };
}
