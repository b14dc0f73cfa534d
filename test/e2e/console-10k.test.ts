// The console log with 10,000 lines from a real server (5,000 pipelined NOOPs to practice/smtp):
// the DOM holds only the rows in view, the input still takes focus promptly, scrolling stays smooth,
// following the newest line and selecting a reply still work. The sequence diagram stays on all
// along: it shows the last step, holds only the arrows in view, and keeps its selection in step
// with the log's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startPlayground, type Playground } from './harness.ts';
import type { Page } from 'playwright-core';
import { floodWithNoops, logRows, NOOPS, scrollThrough } from '../helpers/console-probe.ts';

const diagram = (page: Page) => page.locator('[data-testid="sequence-diagram"]');
const diagramSteps = async (page: Page) => Number(await diagram(page).getAttribute('data-steps'));

/** Whether an element is inside the diagram's scroll box's visible area (not just in the DOM). */
async function inDiagramView(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const box = document.querySelector('[data-testid="sequence-diagram"] .scroll');
    const el = document.querySelector(sel);
    if (!box || !el) return false;
    const b = box.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
  }, selector);
}

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

    // The diagram followed the flood without pausing: every step is counted, the last one (the
    // last NOOP and its 250) is drawn in view, and only the arrows near the view are in the DOM.
    // Steps: the greeting, EHLO, then one per NOOP.
    await expect.poll(() => diagramSteps(page), { timeout: 10_000 }).toBe(NOOPS + 2);
    const lastIndex = NOOPS + 1;
    const lastArrow = diagram(page).locator(`g.step[data-step="${lastIndex}"]`);
    expect(await lastArrow.textContent()).toMatch(/NOOP[\s\S]*250/);
    expect(await inDiagramView(page, `[data-testid="sequence-diagram"] g.step[data-step="${lastIndex}"]`)).toBe(true);
    expect(await lastArrow.getAttribute('class')).toMatch(/selected/); // the newest reply is selected
    const arrowsInDom = await diagram(page).locator('g.step').count();
    expect(arrowsInDom).toBeGreaterThan(3);
    expect(arrowsInDom).toBeLessThan(80);
    expect(await diagram(page).locator('line.c2s, line.s2c').count()).toBeLessThan(200);
    await pg.screenshot(page, 'console-10k-diagram');

    // The input takes focus promptly.
    const input = page.locator('[data-testid="console-input"]');
    const t0 = Date.now();
    await input.click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('console-input');
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

    // Selection sync far from the end: the greeting's arrow is brought into view and selected...
    const selectedArrow = diagram(page).locator('g.step.selected');
    await expect.poll(() => selectedArrow.getAttribute('data-step')).toBe('0');
    expect(await selectedArrow.textContent()).toMatch(/connect practice\/smtp[\s\S]*220/);
    expect(await inDiagramView(page, '[data-testid="sequence-diagram"] g.step.selected')).toBe(true);
    expect(await diagram(page).locator('g.step').count()).toBeLessThan(80);
    // ...and clicking the EHLO arrow next to it selects the EHLO reply in the log.
    await diagram(page).locator('g.step[data-step="1"]').click();
    await expect.poll(() => page.locator('[data-testid="annotation"]').innerText()).toMatch(/EHLO/);
    await expect.poll(() => selectedArrow.getAttribute('data-step')).toBe('1');
    expect(await greeting.getAttribute('class')).not.toMatch(/selected/);
    await greeting.click();

    // A new line while scrolled up does not yank the view; back at the bottom it follows again.
    await input.fill('NOOP');
    await input.press('Enter');
    await expect.poll(() => logRows(page)).toBeGreaterThanOrEqual(2 * NOOPS + 2);
    expect(await greeting.isVisible()).toBe(true);

    // Closed, the diagram costs nothing; opened again, it catches up with what came meanwhile.
    await expect.poll(() => diagramSteps(page)).toBe(NOOPS + 3);
    await page.locator('.view-menu summary').click(); // the view switches are in the View menu
    await page.locator('[data-testid="diagram-toggle"]').uncheck();
    expect(await diagram(page).count()).toBe(0);
    await input.fill('NOOP');
    await input.press('Enter');
    await expect.poll(() => logRows(page)).toBeGreaterThanOrEqual(2 * NOOPS + 4);
    await page.locator('[data-testid="diagram-toggle"]').check();
    await expect.poll(() => diagramSteps(page)).toBe(NOOPS + 4);
    const newest = `[data-testid="sequence-diagram"] g.step[data-step="${NOOPS + 3}"]`;
    await expect.poll(() => inDiagramView(page, newest)).toBe(true);
    expect(await page.locator(newest).getAttribute('class')).toMatch(/selected/);
    expect(await diagram(page).locator('g.step').count()).toBeLessThan(80);
  }, 180_000);
});
