// The practice SMTP port's own listener and socket wrapper (bridge/practice/smtp/listener.ts,
// wrapped-socket.ts): STARTTLS continues the session under our TLS as RFC 3207 section 4.2 asks,
// a client holds one place under the caps across it, the scenarios count commands and not the
// lines of a message, and a closing server says 421.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSmtp, sampleMessage, startTestPractice, type TestPractice } from './helpers.ts';

let t: TestPractice;
const events: Array<{ event: string; fields?: Record<string, unknown> }> = [];
beforeAll(async () => {
  t = await startTestPractice(
    { limits: { maxLineLength: 8192, maxMessageSize: 64 * 1024, idleTimeoutMs: 60_000 } },
    (event, fields) => events.push({ event, fields }),
  );
});
afterAll(() => t.stop());

async function session(target: 'smtp' | 'submission' | 'smtps' = 'submission', p = t): Promise<RawSmtp> {
  const c = await RawSmtp.connect(p.port(target), target === 'smtps');
  expect(await c.reply()).toMatch(/^220 mail\.practice\.test /);
  return c;
}

describe('STARTTLS (RFC 3207 section 4.2)', () => {
  it('drops what the client pipelined in clear behind STARTTLS, and no second greeting comes under TLS', async () => {
    const c = await session();
    await c.cmd('EHLO client.example');
    expect(await c.starttls('MAIL FROM:<alice@practice.test>')).toMatch(/^220 /);
    // The first reply under TLS answers this EHLO: not a greeting, not the injected MAIL FROM.
    expect(await c.cmd('EHLO client.example')).toMatch(/^250-mail\.practice\.test Hello/);
    expect(await c.cmd('MAIL FROM:<alice@practice.test>')).toMatch(/^530 5\.7\.0 Authentication required/);
    c.destroy();
  });

  it('forgets the EHLO given in clear; AUTH and a message work under TLS; a second STARTTLS is refused', async () => {
    const c = await session();
    await c.cmd('EHLO client.example');
    await c.starttls();
    expect(await c.cmd('MAIL FROM:<alice@practice.test>')).toMatch(/^503 /);
    expect(await c.cmd('EHLO client.example')).toMatch(/^250[- ]AUTH PLAIN LOGIN\r$/m);
    expect(await c.cmd('STARTTLS')).toMatch(/^503 /);
    expect(await c.login('alice', 'practice')).toMatch(/^235 /);
    expect(await c.cmd('MAIL FROM:<alice@practice.test>')).toMatch(/^250 /);
    expect(await c.cmd('RCPT TO:<bob@practice.test>')).toMatch(/^250 /);
    expect(await c.cmd('DATA')).toMatch(/^354 /);
    c.write(sampleMessage('bob@practice.test', 'across starttls'));
    expect(await c.cmd('.')).toMatch(/^250 2\.6\.0 /);
    c.destroy();
    expect(events.filter((e) => e.event === 'smtp.error')).toEqual([]);
  });

  it('replies with our own enhanced code once, not after the library one, in clear and under TLS', async () => {
    const c = await session('smtp');
    await c.cmd('EHLO client.example');
    expect(await c.cmd('MAIL FROM:<alice@practice.test>')).toMatch(/^250 2\.1\.0 /);
    expect(await c.cmd('RCPT TO:<nobody@practice.test>')).toMatch(/^550 5\.1\.1 <nobody@practice\.test>: No such user/);
    await c.starttls();
    await c.cmd('EHLO client.example');
    await c.cmd('MAIL FROM:<alice@practice.test>');
    expect(await c.cmd('RCPT TO:<nobody@practice.test>')).toMatch(/^550 5\.1\.1 <nobody@practice\.test>: No such user/);
    c.destroy();
  });
});

describe('scenarios count commands, not the lines of a message', () => {
  const message = sampleMessage(
    'bob@practice.test',
    'many lines',
    Array.from({ length: 60 }, (_, i) => `line ${i}`).join('\r\n'),
  );

  async function transaction(c: RawSmtp): Promise<void> {
    expect(await c.cmd('MAIL FROM:<alice@practice.test>')).toMatch(/^250 /);
    expect(await c.cmd('RCPT TO:<bob@practice.test>')).toMatch(/^250 /);
    expect(await c.cmd('DATA')).toMatch(/^354 /);
    c.write(message);
  }

  it('slowRepliesMs delays each command once, and a 60-line message not line by line', async () => {
    const c = await RawSmtp.connect(t.port('smtp'));
    t.server.scenarios.register(c.localPort, { slowRepliesMs: 300 });
    await c.reply();
    await c.cmd('EHLO client.example');
    await transaction(c);
    const start = Date.now();
    expect(await c.cmd('.')).toMatch(/^250 2\.6\.0 /);
    // The final dot's reply waits once (300 ms); 60 delayed lines would take 18 s.
    expect(Date.now() - start).toBeGreaterThanOrEqual(280);
    expect(Date.now() - start).toBeLessThan(6000);
    c.write('NOOP\r\nNOOP\r\n');
    const pipelined = Date.now();
    expect(await c.reply()).toMatch(/^250 /);
    expect(await c.reply()).toMatch(/^250 /);
    expect(Date.now() - pipelined).toBeGreaterThanOrEqual(580);
    c.destroy();
  });

  it('dropAfterCommands: the lines of a message are not commands', async () => {
    const c = await RawSmtp.connect(t.port('smtp'));
    t.server.scenarios.register(c.localPort, { dropAfterCommands: 6 });
    await c.reply();
    await c.cmd('EHLO client.example'); // 1
    await transaction(c); // 2, 3, 4
    expect(await c.cmd('.')).toMatch(/^250 2\.6\.0 /);
    expect(await c.cmd('NOOP')).toMatch(/^250 /); // 5
    expect(await c.cmd('NOOP')).toBe(''); // 6: dropped
    expect(c.closed).toBe(true);
  });
});

describe('caps across STARTTLS', () => {
  let p: TestPractice;
  beforeAll(async () => {
    p = await startTestPractice({
      limits: { maxLineLength: 8192, maxMessageSize: 2048, idleTimeoutMs: 60_000, maxConnectionsPerAddress: 2 },
    });
  });
  afterAll(() => p.stop());

  /** A new connection's first reply, once the server has had time to give places back. */
  async function greetingOfNext(): Promise<string> {
    const c = await RawSmtp.connect(p.port('submission'));
    const r = await c.reply();
    c.destroy();
    return r;
  }

  it('a client holds one place before and after STARTTLS; a failed handshake gives its place back', async () => {
    const a = await session('submission', p);
    const b = await session('submission', p);
    await a.starttls();
    await b.starttls();
    expect(await a.cmd('EHLO client.example')).toMatch(/^250-/);
    expect(await b.cmd('EHLO client.example')).toMatch(/^250-/);
    expect(await greetingOfNext()).toMatch(/^421 4\.7\.0 Too many connections from your address/);
    a.destroy();
    await expect.poll(greetingOfNext, { timeout: 5000 }).toMatch(/^220 /);
    // STARTTLS answered, then no TLS: the handshake fails and the place is free again.
    const c = await session('submission', p);
    expect(await c.cmd('STARTTLS')).toMatch(/^220 /);
    c.write('this is not a TLS ClientHello\r\n');
    expect(await c.reply()).toBe('');
    await expect.poll(greetingOfNext, { timeout: 5000 }).toMatch(/^220 /);
    b.destroy();
  });

  it('a closing server tells an open session 421 and closes it', async () => {
    const c = await session('smtp', p);
    await c.cmd('EHLO client.example');
    const stopping = p.server.close();
    expect(await c.reply(10_000)).toMatch(/^421 4\.4\.2 Server shutting down/);
    expect(await c.reply()).toBe('');
    await stopping;
  });
});
