// The "Reset mailboxes" button in Chromium: mail delivered over SMTP first, a cancel that changes
// nothing, then confirm, the answer shown in words, and the store really holding only the welcome.
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startPlayground, type Playground } from './harness.ts';

describe.skipIf(!hasChromium)('resetting the practice mailboxes from the page (needs /usr/bin/chromium)', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 120_000);
  afterAll(async () => pg?.close());

  const inboxSize = (user: string) => pg.mailwire.practice!.store.forAccount(user).mailbox('INBOX')!.messages().length;

  it('asks first, then empties every mailbox and says what it removed', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: pg.mailwire.practice!.endpoints['practice/smtp'].port,
      ignoreTLS: true,
    });
    for (const subject of ['one', 'two'])
      await transport.sendMail({ from: 'carol@example.org', to: 'alice@practice.test', subject, text: subject });
    transport.close();
    expect(inboxSize('alice')).toBe(3);

    const page = await pg.newPage();
    const button = page.locator('[data-testid="practice-reset-button"]');
    await button.click();
    await expect
      .poll(() => page.locator('[data-testid="practice-reset"]').innerText())
      .toMatch(/every practice account/);
    await page.click('[data-testid="practice-reset-cancel"]');
    await button.waitFor();
    expect(inboxSize('alice')).toBe(3); // cancel sends nothing

    await button.click();
    await page.click('[data-testid="practice-reset-confirm"]');
    const result = page.locator('[data-testid="practice-reset-result"]');
    await result.waitFor();
    // alice: her two messages and the old welcome; bob: his old welcome.
    expect(await result.innerText()).toBe(
      'Removed 4 messages: alice 3, bob 1. Each INBOX has a fresh welcome message.',
    );
    expect(inboxSize('alice')).toBe(1);
    expect(inboxSize('bob')).toBe(1);
    await pg.screenshot(page, 'practice-reset');
  }, 60_000);
});
