// Issue 4's acceptance in Chromium: submission with STARTTLS and AUTH PLAIN through the helper
// (the password never shows in the log), a message to bob typed by hand, then IMAPS FETCH of it.
// Also the presenter mode and the dark theme, with screenshots to look at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, send, startPlayground, type Playground } from './harness.ts';

describe.skipIf(!hasChromium)('console acceptance: submission + AUTH helper + IMAPS (needs /usr/bin/chromium)', () => {
  let pg: Playground;
  const subject = `Console acceptance ${Date.now()}`;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 120_000);
  afterAll(async () => pg?.close());

  it('sends a message through submission with STARTTLS and AUTH PLAIN, then FETCHes it over IMAPS', async () => {
    const page = await pg.newPage();
    await page.click('button[data-target="practice/submission"]');
    await page.locator('[data-kind="server"]', { hasText: '220 ' }).first().waitFor();
    await send(page, 'EHLO learner.example', 'STARTTLS');
    await send(page, 'STARTTLS', '220 ');
    // The TLS card appears in the stream and the status follows.
    await page.locator('[data-kind="tls"]', { hasText: 'TLS is on' }).waitFor();
    await expect.poll(() => page.locator('[data-testid="connection-status"]').innerText()).toMatch(/tls/i);
    await send(page, 'EHLO learner.example', 'AUTH');

    // The helper builds AUTH PLAIN and shows what the base64 holds, password hidden by default.
    await page.click('[data-testid="auth-helper-toggle"]');
    await page.fill('[data-testid="auth-user"]', 'alice');
    await page.fill('[data-testid="auth-password"]', 'practice');
    const bytes = await page.locator('[data-testid="auth-plain-bytes"]').innerText();
    expect(bytes).toMatch(/\\0/);
    expect(bytes).toMatch(/alice/);
    expect(bytes).not.toMatch(/practice/);
    await page.getByLabel('show password').check();
    expect(await page.locator('[data-testid="auth-plain-base64"]').innerText()).toBe('AGFsaWNlAHByYWN0aWNl');
    await pg.screenshot(page, 'console-auth-helper');
    await page.getByLabel('show password').uncheck();

    await page.getByRole('button', { name: 'To input' }).click();
    expect(await page.locator('[data-testid="console-input"]').inputValue()).toBe('AUTH PLAIN AGFsaWNlAHByYWN0aWNl');
    await page.locator('[data-testid="console-input"]').press('Enter');
    await page
      .locator('[data-kind="server"]', { hasText: /\b235 / })
      .last()
      .waitFor(); // the reply, not a time holding 235
    // Masked in the log: neither the password nor its base64 shows.
    const authLine = await page.locator('[data-kind="client"]', { hasText: 'AUTH PLAIN' }).innerText();
    expect(authLine).toContain('********');
    expect(authLine).not.toContain('AGFsaWNl');
    // Nothing the client sent shows the password ("practice") or its base64 (server lines name
    // the practice.test domain, so only the client lines are checked).
    const sent = (await page.locator('[data-kind="client"]').allInnerTexts()).join('\n');
    expect(sent).not.toContain('practice');
    expect(sent).not.toContain('AGFsaWNl');
    await page.click('[data-testid="auth-helper-toggle"]');

    await send(page, 'MAIL FROM:<alice@practice.test>', '250');
    await send(page, 'RCPT TO:<bob@practice.test>', '250');
    await send(page, 'DATA', '354');
    await page.getByRole('button', { name: 'Multi-line mode for DATA and literals' }).click();
    await page.fill(
      '[data-testid="console-block"]',
      [
        'From: Alice <alice@practice.test>',
        'To: Bob <bob@practice.test>',
        `Subject: ${subject}`,
        '',
        'Typed by hand in the mailwire console.',
        '.',
      ].join('\n'),
    );
    const queued = () => page.locator('[data-kind="server"]', { hasText: /Message accepted|queued/ }).count();
    const before = await queued();
    await page.getByRole('button', { name: 'Send lines' }).click();
    await expect.poll(queued, { timeout: 10_000 }).toBeGreaterThan(before);
    expect(await page.locator('[data-kind="server"]').last().innerText()).toMatch(/250/);
    await page.getByRole('button', { name: 'Single line' }).click();
    await pg.screenshot(page, 'console-submission');

    // The exported transcript masks the credential too.
    const transcript = await page.evaluate(async () => {
      const text = await new Promise<string>((resolve) => {
        const orig = navigator.clipboard?.writeText?.bind(navigator.clipboard);
        Object.defineProperty(navigator, 'clipboard', {
          value: { writeText: async (t: string) => resolve(t) },
          configurable: true,
        });
        void orig;
        (
          Array.from(document.querySelectorAll('button')).find((b) => b.textContent === 'Copy') as HTMLButtonElement
        ).click();
      });
      return text;
    });
    expect(transcript).toContain('AUTH PLAIN ********');
    expect(transcript).not.toContain('AGFsaWNlAHByYWN0aWNl');

    // Bob reads it over IMAPS.
    await page.click('button[data-target="practice/imaps"]');
    await page.locator('[data-kind="server"]', { hasText: '* OK' }).first().waitFor();
    await send(page, 'b1 LOGIN bob practice', 'b1 OK');
    await send(page, 'b2 SELECT INBOX', 'b2 OK');
    await send(page, 'b3 FETCH * (BODY[HEADER.FIELDS (SUBJECT)])', 'b3 OK');
    expect(await page.locator('[role="log"]').innerText()).toContain(subject);
    await pg.screenshot(page, 'console-imaps-fetch');

    // Presenter mode with one keystroke, then the dark theme; both remembered.
    await page.keyboard.press('F8');
    expect(await page.evaluate(() => document.documentElement.dataset.presenter)).toBe('on');
    const size = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    expect(parseFloat(size)).toBeGreaterThan(16);
    await pg.screenshot(page, 'console-presenter');
    await page.keyboard.press('F8');
    await page.click('[data-testid="theme-toggle"]');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const bg = await page.locator('[role="log"]').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).not.toBe('rgb(255, 255, 255)');
    await pg.screenshot(page, 'console-dark');
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  }, 90_000);

  it('answers IMAP AUTHENTICATE PLAIN\'s "+" prompt through the helper, masked in the log', async () => {
    const page = await pg.newPage();
    await page.click('button[data-target="practice/imaps"]');
    await page.locator('[data-kind="server"]', { hasText: '* OK' }).first().waitFor();
    await page.click('[data-testid="auth-helper-toggle"]');
    await page.fill('[data-testid="auth-user"]', 'bob');
    await page.fill('[data-testid="auth-password"]', 'practice');
    const steps = page.locator('[data-testid="auth-step"]');
    expect(await steps.allInnerTexts()).toEqual(['a1 AUTHENTICATE PLAIN', '********']);
    await page.locator('[data-testid="auth-send"]').nth(0).click();
    await page.locator('[data-kind="server"] pre', { hasText: /^\+/ }).last().waitFor();
    await page.locator('[data-testid="auth-send"]').nth(1).click();
    await page.locator('[data-kind="server"]', { hasText: 'a1 OK' }).waitFor();
    const sent = (await page.locator('[data-kind="client"]').allInnerTexts()).join('\n');
    expect(sent).toContain('********');
    expect(sent).not.toContain('AGJvYgBwcmFjdGljZQ==');
    expect(await page.locator('[data-testid="protocol-state"]').innerText()).toMatch(/authenticated/i);
    await page.keyboard.press('Control+Shift+D');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await pg.screenshot(page, 'console-auth-imap-dark');
  }, 60_000);

  it('follows prefers-color-scheme until the learner picks a theme', async () => {
    const page = await pg.browser.newPage({ colorScheme: 'dark', viewport: { width: 1400, height: 900 } });
    await page.goto(pg.mailwire.url);
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.click('[data-testid="theme-toggle"]');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await page.evaluate(() => localStorage.getItem('mailwire.theme'))).toBe('light');
    await page.close();
  }, 30_000);

  it('is keyboard-first: Ctrl+L focuses the input, icon-only controls have names, focus is visible', async () => {
    const page = await pg.newPage();
    await page.click('button[data-target="practice/smtp"]');
    await page.locator('[data-kind="server"]', { hasText: '220 ' }).waitFor();
    await page.locator('[data-testid="connection-status"]').click();
    await page.keyboard.press('Control+l');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('console-input');
    // Every button has an accessible name (text or aria-label).
    const unnamed = await page.evaluate(
      () =>
        Array.from(document.querySelectorAll('button')).filter(
          (b) => !(b.getAttribute('aria-label') || b.textContent?.trim()),
        ).length,
    );
    expect(unnamed).toBe(0);
    expect(await page.getByRole('button', { name: /^Close SMTP relay/ }).count()).toBe(1);
    // Tab moves focus to a control that draws a ring.
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe('none');
  }, 60_000);
});
