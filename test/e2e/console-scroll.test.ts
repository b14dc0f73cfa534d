// The console log follows the newest line until the learner scrolls up, and then stays where they
// put it while lines keep coming (a real flood: pipelined NOOPs to practice/smtp). Following
// resumes only at the bottom again or with the jump-to-latest control. Also the race the browser
// benchmark once hit (a scroll to the top that never got there): the learner's scroll landing in
// the animation frame in which the log handles its own scroll event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, startPlayground, type Playground } from './harness.ts';
import { logRows } from '../helpers/console-probe.ts';

const NOOPS = 2000; // 4,000 lines: above the 1,000 rows from which the log is virtualized

const log = (page: Page) => page.locator('[role="log"]');
const following = async (page: Page) => (await log(page).getAttribute('data-following')) === 'true';
const geometry = (page: Page) =>
  log(page).evaluate((b) => ({ top: b.scrollTop, bottom: b.scrollHeight - b.clientHeight }));

async function connect(page: Page): Promise<void> {
  await page.click('button[data-target="practice/smtp"]');
  await page.locator('[data-kind="server"]', { hasText: '220 ' }).first().waitFor();
}

/** Puts NOOP lines in the multi-line box, ready for 'Send lines'. */
async function prepareNoops(page: Page, n: number): Promise<void> {
  await page.getByRole('button', { name: 'Multi-line mode for DATA and literals' }).click();
  // Set in one go: fill() of many kB into a textarea is slow.
  await page.locator('[data-testid="console-block"]').evaluate((ta: HTMLTextAreaElement, count: number) => {
    ta.value = Array(count).fill('NOOP').join('\n');
    ta.dispatchEvent(new Event('input', { bubbles: true }));
  }, n);
}

async function sendNoop(page: Page): Promise<void> {
  const before = await logRows(page);
  const input = page.locator('[data-testid="console-input"]');
  await input.fill('NOOP');
  await input.press('Enter');
  await expect.poll(() => logRows(page)).toBeGreaterThanOrEqual(before + 2);
}

/** The log's scrollTop once it has stayed put for five animation frames (a wheel's scroll is async). */
const settledTop = (page: Page) =>
  log(page).evaluate(async (b) => {
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    let last = b.scrollTop;
    for (let still = 0, f = 0; still < 5 && f < 600; f++) {
      await frame();
      still = b.scrollTop === last ? still + 1 : 0;
      last = b.scrollTop;
    }
    return last;
  });

/** Whether the newest row is drawn inside the log's visible area. */
const newestInView = (page: Page) =>
  log(page).evaluate((b) => {
    const rows = b.querySelectorAll('[data-index]');
    const last = rows[rows.length - 1] as HTMLElement | undefined;
    if (!last || Number(last.dataset.index) !== Number(b.getAttribute('data-rows')) - 1) return false;
    const r = last.getBoundingClientRect();
    const v = b.getBoundingClientRect();
    return r.bottom <= v.bottom + 1 && r.top >= v.top - 1;
  });

describe.skipIf(!hasChromium)(
  'the console log keeps the place the learner scrolled to (needs /usr/bin/chromium)',
  () => {
    let pg: Playground;
    beforeAll(async () => {
      pg = await startPlayground();
    }, 120_000);
    afterAll(async () => pg?.close());

    it('scrolled up during a flood, the view stays; the bottom or the jump-to-latest control resumes following', async () => {
      const page = await pg.newPage();
      await connect(page);
      await prepareNoops(page, NOOPS);
      const before = await logRows(page);
      // In the page: once the NOOPs show (their replies still to come), scroll up one screen per
      // frame, from the frame's animation callbacks, and check at each next frame that the view is
      // where it was put, until every reply is in and some frames more.
      await page.evaluate(`window.__probe = (async () => {
      const box = document.querySelector('[role="log"]');
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      const rows = () => Number(box.getAttribute('data-rows'));
      const all = ${before} + 2 * ${NOOPS};
      while (rows() < ${before} + ${NOOPS}) await frame();
      const startRows = rows();
      let put = -1, moved = 0, checks = 0, arrivedWhileUp = 0, quiet = 0, prev = rows();
      for (let f = 0; f < 3000 && quiet < 10; f++) {
        if (put >= 0) {
          checks++;
          if (Math.abs(box.scrollTop - put) > 2) moved++;
          if (rows() > prev) arrivedWhileUp += rows() - prev;
        }
        prev = rows();
        // Up a screen while replies arrive, then stay (not the top: a pull down must show).
        if (rows() < all || put < 0) box.scrollTop = Math.max(box.clientHeight * 2, box.scrollTop - box.clientHeight);
        put = box.scrollTop;
        if (rows() >= all) quiet++;
        await frame();
      }
      return { startRows, moved, checks, arrivedWhileUp, put };
    })(); 0`);
      await page.getByRole('button', { name: 'Send lines' }).click();
      const probe = (await page.evaluate('window.__probe')) as {
        startRows: number;
        moved: number;
        checks: number;
        arrivedWhileUp: number;
        put: number;
      };
      expect(await logRows(page)).toBe(before + 2 * NOOPS);
      // The check meant something: replies came in while the view was up the log...
      expect(probe.startRows).toBeLessThan(before + 2 * NOOPS);
      expect(probe.arrivedWhileUp).toBeGreaterThan(0);
      expect(probe.checks).toBeGreaterThan(10);
      // ...and no frame found the view moved away from where it was put.
      expect(probe.moved).toBe(0);
      let g = await geometry(page);
      expect(Math.abs(g.top - probe.put)).toBeLessThanOrEqual(2);
      expect(g.bottom - g.top).toBeGreaterThan(1000); // far from the newest line
      expect(await following(page)).toBe(false);
      // The control says how much came since the learner left the bottom.
      const latest = page.locator('[data-testid="log-latest"]');
      expect(await latest.innerText()).toMatch(/Latest \([\d,]+ new lines\)/);
      await pg.screenshot(page, 'console-scroll-up');

      // A line sent while scrolled up does not move the view either.
      await page.getByRole('button', { name: 'Single line' }).click();
      await sendNoop(page);
      await sendNoop(page);
      g = await geometry(page);
      expect(Math.abs(g.top - probe.put)).toBeLessThanOrEqual(2);
      expect(await newestInView(page)).toBe(false);

      // Back at the bottom (the learner's own scroll), the log follows again.
      await log(page).evaluate((b) => (b.scrollTop = b.scrollHeight));
      await expect.poll(() => following(page)).toBe(true);
      expect(await latest.count()).toBe(0);
      await sendNoop(page);
      await expect.poll(() => newestInView(page)).toBe(true);

      // A wheel turned up stops following; the jump-to-latest control brings the newest line back.
      await log(page).hover();
      await page.mouse.wheel(0, -1500);
      await expect.poll(() => following(page)).toBe(false);
      // The log stops following on the wheel event itself; the scroll it asks for lands a frame or
      // more later (later still on a loaded machine), so read the place once the view has moved.
      await expect.poll(async () => (await geometry(page)).bottom - (await geometry(page)).top).toBeGreaterThan(1000);
      const up = await settledTop(page);
      await sendNoop(page);
      expect(await newestInView(page)).toBe(false);
      expect(Math.abs((await geometry(page)).top - up)).toBeLessThanOrEqual(2);
      expect(await latest.innerText()).toMatch(/Latest \(2 new lines\)/);
      await latest.click();
      await expect.poll(() => newestInView(page)).toBe(true);
      expect(await following(page)).toBe(true);
      expect(await latest.count()).toBe(0);
      await sendNoop(page);
      await expect.poll(() => newestInView(page)).toBe(true);
      await page.close();
    }, 120_000);

    it('a scroll up made in the frame in which the log handles its own scroll event is not undone', async () => {
      const page = await pg.newPage();
      await connect(page);
      await prepareNoops(page, NOOPS);
      const before = await logRows(page);
      await page.getByRole('button', { name: 'Send lines' }).click();
      await expect.poll(() => logRows(page), { timeout: 60_000 }).toBe(before + 2 * NOOPS);
      await page.getByRole('button', { name: 'Single line' }).click();
      await expect.poll(() => newestInView(page)).toBe(true);
      // At the bottom, a scroll of 2 px (still "at the bottom") gives the log a scroll event in the
      // next frame; the walk to the top then starts in that frame's animation callbacks, before the
      // log's own. One screen per frame must reach the top in about as many frames as screens.
      const walk = (await page.evaluate(`(async () => {
      const box = document.querySelector('[role="log"]');
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      box.scrollTop = box.scrollHeight;
      await frame(); await frame(); await frame();
      box.scrollTop = box.scrollHeight - box.clientHeight - 2;
      await frame();
      const screens = Math.ceil(box.scrollHeight / box.clientHeight);
      let steps = 0, undone = 0;
      while (box.scrollTop > 0 && steps < screens * 3) {
        const at = box.scrollTop;
        box.scrollTop -= box.clientHeight;
        await frame();
        // Undone: the view went back down, not merely stopped at the top (a last step from less than
        // half a screen above the top lands at 0, which is where it was sent).
        if (box.scrollTop > Math.max(0, at - box.clientHeight) + box.clientHeight / 2) undone++;
        steps++;
      }
      return { steps, undone, screens, top: box.scrollTop };
    })()`)) as { steps: number; undone: number; screens: number; top: number };
      expect(walk.undone).toBe(0);
      expect(walk.top).toBe(0);
      expect(walk.steps).toBeLessThanOrEqual(walk.screens + 2);
      expect(await following(page)).toBe(false);
      await page.locator('[data-kind="info"]', { hasText: 'Connected to practice/smtp' }).waitFor({ state: 'visible' });
      await page.close();
    }, 120_000);
  },
);
