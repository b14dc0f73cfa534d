// Issue 5 acceptance in Chromium: build text + HTML + image in the studio, send it through
// practice/submission, fetch it over practice/imaps in the console, open it in the studio and
// see the same tree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { EXAMPLE_PNG, EXAMPLES } from '../../app/src/mime/examples.ts';
import { parseMessage } from '../../app/src/mime/parse.ts';
import { hasChromium, startPlayground, type Playground } from './harness.ts';

async function treeLabels(page: Page): Promise<string[]> {
  return page.locator('[data-testid="mime-tree"] .row .type').allInnerTexts();
}

async function typeCommand(page: Page, line: string): Promise<void> {
  const input = page.locator('[data-testid="console-input"]');
  await input.fill(line);
  await input.press('Enter');
  // Obvious mistakes ask for a second Enter; these commands are correct, so one is enough.
}

describe.skipIf(!hasChromium)('MIME studio round trip through the practice server (needs /usr/bin/chromium)', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 120_000);
  afterAll(async () => pg?.close());

  // The newcomer walk-through: open the studio and press Send on each example without editing it.
  // Every example is addressed to a practice account, so each must arrive in bob's INBOX.
  it('sends every example as it is, starting with the one the studio opens with', async () => {
    const page = await pg.newPage();
    await page.click('text=MIME studio');
    const store = pg.mailwire.practice!.store;
    const inboxSize = () => store.forAccount('bob').mailbox('INBOX')!.messages().length;
    const status = () =>
      page
        .locator('[data-testid="send-status"]')
        .innerText()
        .catch(() => '(no status yet)');
    for (const [i, ex] of EXAMPLES.entries()) {
      if (i > 0) await page.selectOption('[data-testid="example-select"]', ex.name);
      const subject = ex.message.headers.find((h) => h.name === 'Subject')!.value;
      await expect.poll(() => page.inputValue('[data-header="Subject"]')).toBe(subject);
      const before = inboxSize();
      await page.click('[data-testid="send-practice"]');
      // Until the message is stored, show the status so a refusal (SMTP_REFUSED ...) is the failure text.
      await expect
        .poll(async () => `${inboxSize() > before ? '' : 'not stored yet; '}${await status()}`, { timeout: 15_000 })
        .toMatch(/^Sent: the server answered 250/);
      const inbox = store.forAccount('bob').mailbox('INBOX')!;
      const stored = await inbox.read(inbox.messages().at(-1)!.uid);
      const { message } = await parseMessage(new Uint8Array(stored!));
      const header = (name: string) => message.headers.find((h) => h.name.toLowerCase() === name)?.value;
      expect(header('subject'), ex.name).toBe(subject);
      expect(header('to'), ex.name).toContain('bob@practice.test');
    }
  }, 90_000);

  it('builds text + HTML + image, sends it, fetches it over IMAPS and opens the same tree', async () => {
    const page = await pg.newPage();
    await page.click('text=MIME studio');
    await page.selectOption('[data-testid="example-select"]', 'alternative');
    await page.fill('[data-header="To"]', 'bob@practice.test');
    await page.locator('[data-header="To"]').press('Tab');
    await page.fill('[data-header="Subject"]', 'Studio round trip ✓');
    await page.locator('[data-header="Subject"]').press('Tab');

    // Wrap the alternative in multipart/mixed and attach a PNG to the mixed part.
    await page.click('button:has-text("Wrap everything in multipart/mixed")');
    await page.locator('[data-testid="mime-tree"] .row').first().click();
    await page.setInputFiles('[data-testid="add-file"]', {
      name: 'dot.png',
      mimeType: 'image/png',
      buffer: Buffer.from(EXAMPLE_PNG),
    });
    await page.waitForSelector('[data-testid="image-preview"]');
    const built = await treeLabels(page);
    expect(built).toEqual(['multipart/mixed', 'multipart/alternative', 'text/plain', 'text/html', 'dot.png']);
    await pg.screenshot(page, 'studio-built');

    await page.click('[data-testid="send-practice"]');
    await expect
      .poll(() => page.locator('[data-testid="send-status"]').innerText(), { timeout: 15_000 })
      .toMatch(/^Sent: the server answered 250/);
    await pg.screenshot(page, 'studio-sent');

    // The message really arrived in bob's INBOX.
    const inbox = pg.mailwire.practice!.store.forAccount('bob').mailbox('INBOX')!;
    const stored = await inbox.read(inbox.messages().at(-1)!.uid);
    expect(stored!.toString('latin1')).toMatch(/filename="?dot\.png/);

    // Fetch it over IMAPS in the console and open it in the studio.
    await page.click('text=Console');
    await page.click('button[data-target="practice/imaps"]');
    await page.waitForSelector('[data-kind="server"]');
    await typeCommand(page, 'a1 LOGIN bob practice');
    await page.waitForSelector('text=a1 OK');
    // Implicit TLS: the state panel knows the session is inside TLS from the first byte.
    expect(await page.locator('[data-testid="state-panel"] .pill.tls').count()).toBe(1);
    await typeCommand(page, 'a2 SELECT INBOX');
    await page.waitForSelector('text=a2 OK');
    await typeCommand(page, 'a3 FETCH * BODY[]');
    await page.waitForSelector('text=a3 OK');
    // The console selects the tagged OK; the FETCH's message is offered from there, without
    // hunting for the "* n FETCH (BODY[]" line above a long literal.
    await page.locator('[data-testid="open-in-studio"]').waitFor({ timeout: 5_000 });
    await page.click('[data-testid="open-in-studio"]');
    await page.waitForSelector('[data-testid="opened-from"]');
    expect(await treeLabels(page)).toEqual(built);
    expect(await page.inputValue('[data-header="Subject"]')).toBe('Studio round trip ✓');
    await page.locator('[data-testid="mime-tree"] .row', { hasText: 'dot.png' }).click();
    await page.waitForSelector('[data-testid="image-preview"]');
    await pg.screenshot(page, 'studio-opened');
  }, 90_000);
});
