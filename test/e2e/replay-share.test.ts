// Issue 15 in Chromium: a session recorded in the console gets a shareable replay link, which opens
// at the same step in a fresh browser profile; importing a JSON file leaves the previous example's
// address; the README's replay link lands where it says.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { exportJson } from '../../app/src/transcript/export-json.ts';
import { loadExample } from '../../app/src/transcript/examples/index.ts';
import { hasChromium, send, startPlayground, type Playground } from './harness.ts';

const position = (page: Page) => page.locator('[data-testid="replay-position"]').innerText();

describe.skipIf(!hasChromium)('shareable replay links (needs /usr/bin/chromium)', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 60_000);
  afterAll(async () => pg?.close());

  it('a console session gets a link that opens it at the same step in a fresh profile', async () => {
    const page = await pg.newPage();
    await page.click('button[data-target="practice/pop3"]');
    await page.locator('[data-kind="server"]', { hasText: '+OK' }).first().waitFor();
    await send(page, 'USER alice', '+OK');
    await send(page, 'PASS practice', 'maildrop');
    await send(page, 'STAT', '+OK 1');
    await page.click('button:has-text("Replay / export")');
    await page.waitForSelector('[data-testid="replay-position"]');
    expect(new URL(page.url()).hash).toBe('#/replay');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const at = await position(page);
    const link = await page.getByTestId('replay-share').getAttribute('href');
    expect(link).toMatch(/#\/replay\/session\/[A-Za-z0-9_-]+\?step=3$/);

    const fresh = await pg.browser.newContext({ viewport: { width: 1366, height: 768 } });
    const other = await fresh.newPage();
    await other.goto(link!);
    await other.waitForSelector('[data-testid="replay-position"]');
    await expect.poll(() => position(other)).toBe(at);
    expect(await other.locator('.replay [role="log"] .entry', { hasText: 'USER alice' }).count()).toBe(1);
    // The address follows the cursor, as on an example link.
    await other.keyboard.press('ArrowRight');
    await expect.poll(() => new URL(other.url()).hash).toMatch(/\?step=4$/);
    await fresh.close();
    await page.close();
  }, 60_000);

  it("importing JSON replaces the previous example's address; the README's replay link lands on its step", async () => {
    const context = await pg.browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${pg.mailwire.url}#/replay/example/smtp-first?step=4`);
    await expect.poll(() => position(page)).toMatch(/^step 4 of \d+$/);
    const file = join(mkdtempSync(join(tmpdir(), 'mw-import-')), 'imap.json');
    writeFileSync(file, exportJson(loadExample('imap-first')!));
    await page.locator('input[type="file"]').setInputFiles(file);
    await expect.poll(() => page.locator('.replay .meta').innerText()).toMatch(/^IMAP/);
    expect(new URL(page.url()).hash).toBe('#/replay');
    expect(await page.getByTestId('replay-share').getAttribute('href')).toMatch(/#\/replay\/session\//);
    await context.close();
  }, 60_000);
});
