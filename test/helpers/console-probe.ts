// Drives the console in a page to get 10,000 log lines from a real server stream: 5,000 NOOPs
// pipelined to practice/smtp through the multi-line box (each gives a C: line and a 250 reply).
// Shared by bench/console-browser.ts and test/e2e/console-10k.test.ts.
import type { Page } from 'playwright-core';

export const NOOPS = 5000;

/** Rows the log holds (all of them, rendered or not), from Terminal's data-rows. */
export async function logRows(page: Page): Promise<number> {
  return Number(await page.locator('[role="log"]').last().getAttribute('data-rows'));
}

/** Connects, sends the NOOPs in one go and waits for every reply; returns the milliseconds taken. */
export async function floodWithNoops(page: Page, noops = NOOPS): Promise<number> {
  await page.click('button[data-target="practice/smtp"]');
  await page.locator('[data-kind="server"]', { hasText: '220 ' }).first().waitFor();
  const input = page.locator('[data-testid="console-input"]');
  await input.fill('EHLO bench.example');
  await input.press('Enter');
  await page.locator('[data-kind="server"]', { hasText: '250 ' }).last().waitFor();
  const before = await logRows(page);
  await page.getByRole('button', { name: 'Multi-line mode for DATA and literals' }).click();
  // Set in one go: Playwright's fill() of 25 kB into a textarea takes far too long on its own.
  await page.locator('[data-testid="console-block"]').evaluate((ta: HTMLTextAreaElement, n: number) => {
    ta.value = Array(n).fill('NOOP').join('\n');
    ta.dispatchEvent(new Event('input', { bubbles: true }));
  }, noops);
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Send lines' }).click();
  await page.waitForFunction(
    (want) => Number(document.querySelector('[role="log"]')?.getAttribute('data-rows')) >= want,
    before + 2 * noops,
    {
      timeout: 120_000,
      polling: 50,
    },
  );
  return Date.now() - t0;
}

export interface ScrollFigures {
  ms: number;
  steps: number;
  longestFrameGapMs: number;
  renderedRows: number;
}

/** Scrolls the log from the bottom to the top one screen per frame; times it and the worst frame gap. */
export async function scrollThrough(page: Page): Promise<ScrollFigures> {
  // A string, not a function: tsx (the bench) wraps named functions in a helper the page lacks.
  return page.evaluate(`(async () => {
    const box = document.querySelector('[role="log"]');
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    box.scrollTop = box.scrollHeight;
    await frame();
    let last = await frame();
    let longest = 0;
    let steps = 0;
    let rendered = 0;
    const t0 = performance.now();
    while (box.scrollTop > 0 && steps < 5000) {
      box.scrollTop -= box.clientHeight;
      const now = await frame();
      longest = Math.max(longest, now - last);
      last = now;
      steps++;
      rendered = Math.max(rendered, box.querySelectorAll('[data-kind]').length);
    }
    return { ms: performance.now() - t0, steps, longestFrameGapMs: longest, renderedRows: rendered };
  })()`) as Promise<ScrollFigures>;
}
