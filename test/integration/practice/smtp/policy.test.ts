// The SMTP server's rules, driven over real sockets with exact reply lines: EHLO keywords, AUTH only
// after TLS, relay refusal, unknown users, size limit, cut-off DATA, and the teaching scenarios.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSmtp, findBySubject, sampleMessage, startTestPractice, type TestPractice } from './helpers.ts';

let t: TestPractice;
beforeAll(async () => {
  t = await startTestPractice({ limits: { maxLineLength: 8192, maxMessageSize: 2048, idleTimeoutMs: 60_000 } });
});
afterAll(async () => {
  await t.stop();
});

async function session(target: 'smtp' | 'submission' | 'smtps' = 'smtp'): Promise<RawSmtp> {
  const c = await RawSmtp.connect(t.port(target), target === 'smtps');
  expect(await c.reply()).toMatch(/^220 mail\.practice\.test /);
  return c;
}

describe('EHLO and AUTH offering', () => {
  it('relay port: the RFC keywords, STARTTLS, no AUTH', async () => {
    const c = await session('smtp');
    const ehlo = await c.cmd('EHLO client.example');
    for (const k of ['PIPELINING', '8BITMIME', 'SMTPUTF8', 'ENHANCEDSTATUSCODES', 'STARTTLS', 'SIZE 2048']) {
      expect(ehlo).toMatch(new RegExp(`^250[- ]${k}\r$`, 'm'));
    }
    expect(ehlo).not.toMatch(/AUTH/);
    expect(await c.cmd('AUTH PLAIN AGFsaWNlAHByYWN0aWNl')).toMatch(/^5\d\d /);
    c.destroy();
  });

  it('submission: AUTH hidden and refused with 530 5.7.0 before STARTTLS, offered after', async () => {
    const c = await session('submission');
    const before = await c.cmd('EHLO client.example');
    expect(before).toContain('STARTTLS');
    expect(before).not.toMatch(/AUTH/);
    expect(await c.cmd('AUTH PLAIN AGFsaWNlAHByYWN0aWNl')).toMatch(/^530 5\.7\.0 Must issue a STARTTLS command first/);
    expect(await c.cmd('MAIL FROM:<alice@practice.test>')).toMatch(/^530 5\.7\.0 Authentication required/);
    expect(await c.starttls()).toMatch(/^220 /);
    const after = await c.cmd('EHLO client.example');
    expect(after).toMatch(/^250-AUTH PLAIN LOGIN\r$/m);
    expect(after).not.toContain('STARTTLS');
    expect(await c.login('alice', 'wrong')).toMatch(/^535 5\.7\.8 /);
    expect(await c.login('alice@practice.test', 'practice')).toMatch(/^235 2\.7\.0/);
    c.destroy();
  });

  it('smtps: TLS from the first byte, AUTH offered, no STARTTLS', async () => {
    const c = await session('smtps');
    const ehlo = await c.cmd('EHLO client.example');
    expect(ehlo).toContain('AUTH PLAIN LOGIN');
    expect(ehlo).not.toContain('STARTTLS');
    expect(await c.login('bob', 'practice')).toMatch(/^235 /);
    c.destroy();
  });
});

describe('bad input', () => {
  it('answers an unknown command with 500 5.5.2 and a hint, and keeps the session', async () => {
    const c = await session();
    expect(await c.cmd('HELLO there')).toMatch(/^500 5\.5\.2 Command not recognized\. Try EHLO/);
    expect(await c.cmd('WIZ secret')).toMatch(/^500 5\.5\.2 /); // no sendmail jokes
    expect(await c.cmd('EHLO client.example')).toMatch(/^250-/);
    c.destroy();
  });

  it('closes on a line over the limit with 421 naming the limit; the server keeps serving', async () => {
    const c = await session();
    expect(await c.cmd(`NOOP ${'x'.repeat(9000)}`)).toMatch(
      /^421 4\.5\.0 Command line too long: .* at most 8192 octets/,
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(c.closed).toBe(true);
    const d = await session();
    expect(await d.cmd('NOOP')).toMatch(/^250 /);
    d.destroy();
  });
});

describe('recipients', () => {
  it('refuses other domains as relaying, with a sentence naming the local domain', async () => {
    const c = await session();
    await c.cmd('EHLO client.example');
    expect(await c.cmd('MAIL FROM:<alice@practice.test>')).toMatch(/^250 2\.1\.0/);
    const r = await c.cmd('RCPT TO:<someone@example.com>');
    expect(r).toMatch(
      /^554 5\.7\.1 <someone@example\.com>: Relay access denied\. This practice server only delivers to addresses @practice\.test/,
    );
    c.destroy();
  });

  it('refuses an unknown local user with 550 5.1.1 and accepts a known one', async () => {
    const c = await session();
    await c.cmd('EHLO client.example');
    await c.cmd('MAIL FROM:<alice@practice.test>');
    expect(await c.cmd('RCPT TO:<nobody@practice.test>')).toMatch(/^550 5\.1\.1 <nobody@practice\.test>: No such user/);
    expect(await c.cmd('RCPT TO:<BOB@Practice.Test>')).toMatch(/^250 2\.1\.5/);
    c.destroy();
  });
});

describe('postmaster (RFC 5321 4.5.1)', () => {
  it('accepts postmaster with and without the domain and delivers it to the first account', async () => {
    const c = await session();
    await c.cmd('EHLO client.example');
    await c.cmd('MAIL FROM:<bob@practice.test>');
    expect(await c.cmd('RCPT TO:<Postmaster@practice.test>')).toMatch(/^250 /);
    expect(await c.cmd('RCPT TO:<postmaster>')).toMatch(/^250 /);
    await c.cmd('DATA');
    expect(await c.cmd(`${sampleMessage('postmaster@practice.test', 'to-postmaster')}.`)).toMatch(/^250 /);
    expect(await findBySubject(t, 'alice', 'to-postmaster')).toHaveLength(1);
    c.destroy();
  });
});

describe('DATA', () => {
  it('stores the exact bytes (CRLF, dot-unstuffed) in every recipient INBOX', async () => {
    const c = await session();
    await c.cmd('EHLO client.example');
    await c.cmd('MAIL FROM:<alice@practice.test>');
    await c.cmd('RCPT TO:<bob@practice.test>');
    await c.cmd('RCPT TO:<alice@practice.test>');
    expect(await c.cmd('DATA')).toMatch(/^354 /);
    const body = 'line one\r\n.a line that starts with a dot\r\nünïcode\r\n';
    const msg = sampleMessage('bob@practice.test', 'exact-bytes', body);
    const r = await c.cmd(`${msg.replace(/^\./gm, '..')}.`);
    expect(r).toMatch(/^250 2\.6\.0 .*2 recipients/);
    for (const user of ['bob', 'alice']) {
      const [raw] = await findBySubject(t, user, 'exact-bytes');
      // The server prepends its trace fields (RFC 5321 section 4.4; no "for" with two recipients); the rest is exact.
      const stored = raw.toString('utf8');
      expect(stored.endsWith(msg)).toBe(true);
      expect(stored).toContain(`\r\nDelivered-To: ${user}@practice.test\r\n`); // each copy its own (RFC 9228)
      expect(stored.slice(0, stored.length - msg.length)).toMatch(
        /^Return-Path: <alice@practice\.test>\r\nDelivered-To: [^\r\n]+@practice\.test\r\nReceived: from client\.example \(\[127\.0\.0\.1\]\)\r\n\tby mail\.practice\.test\r\n\twith ESMTP\r\n\tid \S+;\r\n\t[^\r\n]+\r\n$/,
      );
    }
    c.destroy();
  });

  it('refuses a message over the size limit with 552 5.3.4 and stores nothing', async () => {
    const c = await session();
    await c.cmd('EHLO client.example');
    expect(await c.cmd('MAIL FROM:<alice@practice.test> SIZE=999999')).toMatch(
      /^552 5\.3\.4 Message too big: this server accepts at most 2048 octets/,
    );
    await c.cmd('MAIL FROM:<alice@practice.test>');
    await c.cmd('RCPT TO:<bob@practice.test>');
    await c.cmd('DATA');
    const r = await c.cmd(
      `${sampleMessage('bob@practice.test', 'too-big', 'x'.repeat(70).concat('\r\n').repeat(60))}.`,
    );
    expect(r).toMatch(/^552 5\.3\.4 /);
    expect(await findBySubject(t, 'bob', 'too-big')).toHaveLength(0);
    expect(await c.cmd('NOOP')).toMatch(/^250 /);
    c.destroy();
  });

  it('never stores a message whose DATA was cut off', async () => {
    const before = t.inbox('bob')!.messages().length;
    const c = await session();
    await c.cmd('EHLO client.example');
    await c.cmd('MAIL FROM:<alice@practice.test>');
    await c.cmd('RCPT TO:<bob@practice.test>');
    await c.cmd('DATA');
    c.write(sampleMessage('bob@practice.test', 'cut-off').slice(0, 120));
    await new Promise((r) => setTimeout(r, 100));
    c.destroy();
    await new Promise((r) => setTimeout(r, 300));
    expect(await findBySubject(t, 'bob', 'cut-off')).toHaveLength(0);
    expect(t.inbox('bob')!.messages().length).toBe(before);
    // and nothing half-written is left in tmp/ or cur/ either
    const after = await session();
    expect(await after.cmd('NOOP')).toMatch(/^250 /);
    after.destroy();
  });
});

describe('scenarios (per connection, by client port)', () => {
  async function withScenario(scenarios: Parameters<TestPractice['server']['scenarios']['register']>[1]) {
    const c = await RawSmtp.connect(t.port('smtp'));
    t.server.scenarios.register(c.localPort, scenarios);
    await c.reply();
    await c.cmd('EHLO client.example');
    return c;
  }

  const GREYLIST_DELAY_MS = 400;
  it('greylist: a new triplet gets 451 4.7.1, an early retry 451 again, a retry after the delay 250', async () => {
    const c = await withScenario({ greylist: true, greylistDelayMs: GREYLIST_DELAY_MS });
    await c.cmd('MAIL FROM:<grey@practice.test>');
    expect(await c.cmd('RCPT TO:<bob@practice.test>')).toMatch(/^451 4\.7\.1 Greylisted: .*try again in \d+ seconds/);
    // RFC 6647: the minimum delay holds; a retry at once is refused again.
    expect(await c.cmd('RCPT TO:<bob@practice.test>')).toMatch(/^451 4\.7\.1 Greylisted: too soon/);
    await new Promise((r) => setTimeout(r, GREYLIST_DELAY_MS + 100));
    expect(await c.cmd('RCPT TO:<bob@practice.test>')).toMatch(/^250 2\.1\.5/);
    // Passed once: the same triplet goes through at once in a new transaction.
    expect(await c.cmd('RSET')).toMatch(/^250/);
    await c.cmd('MAIL FROM:<grey@practice.test>');
    expect(await c.cmd('RCPT TO:<bob@practice.test>')).toMatch(/^250 2\.1\.5/);
    // a different triplet is greylisted afresh
    await c.cmd('RSET');
    await c.cmd('MAIL FROM:<other@practice.test>');
    expect(await c.cmd('RCPT TO:<bob@practice.test>')).toMatch(/^451 4\.7\.1/);
    t.server.scenarios.unregister(c.localPort);
    c.destroy();
  });

  it('mailboxFull: 452 4.2.2 at RCPT, as Gmail answers a full inbox (a persistent transient failure)', async () => {
    const c = await withScenario({ mailboxFull: true });
    await c.cmd('MAIL FROM:<alice@practice.test>');
    expect(await c.cmd('RCPT TO:<bob@practice.test>')).toMatch(/^452 4\.2\.2 .*Mailbox full/);
    c.destroy();
  });

  it('requireTlsForAuth: AUTH on plain submission gets 530 5.7.0', async () => {
    const c = await RawSmtp.connect(t.port('submission'));
    t.server.scenarios.register(c.localPort, { requireTlsForAuth: true });
    await c.reply();
    await c.cmd('EHLO client.example');
    expect(await c.cmd('AUTH LOGIN')).toMatch(/^530 5\.7\.0 /);
    c.destroy();
  });

  it('dropAfterCommands: the Nth command gets no reply, the connection closes', async () => {
    const c = await withScenario({ dropAfterCommands: 3 }); // EHLO was the 1st
    expect(await c.cmd('NOOP')).toMatch(/^250/);
    expect(await c.cmd('NOOP')).toBe('');
    expect(c.closed).toBe(true);
  });

  it('slowRepliesMs: replies arrive no sooner than the delay, an unregistered port is not slowed', async () => {
    const c = await withScenario({ slowRepliesMs: 300 });
    const start = Date.now();
    expect(await c.cmd('NOOP')).toMatch(/^250/);
    expect(Date.now() - start).toBeGreaterThanOrEqual(280);
    c.destroy();
    const d = await session();
    const s2 = Date.now();
    await d.cmd('NOOP');
    expect(Date.now() - s2).toBeLessThan(280);
    d.destroy();
  });
});
