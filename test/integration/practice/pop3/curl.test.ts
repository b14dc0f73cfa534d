// curl's pop3:// and pop3s:// URLs against the practice POP3 server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { has, HOST, run, startFixture, type Pop3Fixture } from './harness.ts';

describe.skipIf(!has('curl'))('POP3 with curl (needs curl)', () => {
  let fx: Pop3Fixture;
  let stored: Buffer;
  beforeAll(async () => {
    fx = await startFixture();
    const inbox = fx.store.forAccount('alice').mailbox('INBOX')!;
    stored = (await inbox.read(inbox.messages()[0].uid))!;
  }, 30_000);
  afterAll(async () => fx?.close());

  it('pop3://HOST:PORT/1 -u alice:practice retrieves message 1 byte-exact (via SASL PLAIN)', async () => {
    const r = await run('curl', [
      '-sS',
      '-v',
      '--max-time',
      '10',
      `pop3://${HOST}:${fx.plainPort}/1`,
      '-u',
      'alice:practice',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(stored.toString('latin1'));
    expect(r.stderr).toMatch(/> AUTH PLAIN/);
    expect(r.stderr).toMatch(/< \+OK Logged in as alice@practice.test/);
  });

  it('pop3:// without a message number lists the maildrop', async () => {
    const r = await run('curl', ['-sS', '--max-time', '10', `pop3://${HOST}:${fx.plainPort}/`, '-u', 'alice:practice']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`1 ${stored.length}\r\n`);
  });

  it('pop3s:// (implicit TLS, -k) retrieves message 1', async () => {
    const r = await run('curl', [
      '-sS',
      '-k',
      '--max-time',
      '10',
      `pop3s://${HOST}:${fx.tlsPort}/1`,
      '-u',
      'alice:practice',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(stored.toString('latin1'));
  });

  it('--ssl-reqd on the STLS port upgrades before logging in', async () => {
    const r = await run('curl', [
      '-sS',
      '-v',
      '-k',
      '--ssl-reqd',
      '--max-time',
      '10',
      `pop3://${HOST}:${fx.plainPort}/1`,
      '-u',
      'alice:practice',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(stored.toString('latin1'));
    const stderr = r.stderr;
    expect(stderr.indexOf('> STLS')).toBeGreaterThan(-1);
    expect(stderr.indexOf('> STLS')).toBeLessThan(stderr.indexOf('> AUTH PLAIN'));
  });

  it('a wrong password makes curl fail with the login error', async () => {
    const r = await run('curl', ['-sS', '--max-time', '10', `pop3://${HOST}:${fx.plainPort}/1`, '-u', 'alice:wrong']);
    expect(r.code).toBe(67); // CURLE_LOGIN_DENIED
  });
});
