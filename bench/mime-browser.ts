// Benchmark, in Debian's Chromium: generating a message with a 10 MB attachment beside the bare
// base64 step it cannot avoid (the module's encoder; the browser's own btoa and, where present,
// Uint8Array.prototype.toBase64 for reference), medians of interleaved rounds, and the ratio.
// Then the studio path in the real app: attach a 10 MB file and time it until the raw view shows
// the new byte count, with the longest main-thread stall meanwhile (the generator runs in a worker).
// Run: npx tsx bench/mime-browser.ts (or through bench/run.ts via run()); MW_BENCH_DETAIL=1 also
// prints every frame gap over 50 ms and every long task, to see where a stall comes from.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { buildIfNeeded, projectRoot } from '../bridge/build.ts';
import { configWithDefaults } from '../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../bridge/practice/defaults.ts';
import { startMailwire } from '../bridge/start.ts';
import type { MimeBench, RoundTimes } from './mime-browser/entry.ts';
import { CHROMIUM, hasChromium, launchChromium } from '../test/helpers/chromium.ts';
import { EPHEMERAL_PORTS } from '../test/helpers/practice-ports.ts';
import { attachAndWatch, openStudioOnMultipart } from '../test/helpers/studio-probe.ts';
import { median } from './stats.ts';

const SIZE = 10 * 1024 * 1024;
const ROUNDS = 5;
const PAGE_DIR = fileURLToPath(new URL('./mime-browser/', import.meta.url));

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Builds the tiny page (entry.ts imports app/src/mime) into a temp dir with Vite. */
async function buildPage(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'mw-bench-mime-'));
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: PAGE_DIR,
    base: './',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
};

/** A static file server on 127.0.0.1, an ephemeral port. */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir + sep) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

export interface ModuleFigures {
  generateMs: number;
  base64Ms: number;
  btoaMs: number;
  toBase64Ms: number | null;
  ratio: number;
  outputBytes: number;
  userAgent: string;
}

async function measureModule(browser: Browser): Promise<ModuleFigures> {
  const outDir = await buildPage();
  const { server, url } = await serve(outDir);
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.goto(url);
    await page.waitForFunction('document.getElementById("status").textContent === "ready"');
    const userAgent = (await page.evaluate('navigator.userAgent')) as string;
    await page.evaluate(`window.mimeBench.setup(${SIZE})`);
    const rounds: RoundTimes[] = [];
    // Interleaved rounds so every side sees the same load; round 0 warms the JIT up.
    for (let i = 0; i <= ROUNDS; i++) {
      const r = (await page.evaluate(`window.mimeBench.round(${i + 1})`)) as ReturnType<MimeBench['round']>;
      if (i > 0) rounds.push(r);
    }
    await page.close();
    const generateMs = median(rounds.map((r) => r.generateMs));
    const base64Ms = median(rounds.map((r) => r.base64Ms));
    const btoaMs = median(rounds.map((r) => r.btoaMs));
    const toB64 = rounds.map((r) => r.toBase64Ms).filter((x): x is number => x !== null);
    return {
      generateMs,
      base64Ms,
      btoaMs,
      toBase64Ms: toB64.length ? median(toB64) : null,
      ratio: generateMs / base64Ms,
      outputBytes: rounds[0].outputBytes,
      userAgent,
    };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(outDir, { recursive: true, force: true });
  }
}

async function measureStudio(browser: Browser) {
  await buildIfNeeded(join(projectRoot, 'dist'), (line) => console.log(`mime-browser: ${line}`));
  const dataDir = mkdtempSync(join(tmpdir(), 'mw-bench-studio-'));
  const mailwire = await startMailwire(
    configWithDefaults({
      dataDir,
      port: 0,
      distDir: join(projectRoot, 'dist'),
      practice: practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS }),
    }),
    { log: () => {} },
  );
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.goto(mailwire.url);
    await openStudioOnMultipart(page);
    const run = await attachAndWatch(page, new Uint8Array(randomBytes(SIZE)), 'big.bin');
    await page.close();
    return run;
  } finally {
    await mailwire.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  if (!hasChromium) {
    console.log(`mime-browser: skipped: ${CHROMIUM} missing`);
    return;
  }
  const browser = await launchChromium();
  try {
    const m = await measureModule(browser);
    const version = browser.version(); // the user agent string reports a reduced version
    console.log(
      `mime-browser: generate message with 10 MB attachment: ${ms(m.generateMs)} (output ${(m.outputBytes / 1048576).toFixed(2)} MiB)`,
    );
    console.log(`mime-browser: bare base64 of 10 MB (module encoder):  ${ms(m.base64Ms)}`);
    console.log(
      `mime-browser: ratio generate / base64:                ${m.ratio.toFixed(2)}x (median of ${ROUNDS}, Chromium ${version})`,
    );
    console.log(`mime-browser: for reference, btoa(binary string):    ${ms(m.btoaMs)}`);
    console.log(
      m.toBase64Ms === null
        ? 'mime-browser: for reference, Uint8Array.toBase64:       not available in this browser'
        : `mime-browser: for reference, Uint8Array.toBase64():    ${ms(m.toBase64Ms)}`,
    );
    const s = await measureStudio(browser);
    const task =
      s.longestTaskMs === null
        ? 'longtask API unavailable'
        : `longest longtask ${ms(s.longestTaskMs)} (${s.longTasks} long tasks)`;
    console.log(
      `mime-browser: studio, attach 10 MB until raw view shows ${s.byteCount.toLocaleString('en-US')} bytes: ${ms(s.doneMs)}`,
    );
    console.log(
      `mime-browser: studio, longest main-thread stall meanwhile: ${ms(s.maxFrameGapMs)} between frames; ${task}; ${s.frames} frames, ${s.busyFrames} while "generating…"`,
    );
    if (process.env.MW_BENCH_DETAIL)
      console.log(`mime-browser: gaps ${JSON.stringify(s.gaps)} tasks ${JSON.stringify(s.tasks)}`);
    // Generating on the main thread would stall it at least as long as the generate above; a
    // worker should keep this ratio well under 1.
    console.log(
      `mime-browser: ratio studio stall / in-page generate:  ${(s.maxFrameGapMs / m.generateMs).toFixed(2)}x (${ms(s.maxFrameGapMs)} / ${ms(m.generateMs)})`,
    );
  } finally {
    await browser.close();
  }
}

const argv1 = process.argv[1];
if (argv1 && import.meta.url === pathToFileURL(argv1).href) await run();
