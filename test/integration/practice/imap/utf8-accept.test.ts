// UTF8=ACCEPT (RFC 6855) and IMAP4rev2 (RFC 9051) through ENABLE, on the practice IMAP server.
// Dovecot 2.3 offers neither, so the expectations come from the RFC text (cited in each test).
// Real clients: Python's imaplib (enable('UTF8=ACCEPT') sends UTF-8 after it) and imapflow (which
// enables CONDSTORE, UTF8=ACCEPT and IMAP4rev2 by itself); a raw socket for exact replies.
import { spawn } from 'node:child_process';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { has, RawClient, startPractice, type Practice } from './harness.ts';
import { DOVECOT, IS_ROOT, startDovecotImap } from './dovecot-peer.ts';

/** The raw client reads latin1; UTF-8 replies are read back as UTF-8 here. */
const utf8 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');
const message = (subject: string) => `From: bob@practice.test\r\nSubject: ${subject}\r\n\r\nbody\r\n`;

let practice: Practice;
beforeAll(async () => {
  practice = await startPractice();
});
afterAll(async () => {
  await practice?.close();
});

async function login(): Promise<RawClient> {
  const c = await RawClient.connect(practice.plain.port);
  await c.command('L', 'LOGIN alice practice');
  return c;
}

describe('UTF8=ACCEPT over a raw socket (RFC 6855)', () => {
  it('advertises IMAP4rev2 beside IMAP4rev1 and UTF8=ACCEPT, and ENABLE leaves CAPABILITY as it was (RFC 9051 6.3.1)', async () => {
    const c = await login();
    const before = await c.command('a', 'CAPABILITY');
    expect(before).toMatch(/^\* CAPABILITY IMAP4rev1 IMAP4rev2 .*UTF8=ACCEPT/m);
    expect(await c.command('b', 'ENABLE UTF8=ACCEPT IMAP4rev2 X-UNKNOWN')).toMatch(
      /^\* ENABLED UTF8=ACCEPT IMAP4rev2\r\nb OK/m,
    );
    expect((await c.command('c', 'CAPABILITY')).split('\r\n')[0]).toBe(before.split('\r\n')[0]);
    c.close();
  });

  it('takes UTF-8 names after ENABLE UTF8=ACCEPT, and a session that did not enable sees them in modified UTF-7 (RFC 6855 section 3)', async () => {
    const c = await login();
    expect(await c.command('a', 'ENABLE UTF8=ACCEPT')).toMatch(/^\* ENABLED UTF8=ACCEPT\r$/m);
    expect(await c.command('b', 'CREATE "Fächer/Café & Tee"')).toMatch(/^b OK/m);
    expect(utf8(await c.command('c', 'LIST "" "Fächer/*"'))).toMatch(
      /^\* LIST \(\\HasNoChildren\) "\/" "Fächer\/Café & Tee"\r$/m,
    );
    expect(utf8(await c.command('d', 'STATUS "Fächer/Café & Tee" (MESSAGES)'))).toMatch(
      /^\* STATUS "Fächer\/Café & Tee" \(MESSAGES 0\)\r$/m,
    );
    // "&" is a plain character in a UTF-8 name: no modified UTF-7 reading (RFC 9051 section 5.1).
    expect(practice.store.forAccount('alice').listMailboxes()).toContain('Fächer/Café & Tee');
    // Not UTF-8 at all: BAD (RFC 6855 section 3); a control character: NO [CANNOT].
    c.write(Buffer.concat([Buffer.from('e CREATE "bad'), Buffer.from([0xff, 0xfe]), Buffer.from('"\r\n')]));
    expect(await c.readUntil((t) => /\r\ne |^e /.test(t) && t.endsWith('\r\n'))).toMatch(/^e BAD .*not valid UTF-8/m);
    expect(await c.command('f', 'CREATE {3+}\r\na\tb')).toMatch(/^f NO \[CANNOT\] .*control characters/m);
    c.close();

    const legacy = await login();
    expect(await legacy.command('g', 'LIST "" "F*"')).toMatch(
      /^\* LIST \(\\HasNoChildren\) "\/" "F&AOQ-cher\/Caf&AOk- &- Tee"\r$/m,
    );
    legacy.close();
  });

  it('refuses SEARCH with CHARSET after ENABLE UTF8=ACCEPT with BAD, and reads its text as UTF-8 without a note (RFC 6855 section 3)', async () => {
    const c = await login();
    await c.command('a', 'ENABLE UTF8=ACCEPT');
    await c.command('b', 'SELECT INBOX');
    expect(await c.command('c', 'SEARCH CHARSET UTF-8 SUBJECT "x"')).toMatch(/^c BAD .*takes no CHARSET.*RFC 6855/m);
    const found = await c.command('d', 'SEARCH SUBJECT "Grüße"');
    expect(found).toMatch(/^\* SEARCH\r\nd OK SEARCH completed\.\r$/m); // no 8-bit note once UTF-8 is enabled
    c.close();
    // Before ENABLE the same search is read as UTF-8 too, and the reply says so (issue 16, point 4).
    const legacy = await login();
    await legacy.command('b', 'SELECT INBOX');
    expect(await legacy.command('d', 'SEARCH SUBJECT "Grüße"')).toMatch(/^d OK SEARCH completed\. Note: .*8-bit/m);
    legacy.close();
  });

  it('APPENDs UTF8 (~{n}) after ENABLE and FETCHes the 8-bit header as it is; without ENABLE, 8-bit headers get NO (RFC 6855 section 4)', async () => {
    const body = Buffer.from(message('Grüße aus Köln'), 'utf8');
    const legacy = await login();
    legacy.write(Buffer.concat([Buffer.from(`a APPEND INBOX {${body.length}+}\r\n`), body, Buffer.from('\r\n')]));
    expect(await legacy.readUntil((t) => /^a (OK|NO|BAD)/m.test(t))).toMatch(
      /^a NO .*8-bit characters in its header.*ENABLE UTF8=ACCEPT/m,
    );
    expect(await legacy.command('b', `APPEND INBOX UTF8 (~{${message('x').length}+}\r\n${message('x')})`)).toMatch(
      /^b NO .*needs ENABLE UTF8=ACCEPT/m,
    );
    legacy.close();

    const c = await login();
    await c.command('c', 'ENABLE UTF8=ACCEPT');
    c.write(Buffer.concat([Buffer.from(`d APPEND INBOX UTF8 (~{${body.length}+}\r\n`), body, Buffer.from(')\r\n')]));
    const appended = await c.readUntil((t) => /^d (OK|NO|BAD)/m.test(t));
    expect(appended).toMatch(/^d OK \[APPENDUID \d+ (\d+)\]/m);
    const uid = /APPENDUID \d+ (\d+)/.exec(appended)![1];
    await c.command('e', 'EXAMINE INBOX');
    const fetched = utf8(await c.command('f', `UID FETCH ${uid} (BODY.PEEK[HEADER.FIELDS (SUBJECT)])`));
    expect(fetched).toContain('Subject: Grüße aus Köln');
    expect(await c.command('g', 'SEARCH SUBJECT "Köln"')).toMatch(/^\* SEARCH \d+\r$/m);
    c.close();
    // A session that did not enable never gets UTF-8 in a quoted string (RFC 6855 section 3): the
    // 8-bit subject of ENVELOPE comes as a literal, the header bytes unchanged.
    const other = await login();
    await other.command('h', 'EXAMINE INBOX');
    const envelope = utf8(await other.command('i', `UID FETCH ${uid} (ENVELOPE)`));
    expect(envelope).toMatch(/ENVELOPE \((NIL|"[^"]*") \{\d+\}\r\nGrüße aus Köln /);
    expect(envelope).not.toMatch(/"Grüße/);
    other.close();
  });
});

describe('CATENATE with a UTF8 part (RFC 6855 section 4: cat-part =/ utf8-literal)', () => {
  it('joins a UTF8 (~{n}) part after ENABLE; without ENABLE the same APPEND gets NO', async () => {
    const head = Buffer.from('From: a@practice.test\r\nSubject: Grüße vom Rhein\r\n', 'utf8');
    const rest = Buffer.from('\r\nBody text.\r\n');
    const catenate = (tag: string) =>
      Buffer.concat([
        Buffer.from(`${tag} APPEND INBOX CATENATE (UTF8 (~{${head.length}+}\r\n`),
        head,
        Buffer.from(`) TEXT {${rest.length}+}\r\n`),
        rest,
        Buffer.from(')\r\n'),
      ]);
    const legacy = await login();
    legacy.write(catenate('a'));
    expect(await legacy.readUntil((t) => /^a (OK|NO|BAD)/m.test(t))).toMatch(/^a NO .*needs ENABLE UTF8=ACCEPT/m);
    legacy.close();

    const c = await login();
    await c.command('b', 'ENABLE UTF8=ACCEPT');
    c.write(catenate('c'));
    const appended = await c.readUntil((t) => /^c (OK|NO|BAD)/m.test(t));
    expect(appended).toMatch(/^c OK \[APPENDUID \d+ (\d+)\]/m);
    const uid = /APPENDUID \d+ (\d+)/.exec(appended)![1];
    await c.command('d', 'EXAMINE INBOX');
    const fetched = utf8(await c.command('e', `UID FETCH ${uid} (BODY.PEEK[])`));
    expect(fetched).toContain('Subject: Grüße vom Rhein\r\n\r\nBody text.');
    expect(await c.command('f', 'APPEND INBOX CATENATE (UTF8 ("Subject: x"))')).toMatch(
      /^f BAD A UTF8 part takes one literal/m,
    );
    c.close();
  });
});

describe('malformed UTF8 APPEND data', () => {
  it('answers each with BAD and a sentence, and the session goes on', async () => {
    const c = await login();
    await c.command('a', 'ENABLE UTF8=ACCEPT');
    expect(await c.command('b', 'APPEND INBOX UTF8 ("Subject: x")')).toMatch(/^b BAD UTF8 takes one literal/m);
    expect(await c.command('c', 'APPEND INBOX UTF8 ({1+}\r\nx {1+}\r\ny)')).toMatch(/^c BAD UTF8 takes one literal/m);
    expect(await c.command('d', 'APPEND INBOX UTF8')).toMatch(/^d BAD The message goes last/m);
    expect(await c.command('e', 'APPEND INBOX UTF8 ()')).toMatch(/^e BAD UTF8 takes one literal/m);
    expect(await c.command('f', 'NOOP')).toMatch(/^f OK/m);
    c.close();
  });
});

describe('IMAP4rev2 through ENABLE over a raw socket (RFC 9051)', () => {
  it('answers SELECT with LIST and without RECENT or UNSEEN, SEARCH with ESEARCH, STATUS with DELETED and SIZE', async () => {
    const rev1 = await login();
    const rev1Select = await rev1.command('a', 'EXAMINE INBOX');
    expect(rev1Select).toMatch(/^\* \d+ RECENT\r$/m);
    expect(rev1Select).not.toMatch(/^\* LIST /m);
    expect(await rev1.command('b', 'SEARCH ALL')).toMatch(/^\* SEARCH [\d ]+\r$/m);
    rev1.close();

    const c = await login();
    expect(await c.command('a', 'ENABLE IMAP4rev2')).toMatch(/^\* ENABLED IMAP4rev2\r$/m);
    const selected = await c.command('b', 'SELECT INBOX');
    // RFC 9051 section 6.3.2: LIST is required; RECENT and UNSEEN are deprecated (Appendix E 10-12).
    expect(selected).toMatch(/^\* LIST \(\\HasNoChildren\) "\/" INBOX\r$/m);
    expect(selected).not.toMatch(/RECENT|\[UNSEEN/);
    expect(selected).toMatch(/^b OK \[READ-WRITE\]/m);
    // RFC 9051 section 6.4.4: ESEARCH always, ALL when no RETURN; no match gives no ALL.
    expect(await c.command('c', 'SEARCH ALL')).toMatch(/^\* ESEARCH \(TAG "c"\) ALL 1(:\d+)?\r\nc OK/m);
    expect(await c.command('d', 'UID SEARCH SUBJECT "no such subject anywhere"')).toMatch(
      /^\* ESEARCH \(TAG "d"\) UID\r\nd OK/m,
    );
    expect(await c.command('e', 'FETCH 1 (FLAGS)')).not.toMatch(/\\Recent/); // RFC 9051 section 2.3.2
    await c.command('f', 'STORE 1 +FLAGS (\\Deleted)');
    const status = await c.command('g', 'STATUS INBOX (MESSAGES DELETED SIZE)');
    expect(status).toMatch(/^\* STATUS INBOX \(MESSAGES \d+ DELETED 1 SIZE \d+\)\r$/m);
    expect(Number(/SIZE (\d+)/.exec(status)![1])).toBeGreaterThan(100);
    expect(await c.command('h', 'STATUS INBOX (RECENT)')).toMatch(/^h BAD .*no STATUS RECENT.*6\.3\.11/m);
    await c.command('i', 'STORE 1 -FLAGS (\\Deleted)');
    // Dropped in rev2 but still answered, and the reply says so (Appendix E items 17, 19).
    expect(await c.command('j', 'CHECK')).toMatch(/^j OK .*IMAP4rev2 dropped CHECK.*NOOP/m);
    expect(await c.command('k', 'LSUB "" "*"')).toMatch(/^k OK .*IMAP4rev2 dropped LSUB/m);
    c.close();
  });

  it('reports new mail with EXISTS and no RECENT in a rev2 session, with RECENT in a rev1 one', async () => {
    const rev1 = await login();
    await rev1.command('a', 'SELECT INBOX');
    const rev2 = await login();
    await rev2.command('b', 'ENABLE IMAP4rev2');
    await rev2.command('c', 'EXAMINE INBOX');
    const other = await login();
    const body = message('new mail');
    expect(await other.command('d', `APPEND INBOX {${body.length}+}\r\n${body}`)).toMatch(/^d OK/m);
    other.close();
    const rev2Noop = await rev2.command('e', 'NOOP');
    expect(rev2Noop).toMatch(/^\* \d+ EXISTS\r$/m);
    expect(rev2Noop).not.toMatch(/RECENT/);
    expect(await rev1.command('f', 'NOOP')).toMatch(/^\* \d+ EXISTS\r\n\* \d+ RECENT\r$/m);
    rev1.close();
    rev2.close();
  });

  it('sends UTF-8 names after ENABLE IMAP4rev2 alone, in LIST and in the LIST of SELECT (RFC 9051 section 5.1, Appendix A)', async () => {
    const c = await login();
    await c.command('a', 'ENABLE IMAP4rev2');
    expect(await c.command('b', 'CREATE "Общее"')).toMatch(/^b OK/m);
    expect(utf8(await c.command('c', 'SELECT "Общее"'))).toMatch(/^\* LIST \(\\HasNoChildren\) "\/" "Общее"\r$/m);
    c.close();
  });
});

describe.skipIf(!has('python3'))('Python imaplib with enable("UTF8=ACCEPT") (needs python3)', () => {
  it('creates, lists, selects and searches a UTF-8 mailbox; imaplib itself refuses a CHARSET in UTF-8 mode', async () => {
    const script = `
import imaplib, json, sys
c = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))
c.login('alice', 'practice')
out = {}
out['enable'] = [c.enable('UTF8=ACCEPT')[0], c.utf8_enabled]
out['create'] = c.create('"Entwürfe/日本語"')[0]
out['list'] = [l.decode('utf-8') for l in c.list('""', '"Entw*"')[1]]
out['status'] = c.status('"Entwürfe/日本語"', '(MESSAGES)')[1][0].decode('utf-8')
out['select'] = c.select('"Entwürfe/日本語"')[0]
out['search'] = [c.search(None, 'SUBJECT', '"Grüße"')[0]]
try:
    c.search('UTF-8', 'ALL')
    out['charset'] = 'sent'
except imaplib.IMAP4.error as e:
    out['charset'] = str(e)
c.logout()
print(json.dumps(out))
`;
    const { code, stdout, stderr } = await run('python3', ['-c', script, String(practice.plain.port)]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.enable).toEqual(['OK', true]);
    expect(r.create).toBe('OK');
    expect(r.list).toEqual(['(\\HasChildren) "/" "Entwürfe"', '(\\HasNoChildren) "/" "Entwürfe/日本語"']);
    expect(r.status).toBe('"Entwürfe/日本語" (MESSAGES 0)');
    expect(r.select).toBe('OK');
    expect(r.search).toEqual(['OK']);
    expect(r.charset).toMatch(/charset/i);
    expect(practice.store.forAccount('alice').listMailboxes()).toContain('Entwürfe/日本語');
  });
});

describe('imapflow, which enables UTF8=ACCEPT and IMAP4rev2 itself', () => {
  it('round-trips "Ordner/日本語 😀" as UTF-8, appends, searches (ESEARCH) and fetches without \\Recent', async () => {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port: practice.plain.port,
      secure: false,
      auth: { user: 'alice', pass: 'practice' },
      logger: false,
    });
    await c.connect();
    try {
      expect([...(c.enabled ?? [])].map((e) => e.toUpperCase())).toEqual(
        expect.arrayContaining(['UTF8=ACCEPT', 'IMAP4REV2']),
      );
      const name = 'Ordner/日本語 😀';
      expect((await c.mailboxCreate(name)).path).toBe(name);
      expect((await c.list()).map((m) => m.path)).toEqual(expect.arrayContaining(['Ordner', name]));
      expect(await c.append(name, message('Grüße'), ['\\Seen'])).toMatchObject({ destination: name, uid: 1 });
      expect(await c.status(name, { messages: true, unseen: true })).toMatchObject({ messages: 1, unseen: 0 });
      const lock = await c.getMailboxLock(name);
      try {
        expect(await c.search({ subject: 'Grüße' }, { uid: true })).toEqual([1]);
        const m = await c.fetchOne('1', { envelope: true, flags: true });
        expect(m && m.envelope?.subject).toBe('Grüße');
        expect(m && [...(m.flags ?? [])]).toEqual(['\\Seen']); // no \Recent in IMAP4rev2 (RFC 9051 2.3.2)
      } finally {
        lock.release();
      }
    } finally {
      await c.logout();
    }
    expect(practice.store.forAccount('alice').listMailboxes()).toContain('Ordner/日本語 😀');
  });
});

// The console tells a learner the practice server is stricter than Dovecot here
// (app/src/protocols/imap/practice-deviations.ts, 'append-8bit-header'): this checks the Dovecot half.
describe.skipIf(!DOVECOT || !IS_ROOT)('Dovecot 2.3 beside it (needs dovecot and root)', () => {
  it('offers no UTF8=ACCEPT and stores an APPEND with an 8-bit header, which the practice server refuses', async () => {
    const dovecot = await startDovecotImap();
    try {
      const c = await RawClient.connect(dovecot.port);
      expect(await c.command('L', 'LOGIN alice practice')).not.toMatch(/UTF8=ACCEPT|IMAP4rev2/);
      expect(await c.command('a', 'CAPABILITY')).not.toMatch(/UTF8=ACCEPT|IMAP4rev2/);
      const body = Buffer.from(message('Grüße'), 'utf8');
      c.write(Buffer.concat([Buffer.from(`b APPEND INBOX {${body.length}+}\r\n`), body, Buffer.from('\r\n')]));
      expect(await c.readUntil((t) => /^b (OK|NO|BAD)/m.test(t))).toMatch(/^b OK/m);
      c.close();
    } finally {
      await dovecot.stop();
    }
  });
});

function run(
  cmd: string,
  args: string[],
  timeoutMs = 20000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
