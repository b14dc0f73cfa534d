// The practice IMAP server on the points Dovecot's imaptest found wrong (issue 16), over a raw
// socket: "[" and "]" in mailbox names, FLAGS after a new keyword, SEARCH on header existence and
// addresses with comments, LSUB's \Noselect parents, a 32 KB ID command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, startPractice, type Practice } from './harness.ts';

let practice: Practice;
beforeAll(async () => {
  practice = await startPractice();
});
afterAll(async () => {
  await practice?.close();
});

async function loggedIn(): Promise<RawClient> {
  const c = await RawClient.connect(practice.plain.port);
  expect(await c.command('L1', 'LOGIN alice practice')).toMatch(/L1 OK/);
  return c;
}

async function append(c: RawClient, mailbox: string, message: string): Promise<void> {
  const bytes = Buffer.byteLength(message);
  c.write(`ap APPEND ${mailbox} {${bytes}+}\r\n${message}\r\n`);
  expect(await c.readUntil((t) => /ap (OK|NO|BAD)[^\r\n]*\r\n/.test(t))).toMatch(/ap OK/);
}

describe('imaptest fixes (issue 16)', () => {
  it('"[" and "]" are astring characters in mailbox names (RFC 3501 section 9)', async () => {
    const c = await loggedIn();
    expect(await c.command('a', 'CREATE a]b')).toMatch(/^a OK/m);
    expect(await c.command('b', 'SELECT x[y')).toMatch(/^b NO \[NONEXISTENT\]/m);
    expect(await c.command('c', 'LIST "" a]*')).toMatch(/^\* LIST \([^)]*\) "\/" "a]b"\r$/m);
    expect(await c.command('d', 'DELETE a]b')).toMatch(/^d OK/m);
    c.close();
  });

  it('a STORE that adds a new keyword sends FLAGS and PERMANENTFLAGS with it (RFC 3501 7.2.6)', async () => {
    const c = await loggedIn();
    await c.command('s', 'SELECT INBOX');
    const reply = await c.command('a', 'STORE 1 +FLAGS.SILENT ($Fresh)');
    expect(reply).toMatch(/^\* FLAGS \(.*\$Fresh.*\)\r$/m);
    expect(reply).toMatch(/^\* OK \[PERMANENTFLAGS \(.*\$Fresh.*\\\*\)\]/m);
    // Known now: a second STORE of it does not repeat FLAGS.
    expect(await c.command('b', 'STORE 1 +FLAGS ($Fresh)')).not.toMatch(/^\* FLAGS/m);
    // Another session hears of it when the change reaches it.
    const other = await loggedIn();
    await other.command('s', 'SELECT INBOX');
    await c.command('c', 'STORE 1 +FLAGS ($Other)');
    const seen = await other.command('n', 'NOOP');
    expect(seen).toMatch(/^\* FLAGS \(.*\$Other.*\)\r\n(.*\r\n)?\* 1 FETCH \(UID 1 FLAGS \(.*\$Other/m);
    await c.command('d', 'STORE 1 -FLAGS ($Fresh $Other)');
    c.close();
    other.close();
  });

  it('SEARCH HEADER f "" needs the field; FROM matches an address with comments in it (6.4.4)', async () => {
    const c = await loggedIn();
    await c.command('m', 'CREATE Search');
    await append(c, 'Search', 'From: <user-from (comment)@ (comment) domain.org>\r\nSubject: one\r\n\r\nx\r\n');
    await append(c, 'Search', 'From: Real <user-from@domain.org>\r\nTo: a@b.c\r\n\r\ny\r\n');
    await c.command('s', 'SELECT Search');
    expect(await c.command('a', 'SEARCH FROM user-from@domain.org')).toMatch(/^\* SEARCH 1 2\r$/m);
    expect(await c.command('b', 'SEARCH HEADER TO ""')).toMatch(/^\* SEARCH 2\r$/m);
    expect(await c.command('c', 'SEARCH NOT HEADER SUBJECT ""')).toMatch(/^\* SEARCH 2\r$/m);
    await c.command('u', 'UNSELECT');
    await c.command('d', 'DELETE Search');
    c.close();
  });

  it('LSUB "" a/% names the unsubscribed parent of a subscribed child as \\Noselect (6.3.9)', async () => {
    const c = await loggedIn();
    await c.command('a', 'CREATE top/mid/leaf');
    await c.command('b', 'SUBSCRIBE top/mid/leaf');
    const reply = await c.command('c', 'LSUB "" top/%');
    expect(reply).toMatch(/^\* LSUB \(\\Noselect\) "\/" top\/mid\r$/m);
    expect(reply).not.toMatch(/top\/mid\/leaf/);
    expect(await c.command('d', 'LSUB "" top/*')).not.toMatch(/\\Noselect/);
    await c.command('e', 'UNSUBSCRIBE top/mid/leaf');
    await c.command('f', 'DELETE top/mid/leaf');
    c.close();
  });

  it('an ID command of 30 pairs of 30 and 1024 octets is answered (RFC 2971 section 3.3)', async () => {
    const c = await loggedIn();
    const pairs = Array.from({ length: 30 }, (_, i) => `"${String(i).padEnd(30, 'k')}" "${'v'.repeat(1024)}"`).join(
      ' ',
    );
    const reply = await c.command('a', `ID (${pairs})`);
    expect(reply).toMatch(/^\* ID \("name" /m);
    expect(reply).toMatch(/^a OK/m);
    c.close();
  });

  it('AUTHENTICATE LOGIN asks Username: then Password:, or takes the user name as initial response', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const c = await RawClient.connect(practice.plain.port);
    c.write('a AUTHENTICATE LOGIN\r\n');
    expect(await c.readUntil((t) => t.includes('\r\n'))).toBe(`+ ${b64('Username:')}\r\n`);
    c.write(`${b64('alice')}\r\n`);
    expect(await c.readUntil((t) => t.includes('\r\n'))).toBe(`+ ${b64('Password:')}\r\n`);
    c.write(`${b64('practice')}\r\n`);
    expect(await c.readUntil((t) => /^a /m.test(t))).toMatch(
      /^a OK \[CAPABILITY .*\] Logged in as alice@practice\.test/m,
    );
    c.close();
    const d = await RawClient.connect(practice.plain.port);
    d.write(`b AUTHENTICATE LOGIN ${b64('alice')}\r\n`);
    expect(await d.readUntil((t) => t.includes('\r\n'))).toBe(`+ ${b64('Password:')}\r\n`);
    d.write('*\r\n');
    expect(await d.readUntil((t) => /^b /m.test(t))).toMatch(/^b BAD AUTHENTICATE cancelled/m);
    d.write(`c AUTHENTICATE LOGIN ${b64('alice')}\r\n`);
    await d.readUntil((t) => t.includes('\r\n'));
    d.write(`${b64('practice')}\r\n`);
    expect(await d.readUntil((t) => /^c /m.test(t))).toMatch(/^c OK \[CAPABILITY /m);
    d.close();
  });

  it('AUTHENTICATE PLAIN works with and without an initial response (RFC 4959, RFC 4616)', async () => {
    const ir = Buffer.from('\0alice\0practice').toString('base64');
    const c = await RawClient.connect(practice.plain.port);
    expect(await c.command('a', `AUTHENTICATE PLAIN ${ir}`)).toMatch(/^a OK \[CAPABILITY /m);
    c.close();
    const d = await RawClient.connect(practice.plain.port);
    d.write('b AUTHENTICATE PLAIN\r\n');
    expect(await d.readUntil((t) => t.includes('\r\n'))).toBe('+ \r\n');
    d.write(`${ir}\r\n`);
    expect(await d.readUntil((t) => /^b /m.test(t))).toMatch(/^b OK \[CAPABILITY /m);
    expect(await d.command('c', 'CAPABILITY')).not.toMatch(/AUTH=/);
    d.close();
    const e = await RawClient.connect(practice.plain.port);
    expect(await e.command('d', 'CAPABILITY')).toMatch(/ AUTH=PLAIN AUTH=LOGIN/);
    expect(await e.command('f', 'AUTHENTICATE CRAM-MD5')).toMatch(/^f NO \[CANNOT\] .*use PLAIN or LOGIN/m);
    e.close();
  });

  it('MULTIAPPEND stores several messages in one APPEND, all or none (RFC 3502)', async () => {
    const c = await loggedIn();
    await c.command('m', 'CREATE Multi');
    const one = 'Subject: one\r\n\r\nx\r\n';
    const two = 'Subject: two\r\n\r\ny\r\n';
    c.write(
      `a APPEND Multi (\\Seen) {${one.length}+}\r\n${one} "01-Feb-2026 10:00:00 +0000" {${two.length}+}\r\n${two}\r\n`,
    );
    expect(await c.readUntil((t) => /^a /m.test(t))).toMatch(
      /^a OK \[APPENDUID \d+ 1:2\] APPEND completed; 2 messages stored/m,
    );
    c.write(`b APPEND Multi {${one.length}+}\r\n${one} {0+}\r\n\r\n`);
    expect(await c.readUntil((t) => /^b /m.test(t))).toMatch(/^b NO /m);
    const status = await c.command('c', 'STATUS Multi (MESSAGES UNSEEN)');
    expect(status).toMatch(/^\* STATUS Multi \(MESSAGES 2 UNSEEN 1\)\r$/m);
    await c.command('s', 'EXAMINE Multi');
    expect(await c.command('d', 'FETCH 2 (INTERNALDATE)')).toMatch(/INTERNALDATE " 1-Feb-2026 10:00:00 \+0000"/);
    await c.command('u', 'UNSELECT');
    await c.command('e', 'DELETE Multi');
    c.close();
  });

  it('says so when it reads 8-bit SEARCH text without CHARSET as UTF-8, looser than RFC 3501 6.4.4', async () => {
    const c = await loggedIn();
    await c.command('s', 'EXAMINE INBOX');
    const loose = await c.command('a', 'SEARCH SUBJECT "caf\u00e9"');
    expect(loose).toMatch(
      /^a OK SEARCH completed\. Note: the search text has 8-bit characters but no CHARSET.*like Dovecot/m,
    );
    expect(await c.command('b', 'SEARCH CHARSET UTF-8 SUBJECT "caf\u00e9"')).toMatch(/^b OK SEARCH completed\.\r$/m);
    expect(await c.command('c', 'SEARCH SUBJECT "cafe"')).toMatch(/^c OK SEARCH completed\.\r$/m);
    c.close();
  });

  it('CATENATE joins TEXT literals and URLs of this account only (RFC 4469)', async () => {
    const c = await loggedIn();
    await c.command('m', 'CREATE Cat');
    const text = 'Subject: joined\r\n\r\n';
    c.write(
      `a APPEND Cat CATENATE (TEXT {${text.length}+}\r\n${text} URL "/INBOX/;UID=1/;SECTION=TEXT/;PARTIAL=0.20")\r\n`,
    );
    expect(await c.readUntil((t) => /^a /m.test(t))).toMatch(/^a OK \[APPENDUID \d+ 1\]/m);
    await c.command('s', 'EXAMINE Cat');
    const welcome = (await practice.store.forAccount('alice').mailbox('INBOX')!.read(1))!.toString('latin1');
    const body = welcome.slice(welcome.indexOf('\r\n\r\n') + 4).slice(0, 20);
    expect(await c.command('b', 'FETCH 1 BODY.PEEK[]')).toContain(`{${text.length + 20}}\r\n${text}${body})`);
    // Another user's mail is out of reach: only URLs relative to this account are taken.
    expect(await c.command('d', 'APPEND Cat CATENATE (URL "imap://bob@127.0.0.1/INBOX/;UID=1")')).toMatch(
      /^d NO \[BADURL imap:\/\/bob@127\.0\.0\.1\/INBOX\/;UID=1\]/m,
    );
    await c.command('u', 'UNSELECT');
    await c.command('e', 'DELETE Cat');
    c.close();
  });
});
