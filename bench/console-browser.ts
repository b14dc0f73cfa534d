// Benchmark, in Debian's Chromium: the console log with 10,000 lines from a real server stream
// (5,000 pipelined NOOPs to practice/smtp, each a C: line and a 250 reply). Measures the time until
// every reply is on screen, the longest frame gap meanwhile, the time to scroll through the log one
// screen per frame, and how long a click on the input takes to focus it — virtualized (the app as
// shipped) side by side with every row rendered (localStorage 'mailwire.console.virtualize' = 'off').
// Run: npx tsx bench/console-browser.ts (or through bench/run.ts via run()).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { buildIfNeeded, projectRoot } from '../bridge/build.ts';
import { configWithDefaults } from '../bridge/config.ts';
import { practiceConfigWithDefaults } from '../bridge/practice/defaults.ts';
import { startMailwire } from '../bridge/start.ts';
import { floodWithNoops, logRows, NOOPS, scrollThrough, type ScrollFigures } from './console-browser/probe.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Figures {
  rows: number;
  domRows: number;
  appendMs: number;
  appendLongestGapMs: number;
  scroll: ScrollFigures;
  focusMs: number;
}

async function measure(browser: Browser, url: string, virtualize: boolean): Promise<Figures> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  try {
    await page.goto(url);
    await page.evaluate((on) => localStorage.setItem('mailwire.console.virtualize', on ? 'on' : 'off'), virtualize);
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
    await page.getByRole('button', { name: 'Single line' }).click();
    const scroll = await scrollThrough(page);
    const t0 = Date.now();
    await page.locator('[data-testid="console-input"]').click();
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'console-input', undefined, { polling: 'raf' });
    const focusMs = Date.now() - t0;
    return { rows, domRows, appendMs, appendLongestGapMs, scroll, focusMs };
  } finally {
    await page.close();
  }
}

const ms = (n: number) => `${n.toFixed(0)} ms`;
const ratio = (base: number, v: number) => (v > 0 ? `${(base / v).toFixed(2)}x` : 'n/a');

export async function run(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`console-browser: skipped: ${CHROMIUM} missing`);
    return;
  }
  await buildIfNeeded(join(projectRoot, 'dist'), (line) => console.log(`console-browser: ${line}`));
  const dataDir = mkdtempSync(join(tmpdir(), 'mw-bench-console-'));
  const ports = { smtp: 0, submission: 0, smtps: 0, imap: 0, imaps: 0, pop3: 0, pop3s: 0 };
  const mailwire = await startMailwire(
    configWithDefaults({ dataDir, port: 0, distDir: join(projectRoot, 'dist'), practice: practiceConfigWithDefaults({ dataDir, ports }) }),
    { log: () => {} },
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    // Baseline and virtualized in one run, same server, same browser.
    const base = await measure(browser, mailwire.url, false);
    const virt = await measure(browser, mailwire.url, true);
    const line = (what: string, b: number, v: number) =>
      console.log(`console-browser: ${what.padEnd(44)} all rows ${ms(b).padStart(8)}   virtualized ${ms(v).padStart(8)}   ${ratio(b, v)}`);
    console.log(`console-browser: ${NOOPS.toLocaleString('en-US')} NOOPs -> ${virt.rows.toLocaleString('en-US')} log lines (Chromium ${browser.version()})`);
    console.log(`console-browser: rows in the DOM after the flood               all rows ${String(base.domRows).padStart(8)}   virtualized ${String(virt.domRows).padStart(8)}`);
    line('append until the last reply shows', base.appendMs, virt.appendMs);
    line('longest frame gap while appending', base.appendLongestGapMs, virt.appendLongestGapMs);
    line(`scroll to the top, one screen per frame`, base.scroll.ms, virt.scroll.ms);
    line('longest frame gap while scrolling', base.scroll.longestFrameGapMs, virt.scroll.longestFrameGapMs);
    line('click on the input until it has focus', base.focusMs, virt.focusMs);
    console.log(`console-browser: scroll steps: all rows ${base.scroll.steps}, virtualized ${virt.scroll.steps} (row heights measured as rows render)`);
  } finally {
    await browser.close();
    await mailwire.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const argv1 = process.argv[1];
if (argv1 && import.meta.url === pathToFileURL(argv1).href) await run();
