// SMTP caps and idle timeouts: over a cap the server answers 421 4.7.0 (RFC 5321 section 3.8,
// RFC 3463) and closes; before AUTH or MAIL FROM the idle timeout is the short one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapSessionWorks, LineClient, startLimitedPractice, type Practice } from './practice-harness.ts';

let p: Practice;
beforeAll(async () => {
  p = await startLimitedPractice({
    maxConnectionsPerAddress: 3,
    maxConnectionsPerPort: 5,
    preAuthIdleTimeoutMs: 400,
    idleTimeoutMs: 5000,
  });
});
afterAll(() => p.close());

describe('SMTP caps', () => {
  it('the fourth connection from one address gets 421 4.7.0 and is closed; another address is served', async () => {
    const held = await Promise.all([1, 2, 3].map(() => LineClient.connect(p, p.port('smtp'), { as: '198.51.100.20' })));
    for (const c of held) expect(await c.line()).toMatch(/^220 /);
    const over = await LineClient.connect(p, p.port('submission'), { as: '198.51.100.20' });
    expect(await over.line()).toBe(
      '421 4.7.0 Too many connections from your address (the limit is 3): close some sessions, then connect again.',
    );
    expect(await over.waitClosed(3000)).toBe(true);
    const other = await LineClient.connect(p, p.port('smtp'), { as: '198.51.100.21' });
    expect(await other.line()).toMatch(/^220 /);
    other.send('EHLO me\r\n');
    expect((await other.until(/^250 /)).length).toBeGreaterThan(1);
    for (const c of [...held, other]) c.close();
    expect(await imapSessionWorks(p)).toBeLessThan(2000);
  });

  it('the cap per port refuses whatever the address', async () => {
    const held = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => LineClient.connect(p, p.port('smtp'), { as: `203.0.113.${20 + i}` })),
    );
    for (const c of held) expect(await c.line()).toMatch(/^220 /);
    const over = await LineClient.connect(p, p.port('smtp'), { as: '203.0.113.99' });
    expect(await over.line()).toBe(
      '421 4.7.0 This port has too many connections open (the limit is 5): try again in a minute.',
    );
    for (const c of held) c.close();
  });
});

describe('SMTP idle timeouts', () => {
  it('a silent client is cut sooner than one that has started a transaction', async () => {
    const stranger = await LineClient.connect(p, p.port('smtp'), { as: '192.0.2.60' });
    const sender = await LineClient.connect(p, p.port('smtp'), { as: '192.0.2.61' });
    await stranger.line();
    await sender.line();
    sender.send('EHLO me\r\n');
    await sender.until(/^250 /);
    sender.send('MAIL FROM:<a@example.org>\r\n');
    expect(await sender.line()).toMatch(/^250 /);
    expect(await stranger.line(2000)).toBe(
      '421 4.4.2 Idle for too long: closing the connection. Connect again and send the next command sooner.',
    );
    expect(await stranger.waitClosed(2000)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    sender.send('RCPT TO:<alice@practice.test>\r\n');
    expect(await sender.line()).toMatch(/^250 /);
    sender.close();
  });
});
