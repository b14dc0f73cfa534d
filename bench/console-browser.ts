// Benchmark, in Debian's Chromium: the console log with 10,000 lines from a real server stream
// (5,000 pipelined NOOPs to practice/smtp, each a C: line and a 250 reply). Measures the time until
// every reply is on screen, the longest frame gap meanwhile, the time to scroll through the log one
// screen per frame, and how long a click on the input takes to focus it — virtualized (the app as
// shipped) side by side with every row rendered (localStorage 'mailwire.console.virtualize' = 'off').
// Then, the log virtualized in all runs, the sequence diagram open (as shipped: it follows every
// step) side by side with it closed (localStorage 'mailwire.console.diagram' = 'off'), two runs
// each: the cost of keeping the diagram live, and the noise between runs.
// The all-rows baseline is slow on purpose (every row in the DOM): on a loaded 2-core machine the
// page's main thread stays busy 30 s and more after "Send lines", and the whole baseline (flood,
// diagram, scroll) takes longer than a minute. Two things in this bench allow for that:
//  - the practice server here waits PRE_LOGIN_IDLE_MS before closing an idle connection that has
//    not logged in. Its default (a minute, DEFAULT_LIMITS.preAuthIdleTimeoutMs) is deliberate
//    hardening, and it would close the NOOP connection (421 4.4.2 "Idle for too long") while the
//    page still renders the replies it already has, so the later steps found the input disabled.
//    practice/smtp has no AUTH, so the longer after-login timeout never applies to it;
//  - every Playwright wait of a measured page gets ACTION_TIMEOUT_MS instead of Playwright's 30 s:
//    the click on "Send lines" only returns once the page answers again.
// Run: npx tsx bench/console-browser.ts (or through bench/run.ts via run()).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { buildIfNeeded, projectRoot } from '../bridge/build.ts';
import { configWithDefaults } from '../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../bridge/practice/defaults.ts';
import { DEFAULT_LIMITS } from '../bridge/practice/types.ts';
import { startMailwire } from '../bridge/start.ts';
import { CHROMIUM, hasChromium, launchChromium } from '../test/helpers/chromium.ts';
import { EPHEMERAL_PORTS } from '../test/helpers/practice-ports.ts';
import { floodWithNoops, logRows, NOOPS, scrollThrough, type ScrollFigures } from '../test/helpers/console-probe.ts';

/** How long the practice server here lets a connection that has not logged in sit idle. */
const PRE_LOGIN_IDLE_MS = 15 * 60_000;
/** The longest any one Playwright step of a measured page may take. */
const ACTION_TIMEOUT_MS = 5 * 60_000;

interface Figures {
  rows: number;
  domRows: number;
  /** Steps the diagram counts and arrows (g.step) in its DOM after the flood; 0 when closed. */
  diagramSteps: number;
  diagramArrows: number;
  appendMs: number;
  appendLongestGapMs: number;
  scroll: ScrollFigures;
  focusMs: number;
}

async function measure(browser: Browser, url: string, virtualize: boolean, diagram = true): Promise<Figures> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(ACTION_TIMEOUT_MS);
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  try {
    await page.goto(url);
    await page.evaluate(
      ([v, d]) => {
        localStorage.setItem('mailwire.console.virtualize', v ? 'on' : 'off');
        localStorage.setItem('mailwire.console.diagram', d ? 'on' : 'off');
      },
      [virtualize, diagram],
    );
    await page.reload();
    // Frame gaps while the lines arrive: a rAF loop that keeps the worst gap.
    // (A string, so tsx's helper for named functions does not leak into the page.)
    await page.evaluate(`(() => {
      window.__gap = 0;
      window.__last = performance.now();
      const tick = (t) => { window.__gap = Math.max(window.__gap, t - window.__last); window.__last = t; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    await page.evaluate(() => ((window as unknown as { __gap: number }).__gap = 0));
    const appendMs = await floodWithNoops(page);
    const appendLongestGapMs = (await page.evaluate(() => (window as unknown as { __gap: number }).__gap)) as number;
    const rows = await logRows(page);
    const domRows = await page.locator('[role="log"] [data-kind]').count();
    // The diagram catches up within a frame or two of the last line.
    if (diagram)
      await page.waitForFunction(
        (want) =>
          Number(document.querySelector('[data-testid="sequence-diagram"]')?.getAttribute('data-steps')) >= want,
        NOOPS + 2,
        { polling: 50 },
      );
    const diagramSteps = diagram
      ? Number(await page.locator('[data-testid="sequence-diagram"]').getAttribute('data-steps'))
      : 0;
    const diagramArrows = await page.locator('[data-testid="sequence-diagram"] g.step').count();
    await page.getByRole('button', { name: 'Single line' }).click();
    const scroll = await scrollThrough(page);
    const t0 = Date.now();
    await page.locator('[data-testid="console-input"]').click();
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('data-testid') === 'console-input',
      undefined,
      { polling: 'raf' },
    );
    const focusMs = Date.now() - t0;
    return { rows, domRows, diagramSteps, diagramArrows, appendMs, appendLongestGapMs, scroll, focusMs };
  } finally {
    await page.close();
  }
}

const ms = (n: number) => `${n.toFixed(0)} ms`;
const ratio = (base: number, v: number) => (v > 0 ? `${(base / v).toFixed(2)}x` : 'n/a');

export async function run(): Promise<void> {
  if (!hasChromium) {
    console.log(`console-browser: skipped: ${CHROMIUM} missing`);
    return;
  }
  await buildIfNeeded(join(projectRoot, 'dist'), (line) => console.log(`console-browser: ${line}`));
  const dataDir = mkdtempSync(join(tmpdir(), 'mw-bench-console-'));
  const mailwire = await startMailwire(
    configWithDefaults({
      dataDir,
      port: 0,
      distDir: join(projectRoot, 'dist'),
      practice: practiceConfigWithDefaults({
        dataDir,
        ports: EPHEMERAL_PORTS,
        limits: { ...DEFAULT_LIMITS, preAuthIdleTimeoutMs: PRE_LOGIN_IDLE_MS },
      }),
    }),
    { log: () => {} },
  );
  const browser = await launchChromium();
  try {
    // Baseline and virtualized in one run, same server, same browser.
    const base = await measure(browser, mailwire.url, false);
    const virt = await measure(browser, mailwire.url, true);
    // The diagram open (virt, open2) against closed, the second round in the other order.
    const closed = await measure(browser, mailwire.url, true, false);
    const closed2 = await measure(browser, mailwire.url, true, false);
    const open2 = await measure(browser, mailwire.url, true);
    const line = (what: string, b: number, v: number) =>
      console.log(
        `console-browser: ${what.padEnd(44)} all rows ${ms(b).padStart(8)}   virtualized ${ms(v).padStart(8)}   ${ratio(b, v)}`,
      );
    console.log(
      `console-browser: ${NOOPS.toLocaleString('en-US')} NOOPs -> ${virt.rows.toLocaleString('en-US')} log lines (Chromium ${browser.version()})`,
    );
    console.log(
      `console-browser: rows in the DOM after the flood               all rows ${String(base.domRows).padStart(8)}   virtualized ${String(virt.domRows).padStart(8)}`,
    );
    line('append until the last reply shows', base.appendMs, virt.appendMs);
    line('longest frame gap while appending', base.appendLongestGapMs, virt.appendLongestGapMs);
    line(`scroll to the top, one screen per frame`, base.scroll.ms, virt.scroll.ms);
    line('longest frame gap while scrolling', base.scroll.longestFrameGapMs, virt.scroll.longestFrameGapMs);
    line('click on the input until it has focus', base.focusMs, virt.focusMs);
    console.log(
      `console-browser: scroll steps: all rows ${base.scroll.steps}, virtualized ${virt.scroll.steps} (row heights measured as rows render)`,
    );
    const two = (f: (x: Figures) => number, a: Figures, b: Figures) =>
      `${ms(f(a)).padStart(8)} ${ms(f(b)).padStart(8)}`;
    const mean = (f: (x: Figures) => number, a: Figures, b: Figures) => (f(a) + f(b)) / 2;
    const dline = (what: string, f: (x: Figures) => number) =>
      console.log(
        `console-browser: ${what.padEnd(44)} diagram closed ${two(f, closed, closed2)}   open ${two(f, virt, open2)}   open/closed ${(mean(f, virt, open2) / Math.max(1, mean(f, closed, closed2))).toFixed(2)}x`,
      );
    console.log(
      `console-browser: sequence diagram after the flood: ${virt.diagramSteps.toLocaleString('en-US')} steps, ${virt.diagramArrows} and ${open2.diagramArrows} arrow groups in the DOM`,
    );
    dline('append until the last reply shows', (x) => x.appendMs);
    dline('longest frame gap while appending', (x) => x.appendLongestGapMs);
    dline('longest frame gap while scrolling the log', (x) => x.scroll.longestFrameGapMs);
    dline('click on the input until it has focus', (x) => x.focusMs);
  } finally {
    await browser.close();
    await mailwire.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const argv1 = process.argv[1];
if (argv1 && import.meta.url === pathToFileURL(argv1).href) await run();
