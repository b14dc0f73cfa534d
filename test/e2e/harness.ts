// Shared by the browser tests: a real mailwire (practice server on free ports, a temp data dir)
// and Debian's Chromium driven by playwright-core. The app was built by test/setup/build-app.ts.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { configWithDefaults } from '../../bridge/config/load.ts';
import { projectRoot } from '../../bridge/build.ts';
import { practiceConfigWithDefaults } from '../../bridge/practice/defaults.ts';
import { startMailwire, type RunningMailwire } from '../../bridge/start.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { EPHEMERAL_PORTS } from '../helpers/practice-ports.ts';

export { CHROMIUM, hasChromium } from '../helpers/chromium.ts';
export const SCREENSHOTS = join(projectRoot, 'test-results', 'screenshots');

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

/** Types a command into the lesson's one-line input (`keyByKey`: as a learner does) and presses Enter. */
export async function typeCommand(page: Page, text: string, { keyByKey = false } = {}): Promise<void> {
  const input = page.getByTestId('lesson-input');
  await expect.poll(() => input.isEnabled(), { timeout: 10_000 }).toBe(true);
  if (keyByKey) await input.pressSequentially(text, { delay: 5 });
  else await input.fill(text);
  await input.press('Enter');
}

/** Waits until the lesson runner shows `step` (0-based) as the current step, ready for the learner. */
export async function atStep(page: Page, step: number, timeout = 15_000): Promise<void> {
  const runner = page.getByTestId('lesson-runner');
  await expect
    .poll(async () => `${await runner.getAttribute('data-step')}:${await runner.getAttribute('data-phase')}`, {
      timeout,
    })
    .toBe(`${step}:ready`);
}

export async function startPlayground(): Promise<Playground> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mw-e2e-'));
  const mailwire = await startMailwire(
    configWithDefaults({
      dataDir,
      port: 0,
      distDir: join(projectRoot, 'dist'),
      practice: practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS }),
    }),
    { log: () => {} },
  );
  const browser = await launchChromium();
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
