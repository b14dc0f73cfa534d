// Issue 15, keyboard and screen readers in Chromium: the log is one Tab stop whose arrow keys move
// between replies (a roving tabindex), so is the sequence diagram; Tab in an empty command input
// moves on instead of typing "EHLO "; replies are announced politely.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, send, startPlayground, type Playground } from './harness.ts';

describe.skipIf(!hasChromium)('keyboard and screen readers (needs /usr/bin/chromium)', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 60_000);
  afterAll(async () => pg?.close());

  it('one Tab stop in the log and in the diagram; arrows move between replies; Tab leaves an empty input', async () => {
    const page = await pg.newPage();
    await page.click('button[data-target="practice/smtp"]');
    await page.locator('[data-kind="server"]', { hasText: '220 ' }).waitFor();
    const input = page.getByTestId('console-input');
    // Tab in the empty input goes to the next control; nothing is typed.
    await input.focus();
    await page.keyboard.press('Tab');
    expect(await input.inputValue()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).not.toBe('console-input');
    // A started word still completes.
    await input.fill('EH');
    await input.press('Tab');
    expect(await input.inputValue()).toBe('EHLO ');

    await send(page, 'EHLO learner.example', '250 ');
    await send(page, 'NOOP', '250 2.0.0');
    const log = page.locator('[role="log"]');
    expect(await log.getAttribute('aria-live')).toBe('polite');
    const rows = log.locator('.entry[role="button"]');
    expect(await rows.count()).toBeGreaterThan(8);
    expect(await log.locator('[tabindex="0"]').count()).toBe(1);
    // The tab stop is the newest (selected) reply; ArrowUp goes to the reply row above.
    await log.locator('[tabindex="0"]').focus();
    const before = await page.evaluate(() => Number(document.activeElement?.getAttribute('data-index')));
    await page.keyboard.press('ArrowUp');
    const after = await page.evaluate(() => Number(document.activeElement?.getAttribute('data-index')));
    expect(after).toBeLessThan(before);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('button');
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('meaning').innerText()).toMatch(/EHLO/); // the greeting's meaning
    expect(await log.locator('[tabindex="0"]').count()).toBe(1);

    const diagram = page.locator('[data-testid="sequence-diagram"] svg');
    expect(await diagram.getAttribute('role')).toBe('group');
    expect(await diagram.locator('g.step[tabindex="0"]').count()).toBe(1);
    expect(await diagram.locator('g.step').first().getAttribute('aria-label')).toMatch(/./);
    await page.close();
  }, 60_000);
});
