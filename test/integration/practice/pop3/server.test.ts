// The POP3 server over real loopback sockets, read byte-exact with a raw client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dotUnstuff } from '../../../../bridge/practice/pop3/dot-stuffing.ts';
import { RawClient, startFixture, type Pop3Fixture } from './harness.ts';

let fx: Pop3Fixture;
beforeAll(async () => {
  fx = await startFixture();
}, 30_000);
afterAll(async () => fx?.close());

const inbox = (user = 'alice') => fx.store.forAccount(user).mailbox('INBOX')!;
const DOTTY = Buffer.from(
  'From: bob@practice.test\r\nTo: alice@practice.test\r\nSubject: dots\r\n\r\n.\r\n..two\r\n.leading\r\nend.\r\n\r\n.\r\nlast line\r\n',
);

describe('POP3 over a plain socket (STLS port)', () => {
  it('greets, answers CAPA with STLS, USER and SASL PLAIN, and quits', async () => {
    const c = await RawClient.connect(fx.plainPort);
    expect(await c.line()).toBe('+OK mail.practice.test POP3 practice server ready');
    expect(await c.cmd('CAPA')).toMatch(/^\+OK/);
    const caps = (await c.body()).toString('latin1').split('\r\n');
    expect(caps).toEqual(
      expect.arrayContaining(['CAPA', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'STLS', 'USER', 'SASL PLAIN']),
    );
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
    expect(await c.waitClosed()).toBe(true);
  });

  it('RETR sends the stored bytes dot-stuffed, byte-exact, and marks the message \\Seen', async () => {
    const { uid } = await fx.store.forAccount('bob').append('INBOX', DOTTY);
    const c = await RawClient.connect(fx.plainPort);
    await c.line();
    await c.login('bob');
    const n =
      inbox('bob')
        .messages()
        .findIndex((m) => m.uid === uid) + 1;
    expect(await c.cmd(`RETR ${n}`)).toBe(`+OK ${DOTTY.length} octets`);
    const wire = await c.body();
    expect(wire.toString('latin1')).toBe(
      'From: bob@practice.test\r\nTo: alice@practice.test\r\nSubject: dots\r\n\r\n..\r\n...two\r\n..leading\r\nend.\r\n\r\n..\r\nlast line\r\n.\r\n',
    );
    const stored = await inbox('bob').read(uid);
    expect(Buffer.from(dotUnstuff(wire)!)).toEqual(stored);
    expect(
      inbox('bob')
        .messages()
        .find((m) => m.uid === uid)!.flags,
    ).toContain('\\Seen');
    // TOP does not mark and stops after n body lines
    expect(await c.cmd(`TOP ${n} 2`)).toMatch(/^\+OK/);
    expect((await c.body()).toString('latin1')).toMatch(/Subject: dots\r\n\r\n\.\.\r\n\.\.\.two\r\n\.\r\n$/);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });

  it('STAT, LIST and UIDL agree with the store', async () => {
    const c = await RawClient.connect(fx.plainPort);
    await c.line();
    await c.login();
    const metas = inbox().messages();
    const total = metas.reduce((s, m) => s + m.size, 0);
    expect(await c.cmd('STAT')).toBe(`+OK ${metas.length} ${total}`);
    expect(await c.cmd('LIST')).toMatch(/^\+OK/);
    expect((await c.body()).toString()).toBe(metas.map((m, i) => `${i + 1} ${m.size}\r\n`).join('') + '.\r\n');
    expect(await c.cmd('UIDL')).toMatch(/^\+OK/);
    expect((await c.body()).toString()).toBe(metas.map((m, i) => `${i + 1} ${m.uniqueId}\r\n`).join('') + '.\r\n');
    expect(await c.cmd('UIDL 1')).toBe(`+OK 1 ${metas[0].uniqueId}`);
    expect(await c.cmd(`LIST ${metas.length + 1}`)).toMatch(/^-ERR There is no message/);
    expect(await c.cmd('RETR x')).toMatch(/^-ERR RETR needs a message number/);
    await c.cmd('QUIT');
  });

  it('DELE + QUIT removes the message; DELE + a dropped connection removes nothing', async () => {
    const { uid: keep } = await fx.store.forAccount('alice').append('INBOX', Buffer.from('Subject: keep\r\n\r\nx\r\n'));
    const { uid: gone } = await fx.store.forAccount('alice').append('INBOX', Buffer.from('Subject: gone\r\n\r\nx\r\n'));
    const numberOf = (uid: number) =>
      inbox()
        .messages()
        .findIndex((m) => m.uid === uid) + 1;

    const dropped = await RawClient.connect(fx.plainPort);
    await dropped.line();
    await dropped.login();
    expect(await dropped.cmd(`DELE ${numberOf(keep)}`)).toMatch(/^\+OK/);
    expect(await dropped.cmd(`RETR ${numberOf(keep)}`)).toMatch(/^-ERR Message \d+ is marked as deleted/);
    dropped.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(numberOf(keep)).toBeGreaterThan(0);

    const c = await RawClient.connect(fx.plainPort);
    await c.line();
    await c.login(); // the lock of the dropped session was released
    expect(await c.cmd(`DELE ${numberOf(gone)}`)).toMatch(/^\+OK/);
    expect(await c.cmd(`DELE ${numberOf(keep)}`)).toMatch(/^\+OK/);
    expect(await c.cmd('RSET')).toMatch(/^\+OK/);
    expect(await c.cmd(`DELE ${numberOf(gone)}`)).toMatch(/^\+OK/);
    expect(
      inbox()
        .messages()
        .some((m) => m.uid === gone),
    ).toBe(true); // only marked so far
    expect(await c.cmd('QUIT')).toMatch(/^\+OK .*1 removed/);
    expect(
      inbox()
        .messages()
        .some((m) => m.uid === gone),
    ).toBe(false);
    expect(
      inbox()
        .messages()
        .some((m) => m.uid === keep),
    ).toBe(true);
  });

  it('shows the maildrop as it was at login; later mail waits for the next session', async () => {
    const c = await RawClient.connect(fx.plainPort);
    await c.line();
    await c.login();
    const before = await c.cmd('STAT');
    await fx.store.deliver(['alice@practice.test'], Buffer.from('Subject: later\r\n\r\nhi\r\n'));
    expect(await c.cmd('STAT')).toBe(before);
    await c.cmd('QUIT');
    const d = await RawClient.connect(fx.plainPort);
    await d.line();
    await d.login();
    expect(Number((await d.cmd('STAT')).split(' ')[1])).toBe(Number(before.split(' ')[1]) + 1);
    await d.cmd('QUIT');
  });

  it('locks the maildrop across the STLS and the implicit-TLS port: [IN-USE]', async () => {
    const first = await RawClient.connect(fx.plainPort);
    await first.line();
    await first.login('bob');
    const second = await RawClient.connect(fx.tlsPort, true);
    await second.line();
    await second.cmd('USER bob');
    expect(await second.cmd('PASS practice')).toMatch(/^-ERR \[IN-USE\] /);
    await first.cmd('QUIT');
    await first.waitClosed();
    await second.cmd('USER bob');
    expect(await second.cmd('PASS practice')).toMatch(/^\+OK/);
    await second.cmd('QUIT');
  });

  it('answers an over-long line with -ERR and keeps serving the connection', async () => {
    const c = await RawClient.connect(fx.plainPort);
    await c.line();
    expect(await c.cmd(`USER ${'a'.repeat(20_000)}`)).toMatch(/^-ERR Line too long \(20007 octets; the limit is 8192/);
    expect(await c.cmd('CAPA')).toMatch(/^\+OK/);
    await c.body();
    expect(await c.cmd('\x00\x01\xff\xfe')).toMatch(/^-ERR The command line contains control or non-ASCII bytes/);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });

  it('RETR of a 6 MB message arrives complete and byte-exact (backpressure)', async () => {
    const line = '.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ+/abcdefghijklm\r\n';
    const big = Buffer.from(`Subject: big\r\n\r\n${line.repeat(Math.ceil(6_000_000 / line.length))}`);
    const { uid } = await fx.store.forAccount('bob').append('INBOX', big);
    const c = await RawClient.connect(fx.plainPort);
    await c.line();
    await c.login('bob');
    const n =
      inbox('bob')
        .messages()
        .findIndex((m) => m.uid === uid) + 1;
    expect(await c.cmd(`RETR ${n}`)).toBe(`+OK ${big.length} octets`);
    const wire = await c.body();
    expect(wire.length).toBe(big.length + Math.ceil(6_000_000 / line.length) + 3);
    expect(Buffer.from(dotUnstuff(wire)!).equals(big)).toBe(true);
    await c.cmd('QUIT');
  }, 30_000);

  it('answers pipelined commands in order', async () => {
    const c = await RawClient.connect(fx.plainPort);
    await c.line();
    c.send('USER alice\r\nPASS practice\r\nNOOP\r\nSTAT\r\nQUIT\r\n');
    const replies = [await c.line(), await c.line(), await c.line(), await c.line(), await c.line()];
    expect(replies.map((r) => r.split(' ')[0])).toEqual(['+OK', '+OK', '+OK', '+OK', '+OK']);
    expect(replies[3]).toMatch(/^\+OK \d+ \d+$/);
  });
});

describe('POP3 STLS and implicit TLS', () => {
  it('upgrades with STLS and discards plaintext pipelined after it (CVE-2011-0411 class)', async () => {
    const c = await RawClient.connect(fx.plainPort);
    await c.line();
    // The injected USER must not be acted on once TLS is up.
    c.send('STLS\r\nUSER mallory\r\n');
    expect(await c.line()).toMatch(/^\+OK Begin TLS/);
    // Both lines arrive in one segment: the server must drop the second before the handshake.
    await c.startTls();
    // Had the injected USER been kept, PASS would now try to log in as mallory.
    expect(await c.cmd('PASS practice')).toMatch(/^-ERR PASS must follow USER/);
    const caps = (await c.cmd('CAPA')) + (await c.body()).toString();
    expect(caps).not.toContain('STLS');
    expect(caps).toContain('USER');
    c.destroy();
  });

  it('STLS then USER/PASS works, and the session is under TLS', async () => {
    const c = await RawClient.connect(fx.plainPort);
    await c.line();
    expect(await c.cmd('STLS')).toMatch(/^\+OK/);
    await c.startTls();
    expect(await c.cmd('STLS')).toMatch(/^-ERR This connection is already under TLS/);
    await c.login();
    expect(await c.cmd('STAT')).toMatch(/^\+OK \d+ \d+$/);
    await c.cmd('QUIT');
  });

  it('requireTlsForAuth refuses USER in the clear with [AUTH] and allows it after STLS', async () => {
    const c = await RawClient.connect(fx.plainPort);
    fx.scenarios.register(c.socket.localPort!, { requireTlsForAuth: true });
    try {
      await c.line();
      expect(await c.cmd('USER alice')).toMatch(/^-ERR \[AUTH\] .*STLS/);
      expect(await c.cmd('STLS')).toMatch(/^\+OK/);
      await c.startTls();
      await c.login();
      await c.cmd('QUIT');
    } finally {
      fx.scenarios.unregister(c.socket.localPort ?? 0);
    }
  });

  it('implicit TLS greets under TLS and does not offer STLS', async () => {
    const c = await RawClient.connect(fx.tlsPort, true);
    expect(await c.line()).toMatch(/^\+OK mail.practice.test/);
    await c.cmd('CAPA');
    expect((await c.body()).toString()).not.toContain('STLS');
    await c.login();
    await c.cmd('QUIT');
  });
});

describe('POP3 scenarios', () => {
  it('slowRepliesMs delays every reply', async () => {
    const c = await RawClient.connect(fx.plainPort);
    fx.scenarios.register(c.socket.localPort!, { slowRepliesMs: 300 });
    await c.line();
    const t0 = Date.now();
    await c.cmd('CAPA');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    fx.scenarios.unregister(c.socket.localPort!);
    c.destroy();
  });

  it('dropAfterCommands closes without replying to the Nth command', async () => {
    const c = await RawClient.connect(fx.plainPort);
    fx.scenarios.register(c.socket.localPort!, { dropAfterCommands: 3 });
    await c.line();
    expect(await c.cmd('CAPA')).toMatch(/^\+OK/);
    await c.body();
    expect(await c.cmd('USER alice')).toMatch(/^\+OK/);
    c.send('PASS practice\r\n');
    expect(await c.waitClosed()).toBe(true);
    await expect(c.line(100)).rejects.toThrow(/closed/);
    fx.scenarios.unregister(c.socket.localPort!);
  });
});

describe('POP3 idle timeout', () => {
  it('closes an idle connection with -ERR', async () => {
    const short = await startFixture({ idleTimeoutMs: 300 });
    try {
      const c = await RawClient.connect(short.plainPort);
      await c.line();
      expect(await c.line(3000)).toBe('-ERR Disconnected for inactivity.');
      expect(await c.waitClosed()).toBe(true);
    } finally {
      await short.close();
    }
  });
});
