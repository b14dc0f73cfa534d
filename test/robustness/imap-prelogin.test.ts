// IMAP input budgets: before login a literal is capped low, as Dovecot's imap-login does (8192
// octets per command, literals included; a bigger one gets BYE); after login literals are held
// within the memory budget the whole practice server shares (RFC 5530 [LIMIT] when it is spent).
// After each refusal a well-formed session from another client still works within 2 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapSessionWorks, LineClient, startLimitedPractice, type Practice } from './practice-harness.ts';

let p: Practice;
beforeAll(async () => {
  p = await startLimitedPractice({ memoryBudget: 1024 * 1024, authFailureDelayMs: 0 });
});
afterAll(() => p.close());

async function imap(as: string): Promise<LineClient> {
  const c = await LineClient.connect(p, p.port('imaps'), { as, tls: true });
  expect(await c.line()).toMatch(/^\* OK/);
  return c;
}

describe('IMAP before login', () => {
  it('an unfinished 24 MB LITERAL+ is refused at once and the connection closed', async () => {
    const c = await imap('192.0.2.1');
    c.send('a LOGIN {25165824+}\r\n');
    c.send(Buffer.alloc(64 * 1024, 0x61)); // the start of it; the rest never comes
    const lines = await c.until(/^\* BYE/);
    expect(lines[0]).toMatch(
      /^a NO \[TOOBIG\] Literal of 25165824 octets is over the limit of 8192 octets\. Before login/,
    );
    expect(await c.waitClosed(2000)).toBe(true);
    expect(await imapSessionWorks(p)).toBeLessThan(2000);
  });

  it('a synchronising literal over 8192 octets is refused before the client sends it; the session goes on', async () => {
    const c = await imap('192.0.2.2');
    c.send('a LOGIN {9000}\r\n');
    expect(await c.line()).toMatch(/^a NO \[TOOBIG\] .*8192 octets/);
    c.send('b LOGIN {5}\r\n');
    expect(await c.line()).toMatch(/^\+ /);
    c.send('alice {8}\r\n');
    expect(await c.line()).toMatch(/^\+ /);
    c.send('practice\r\n');
    expect((await c.until(/^b /)).at(-1)).toMatch(/^b OK/);
    c.close();
  });

  it('after login the larger limit applies: a 20 000-octet APPEND is stored', async () => {
    const c = await imap('192.0.2.3');
    c.send('a LOGIN alice practice\r\n');
    await c.until(/^a OK/);
    const body = `Subject: big\r\n\r\n${'x'.repeat(20_000)}\r\n`;
    c.send(`b APPEND INBOX {${body.length}}\r\n`);
    expect(await c.line()).toMatch(/^\+ /);
    c.send(`${body}\r\n`);
    expect((await c.until(/^b /)).at(-1)).toMatch(/^b OK/);
    c.close();
  });
});

describe('IMAP memory budget of the practice server', () => {
  it('literals of all connections together stay within the budget: [LIMIT] when spent, room again after', async () => {
    const [a, b] = [await imap('192.0.2.4'), await imap('192.0.2.5')];
    for (const c of [a, b]) {
      c.send('x LOGIN alice practice\r\n');
      await c.until(/^x OK/);
    }
    const size = 700 * 1024; // two of them are over the 1 MiB budget
    a.send(`a APPEND INBOX {${size}}\r\n`);
    expect(await a.line()).toMatch(/^\+ /);
    b.send(`b APPEND INBOX {${size}}\r\n`);
    expect(await b.line()).toMatch(/^b NO \[LIMIT\] The server is holding too much incoming mail in memory/);
    // A LITERAL+ over the budget cannot be refused before it arrives (RFC 7888 section 4): NO, BYE, close.
    b.send(`c APPEND INBOX {${size}+}\r\n`);
    expect((await b.until(/^\* BYE/))[0]).toMatch(/^c NO \[LIMIT\]/);
    expect(await b.waitClosed(2000)).toBe(true);
    a.send(Buffer.alloc(size, 0x61));
    a.send('\r\n');
    expect((await a.until(/^a /)).at(-1)).toMatch(/^a OK/);
    // The first one's reservation was given back: the same size fits again.
    a.send(`d APPEND INBOX {${size}}\r\n`);
    expect(await a.line()).toMatch(/^\+ /);
    a.close();
    expect(await imapSessionWorks(p)).toBeLessThan(2000);
  });
});
