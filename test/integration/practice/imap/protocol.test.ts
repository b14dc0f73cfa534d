// The practice IMAP server byte by byte over a raw socket: greeting, states, STARTTLS, literals,
// sections, updates between sessions and the teaching scenarios.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, startPractice, type Practice } from './harness.ts';

let practice: Practice;
beforeAll(async () => {
  practice = await startPractice({ limits: { maxMessageSize: 64 * 1024, maxLineLength: 1024 } });
});
afterAll(async () => {
  await practice?.close();
});

async function loggedIn(user = 'alice'): Promise<RawClient> {
  const c = await RawClient.connect(practice.implicit.port, true);
  expect(await c.command('L1', `LOGIN ${user} practice`)).toMatch(/L1 OK/);
  return c;
}

const message = (subject: string, body = 'hello') =>
  `From: a@example.org\r\nTo: alice@practice.test\r\nSubject: ${subject}\r\n\r\n${body}\r\n`;

describe('greeting, capabilities and states', () => {
  it('greets with capabilities; STARTTLS and LOGINDISABLED before TLS, AUTH=PLAIN after', async () => {
    const c = await RawClient.connect(practice.starttls.port);
    const caps = await c.command('a', 'CAPABILITY');
    expect(caps).toMatch(/^\* CAPABILITY IMAP4rev1 .*STARTTLS LOGINDISABLED\r\n/);
    expect(caps).not.toMatch(/AUTH=PLAIN/);
    expect(await c.command('b', 'LOGIN alice practice')).toMatch(/^b NO \[PRIVACYREQUIRED\]/m);
    expect(await c.command('c', 'STARTTLS')).toMatch(/^c OK/m);
    await c.startTls();
    const after = await c.command('d', 'CAPABILITY');
    expect(after).toMatch(/AUTH=PLAIN/);
    expect(after).not.toMatch(/STARTTLS|LOGINDISABLED/);
    expect(await c.command('e', 'STARTTLS')).toMatch(/^e BAD /m);
    c.close();
  });

  it('the greeting names the host and capabilities', async () => {
    const c = await RawClient.connect(practice.plain.port);
    // connect() consumed the greeting; check a fresh one byte-exact in form
    c.close();
    const net = await import('node:net');
    const greeting = await new Promise<string>((resolve) => {
      const s = net.connect(practice.plain.port, '127.0.0.1');
      s.once('data', (d) => {
        resolve(d.toString());
        s.destroy();
      });
    });
    expect(greeting).toMatch(
      /^\* OK \[CAPABILITY IMAP4rev1 [^\]]*AUTH=PLAIN AUTH=LOGIN\] mail\.practice\.test IMAP4rev1 practice server ready\r\n$/,
    );
  });

  it('a command in the wrong state gets BAD naming the state', async () => {
    const c = await RawClient.connect(practice.implicit.port, true);
    expect(await c.command('a', 'SELECT INBOX')).toMatch(
      /^a BAD SELECT is not allowed now: the session is not authenticated/m,
    );
    expect(await c.command('b', 'LOGIN alice practice')).toMatch(/^b OK \[CAPABILITY /m);
    expect(await c.command('c', 'FETCH 1 FLAGS')).toMatch(
      /^c BAD FETCH is not allowed now: the session is authenticated but with no mailbox selected/m,
    );
    expect(await c.command('d', 'LOGIN alice practice')).toMatch(/^d BAD LOGIN is not allowed now/m);
    expect(await c.command('e', 'FROB')).toMatch(/^e BAD Unknown command "FROB"/m);
    expect(await c.command('f', 'LOGOUT')).toMatch(/\* BYE .*\r\nf OK LOGOUT completed/);
    await c.readUntil(() => c.closed);
    expect(c.closed).toBe(true);
  });

  it('AUTHENTICATE PLAIN works with SASL-IR and with a continuation; wrong passwords get AUTHENTICATIONFAILED', async () => {
    const c = await RawClient.connect(practice.implicit.port, true);
    const bad = Buffer.from('\0alice\0nope').toString('base64');
    expect(await c.command('a', `AUTHENTICATE PLAIN ${bad}`)).toMatch(/^a NO \[AUTHENTICATIONFAILED\]/m);
    c.write('b AUTHENTICATE PLAIN\r\n');
    expect(await c.readUntil((t) => t.includes('\r\n'))).toBe('+ \r\n');
    c.write(Buffer.from('\0alice@practice.test\0practice').toString('base64') + '\r\n');
    expect(await c.readUntil((t) => t.includes('b '))).toMatch(
      /^b OK \[CAPABILITY [^\]]*\] Logged in as alice@practice.test/m,
    );
    c.close();
    const d = await RawClient.connect(practice.implicit.port, true);
    const ok = Buffer.from('\0alice\0practice').toString('base64');
    expect(await d.command('x', `AUTHENTICATE PLAIN ${ok}`)).toMatch(/^x OK \[CAPABILITY /m);
    d.close();
    const e = await RawClient.connect(practice.implicit.port, true);
    e.write('y AUTHENTICATE PLAIN\r\n');
    await e.readUntil((t) => t.includes('+ '));
    e.write('*\r\n');
    expect(await e.readUntil((t) => t.includes('y '))).toMatch(/^y BAD AUTHENTICATE cancelled/m);
    e.close();
  });

  it('requireTlsForAuth refuses LOGIN on a plain port with PRIVACYREQUIRED', async () => {
    const c = await RawClient.connect(practice.plain.port);
    practice.scenarios.register(c.socket.localPort!, { requireTlsForAuth: true });
    expect(await c.command('a', 'LOGIN alice practice')).toMatch(/^a NO \[PRIVACYREQUIRED\]/m);
    practice.scenarios.unregister(c.socket.localPort!);
    expect(await c.command('b', 'LOGIN alice practice')).toMatch(/^b OK/m);
    c.close();
  });
});

describe('STARTTLS injection', () => {
  it('drops plaintext pipelined after STARTTLS (CVE-2011-0411 class)', async () => {
    const c = await RawClient.connect(practice.starttls.port);
    c.write('a STARTTLS\r\nb CAPABILITY\r\n');
    const reply = await c.readUntil((t) => t.includes('a OK'));
    expect(reply).not.toMatch(/b OK/);
    await c.startTls();
    expect(await c.command('c', 'NOOP')).toBe('c OK NOOP completed.\r\n'); // no late answer to "b"
    c.close();
  });
});

describe('literals and limits', () => {
  it('APPEND with a synchronising literal waits for "+", with LITERAL+ does not, and answers APPENDUID', async () => {
    const c = await loggedIn();
    const body = message('sync literal');
    c.write(`a APPEND INBOX (\\Seen) {${body.length}}\r\n`);
    expect(await c.readUntil((t) => t.includes('\r\n'))).toBe('+ Ready for literal\r\n');
    c.write(body + '\r\n');
    expect(await c.readUntil((t) => /a (OK|NO|BAD)/.test(t))).toMatch(/^a OK \[APPENDUID \d+ \d+\] /m);
    const plus = message('literal plus');
    c.write(`b APPEND INBOX {${plus.length}+}\r\n${plus}\r\n`);
    const reply = await c.readUntil((t) => /b (OK|NO|BAD)/.test(t));
    expect(reply).not.toMatch(/^\+ /m);
    expect(reply).toMatch(/^b OK \[APPENDUID /m);
    c.close();
  });

  it('refuses an over-limit synchronising literal with NO [TOOBIG] and keeps the session', async () => {
    const c = await loggedIn();
    expect(await c.command('a', 'APPEND INBOX {10000000}')).toMatch(
      /^a NO \[TOOBIG\] Literal of 10000000 octets is over the limit of 65536/m,
    );
    expect(await c.command('b', 'NOOP')).toMatch(/^b OK/m);
    c.close();
  });

  it('closes with BYE on an over-limit LITERAL+ (it cannot be skipped safely)', async () => {
    const c = await loggedIn();
    c.write('a APPEND INBOX {99999999999+}\r\nxxxx');
    const reply = await c.readUntil(() => c.closed);
    expect(reply).toMatch(/^a NO \[TOOBIG\]/m);
    expect(reply).toMatch(/^\* BYE /m);
  });

  it('answers an over-long line with BAD and goes on', async () => {
    const c = await loggedIn();
    expect(await c.command('a', 'NOOP ' + 'x'.repeat(5000))).toMatch(/^a BAD Line too long: the limit is 1024 octets/m);
    expect(await c.command('b', 'NOOP')).toBe('b OK NOOP completed.\r\n');
    c.close();
  });

  it('a client vanishing mid-APPEND leaves nothing stored', async () => {
    const before = practice.store.forAccount('bob').mailbox('INBOX')!.messages().length;
    const c = await loggedIn('bob');
    const body = message('never complete', 'x'.repeat(2000));
    c.write(`a APPEND INBOX {${body.length}+}\r\n${body.slice(0, 1000)}`);
    await new Promise((r) => setTimeout(r, 100));
    c.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(practice.store.forAccount('bob').mailbox('INBOX')!.messages().length).toBe(before);
  });
});

describe('FETCH sections and flags', () => {
  it('serves BODY[HEADER.FIELDS], partials, BODY.PEEK, and sets \\Seen on BODY[]', async () => {
    const c = await loggedIn();
    const body = message('sections', 'abcdefghij');
    const uid = /APPENDUID \d+ (\d+)/.exec(await c.command('a', `APPEND INBOX {${body.length}+}\r\n${body}`))![1];
    await c.command('b', 'SELECT INBOX');
    const fields = await c.command('c', `UID FETCH ${uid} (BODY.PEEK[HEADER.FIELDS (Subject)])`);
    expect(fields).toContain('BODY[HEADER.FIELDS (SUBJECT)] {21}\r\nSubject: sections\r\n\r\n');
    expect(fields).not.toMatch(/\\Seen/);
    const partial = await c.command('d', `UID FETCH ${uid} (BODY.PEEK[TEXT]<2.3>)`);
    expect(partial).toContain('BODY[TEXT]<2> {3}\r\ncde)');
    const full = await c.command('e', `UID FETCH ${uid} (BODY[])`);
    expect(full).toContain(`BODY[] {${body.length}}\r\n${body}`);
    expect(full).toMatch(/FLAGS \([^)]*\\Seen/);
    expect(await c.command('f', `UID FETCH ${uid} (BODY[1])`)).toContain('BODY[1] {12}\r\nabcdefghij\r\n');
    expect(await c.command('g', 'FETCH 1 (BODY[HEADER.FIELDS (From)')).toMatch(/^g BAD /m);
    c.close();
  });
});

describe('updates between sessions', () => {
  it('sends EXISTS and FETCH at safe points and holds EXPUNGE back during FETCH/STORE/SEARCH', async () => {
    const a = await loggedIn('bob');
    const b = await loggedIn('bob');
    await a.command('s', 'CREATE Shared');
    for (let i = 0; i < 3; i++)
      await a.command(`p${i}`, `APPEND Shared {${message('m' + i).length}+}\r\n${message('m' + i)}`);
    expect(await a.command('s1', 'SELECT Shared')).toMatch(/\* 3 EXISTS/);
    expect(await b.command('s2', 'SELECT Shared')).toMatch(/\* 3 EXISTS/);
    await b.command('t', 'STORE 2 +FLAGS (\\Flagged)');
    expect(await a.command('n', 'NOOP')).toMatch(/^\* 2 FETCH \(UID \d+ FLAGS \(\\Flagged \\Recent\)\)\r\nn OK/m);
    expect(await b.command('x', 'STORE 1 +FLAGS.SILENT (\\Deleted)')).toBe('x OK STORE completed.\r\n');
    expect(await b.command('y', 'EXPUNGE')).toMatch(/^\* 1 EXPUNGE\r\ny OK/m);
    const fetch = await a.command('f', 'FETCH 1:* (FLAGS)');
    expect(fetch).not.toMatch(/EXPUNGE/);
    // Message 1 is gone from the store but its number stays valid until EXPUNGE is sent.
    expect(fetch).toMatch(/^\* 2 FETCH \(FLAGS \(\\Flagged \\Recent\)\)\r\n\* 3 FETCH /m);
    expect(fetch).toMatch(/^f OK FETCH completed; 1 message\(s\) were expunged meanwhile/m);
    const noop = await a.command('g', 'NOOP');
    expect(noop).toMatch(/^\* 1 EXPUNGE\r\n/m);
    await b.command('h', `APPEND Shared {${message('late').length}+}\r\n${message('late')}`);
    // b claimed the new message as \\Recent; a keeps its own two.
    expect(await a.command('i', 'NOOP')).toMatch(/^\* 3 EXISTS\r\n\* 2 RECENT\r\n/m);
    a.close();
    b.close();
  });
});

describe('scenarios', () => {
  it('mailboxFull: APPEND gets NO [OVERQUOTA] and nothing is stored', async () => {
    const c = await loggedIn();
    practice.scenarios.register(c.socket.localPort!, { mailboxFull: true });
    const before = practice.store.forAccount('alice').mailbox('INBOX')!.messages().length;
    const body = message('full');
    expect(await c.command('a', `APPEND INBOX {${body.length}+}\r\n${body}`)).toMatch(/^a NO \[OVERQUOTA\]/m);
    // A synchronising literal is refused before the "+", so the client never sends the bytes.
    expect(await c.command('s', `APPEND INBOX {${body.length}}`)).toMatch(/^s NO \[OVERQUOTA\] The mailbox is full/);
    expect(practice.store.forAccount('alice').mailbox('INBOX')!.messages().length).toBe(before);
    practice.scenarios.unregister(c.socket.localPort!);
    c.close();
  });

  it('slowRepliesMs delays replies; dropAfterCommands closes without answering the last command', async () => {
    const c = await loggedIn();
    practice.scenarios.register(c.socket.localPort!, { slowRepliesMs: 300 });
    const started = Date.now();
    await c.command('a', 'NOOP');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    // LOGIN and "a" were commands 1 and 2: the third is dropped unanswered.
    practice.scenarios.register(c.socket.localPort!, { dropAfterCommands: 3 });
    c.write('b NOOP\r\n');
    const rest = await c.readUntil(() => c.closed);
    expect(rest).toBe('');
    expect(c.closed).toBe(true);
  });
});
