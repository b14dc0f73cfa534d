// Benchmark, in Debian's Chromium with 4x CPU slowdown (DevTools protocol
// Emulation.setCPUThrottlingRate): time from navigation to the first usable console (its connect
// buttons rendered: a click opens a session), for the app as shipped (split by screen)
// beside the same sources built as one chunk (inlineDynamicImports, the page before the split).
// Both are served precompressed by the same bridge code, fresh browser context (no cache) per load,
// loads interleaved so the machine's load hits both alike. `npm run bench -- page`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildIfNeeded, projectRoot } from '../bridge/build.ts';
import { configWithDefaults } from '../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../bridge/practice/defaults.ts';
import { startMailwire, type RunningMailwire } from '../bridge/start.ts';
import { hasChromium, launchChromium } from '../test/helpers/chromium.ts';
import { EPHEMERAL_PORTS } from '../test/helpers/practice-ports.ts';
import { median } from './stats.ts';

const LOADS = 7;
const THROTTLE = 4;

async function serve(distDir: string): Promise<{ mw: RunningMailwire; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mw-page-bench-'));
  const mw = await startMailwire(
    configWithDefaults({
      dataDir,
      port: 0,
      distDir,
      practice: practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS }),
    }),
    { log: () => {} },
  );
  return { mw, dataDir };
}

/** Gzipped JS bytes the first screen loads: the entry and its static imports (index.html's scripts). */
function firstScreenJs(distDir: string): number {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  return files.reduce((n, f) => n + gzipSync(readFileSync(join(distDir, f)), { level: 9 }).length, 0);
}

export async function run(): Promise<void> {
  if (!hasChromium) return void console.log('chromium: not installed (Debian package chromium), skipped');
  const split = join(projectRoot, 'dist');
  await buildIfNeeded(split);
  const unsplit = mkdtempSync(join(tmpdir(), 'mw-dist-unsplit-'));
  const { build } = await import('vite');
  await build({
    configFile: join(projectRoot, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: unsplit, emptyOutDir: true, rolldownOptions: { output: { inlineDynamicImports: true } } },
  });
  const pages = {
    'split by screen (as shipped)': await serve(split),
    'one chunk (before the split)': await serve(unsplit),
  };
  const browser = await launchChromium();
  // Loopback has no network to speak of; a classroom Wi-Fi does: the second row adds one.
  const NETWORKS = {
    loopback: null,
    '10 Mbit/s, 40 ms RTT': { offline: false, latency: 40, downloadThroughput: 1_250_000, uploadThroughput: 1_250_000 },
  };
  const times: Record<string, number[]> = {};
  try {
    for (const [net, conditions] of Object.entries(NETWORKS)) {
      for (let i = 0; i < LOADS + 1; i++) {
        for (const [name, { mw }] of i % 2 ? Object.entries(pages).reverse() : Object.entries(pages)) {
          const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
          const page = await context.newPage();
          const cdp = await context.newCDPSession(page);
          await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
          if (conditions) await cdp.send('Network.emulateNetworkConditions', conditions);
          await page.goto(mw.url, { waitUntil: 'commit' });
          await page.locator('button[data-target="practice/smtp"]').waitFor();
          const ms = await page.evaluate(() => performance.now());
          if (i > 0) (times[`${net}|${name}`] ??= []).push(ms); // round 0 warms the servers and the disk cache
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
    for (const { mw, dataDir } of Object.values(pages)) {
      await mw.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const [shipped, before] = Object.keys(pages) as [string, string];
  const js = { [shipped]: firstScreenJs(split), [before]: firstScreenJs(unsplit) };
  console.log(
    `time to the first usable console, ${THROTTLE}x CPU slowdown, median of ${LOADS} fresh loads each (the machine is shared: compare the ratio)`,
  );
  for (const net of Object.keys(NETWORKS)) {
    console.log(`  ${net}:`);
    for (const name of [shipped, before]) {
      const t = times[`${net}|${name}`]!;
      console.log(
        `    ${name.padEnd(30)} ${median(t).toFixed(0).padStart(5)} ms  first-screen JS ${(js[name]! / 1000).toFixed(1)} kB gzipped  (${t.map((x) => x.toFixed(0)).join(' ')})`,
      );
    }
    console.log(
      `    split / one chunk: ${(median(times[`${net}|${shipped}`]!) / median(times[`${net}|${before}`]!)).toFixed(2)}x`,
    );
  }
  console.log(
    `  [target: first screen <= 120 kB gzipped: ${js[shipped]! <= 120_000 ? 'meets target' : 'MISSES target'}]`,
  );
  rmSync(unsplit, { recursive: true, force: true });
}
