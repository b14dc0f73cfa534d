// The DNS panel in Chromium against a real mailwire: the question goes to the practice DNS server
// over TCP through the relay, and the real answer comes back annotated. Layout and axe at every
// size and theme are in screens.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startPlayground, type Playground } from './harness.ts';

describe.skipIf(!hasChromium)('DNS panel (needs /usr/bin/chromium)', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 60_000);
  afterAll(async () => pg?.close());

  it('MX faraway.test: both MX hosts with preference, target and TTL, from the server', async () => {
    const page = await pg.newPage();
    await page.goto(`${pg.mailwire.url}#/dns`);
    await page.getByLabel('Question (type and name)').fill('MX faraway.test');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const answer = page.locator('.answer[data-rcode="NOERROR"]');
    await answer.waitFor();
    await expect
      .poll(() => answer.locator('.headline').textContent())
      .toBe('Mail for faraway.test goes to mx1.faraway.test (preference 10), then mx2.faraway.test (preference 20).');
    const lines = await answer.locator('.record .line').allTextContents();
    expect(lines).toEqual([
      'faraway.test. 300 IN MX 10 mx1.faraway.test.',
      'faraway.test. 300 IN MX 20 mx2.faraway.test.',
    ]);
    const first = answer.locator('.record').first();
    expect(await first.locator('tr', { hasText: 'preference' }).textContent()).toContain('RFC 5321 section 5.1');
    expect(await first.locator('tr', { hasText: 'TTL' }).textContent()).toContain('300 s');
    expect(await answer.locator('.meta').textContent()).toMatch(/octet answer from practice\/dns over TCP/);
    await page.close();
  });

  it('a name that does not exist: NXDOMAIN explained with RFC 1035 and RFC 2308', async () => {
    const page = await pg.newPage();
    await page.goto(`${pg.mailwire.url}#/dns`);
    await page.getByRole('button', { name: 'MX nowhere.test' }).click();
    // nowhere.test is outside the practice zones: the server refuses; a missing name inside one is NXDOMAIN.
    await page.locator('.answer[data-rcode="REFUSED"]').waitFor();
    await page.getByLabel('Question (type and name)').fill('MX nobody.faraway.test');
    await page.getByLabel('Question (type and name)').press('Enter');
    const answer = page.locator('.answer[data-rcode="NXDOMAIN"]');
    await answer.waitFor();
    const rcode = (await answer.locator('.rcode').textContent()) ?? '';
    expect(rcode).toContain('RFC 1035 section 4.1.1');
    expect(rcode).toContain('RFC 2308');
    expect(rcode).toContain('remember this for 60 seconds');
    expect(await answer.locator('.mail').textContent()).toContain('5.1.2');
    await page.close();
  });

  it('a question that is not one says what to type', async () => {
    const page = await pg.newPage();
    await page.goto(`${pg.mailwire.url}#/dns`);
    await page.getByLabel('Question (type and name)').fill('HINFO faraway.test');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('A, AAAA, MX');
    await page.close();
  });
  // Layout and axe at every size and theme: test/e2e/screens.test.ts (the same MX answer).
});
