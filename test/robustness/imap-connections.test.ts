// IMAP connection caps and idle timeouts. A flood of idle connections from one address is cut at
// the per-address cap with `* BYE` (RFC 9051 section 7.1.5) while other clients and other ports
// keep being served; the per-port cap refuses the same way; before login the idle timeout is short.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapSessionWorks, LineClient, startLimitedPractice, type Practice } from './practice-harness.ts';

describe('IMAP caps per client address', () => {
  let p: Practice;
  beforeAll(async () => {
    p = await startLimitedPractice({ maxConnectionsPerAddress: 50, maxConnectionsPerPort: 5000 });
  });
  afterAll(() => p.close());

  it('500 idle connections from one address: 50 are served, 450 get BYE; others and other ports still work', async () => {
    const flood = await Promise.all(Array.from({ length: 500 }, () => LineClient.connect(p, p.port('imap'))));
    const first = await Promise.all(flood.map((c) => c.line(10_000)));
    const served = first.filter((l) => l.startsWith('* OK'));
    const refused = first.filter((l) => l.startsWith('* BYE'));
    expect(served.length).toBe(50);
    expect(refused.length).toBe(450);
    expect(refused[0]).toBe(
      '* BYE [UNAVAILABLE] Too many connections from your address (the limit is 50): close some sessions, then connect again.',
    );
    const stillOpen = await Promise.all(flood.map((c) => c.waitClosed(3000)));
    expect(stillOpen.filter((closed) => closed).length).toBe(450); // refused ones are closed, not left hanging
    // Another client (another browser behind the bridge) is served at once, on this port and others.
    expect(await imapSessionWorks(p)).toBeLessThan(2000);
    const plain = await LineClient.connect(p, p.port('imap'), { as: '192.0.2.9' });
    expect(await plain.line()).toMatch(/^\* OK/);
    plain.close();
    const pop = await LineClient.connect(p, p.port('pop3'), { as: '192.0.2.9' });
    expect(await pop.line()).toMatch(/^\+OK/);
    pop.close();
    const smtp = await LineClient.connect(p, p.port('smtp'), { as: '192.0.2.9' });
    expect(await smtp.line()).toMatch(/^220 /);
    smtp.close();
    // The places come back when the flood goes.
    for (const c of flood) c.close();
    await new Promise((r) => setTimeout(r, 200));
    const again = await LineClient.connect(p, p.port('imap'));
    expect(await again.line()).toMatch(/^\* OK/);
    again.close();
  });
});

describe('IMAP cap per port', () => {
  let p: Practice;
  beforeAll(async () => {
    p = await startLimitedPractice({ maxConnectionsPerPort: 3 });
  });
  afterAll(() => p.close());

  it('the fourth connection on a full port gets BYE, whatever its address; the other ports serve', async () => {
    const held = await Promise.all(
      [1, 2, 3].map((i) => LineClient.connect(p, p.port('imap'), { as: `198.51.100.${i}` })),
    );
    for (const c of held) expect(await c.line()).toMatch(/^\* OK/);
    const fourth = await LineClient.connect(p, p.port('imap'), { as: '198.51.100.4' });
    expect(await fourth.line()).toBe(
      '* BYE [UNAVAILABLE] This port has too many connections open (the limit is 3): try again in a minute.',
    );
    expect(await fourth.waitClosed(3000)).toBe(true);
    expect(await imapSessionWorks(p)).toBeLessThan(2000); // IMAPS is another port
    held[0].close();
    await new Promise((r) => setTimeout(r, 100));
    const next = await LineClient.connect(p, p.port('imap'), { as: '198.51.100.5' });
    expect(await next.line()).toMatch(/^\* OK/);
    for (const c of [...held, next]) c.close();
  });

  it('IMAPS counts connections that never finish the TLS handshake, and cuts the one over the cap', async () => {
    const raw = await Promise.all([1, 2, 3].map(() => LineClient.connect(p, p.port('imaps'))));
    await new Promise((r) => setTimeout(r, 150));
    const over = await LineClient.connect(p, p.port('imaps'));
    expect(await over.waitClosed(3000)).toBe(true);
    for (const c of raw) c.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(await imapSessionWorks(p)).toBeLessThan(2000);
  });
});

describe('IMAP idle timeouts', () => {
  let p: Practice;
  beforeAll(async () => {
    p = await startLimitedPractice({ preAuthIdleTimeoutMs: 300, idleTimeoutMs: 5000 });
  });
  afterAll(() => p.close());

  it('closes a silent connection sooner before login than after it', async () => {
    const stranger = await LineClient.connect(p, p.port('imap'), { as: '203.0.113.1' });
    const user = await LineClient.connect(p, p.port('imap'), { as: '203.0.113.2' });
    await stranger.line();
    await user.line();
    user.send('a LOGIN alice practice\r\n');
    await user.until(/^a /); // LOGINDISABLED on the plain port before TLS: NO, still not logged in
    const imaps = await LineClient.connect(p, p.port('imaps'), { as: '203.0.113.3', tls: true });
    await imaps.line();
    imaps.send('a LOGIN alice practice\r\n');
    await imaps.until(/^a OK/);
    expect(await stranger.line(2000)).toBe('* BYE Idle for too long before logging in; closing the connection.');
    expect(await stranger.waitClosed(2000)).toBe(true);
    expect(await user.waitClosed(2000)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    imaps.send('b NOOP\r\n');
    expect((await imaps.until(/^b /)).at(-1)).toMatch(/^b OK/); // logged in: the longer timeout
    imaps.close();
  });

  it('a TCP connection to IMAPS that never starts TLS is dropped after the pre-login timeout', async () => {
    const silent = await LineClient.connect(p, p.port('imaps'), { as: '203.0.113.4' });
    expect(await silent.waitClosed(2000)).toBe(true);
  });
});
