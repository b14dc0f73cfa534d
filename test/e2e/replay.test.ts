// Issue 7 in Chromium: record a session in the console, step it back and forward in replay with
// the buttons and the keyboard; the console lines and the sequence diagram follow the cursor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, send, startPlayground, type Playground } from './harness.ts';

const position = (page: Page) => page.locator('[data-testid="replay-position"]').innerText();
const arrows = (page: Page) => page.locator('.replay [data-testid="sequence-diagram"] g.step').count();
const logLines = (page: Page) => page.locator('.replay [role="log"] .entry').count();

describe.skipIf(!hasChromium)('recording and replay (needs /usr/bin/chromium)', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 120_000);
  afterAll(async () => pg?.close());

  it('records a POP3 session and steps through it; exports mask the password', async () => {
    const page = await pg.newPage();
    await page.click('button[data-target="practice/pop3s"]');
    await page.locator('[data-kind="server"]', { hasText: '+OK' }).first().waitFor();
    await send(page, 'USER alice', '+OK');
    await send(page, 'PASS practice', 'maildrop');
    await send(page, 'STAT', '+OK 1');
    await page.locator('[data-testid="console-input"]').fill('QUIT');
    await page.locator('[data-testid="console-input"]').press('Enter');
    await expect.poll(() => page.locator('[data-testid="connection-status"]').innerText()).toMatch(/closed/i);
    await page.click('button:has-text("Replay / export")');
    await page.waitForSelector('[data-testid="replay-position"]');
    expect(await position(page)).toMatch(/^step 1 of \d+$/);
    const total = Number((await position(page)).split(' of ')[1]);
    expect(total).toBeGreaterThanOrEqual(6); // connect, greeting, USER, PASS, STAT, QUIT (+ close)

    const lines1 = await logLines(page);
    expect(await arrows(page)).toBe(1);
    await page.click('[data-testid="replay-next"]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await position(page)).toBe(`step 4 of ${total}`);
    expect(await arrows(page)).toBe(4);
    const lines4 = await logLines(page);
    expect(lines4).toBeGreaterThan(lines1);
    await pg.screenshot(page, 'replay-step4');

    await page.keyboard.press('ArrowLeft');
    expect(await position(page)).toBe(`step 3 of ${total}`);
    expect(await arrows(page)).toBe(3);
    expect(await logLines(page)).toBeLessThan(lines4);
    await page.keyboard.press('End');
    expect(await position(page)).toBe(`step ${total} of ${total}`);
    await page.keyboard.press('Home');
    expect(await position(page)).toBe(`step 1 of ${total}`);

    // The practice password is public: exports include it by default (issue 15), so the script runs
    // as it is; unticking "include credentials" masks it.
    await page.locator('label', { hasText: 'Python script' }).click();
    const script = await page.locator('[data-testid="export-output"]').innerText();
    expect(script).toMatch(/poplib/);
    expect(script).toMatch(/PASSWORD = os.environ.get\("MAILWIRE_PASSWORD", "practice"\)/);
    await page.getByTestId('export-reveal').uncheck();
    expect(await page.locator('[data-testid="export-output"]').innerText()).not.toMatch(/practice['"]/);
    await page.locator('label', { hasText: 'C:/S: text' }).click();
    expect(await page.locator('[data-testid="export-output"]').innerText()).toMatch(/C: PASS \*+/);
    await page.keyboard.press('End');
    await pg.screenshot(page, 'replay-end');
  }, 60_000);

  it('opens a bundled example from a shared link at the given step', async () => {
    const page = await pg.newPage();
    await page.goto(`${pg.mailwire.url}#/replay/example/smtp-first?step=5`);
    await page.waitForSelector('[data-testid="replay-position"]');
    await expect.poll(() => position(page)).toMatch(/^step 5 of \d+$/);
    expect(await arrows(page)).toBe(5);
    const total = Number((await position(page)).split(' of ')[1]);
    expect(total).toBeGreaterThan(7);
    const stepInUrl = () => new URL(page.url()).hash;
    const linkAt = (n: number) => `#/replay/example/smtp-first?step=${n}`;

    // The link is applied once: moving afterwards must not snap back to step 5, and the address
    // follows the cursor so the teacher can copy the current step's link.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => position(page)).toBe(`step 6 of ${total}`);
    await expect.poll(stepInUrl).toBe(linkAt(6));
    expect(await arrows(page)).toBe(6);
    await page.click('[data-testid="replay-next"]');
    await expect.poll(() => position(page)).toBe(`step 7 of ${total}`);
    await expect.poll(stepInUrl).toBe(linkAt(7));
    await page.click('[data-testid="replay-prev"]');
    await page.click('[data-testid="replay-prev"]');
    await expect.poll(() => position(page)).toBe(`step 5 of ${total}`);
    await expect.poll(stepInUrl).toBe(linkAt(5));
    expect(await arrows(page)).toBe(5);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => position(page)).toBe(`step 4 of ${total}`);
    await expect.poll(stepInUrl).toBe(linkAt(4));

    // Opening a shared link again (a new route) still jumps to its step.
    await page.evaluate((h) => (location.hash = h), linkAt(2));
    await expect.poll(() => position(page)).toBe(`step 2 of ${total}`);
    expect(await arrows(page)).toBe(2);
  }, 30_000);
});
