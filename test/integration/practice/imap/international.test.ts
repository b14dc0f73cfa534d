// International mailbox names (RFC 3501 section 5.1.3): the practice server decodes modified UTF-7
// arguments, keeps Unicode names in the store and on disk, and answers with the encoded form.
// Real clients: imapflow (encodes and decodes names itself) and Python's imaplib (the encoded
// form written by hand); a raw socket for exact replies; a restart on the same data directory.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { has, RawClient, startPractice, type Practice } from './harness.ts';

const msg = (subject: string) => `From: bob@practice.test\r\nSubject: ${subject}\r\n\r\nbody\r\n`;
const ascii = /^[\x00-\x7f]*$/;

describe('international mailbox names over a raw socket, kept across a restart', () => {
  let dataDir = '';
  let practice: Practice | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mailwire-mutf7-'));
    practice = await startPractice({ dataDir });
  });
  afterAll(async () => {
    await practice?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('creates "Entwürfe" from its encoded name, stores it percent-encoded on disk, and lists it after a restart', async () => {
    let c = await RawClient.connect(practice!.plain.port);
    await c.command('L', 'LOGIN alice practice');
    expect(await c.command('a', 'CREATE Entw&APw-rfe')).toMatch(/^a OK Mailbox "Entw&APw-rfe" created\.\r$/m);
    expect(await c.command('b', 'SUBSCRIBE Entw&APw-rfe')).toMatch(/^b OK/m);
    const body = msg('Entwurf');
    expect(await c.command('c', `APPEND Entw&APw-rfe (\\Draft) {${body.length}+}\r\n${body}`)).toMatch(
      /^c OK \[APPENDUID \d+ 1\]/m,
    );
    c.close();
    // The store holds the Unicode name; the directory is its percent-encoded UTF-8.
    expect(practice!.store.forAccount('alice').listMailboxes()).toContain('Entwürfe');
    expect(await readdir(path.join(dataDir, 'mail', 'alice'))).toContain('Entw%C3%BCrfe');

    await practice!.close();
    practice = await startPractice({ dataDir });
    c = await RawClient.connect(practice.plain.port);
    await c.command('L', 'LOGIN alice practice');
    expect(await c.command('d', 'LIST "" "Entw*"')).toMatch(/^\* LIST \(\\HasNoChildren\) "\/" Entw&APw-rfe\r$/m);
    expect(await c.command('e', 'LSUB "" "*"')).toMatch(/^\* LSUB \([^)]*\) "\/" Entw&APw-rfe\r$/m);
    expect(await c.command('f', 'STATUS Entw&APw-rfe (MESSAGES)')).toMatch(
      /^\* STATUS Entw&APw-rfe \(MESSAGES 1\)\r$/m,
    );
    await c.command('g', 'EXAMINE Entw&APw-rfe');
    const fetched = await c.command('h', 'FETCH 1 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])');
    expect(fetched).toMatch(/FLAGS \(\\Draft\)/);
    expect(fetched).toMatch(/Subject: Entwurf/);
    c.close();
  });

  it('refuses a name too long to store with NO [CANNOT], and creates nothing on disk', async () => {
    const c = await RawClient.connect(practice!.plain.port);
    await c.command('L', 'LOGIN alice practice');
    const before = await readdir(path.join(dataDir, 'mail', 'alice'));
    // 30 CJK characters take 30 x 9 = 270 bytes percent-encoded, over NAME_MAX (255); 27 take 243.
    const long = (n: number) => `&${'ZeVnLIqe'.repeat(n / 3)}-`; // 日本語 repeated
    const refused = await c.command('a', `CREATE "${long(30)}"`);
    expect(refused).toMatch(/^a NO \[CANNOT\] .*too long to store: it needs 270 bytes on disk and at most 255 fit/m);
    expect(refused).toMatch(ascii); // the name in the reason is sent in its wire form
    expect(await readdir(path.join(dataDir, 'mail', 'alice'))).toEqual(before);
    expect(await c.command('b', `CREATE "${long(27)}"`)).toMatch(/^b OK/m);
    expect(await c.command('c', 'NOOP')).toMatch(/^c OK/m);
    c.close();
  });

  it('sends store errors naming a Unicode mailbox in 7-bit text, and a decoded control character never splits a reply', async () => {
    const c = await RawClient.connect(practice!.plain.port);
    await c.command('L', 'LOGIN alice practice');
    const missing = await c.command('a', 'RENAME &ZeVnLIqe- Other');
    expect(missing).toMatch(/^a NO \[NONEXISTENT\] There is no mailbox named "&ZeVnLIqe-"/m);
    expect(missing).toMatch(ascii);
    // "&AA0ACg-" is CR LF: a valid encoding, but not a usable name; the reason stays one line.
    const control = await c.command('b', 'CREATE "x&AA0ACg-y"');
    expect(control).toMatch(/^b NO \[CANNOT\] "x&AA0ACg-y" is not a usable mailbox name/m);
    expect(control.split('\r\n').filter(Boolean)).toHaveLength(1);
    // A plain "&" in a name: "&-" on the wire, "&" in the store.
    expect(await c.command('c', 'CREATE "Q&-A"')).toMatch(/^c OK/m);
    expect(practice!.store.forAccount('alice').listMailboxes()).toContain('Q&A');
    expect(await c.command('d', 'LIST "" "Q*"')).toMatch(/^\* LIST \(\\HasNoChildren\) "\/" Q&-A\r$/m);
    // Raw UTF-8, as a client that skips modified UTF-7 would send it.
    const raw = await c.command('e', 'CREATE "Entwürfe"'); // the socket sends UTF-8: C3 BC
    expect(raw).toMatch(/^e NO The mailbox name is not valid modified UTF-7\. .*U\+00FC as is/m);
    c.close();
  });
});

describe('imapflow creates, lists, appends to and renames a Unicode mailbox (it encodes names itself)', () => {
  let practice: Practice;
  beforeAll(async () => {
    practice = await startPractice();
  });
  afterAll(async () => {
    await practice?.close();
  });

  // Without ENABLE UTF8=ACCEPT the server refuses raw UTF-8 names, so every success below means
  // imapflow sent modified UTF-7 and the server decoded it (the store holds the Unicode names).
  // disableAutoEnable keeps imapflow from enabling UTF8=ACCEPT and IMAP4rev2, which it does by
  // default; that path is in utf8-accept.test.ts.
  it('round-trips "Entwürfe/日本語 😀" through modified UTF-7 on the wire', async () => {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port: practice.starttls.port,
      secure: false,
      doSTARTTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: 'alice', pass: 'practice' },
      logger: false,
      disableAutoEnable: true,
    });
    await c.connect();
    try {
      const name = 'Entwürfe/日本語 😀';
      const created = await c.mailboxCreate(name);
      expect(created.path).toBe(name);
      // The store has the Unicode names, the parent included (RFC 3501 section 6.3.3).
      expect(practice.store.forAccount('alice').listMailboxes()).toEqual(expect.arrayContaining(['Entwürfe', name]));

      const list = await c.list();
      expect(list.map((m) => m.path)).toEqual(expect.arrayContaining(['Entwürfe', name]));
      expect(list.find((m) => m.path === name)?.name).toBe('日本語 😀');

      // Without ENABLE UTF8=ACCEPT a raw 8-bit header gets NO (RFC 6855 section 4): RFC 2047 words.
      const appended = await c.append(name, msg('=?utf-8?q?Gr=C3=BC=C3=9Fe?='), ['\\Seen']);
      expect(appended).toMatchObject({ destination: name, uid: 1 });
      const status = await c.status(name, { messages: true, unseen: true });
      expect(status).toMatchObject({ path: name, messages: 1, unseen: 0 });

      const lock = await c.getMailboxLock(name);
      try {
        const m = await c.fetchOne('1', { envelope: true, flags: true });
        expect(m && m.envelope?.subject).toBe('Grüße');
        expect(m && [...(m.flags ?? [])].sort()).toEqual(['\\Recent', '\\Seen']); // SELECTed first here, so \\Recent
      } finally {
        lock.release();
      }

      const renamed = await c.mailboxRename('Entwürfe', 'Черновики');
      expect(renamed.newPath).toBe('Черновики');
      expect((await c.list()).map((m) => m.path)).toEqual(expect.arrayContaining(['Черновики', 'Черновики/日本語 😀']));
      expect(await c.status('Черновики/日本語 😀', { messages: true })).toMatchObject({ messages: 1 });
      await c.mailboxClose(); // this server refuses to DELETE the selected mailbox ([INUSE])
      await c.mailboxDelete('Черновики/日本語 😀');
      expect(practice.store.forAccount('alice').listMailboxes()).not.toContain('Черновики/日本語 😀');
    } finally {
      await c.logout();
    }
  });
});

describe.skipIf(!has('python3'))('Python imaplib with encoded names written by hand (needs python3)', () => {
  let practice: Practice;
  beforeAll(async () => {
    practice = await startPractice();
  });
  afterAll(async () => {
    await practice?.close();
  });

  it('CREATE, LIST, APPEND, SELECT and STATUS with "&ZeVnLIqe-"; a broken name gets NO with the reason', async () => {
    const script = `
import imaplib, json, sys
c = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))
c.login('alice', 'practice')
out = {}
out['create'] = c.create('"~peter/mail/&U,BTFw-/&ZeVnLIqe-"')[0]
out['list'] = [l.decode() for l in c.list('""', '"~peter/*"')[1]]
out['append'] = c.append('"~peter/mail/&U,BTFw-/&ZeVnLIqe-"', None, None, b'Subject: hi\\r\\n\\r\\nbody\\r\\n')[0]
out['status'] = c.status('"~peter/mail/&U,BTFw-/&ZeVnLIqe-"', '(MESSAGES)')[1][0].decode()
out['select'] = c.select('"~peter/mail/&U,BTFw-/&ZeVnLIqe-"')[1][0].decode()
typ, data = c.create('"&Jjo!"')
out['broken'] = [typ, data[0].decode()]
c.logout()
print(json.dumps(out))
`;
    const { code, stdout, stderr } = await run('python3', ['-c', script, String(practice.plain.port)]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.create).toBe('OK');
    expect(r.list).toEqual([
      '(\\HasChildren) "/" ~peter/mail',
      '(\\HasChildren) "/" ~peter/mail/&U,BTFw-',
      '(\\HasNoChildren) "/" ~peter/mail/&U,BTFw-/&ZeVnLIqe-',
    ]);
    expect(r.append).toBe('OK');
    expect(r.status).toBe('~peter/mail/&U,BTFw-/&ZeVnLIqe- (MESSAGES 1)');
    expect(r.select).toBe('1');
    expect(r.broken[0]).toBe('NO');
    expect(r.broken[1]).toMatch(/not valid modified UTF-7.*no "-" ends/);
    expect(practice.store.forAccount('alice').listMailboxes()).toContain('~peter/mail/台北/日本語');
  });
});

function run(
  cmd: string,
  args: string[],
  timeoutMs = 20000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: out, stderr: err });
    });
  });
}
