// Login throttling on all three protocols (IMAP LOGIN/AUTHENTICATE, POP3 USER/PASS and AUTH, SMTP
// AUTH): each failure from one address is answered later than the one before, on a timer, with a
// sentence that says why; a correct login from another address meanwhile is answered at once.
// And failure logs name the user only when the account exists: a password typed into the user
// field never reaches the log, here nor on the real stderr of `npm start`.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/peers.ts';
import { LineClient, startLimitedPractice, type Practice } from '../../robustness/practice-harness.ts';

const SECRET = 'Hunter2-is-my-Password';
const b64 = (s: string) => Buffer.from(s).toString('base64');

let p: Practice;
beforeAll(async () => {
  p = await startLimitedPractice({ authFailureDelayMs: 200, authFailureDelayMaxMs: 800 });
});
afterAll(() => p.close());

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = Date.now();
  const out = await fn();
  return [out, Date.now() - t];
}

describe('IMAP login throttling', () => {
  it('wrong LOGINs on one connection wait 200, 400, 800, 800 ms; a correct login elsewhere does not wait', async () => {
    const guesser = await LineClient.connect(p, p.port('imaps'), { as: '192.0.2.101', tls: true });
    await guesser.line();
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [lines, ms] = await timed(async () => {
        guesser.send(`g${i} LOGIN alice wrong${i}\r\n`);
        return guesser.until(new RegExp(`^g${i} `));
      });
      expect(lines.at(-1)).toMatch(
        /^g\d NO \[AUTHENTICATIONFAILED\] Wrong user name or password\b.* This answer waited [\d.]+ s on purpose/,
      );
      waits.push(ms);
    }
    expect(waits[0]).toBeGreaterThanOrEqual(190);
    expect(waits[1]).toBeGreaterThanOrEqual(390);
    expect(waits[2]).toBeGreaterThanOrEqual(790);
    expect(waits[3]).toBeGreaterThanOrEqual(790);
    // While the guesser waits its next 800 ms, alice logs in from her own address, at once.
    guesser.send('g9 LOGIN alice wrong9\r\n');
    const alice = await LineClient.connect(p, p.port('imaps'), { as: '192.0.2.102', tls: true });
    await alice.line();
    const [ok, ms] = await timed(async () => {
      alice.send('a LOGIN alice practice\r\n');
      return alice.until(/^a /);
    });
    expect(ok.at(-1)).toMatch(/^a OK/);
    expect(ms).toBeLessThan(150);
    expect((await guesser.until(/^g9 /)).at(-1)).toMatch(/^g9 NO/);
    guesser.close();
    alice.close();
  });

  it('AUTHENTICATE PLAIN failures are throttled the same way', async () => {
    const c = await LineClient.connect(p, p.port('imaps'), { as: '192.0.2.103', tls: true });
    await c.line();
    const [lines, ms] = await timed(async () => {
      c.send(`x AUTHENTICATE PLAIN ${b64('\0bob\0nope')}\r\n`);
      return c.until(/^x /);
    });
    expect(lines.at(-1)).toMatch(/^x NO \[AUTHENTICATIONFAILED\].*waited 0\.2 s on purpose/);
    expect(ms).toBeGreaterThanOrEqual(190);
    c.close();
  });
});

describe('POP3 login throttling', () => {
  it('PASS and AUTH PLAIN failures wait longer each time; a correct login elsewhere does not', async () => {
    const c = await LineClient.connect(p, p.port('pop3s'), { as: '192.0.2.111', tls: true });
    await c.line();
    const [first, ms1] = await timed(async () => {
      c.send('USER carol\r\nPASS wrong\r\n'); // no such account: only the address counts
      await c.line();
      return c.line();
    });
    expect(first).toMatch(/^-ERR \[AUTH\] Authentication failed.* This answer waited 0\.2 s on purpose/);
    expect(ms1).toBeGreaterThanOrEqual(190);
    const [second, ms2] = await timed(async () => {
      c.send(`AUTH PLAIN ${b64('\0carol\0wrong')}\r\n`);
      return c.line();
    });
    expect(second).toMatch(/^-ERR \[AUTH\].*waited 0\.4 s/);
    expect(ms2).toBeGreaterThanOrEqual(390);
    const other = await LineClient.connect(p, p.port('pop3s'), { as: '192.0.2.112', tls: true });
    await other.line();
    const [ok, ms] = await timed(async () => {
      other.send('USER bob\r\nPASS practice\r\n');
      await other.line();
      return other.line();
    });
    expect(ok).toMatch(/^\+OK Logged in/);
    expect(ms).toBeLessThan(150);
    c.close();
    other.close();
  });
});

describe('SMTP AUTH throttling', () => {
  it('a failed AUTH PLAIN waits, and says why; a correct one from elsewhere does not', async () => {
    const c = await LineClient.connect(p, p.port('smtps'), { as: '192.0.2.121', tls: true });
    await c.line();
    c.send('EHLO me\r\n');
    await c.until(/^250 /);
    const waits: number[] = [];
    for (let i = 0; i < 2; i++) {
      const [reply, ms] = await timed(async () => {
        c.send(`AUTH PLAIN ${b64(`\0alice\0wrong${i}`)}\r\n`);
        return c.line();
      });
      expect(reply).toMatch(/^535 5\.7\.8 Authentication credentials invalid.* This answer waited [\d.]+ s on purpose/);
      waits.push(ms);
    }
    expect(waits[0]).toBeGreaterThanOrEqual(190);
    expect(waits[1]).toBeGreaterThanOrEqual(390);
    const other = await LineClient.connect(p, p.port('smtps'), { as: '192.0.2.122', tls: true });
    await other.line();
    other.send('EHLO me\r\n');
    await other.until(/^250 /);
    const [ok, ms] = await timed(async () => {
      other.send(`AUTH PLAIN ${b64('\0alice\0practice')}\r\n`);
      return other.line();
    });
    expect(ok).toMatch(/^235 /);
    expect(ms).toBeLessThan(150);
    c.close();
    other.close();
  });
});

describe('failure logs', () => {
  it('name an existing account, and "(unknown)" for a name that is none (a password typed as the user)', async () => {
    const imap = await LineClient.connect(p, p.port('imaps'), { as: '192.0.2.131', tls: true });
    await imap.line();
    imap.send(`a LOGIN "${SECRET}" x\r\nb LOGIN bob x\r\n`);
    await imap.until(/^b /);
    const pop = await LineClient.connect(p, p.port('pop3s'), { as: '192.0.2.132', tls: true });
    await pop.line();
    pop.send(`USER ${SECRET}\r\nPASS x\r\n`);
    await pop.line();
    await pop.line();
    const smtp = await LineClient.connect(p, p.port('smtps'), { as: '192.0.2.133', tls: true });
    await smtp.line();
    smtp.send(`EHLO me\r\nAUTH PLAIN ${b64(`\0${SECRET}\0x`)}\r\n`);
    await smtp.until(/^535 /);
    const failures = p.logs.filter((l) => /login.failed|login-failed|"ok":false/.test(l)).map((l) => JSON.parse(l));
    expect(p.logs.join('\n')).not.toContain(SECRET);
    expect(failures).toContainEqual(expect.objectContaining({ event: 'imap.login.failed', user: '(unknown)' }));
    expect(failures).toContainEqual(expect.objectContaining({ event: 'imap.login.failed', user: 'bob' }));
    expect(failures).toContainEqual(expect.objectContaining({ event: 'pop3.login-failed', login: '(unknown)' }));
    expect(failures).toContainEqual(expect.objectContaining({ event: 'smtp.auth', ok: false, user: '(unknown)' }));
    for (const c of [imap, pop, smtp]) c.close();
  });

  it('the real stderr of mailwire never carries a password typed into the user field', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mailwire-stderr-'));
    const imaps = await freePort();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'bridge/main.ts',
        '--port',
        '0',
        '--data-dir',
        dir,
        '--imaps-port',
        String(imaps),
        '--auth-failure-delay',
        '0',
        ...['smtp', 'submission', 'smtps', 'imap', 'pop3', 'pop3s', 'dns'].flatMap((n) => [`--${n}-port`, '0']),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    try {
      const deadline = Date.now() + 20_000;
      while (!stdout.includes(String(imaps)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const c = await LineClient.connect(p, imaps, { tls: true });
      await c.line();
      c.send(`a LOGIN "${SECRET}" x\r\nb LOGIN alice x\r\n`);
      await c.until(/^b /);
      c.close();
      await new Promise((r) => setTimeout(r, 200));
      expect(stderr).toMatch(/"imap\.login\.failed".*"\(unknown\)"/);
      expect(stderr).toMatch(/"imap\.login\.failed".*"alice"/);
      expect(stderr).not.toContain(SECRET);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
