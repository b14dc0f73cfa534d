// Issue 15, point 1 in Chromium against the real bridge and practice server: a lesson that teaches
// as the learner goes. The README's step link lands on the step it names in a fresh browser
// profile (the earlier steps are replayed against the server, not recorded as passed); a passed
// step's text stays open and can be reopened; each checked reply gets a "what just happened" note;
// a click on a reply in the lesson terminal explains it; each step shows its command pattern.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atStep, hasChromium, startPlayground, type Playground } from './harness.ts';

const LESSON = 'smtp-first-conversation';

describe.skipIf(!hasChromium)('lessons that teach as you go, in Chromium (needs /usr/bin/chromium)', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 60_000);
  afterAll(async () => {
    await pg?.close();
  });

  it("the README's link #/lesson/smtp-first-conversation/3 lands on step 3 in a fresh profile, replaying steps 1-2", async () => {
    const context = await pg.browser.newContext({ viewport: { width: 1366, height: 768 } }); // fresh profile: no progress
    const page = await context.newPage();
    await page.goto(`${pg.mailwire.url}#/lesson/${LESSON}/3`);
    await atStep(page, 2);
    expect(page.url()).toMatch(new RegExp(`#/lesson/${LESSON}/3$`));
    expect(await page.locator('li.step[aria-current="step"] h2').textContent()).toContain('MAIL FROM');
    expect(await page.locator('.meta').first().textContent()).toContain('step 3 of 7');
    // The earlier commands really went to the server.
    const sent = (await page.locator('.terminal .entry.client').allTextContents()).map((t) =>
      t.trim().replace(/^C:\s*/, ''),
    );
    expect(sent).toEqual(['EHLO client.example']);
    // Replayed steps are not passed by the learner: nothing is stored as done.
    const stored = await page.evaluate(() => localStorage.getItem('mailwire.lessons.progress'));
    expect(JSON.parse(stored ?? '{"lessons":{}}').lessons[LESSON]?.completed ?? []).toEqual([]);
    await pg.screenshot(page, 'lessons-teach-linked-step');
    await context.close();
  }, 60_000);

  it('keeps the passed step open, notes what happened, explains a clicked reply, and shows the pattern', async () => {
    const context = await pg.browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${pg.mailwire.url}#/lesson/${LESSON}`);
    await atStep(page, 1);

    // Step 1 passed at once, but its text is still there to read, with the reply it was about.
    const greeting = page.locator('li.step[data-step="0"]');
    expect(await greeting.getAttribute('data-state')).toBe('done');
    expect(await greeting.getByTestId('step-text').count()).toBe(1);
    expect(await greeting.getByTestId('lesson-happened').textContent()).toMatch(/What just happened:.*220 .*RFC 5321/s);
    expect(await page.getByTestId('lesson-happened').first().textContent()).toMatch(/220/);
    // The step says what to type: the EHLO pattern from the protocol's command list.
    expect(await page.getByTestId('lesson-pattern').textContent()).toContain('EHLO <your-domain-or-[address]>');

    const input = page.getByTestId('lesson-input');
    await input.fill('EHLO client.example');
    await input.press('Enter');
    await atStep(page, 2);
    // The EHLO step (whose text explains the keywords) stays open now that its reply is here;
    // the greeting step closed, and reopens on a click.
    expect(await page.locator('li.step[data-step="1"]').getByTestId('step-text').count()).toBe(1);
    expect(await greeting.getByTestId('step-text').count()).toBe(0);
    const reopen = greeting.getByTestId('step-reopen');
    expect(await reopen.getAttribute('aria-expanded')).toBe('false');
    await reopen.click();
    expect(await reopen.getAttribute('aria-expanded')).toBe('true');
    expect(await greeting.getByTestId('step-text').count()).toBe(1);
    expect(await page.getByTestId('lesson-pattern').textContent()).toContain('MAIL FROM:<sender@example.org>');

    // Click-to-explain: the newest reply (EHLO's 250) is explained; clicking the greeting explains that.
    const annotation = page.getByTestId('annotation');
    expect(await annotation.textContent()).toMatch(/EHLO|extension/i);
    await page.locator('.terminal .entry.server').first().click();
    await expect.poll(() => annotation.textContent()).toMatch(/greeting|ready/i);
    expect(await page.locator('.terminal .entry.server.selected').count()).toBe(1);
    await pg.screenshot(page, 'lessons-teach-explained');
    await context.close();
  }, 60_000);

  it('asks for a prediction before DATA and checks it; the EHLO after STARTTLS is a challenge without "Type it for me"', async () => {
    const context = await pg.browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const runner = page.getByTestId('lesson-runner');
    const at = () =>
      Promise.all([runner.getAttribute('data-step'), runner.getAttribute('data-phase')]).then((v) => v.join(':'));
    await page.goto(`${pg.mailwire.url}#/lesson/${LESSON}/5`);
    await expect.poll(at, { timeout: 20_000 }).toBe('4:ready');
    const predict = page.getByTestId('lesson-predict');
    expect(await predict.locator('label').allInnerTexts()).toEqual(['2xx', '3xx', '4xx', '5xx']);
    await predict.locator('label', { hasText: '3xx' }).click();
    await page.getByTestId('lesson-input').fill('DATA');
    await page.getByTestId('lesson-input').press('Enter');
    await expect.poll(at, { timeout: 15_000 }).toBe('5:ready');
    expect(await page.locator('li.step[data-step="4"]').getByTestId('lesson-guess-result').textContent()).toBe(
      'You predicted 3xx: right.',
    );
    expect(await page.getByTestId('type-it').count()).toBe(1); // the message body is no challenge

    await page.goto(`${pg.mailwire.url}#/lesson/smtp-starttls/4`);
    await expect.poll(at, { timeout: 20_000 }).toBe('3:ready');
    expect(await page.getByTestId('lesson-challenge').textContent()).toMatch(/you sent this command in step 2/);
    expect(await page.getByTestId('type-it').count()).toBe(0);
    // The pattern still says what the command looks like; the learner writes it out.
    expect(await page.getByTestId('lesson-pattern').textContent()).toContain('EHLO <your-domain-or-[address]>');
    await pg.screenshot(page, 'lessons-teach-challenge');
    await context.close();
  }, 90_000);
});
