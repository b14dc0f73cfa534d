// The console log with 10,000 lines from a real server (5,000 pipelined NOOPs to practice/smtp):
// the DOM holds only the rows in view, the input still takes focus promptly, scrolling stays smooth,
// following the newest line and selecting a reply still work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startPlayground, type Playground } from './harness.ts';
import { floodWithNoops, logRows, NOOPS, scrollThrough } from '../../bench/console-browser/probe.ts';

describe.skipIf(!hasChromium)('the console log with 10,000 lines (needs /usr/bin/chromium)', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 120_000);
  afterAll(async () => pg?.close());

  it('renders few rows, stays responsive and keeps selection', async () => {
    const page = await pg.newPage();
    await floodWithNoops(page);
    expect(await logRows(page)).toBeGreaterThanOrEqual(2 * NOOPS);
    const inDom = await page.locator('[role="log"] [data-kind]').count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(300);

    // Following the newest line: the last reply is in view.
    await page.getByRole('button', { name: 'Single line' }).click();
    const last = page.locator('[data-kind="server"]').last();
    expect(await last.innerText()).toMatch(/250/);
    expect(await last.isVisible()).toBe(true);

    // The input takes focus promptly.
    const input = page.locator('[data-testid="console-input"]');
    const t0 = Date.now();
    await input.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('console-input');
    expect(Date.now() - t0).toBeLessThan(2000);

    // Scroll to the top: frames keep coming, and the first lines are there.
    const scroll = await scrollThrough(page);
    expect(scroll.steps).toBeGreaterThan(10);
    expect(scroll.renderedRows).toBeLessThan(300);
    expect(scroll.longestFrameGapMs).toBeLessThan(500);
    await page.locator('[data-kind="info"]', { hasText: 'Connected to practice/smtp' }).waitFor();

    // Click-to-select still works on a reply far from the end.
    const greeting = page.locator('[data-kind="server"]', { hasText: '220 ' }).first();
    await greeting.click();
    expect(await greeting.getAttribute('class')).toMatch(/selected/);
    expect(await page.locator('[data-testid="annotation"]').innerText()).toMatch(/220|greet|ready/i);
    await pg.screenshot(page, 'console-10k-top');

    // A new line while scrolled up does not yank the view; back at the bottom it follows again.
    await input.fill('NOOP');
    await input.press('Enter');
    await expect.poll(() => logRows(page)).toBeGreaterThanOrEqual(2 * NOOPS + 2);
    expect(await greeting.isVisible()).toBe(true);
  }, 180_000);
});
