// POP3 caps and idle timeouts: over a cap the server answers -ERR [SYS/TEMP] (RFC 3206 section 4:
// a temporary problem, try later) and closes; before login the idle timeout is the short one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapSessionWorks, LineClient, startLimitedPractice, type Practice } from './practice-harness.ts';

let p: Practice;
beforeAll(async () => {
  p = await startLimitedPractice({
    maxConnectionsPerAddress: 3,
    maxConnectionsPerPort: 6,
    preAuthIdleTimeoutMs: 300,
    idleTimeoutMs: 5000,
  });
});
afterAll(() => p.close());

describe('POP3 caps', () => {
  it('the fourth connection from one address gets -ERR [SYS/TEMP] and is closed; another address is served', async () => {
    const held = await Promise.all([1, 2, 3].map(() => LineClient.connect(p, p.port('pop3'), { as: '198.51.100.7' })));
    for (const c of held) expect(await c.line()).toMatch(/^\+OK/);
    const over = await LineClient.connect(p, p.port('pop3s'), { as: '198.51.100.7', tls: true }); // all ports count
    expect(await over.waitClosed(3000)).toBe(true);
    const plainOver = await LineClient.connect(p, p.port('pop3'), { as: '198.51.100.7' });
    expect(await plainOver.line()).toBe(
      '-ERR [SYS/TEMP] Too many connections from your address (the limit is 3): close some sessions, then connect again.',
    );
    expect(await plainOver.waitClosed(3000)).toBe(true);
    const other = await LineClient.connect(p, p.port('pop3'), { as: '198.51.100.8' });
    expect(await other.line()).toMatch(/^\+OK/);
    other.send('USER alice\r\nPASS practice\r\n');
    expect(await other.line()).toMatch(/^\+OK/);
    expect(await other.line()).toMatch(/^\+OK Logged in/);
    for (const c of [...held, other]) c.close();
    expect(await imapSessionWorks(p)).toBeLessThan(2000);
  });

  it('the cap per port refuses whatever the address', async () => {
    const held = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i) => LineClient.connect(p, p.port('pop3'), { as: `203.0.113.${i}` })),
    );
    for (const c of held) expect(await c.line()).toMatch(/^\+OK/);
    const over = await LineClient.connect(p, p.port('pop3'), { as: '203.0.113.99' });
    expect(await over.line()).toBe(
      '-ERR [SYS/TEMP] This port has too many connections open (the limit is 6): try again in a minute.',
    );
    for (const c of held) c.close();
    await new Promise((r) => setTimeout(r, 200)); // the server frees the places when it sees the closes
  });
});

describe('POP3 idle timeouts', () => {
  it('closes a silent connection before login after the short timeout, a logged-in one later', async () => {
    const stranger = await LineClient.connect(p, p.port('pop3'), { as: '192.0.2.50' });
    const user = await LineClient.connect(p, p.port('pop3'), { as: '192.0.2.51' });
    await stranger.line();
    await user.line();
    user.send('USER bob\r\nPASS practice\r\n');
    await user.line();
    expect(await user.line()).toMatch(/^\+OK Logged in/);
    expect(await stranger.line(2000)).toBe('-ERR Disconnected for inactivity.');
    expect(await stranger.waitClosed(2000)).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    user.send('STAT\r\n');
    expect(await user.line()).toMatch(/^\+OK \d+ \d+/);
    user.close();
  });

  it('a TCP connection to POP3S that never starts TLS is dropped after the pre-login timeout', async () => {
    const silent = await LineClient.connect(p, p.port('pop3s'), { as: '192.0.2.52' });
    expect(await silent.waitClosed(2000)).toBe(true);
  });
});
