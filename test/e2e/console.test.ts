// Issue 4 in Chromium: a learner types SMTP and IMAP by hand and every reply is explained;
// mistakes are flagged before sending; the state panel follows STARTTLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, send, startPlayground, type Playground } from './harness.ts';

describe.skipIf(!hasChromium)('the protocol console (needs /usr/bin/chromium)', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 120_000);
  afterAll(async () => pg?.close());

  it('explains SMTP replies, warns before mistakes, and tracks the session state', async () => {
    const page = await pg.newPage();
    await page.click('button[data-target="practice/smtp"]');
    await page.locator('[data-kind="server"]', { hasText: '220 ' }).waitFor();
    // The greeting is selected and explained.
    await expect.poll(() => page.locator('[data-testid="meaning"]').innerText()).toMatch(/EHLO/);

    // MAIL before EHLO is flagged, and so is a missing <>.
    await page.locator('[data-testid="console-input"]').fill('MAIL FROM:alice@practice.test');
    const warnings = await page.locator('[data-testid="warnings"]').innerText();
    expect(warnings).toMatch(/EHLO/);
    expect(warnings).toMatch(/<|angle/i);

    await send(page, 'EHLO learner.example', '250 ');
    expect(await page.locator('[data-testid="protocol-state"]').innerText()).toBe('EHLO done');
    expect(await page.locator('[data-testid="state-panel"]').innerText()).toMatch(/PIPELINING/);
    await send(page, 'MAIL FROM:<alice@practice.test>', '2.1.0');
    await send(page, 'RCPT TO:<someone@elsewhere.example>', '5.7.1');
    // The refusal is explained as a permanent failure with its enhanced code.
    const meaning = await page.locator('[data-testid="annotation"]').innerText();
    expect(meaning).toMatch(/permanent failure/);
    expect(meaning).toMatch(/5\.7\.1/);
    await pg.screenshot(page, 'console-smtp');
  }, 60_000);

  it('puts the focus in the command input when a connection opens, so typing goes to the server', async () => {
    const page = await pg.newPage();
    await page.click('button[data-target="practice/smtp"]');
    await page.locator('[data-kind="server"]', { hasText: '220 ' }).waitFor();
    // Typed straight after the click: without the focus move, the space and Enter would press the
    // "SMTP relay" button again and open more connections.
    await page.keyboard.type('EHLO focus.example');
    await page.keyboard.press('Enter');
    await page.locator('[data-kind="server"]', { hasText: '250 ' }).first().waitFor();
    expect(await page.locator('[data-kind="client"]').first().innerText()).toContain('EHLO focus.example');
    expect(await page.getByTestId('session-tab').count()).toBe(1);

    // Presenter mode on a 1366x800 projector: the EHLO explanation (long keywords such as
    // ENHANCEDSTATUSCODES) wraps inside the screen instead of running off its right edge.
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.keyboard.press('F8');
    await page.locator('[data-kind="server"]', { hasText: '250 SIZE' }).click();
    await expect.poll(() => page.locator('[data-testid="meaning"]').innerText()).toMatch(/EHLO/);
    const overflowing = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > innerWidth + 1)
        .map((el) => el.tagName + '.' + el.className),
    );
    expect(overflowing).toEqual([]);
    await page.keyboard.press('F8');

    // After QUIT the panel says the connection is over instead of listing commands, and the log
    // says once who closed it.
    await send(page, 'QUIT', '221 ');
    await expect.poll(() => page.getByTestId('valid-now').innerText()).toMatch(/^Connection closed/);
    const log = await page.locator('.terminal').innerText();
    expect(log).toContain('The server closed the connection.');
    expect(log).not.toContain('closed by the server: The server closed');
  }, 60_000);

  it('shows LOGINDISABLED before STARTTLS on IMAP, upgrades in place, and the capabilities change', async () => {
    const page = await pg.newPage();
    await page.click('button[data-target="practice/imap"]');
    await page.locator('[data-kind="server"]', { hasText: '* OK' }).waitFor();
    await send(page, 'a1 CAPABILITY', 'a1 OK');
    expect(await page.locator('[data-testid="state-panel"]').innerText()).toMatch(/LOGINDISABLED/);
    // A command without a tag is flagged before it is sent.
    await page.locator('[data-testid="console-input"]').fill('CAPABILITY');
    expect(await page.locator('[data-testid="warnings"]').innerText()).toMatch(/tag/i);
    await send(page, 'a2 STARTTLS', 'a2 OK');
    await page.locator('[data-kind="tls"]', { hasText: 'TLS is on' }).waitFor();
    expect(await page.locator('[data-testid="connection-status"]').innerText()).toMatch(/tls/i);
    await send(page, 'a3 CAPABILITY', 'a3 OK');
    const state = await page.locator('[data-testid="state-panel"]').innerText();
    expect(state).toMatch(/AUTH=PLAIN/);
    await send(page, 'a4 LOGIN alice practice', 'a4 OK');
    // The password is masked in the log unless revealed.
    expect(await page.locator('[data-kind="client"]', { hasText: 'a4 LOGIN' }).innerText()).not.toContain('practice');
    await send(page, 'a5 SELECT INBOX', 'a5 OK');
    expect(await page.locator('[data-testid="protocol-state"]').innerText()).toMatch(/selected/);
    await page.locator('[data-kind="server"]', { hasText: 'UIDVALIDITY' }).first().click();
    expect(await page.locator('[data-testid="annotation"]').innerText()).toMatch(/UIDVALIDITY/);
    // The diagram's selected arrow follows: it is the SELECT exchange.
    const arrow = page.locator('[data-testid="sequence-diagram"] g.step.selected');
    await expect.poll(() => arrow.count()).toBe(1);
    expect(await arrow.textContent()).toMatch(/a5 SELECT INBOX/);
    // And clicking an arrow selects its reply in the console.
    await page.locator('[data-testid="sequence-diagram"] g.step', { hasText: 'a1 CAPABILITY' }).click();
    await expect.poll(() => page.locator('[data-testid="annotation"]').innerText()).toMatch(/a1 CAPABILITY/);
    await pg.screenshot(page, 'console-imap');
  }, 60_000);
});
