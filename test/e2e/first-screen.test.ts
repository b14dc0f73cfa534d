// Issue 18 in Chromium: the first screen (the console) loads at most 120 kB of gzipped
// JavaScript, the other screens load when first opened, and the page's assets arrive
// precompressed (Content-Encoding br, as Chromium asks for it).
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_BYTES } from '../../bridge/precompress.ts';
import { hasChromium, startPlayground, type Playground } from './harness.ts';

const FIRST_SCREEN_GZIP_BUDGET = 120 * 1000;

describe.skipIf(!hasChromium)('the first screen is light (needs /usr/bin/chromium)', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 120_000);
  afterAll(async () => pg?.close());

  it(`loads at most ${FIRST_SCREEN_GZIP_BUDGET / 1000} kB of gzipped JavaScript, precompressed, and the rest on demand`, async () => {
    const page = await pg.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const scripts = new Map<string, { gzip: number; bytes: number; encoding: string | undefined }>();
    page.on('response', async (res) => {
      if (!res.url().endsWith('.js')) return;
      const body = await res.body().catch(() => null);
      if (body)
        scripts.set(new URL(res.url()).pathname, {
          gzip: gzipSync(body, { level: 9 }).length,
          bytes: body.length,
          encoding: res.headers()['content-encoding'],
        });
    });
    await page.goto(pg.mailwire.url);
    await page.locator('button[data-target="practice/smtp"]').waitFor();
    await page.waitForLoadState('networkidle');
    const first = [...scripts.entries()];
    const total = first.reduce((n, [, s]) => n + s.gzip, 0);
    process.stdout.write(
      `first screen: ${first.length} scripts, ${(total / 1000).toFixed(1)} kB gzipped: ${first.map(([p, s]) => `${p.replace('/assets/', '')} ${(s.gzip / 1000).toFixed(1)}`).join(', ')}\n`,
    );
    expect(total).toBeLessThanOrEqual(FIRST_SCREEN_GZIP_BUDGET);
    expect(first.map(([p]) => p).join(' ')).not.toMatch(/StudioScreen|LessonsScreen|ReplayScreen/);
    // Precompressed, but for chunks too small to gain from it (bridge/precompress.ts), sent as they are.
    for (const [path, s] of first) expect([path, s.encoding]).toEqual([path, s.bytes >= MIN_BYTES ? 'br' : undefined]);
    expect(first.filter(([, s]) => s.encoding === 'br').length).toBeGreaterThan(0);
    // The console works, and a screen that was not loaded loads when opened.
    await page.click('button[data-target="practice/smtp"]');
    await page.locator('[data-kind="server"]', { hasText: '220 ' }).waitFor();
    await page.click('text=MIME studio');
    await page.locator('[data-testid="mime-tree"]').waitFor();
    expect([...scripts.keys()].join(' ')).toMatch(/StudioScreen/);
    await page.close();
  }, 60_000);
});
