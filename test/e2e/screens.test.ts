// Issue 15 acceptance in Chromium: every screen at 360x740 and 390x844 (phones), 1024x768 (projector, presenter
// mode), 1366x768 and 1920x1080, in the light and the dark theme: no horizontal scroll, no two
// controls overlapping, and no axe-core violation at WCAG 2.2 AA. Each screen is screenshotted
// (test-results/screens/<screen>-<size>-<theme>.png) so a person can look at it. The queue is shown
// empty and, from a second mailwire (queue-rows.ts), with messages queued, delivered and bounced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startPlayground, type Playground } from './harness.ts';
import { openQueueWithRows, startQueuedMailwire, type QueuedMailwire } from './queue-rows.ts';
import {
  SCREENS,
  SIZES,
  THEMES,
  axeViolations,
  horizontalOverflow,
  openContext,
  overlappingControls,
  shotPath,
} from './screens-lib.ts';

describe.skipIf(!hasChromium)('every screen at every size, in both themes (needs /usr/bin/chromium)', () => {
  let pg: Playground;
  // A second mailwire whose queue has rows (issue 17): queued, delivered and bounced messages.
  let queued: QueuedMailwire;
  beforeAll(async () => {
    [pg, queued] = await Promise.all([startPlayground(), startQueuedMailwire()]);
  }, 90_000);
  afterAll(async () => {
    await pg?.close();
    await queued?.close();
  });

  for (const size of SIZES)
    for (const theme of THEMES)
      it(`${size.width}x${size.height}${size.presenter ? ' presenter' : ''}, ${theme}: no sideways scroll, no overlaps, axe clean`, async () => {
        const context = await openContext(pg.browser, size, theme);
        const problems: string[] = [];
        try {
          const page = await context.newPage();
          const errors: string[] = [];
          page.on('pageerror', (e) => errors.push(e.message));
          const screens = [
            ...SCREENS.map((s) => ({ ...s, url: pg.mailwire.url })),
            { name: 'queue-rows', open: openQueueWithRows, url: queued.mailwire.url },
          ];
          for (const screen of screens) {
            await screen.open(page, screen.url);
            await page.waitForTimeout(150); // the diagram and the log settle in the next frames
            await page.screenshot({ path: shotPath(`${screen.name}-${size.name}-${theme}`) });
            for (const p of await horizontalOverflow(page)) problems.push(`${screen.name}: scroll: ${p}`);
            for (const p of await overlappingControls(page)) problems.push(`${screen.name}: overlap: ${p}`);
            for (const p of await axeViolations(page)) problems.push(`${screen.name}: axe: ${p}`);
          }
          for (const e of errors) problems.push(`page error: ${e}`);
        } finally {
          await context.close();
        }
        expect(problems).toEqual([]);
      }, 120_000);

  it('at 360x740 the queue table scrolls sideways by keyboard alone: Tab reaches a box that scrolls it, arrow keys move it', async () => {
    const context = await openContext(pg.browser, SIZES[0], 'light');
    const page = await context.newPage();
    await openQueueWithRows(page, queued.mailwire.url);
    // The focused element, if it is a box around the table that is narrower than the table.
    const focusedScroller = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        const table = document.querySelector('[data-testid="queue-table"]');
        if (!el || !table || !el.contains(table) || el.scrollWidth <= el.clientWidth) return null;
        return { left: el.scrollLeft, name: el.getAttribute('aria-label') };
      });
    let box = null;
    for (let i = 0; i < 40 && !box; i++) {
      await page.keyboard.press('Tab');
      box = await focusedScroller();
    }
    expect(box, 'Tab never reached a box that scrolls the queue table sideways').not.toBeNull();
    // From its left edge (tabbing through the session buttons inside it may have moved it).
    await page.evaluate(() => (document.activeElement!.scrollLeft = 0));
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    // Chromium animates a keyboard scroll, and a loaded machine may not have begun it yet: wait for it.
    await expect.poll(async () => (await focusedScroller())?.left ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(box!.name).toBe('Queued messages');
    await context.close();
  }, 60_000);

  it('presenter mode at 1920x1080 makes the diagram and log text larger, not smaller', async () => {
    const sizes: Record<string, { label: number; log: number }> = {};
    for (const presenter of [false, true]) {
      const context = await openContext(pg.browser, { width: 1920, height: 1080, presenter }, 'light');
      const page = await context.newPage();
      await SCREENS[0]!.open(page, pg.mailwire.url);
      await page.locator('[data-testid="sequence-diagram"] g.step text.label').first().waitFor();
      sizes[String(presenter)] = await page.evaluate(() => ({
        // Rendered height of a diagram label (the SVG is scaled to its column's width).
        label: document.querySelector('[data-testid="sequence-diagram"] g.step text.label')!.getBoundingClientRect()
          .height,
        log: parseFloat(getComputedStyle(document.querySelector('[role="log"] .entry pre')!).fontSize),
      }));
      await page.screenshot({ path: shotPath(`console-wide-presenter-light`) });
      await context.close();
    }
    expect(sizes.true!.log, JSON.stringify(sizes)).toBeGreaterThan(sizes.false!.log);
    expect(sizes.true!.label, JSON.stringify(sizes)).toBeGreaterThan(sizes.false!.label);
  }, 60_000);
});
