// Drives the real studio: attach a large file to a multipart part and watch the page while the
// message is generated. A probe in the page records the longest gap between animation frames
// (a frozen main thread draws no frames) and the longest 'longtask', from the file input's
// change event until the raw view shows the new byte count. Shared by bench/mime-browser.ts and
// test/e2e/studio-large.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export interface StudioRun {
  /** change event -> first frame showing the new byte count, ms */
  doneMs: number;
  /** longest gap between animation frames in that window (plus 10 frames after), ms */
  maxFrameGapMs: number;
  /** longest 'longtask' entry in that window, ms (0 when none; null when unsupported) */
  longestTaskMs: number | null;
  longTasks: number;
  frames: number;
  /** frames drawn while the raw view said `generating…` (only a worker lets that happen) */
  busyFrames: number;
  byteCount: number;
  rawTextLength: number;
  rawText: string;
  /** the tree row's size label, e.g. "10.00 MiB → 13.51 MiB base64" */
  sizeText: string;
  /** frame gaps over 50 ms: [ms after change, gap ms, "generating…" shown] */
  gaps: [number, number, boolean][];
  /** long tasks: [ms after change, duration ms] */
  tasks: [number, number][];
}

// A plain string, not a function: tsx/esbuild may wrap functions in helpers the page lacks.
function probeScript(threshold: number): string {
  return `(() => {
  const st = { changeAt: -1, doneAt: -1, maxGap: 0, frames: 0, busyFrames: 0, after: 0, finished: false,
    byteCount: 0, longest: 0, longTasks: 0, longtaskSupported: true, gaps: [], tasks: [] };
  window.__mwProbe = st;
  const bytesShown = () => {
    const bar = document.querySelector('.raw .bar');
    const m = bar && /([0-9][0-9.,\\s\\u00a0\\u202f]*) bytes/.exec(bar.textContent || '');
    return m ? Number(m[1].replace(/[^0-9]/g, '')) : 0;
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        // Tasks that began before the change event are the test driver's own (it builds the File
        // in the page and fires change at the end of that task).
        if (st.changeAt < 0 || e.startTime < st.changeAt || (st.doneAt >= 0 && e.startTime > st.doneAt + 500)) continue;
        st.longTasks++;
        st.tasks.push([Math.round(e.startTime - st.changeAt), Math.round(e.duration)]);
        st.longest = Math.max(st.longest, e.duration);
      }
    }).observe({ type: 'longtask' });
  } catch { st.longtaskSupported = false; }
  let last = performance.now();
  document.addEventListener('change', (e) => {
    if (e.target instanceof Element && e.target.matches('[data-testid="add-file"]')) { st.changeAt = performance.now(); last = st.changeAt; }
  }, true);
  const tick = () => {
    const now = performance.now();
    if (st.changeAt >= 0) {
      st.maxGap = Math.max(st.maxGap, now - last);
      st.frames++;
      const busy = !!document.querySelector('[data-testid="generating"]');
      if (busy) st.busyFrames++;
      if (now - last > 50) st.gaps.push([Math.round(last - st.changeAt), Math.round(now - last), busy]);
      if (st.doneAt < 0) {
        const n = bytesShown();
        if (n > ${threshold}) { st.doneAt = now; st.byteCount = n; }
      } else if (++st.after >= 10) { st.finished = true; return; }
    }
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;
}

/** Opens the studio and selects a multipart/mixed root, ready for "Add file…". */
export async function openStudioOnMultipart(page: Page): Promise<void> {
  await page.click('text=MIME studio');
  await page.click('button:has-text("Wrap everything in multipart/mixed")');
  await page.locator('[data-testid="mime-tree"] .row').first().click();
  await page.waitForSelector('[data-testid="add-file"]');
}

/** Attaches `data` as `name` and waits until the raw view shows more than data.length bytes. */
export async function attachAndWatch(
  page: Page,
  data: Uint8Array,
  name: string,
  timeoutMs = 45_000,
): Promise<StudioRun> {
  await page.evaluate(probeScript(data.length));
  // A file on disk, not a buffer: Playwright hands a path straight to Chromium, whereas a buffer
  // is rebuilt into a File by script in the page, a long main-thread task of the driver's own.
  const dir = mkdtempSync(join(tmpdir(), 'mw-attach-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, data);
    await page.setInputFiles('[data-testid="add-file"]', path);
    // A function, not a string: Playwright would eval a string in the page, which its CSP forbids.
    await page.waitForFunction(
      () => (window as unknown as { __mwProbe: { finished: boolean } }).__mwProbe.finished === true,
      null,
      { timeout: timeoutMs, polling: 100 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await page.waitForTimeout(100); // let the last longtask entries arrive
  const st = (await page.evaluate('window.__mwProbe')) as {
    changeAt: number;
    doneAt: number;
    maxGap: number;
    frames: number;
    busyFrames: number;
    byteCount: number;
    longest: number;
    longTasks: number;
    longtaskSupported: boolean;
    gaps: [number, number, boolean][];
    tasks: [number, number][];
  };
  const rawText = await page.locator('[data-testid="raw-message"]').innerText();
  const sizeText = await page.locator('[data-testid="mime-tree"] .row', { hasText: name }).locator('.size').innerText();
  return {
    doneMs: st.doneAt - st.changeAt,
    maxFrameGapMs: st.maxGap,
    longestTaskMs: st.longtaskSupported ? st.longest : null,
    longTasks: st.longTasks,
    frames: st.frames,
    busyFrames: st.busyFrames,
    byteCount: st.byteCount,
    rawTextLength: rawText.length,
    rawText,
    sizeText,
    gaps: st.gaps,
    tasks: st.tasks,
  };
}
