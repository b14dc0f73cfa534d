// The state machine without sockets, over the real mailstore in a temp dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MailstoreApi } from '../../../../bridge/practice/mailstore-types.ts';
import { openMailstore } from '../../../../bridge/practice/mailstore.ts';
import { COMMANDS_BY_STATE, MAX_BAD_COMMANDS, Pop3Session } from '../../../../bridge/practice/pop3/session.ts';
import type { Scenarios } from '../../../../bridge/practice/types.ts';

let dataDir: string;
let store: MailstoreApi;
let logged: Array<{ event: string; fields?: Record<string, unknown> }>;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'pop3-session-'));
  store = await openMailstore({
    dataDir,
    domain: 'practice.test',
    accounts: [{ username: 'alice', password: 'practice' }],
  });
  logged = [];
});
afterEach(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

function session(opts: { security?: 'none' | 'starttls' | 'implicit'; scenarios?: Scenarios } = {}) {
  const s = new Pop3Session({
    store,
    hostname: 'mail.practice.test',
    security: opts.security ?? 'starttls',
    scenarios: () => opts.scenarios ?? {},
    log: (event, fields) => logged.push({ event, fields }),
  });
  const send = async (line: string) => {
    const r = await s.handleLine(Uint8Array.from(Buffer.from(line, 'latin1')));
    const text = r.chunks.map((c) => (typeof c === 'string' ? c : Buffer.from(c).toString('latin1'))).join('');
    return { text, after: r.after };
  };
  return { s, send };
}

describe('POP3 session state machine', () => {
  it('the table keeps mail commands out of AUTHORIZATION and login commands out of TRANSACTION', () => {
    expect(Object.keys(COMMANDS_BY_STATE.AUTHORIZATION).sort()).toEqual([
      'AUTH',
      'CAPA',
      'PASS',
      'QUIT',
      'STLS',
      'USER',
    ]);
    expect(Object.keys(COMMANDS_BY_STATE.TRANSACTION)).not.toContain('USER');
    expect(Object.keys(COMMANDS_BY_STATE.UPDATE)).toEqual([]);
  });

  it('greets with the hostname', () => {
    expect(session().s.greeting()).toBe('+OK mail.practice.test POP3 practice server ready\r\n');
  });

  it('refuses mail commands before login with a sentence that says how to log in', async () => {
    const { send } = session();
    const r = await send('STAT');
    expect(r.text).toMatch(/^-ERR STAT needs a login first: USER .* PASS/);
  });

  it('USER/PASS moves to TRANSACTION; USER is then refused', async () => {
    const { s, send } = session();
    expect((await send('USER alice')).text).toMatch(/^\+OK/);
    expect((await send('PASS practice')).text).toMatch(
      /^\+OK Logged in as alice@practice.test: maildrop has 1 message/,
    );
    expect(s.state).toBe('TRANSACTION');
    expect((await send('USER alice')).text).toMatch(/^-ERR USER is only allowed before login/);
    s.disconnected();
  });

  it('a wrong password gets -ERR [AUTH] and stays in AUTHORIZATION; PASS without USER is refused', async () => {
    const { s, send } = session();
    await send('USER alice');
    expect((await send('PASS wrong')).text).toMatch(/^-ERR \[AUTH\] Authentication failed/);
    expect(s.state).toBe('AUTHORIZATION');
    expect((await send('PASS practice')).text).toMatch(/^-ERR PASS must follow USER/);
  });

  it('never logs a password', async () => {
    const { send } = session();
    await send('USER alice');
    await send('PASS s3cret-value');
    await send(`AUTH PLAIN ${Buffer.from('\0alice\0s3cret-value').toString('base64')}`);
    expect(JSON.stringify(logged)).not.toContain('s3cret');
  });

  it('AUTH PLAIN with an initial response, and with a continuation line', async () => {
    const one = session();
    expect(
      (await one.send(`AUTH PLAIN ${Buffer.from('\0alice@practice.test\0practice').toString('base64')}`)).text,
    ).toMatch(/^\+OK Logged in/);
    one.s.disconnected();
    const two = session();
    expect((await two.send('AUTH PLAIN')).text).toBe('+ \r\n');
    expect((await two.send(Buffer.from('\0alice\0practice').toString('base64'))).text).toMatch(/^\+OK Logged in/);
    two.s.disconnected();
    const three = session();
    await three.send('AUTH PLAIN');
    expect((await three.send('*')).text).toMatch(/^-ERR Authentication cancelled/);
    expect((await three.send('AUTH PLAIN !!!')).text).toMatch(/^-ERR The SASL response is not valid base64/);
    expect((await three.send(`AUTH PLAIN ${Buffer.from('bob\0alice\0practice').toString('base64')}`)).text).toMatch(
      /^-ERR \[AUTH\] You may not act as bob/,
    );
    expect((await three.send('AUTH CRAM-MD5')).text).toMatch(/^-ERR .*use AUTH PLAIN/);
  });

  it('requireTlsForAuth: USER/PASS/AUTH refused with [AUTH] before TLS; CAPA hides USER and SASL', async () => {
    const { s, send } = session({ scenarios: { requireTlsForAuth: true } });
    const capa = (await send('CAPA')).text;
    expect(capa).toContain('\r\nSTLS\r\n');
    expect(capa).not.toContain('USER');
    expect(capa).not.toContain('SASL');
    expect((await send('USER alice')).text).toMatch(/^-ERR \[AUTH\] .*send STLS first/);
    expect((await send('STLS')).after).toBe('starttls');
    s.tlsStarted();
    const after = (await send('CAPA')).text;
    expect(after).not.toContain('STLS');
    expect(after).toContain('\r\nUSER\r\n');
    expect((await send('USER alice')).text).toMatch(/^\+OK/);
  });

  it('STLS is refused on the implicit port and once TLS is active', async () => {
    expect((await session({ security: 'implicit' }).send('STLS')).text).toMatch(
      /^-ERR This connection is already under TLS/,
    );
    expect((await session({ security: 'none' }).send('STLS')).text).toMatch(/^-ERR STLS is not offered/);
  });

  it('a second login on the same maildrop gets [IN-USE] until the first one ends', async () => {
    const first = session();
    await first.send('USER alice');
    await first.send('PASS practice');
    const second = session();
    await second.send('USER alice');
    expect((await second.send('PASS practice')).text).toMatch(/^-ERR \[IN-USE\]/);
    expect(second.s.state).toBe('AUTHORIZATION');
    first.s.disconnected();
    await second.send('USER alice');
    expect((await second.send('PASS practice')).text).toMatch(/^\+OK/);
    second.s.disconnected();
  });

  it('closes after too many bad commands in a row; a good command resets the count', async () => {
    const { send } = session();
    for (let i = 1; i < MAX_BAD_COMMANDS; i++) await send('XYZZY');
    expect((await send('CAPA')).after).toBe('continue');
    for (let i = 1; i < MAX_BAD_COMMANDS; i++) expect((await send('XYZZY')).after).toBe('continue');
    const last = await send('XYZZY');
    expect(last.after).toBe('close');
    expect(last.text).toMatch(/Too many bad commands/);
  });

  it('APOP is named as not offered; unknown commands point to CAPA', async () => {
    const { send } = session();
    expect((await send('APOP alice 0123')).text).toMatch(/^-ERR APOP is not offered/);
    expect((await send('FOO')).text).toMatch(/^-ERR Unknown command FOO: CAPA lists/);
  });
});
