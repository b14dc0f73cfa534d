// The trace view in Chromium: a two-hop message the practice server really produced
// (test/fixtures/trace/two-hop.eml) shown as its hops; a forged From: set against the envelope; a DSN
// explained; alice's INBOX fetched over IMAP through the bridge. Checked with axe and for layout at
// a laptop and a phone size, in both themes, and screenshotted.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startPlayground, type Playground } from './harness.ts';
import {
  axeViolations,
  horizontalOverflow,
  openContext,
  overlappingControls,
  shotPath,
  SIZES,
  THEMES,
} from './screens-lib.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/trace/${name}`, import.meta.url), 'latin1');
const CHECKED = SIZES.filter((s) => s.name === 'laptop' || s.name === 'phone');

async function paste(page: Page, raw: string) {
  await page.getByLabel('The message (headers and body)').fill(raw);
}

describe.skipIf(!hasChromium)('trace view (needs /usr/bin/chromium)', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 60_000);
  afterAll(async () => pg?.close());

  it("a two-hop message's Received chain, in travel order, with TLS and AUTH", async () => {
    const page = await pg.newPage();
    await page.goto(`${pg.mailwire.url}#/trace`);
    await paste(page, fixture('two-hop.eml'));
    await expect.poll(() => page.locator('#hops-title').textContent()).toBe('The journey: 2 hops');
    const hops = page.locator('.hop');
    expect(await hops.locator('.handoff').allTextContents()).toEqual([
      expect.stringMatching(/^laptop\.practice\.test\s*\[127\.0\.0\.1\]\s+→ mail\.practice\.test\s*TLS\s*AUTH\s*$/),
      expect.stringMatching(/^mail\.practice\.test\s*\[127\.0\.0\.1\]\s+→ mx1\.faraway\.test\s*TLS\s*$/),
    ]);
    expect(await hops.nth(0).locator('dl').textContent()).toContain('ESMTPSA');
    expect(await hops.nth(0).locator('dl').textContent()).toContain('carol@faraway.test');
    expect(await hops.nth(1).locator('dl').textContent()).toContain('ESMTPS');
    expect(await page.locator('.verdict').getAttribute('data-verdict')).toBe('same');
    await page.close();
  });

  it('a forged From: is set against the envelope sender', async () => {
    const page = await pg.newPage();
    await page.goto(`${pg.mailwire.url}#/trace`);
    await paste(page, fixture('forged.eml'));
    const verdict = page.locator('.verdict[data-verdict="differs"]');
    await verdict.waitFor();
    expect(await verdict.textContent()).toContain('director@faraway.test');
    expect(await verdict.textContent()).toContain('alice@practice.test');
    await page.close();
  });

  it("a DSN's delivery-status fields, explained", async () => {
    const page = await pg.newPage();
    await page.goto(`${pg.mailwire.url}#/trace`);
    await paste(page, fixture('dsn.eml'));
    const status = page.locator('table.dsn tr', { hasText: 'Status' });
    await status.waitFor();
    expect(await status.textContent()).toContain('no such user');
    expect(await status.textContent()).toContain('RFC 3464 section 2.3.4');
    expect(await page.locator('.verdict').getAttribute('data-verdict')).toBe('bounce');
    await page.close();
  });

  it("alice's INBOX over IMAP: pick a message and read its trace", async () => {
    const page = await pg.newPage();
    await page.goto(`${pg.mailwire.url}#/trace`);
    await page.getByRole('button', { name: 'Fetch INBOX over IMAP' }).click();
    const list = page.getByRole('list', { name: 'Messages in the INBOX' });
    await list.locator('button').first().waitFor();
    await list.locator('button').first().click();
    await expect.poll(() => page.getByLabel('The message (headers and body)').inputValue()).toMatch(/\nSubject: /);
    await expect.poll(() => page.locator('#hops-title').textContent()).toMatch(/^The journey: \d+ hops?$/);
    await page.close();
  });

  for (const size of CHECKED)
    for (const theme of THEMES)
      it(`${size.width}x${size.height} ${theme}: a bounce's delivery-status table: no sideways scroll, no overlaps, axe clean`, async () => {
        const context = await openContext(pg.browser, size, theme);
        try {
          const page = await context.newPage();
          await page.goto(`${pg.mailwire.url}#/trace`);
          await paste(page, fixture('dsn.eml'));
          await page.locator('table.dsn').first().waitFor();
          await page.screenshot({ path: shotPath(`trace-dsn-${size.name}-${theme}`), fullPage: true });
          // The two-hop view at every size and theme: test/e2e/screens.test.ts.
          expect([
            ...(await horizontalOverflow(page)),
            ...(await overlappingControls(page)),
            ...(await axeViolations(page)),
          ]).toEqual([]);
        } finally {
          await context.close();
        }
      }, 60_000);
});
