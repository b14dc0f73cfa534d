// A selected mailbox closed under the session by someone else (DELETE or RENAME in another
// session, a practice reset): the session hears EXPUNGE for what was in it, then an untagged
// OK [CLOSED] saying what happened and what to type, and is back in the authenticated state.
// Raw sockets for the exact bytes, then imapflow and Python's imaplib as real clients.
import { spawn } from 'node:child_process';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { has, RawClient, startPractice, type Practice } from './harness.ts';

let p: Practice;
beforeAll(async () => {
  p = await startPractice();
});
afterAll(async () => {
  await p?.close();
});
beforeEach(async () => {
  await p.store.reset();
});

async function login(): Promise<RawClient> {
  const c = await RawClient.connect(p.plain.port);
  expect(await c.command('l', 'LOGIN alice practice')).toMatch(/l OK/);
  return c;
}

const append = (box: string, message: string) => `APPEND ${box} {${Buffer.byteLength(message)}+}\r\n${message}`;
const uidValidity = (selectReply: string) => Number(/UIDVALIDITY (\d+)/.exec(selectReply)![1]);

describe('DELETE of a mailbox another session has selected', () => {
  it('the other session hears EXPUNGE for each message, then OK [CLOSED], and can go on from the authenticated state', async () => {
    const owner = await login();
    expect(await owner.command('c', 'CREATE Projects')).toMatch(/c OK/);
    for (const n of [1, 2])
      expect(await owner.command(`a${n}`, append('Projects', `Subject: p${n}\r\n\r\nx\r\n`))).toMatch(/OK/);
    const other = await login();
    expect(await other.command('s', 'SELECT Projects')).toMatch(/\* 2 EXISTS[\s\S]*s OK \[READ-WRITE\]/);

    expect(await owner.command('d', 'DELETE Projects')).toMatch(/^d OK/);
    const noop = await other.command('n', 'NOOP');
    expect(noop).toMatch(
      /^\* 1 EXPUNGE\r\n\* 1 EXPUNGE\r\n\* OK \[CLOSED\] "Projects" was deleted by another session, so no mailbox is selected now\. SELECT INBOX [^\r]*\r\nn OK/,
    );
    const fetch = await other.command('f', 'FETCH 1 FLAGS');
    expect(fetch).toMatch(
      /^f BAD FETCH needs a selected mailbox, and none is selected since "Projects" was deleted by another session/,
    );
    expect(fetch).not.toMatch(/SERVERBUG/);
    // The state table puts the session in the authenticated state, where LIST and SELECT work.
    expect(await other.command('l2', 'LIST "" "*"')).not.toContain('Projects');
    expect(await other.command('s2', 'SELECT INBOX')).toMatch(/\* 1 EXISTS[\s\S]*s2 OK/);
    expect(await other.command('f2', 'FETCH 1 FLAGS')).toMatch(/\* 1 FETCH[\s\S]*f2 OK/);
    // Once another mailbox is selected, the old reason no longer colours the state's BAD.
    expect(await other.command('c2', 'CLOSE')).toMatch(/c2 OK/);
    expect(await other.command('f3', 'FETCH 1 FLAGS')).toMatch(
      /^f3 BAD FETCH is not allowed now: the session is authenticated/,
    );
    owner.close();
    other.close();
  });

  it('a session deleting the mailbox it has selected itself is still refused with INUSE', async () => {
    const c = await login();
    expect(await c.command('c', 'CREATE Mine')).toMatch(/c OK/);
    expect(await c.command('s', 'SELECT Mine')).toMatch(/s OK/);
    expect(await c.command('d', 'DELETE Mine')).toMatch(/^d NO \[INUSE\]/);
    expect(await c.command('n', 'NOOP')).toMatch(/^n OK/);
    c.close();
  });

  it('in IDLE the EXPUNGE and the notice arrive at once; DONE ends IDLE in the authenticated state', async () => {
    const owner = await login();
    expect(await owner.command('c', 'CREATE Watched')).toMatch(/c OK/);
    expect(await owner.command('a', append('Watched', 'Subject: w\r\n\r\nw\r\n'))).toMatch(/a OK/);
    const idler = await login();
    expect(await idler.command('s', 'SELECT Watched')).toMatch(/s OK/);
    idler.write('i IDLE\r\n');
    await idler.readUntil((t) => t.includes('+ '));
    expect(await owner.command('d', 'DELETE Watched')).toMatch(/d OK/);
    expect(await idler.readUntil((t) => t.includes('[CLOSED]'))).toMatch(
      /^\* 1 EXPUNGE\r\n\* OK \[CLOSED\] [^\r]*"Watched" was deleted/,
    );
    idler.write('DONE\r\n');
    expect(await idler.readUntil((t) => /i OK/.test(t))).toMatch(/^i OK/);
    expect(await idler.command('x', 'EXPUNGE')).toMatch(/^x BAD EXPUNGE needs a selected mailbox/);
    owner.close();
    idler.close();
  });
});

describe('RENAME of a selected mailbox', () => {
  it('by another session: OK [CLOSED] names the new name, no EXPUNGE (the messages moved), SELECT of the new name finds them', async () => {
    const owner = await login();
    expect(await owner.command('c', 'CREATE Old/Sub')).toMatch(/c OK/);
    expect(await owner.command('a', append('Old/Sub', 'Subject: kept\r\n\r\nk\r\n'))).toMatch(/a OK/);
    const other = await login();
    const before = await other.command('s', 'SELECT Old/Sub');
    expect(await owner.command('r', 'RENAME Old New')).toMatch(/r OK/);
    const noop = await other.command('n', 'NOOP');
    expect(noop).not.toMatch(/EXPUNGE/);
    // An inferior moves with its superior, so "Old/Sub" is now "New/Sub".
    expect(noop).toMatch(
      /^\* OK \[CLOSED\] [^\r]*"Old\/Sub" was renamed to "New\/Sub", so no mailbox is selected now\. SELECT "New\/Sub" to go on with it\.\r\nn OK/,
    );
    const after = await other.command('s2', 'SELECT "New/Sub"');
    expect(after).toMatch(/\* 1 EXISTS/);
    expect(uidValidity(after)).toBe(uidValidity(before)); // the same mailbox under a new name
    // Later changes to it reach the session that selected the new name, not a stale view.
    expect(await owner.command('a2', append('New/Sub', 'Subject: more\r\n\r\nm\r\n'))).toMatch(/a2 OK/);
    expect(await other.command('n2', 'NOOP')).toMatch(/^\* 2 EXISTS\r\n\* \d RECENT\r\nn2 OK/);
    owner.close();
    other.close();
  });

  it('by the session itself: the notice comes before the RENAME OK, with a non-ASCII name in modified UTF-7', async () => {
    const c = await login();
    expect(await c.command('c', 'CREATE Drafts2')).toMatch(/c OK/);
    expect(await c.command('s', 'SELECT Drafts2')).toMatch(/s OK/);
    const rename = await c.command('r', 'RENAME Drafts2 Entw&APw-rfe');
    expect(rename).toMatch(/^\* OK \[CLOSED\] [^\r]*"Drafts2" was renamed to "Entw&APw-rfe"[^\r]*\r\nr OK/);
    expect(await c.command('f', 'FETCH 1 FLAGS')).toMatch(/^f BAD FETCH needs a selected mailbox/);
    expect(await c.command('s2', 'SELECT Entw&APw-rfe')).toMatch(/s2 OK/);
    c.close();
  });

  it('RENAME INBOX keeps INBOX selectable: the session hears EXPUNGE and stays selected', async () => {
    const other = await login();
    expect(await other.command('s', 'SELECT INBOX')).toMatch(/\* 1 EXISTS/);
    const owner = await login();
    expect(await owner.command('r', 'RENAME INBOX Saved')).toMatch(/r OK/);
    const noop = await other.command('n', 'NOOP');
    expect(noop).toMatch(/^\* 1 EXPUNGE\r\nn OK/);
    expect(await other.command('f', 'UID FETCH 1:* FLAGS')).toMatch(/^f OK/);
    owner.close();
    other.close();
  });
});

function imapflow(): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port: p.plain.port,
    secure: false,
    auth: { user: 'alice', pass: 'practice' },
    logger: false,
  });
}

describe('imapflow', () => {
  it('after a reset: hears the EXPUNGE, a STORE is refused, and a new SELECT shows the new UIDVALIDITY and the mail delivered since', async () => {
    await p.store.deliver(['alice@practice.test'], Buffer.from('Subject: before\r\n\r\nb\r\n'));
    const client = imapflow();
    await client.connect();
    try {
      const first = await client.mailboxOpen('INBOX');
      expect(first.exists).toBe(2);
      const expunged: number[] = [];
      client.on('expunge', (e: { seq: number }) => expunged.push(e.seq));
      await p.store.reset();
      await p.store.deliver(['alice@practice.test'], Buffer.from('Subject: after\r\n\r\na\r\n'));
      await client.noop();
      expect(expunged).toEqual([1, 1]);
      // imapflow does not act on [CLOSED]; the server's BAD makes the STORE fail cleanly.
      await expect(client.messageFlagsAdd('1', ['\\Seen'])).resolves.toBe(false);
      const again = await client.mailboxOpen('INBOX');
      expect(BigInt(again.uidValidity)).toBeGreaterThan(BigInt(first.uidValidity));
      expect(again.exists).toBe(2);
      const subjects: string[] = [];
      for await (const m of client.fetch('1:*', { envelope: true })) subjects.push(m.envelope?.subject ?? '');
      expect(subjects[1]).toBe('after');
      expect(await client.messageFlagsAdd('2', ['\\Seen'])).toBe(true);
    } finally {
      await client.logout();
    }
  });

  it('after a DELETE elsewhere: the mailbox and its messages are gone, INBOX opens as usual', async () => {
    const owner = await login();
    expect(await owner.command('c', 'CREATE Gone')).toMatch(/c OK/);
    expect(await owner.command('a', append('Gone', 'Subject: g\r\n\r\ng\r\n'))).toMatch(/a OK/);
    const client = imapflow();
    await client.connect();
    try {
      expect((await client.mailboxOpen('Gone')).exists).toBe(1);
      expect(await owner.command('d', 'DELETE Gone')).toMatch(/d OK/);
      await client.noop();
      expect(client.mailbox && client.mailbox.exists).toBe(0);
      await expect(client.search({ all: true })).resolves.toBe(false);
      expect((await client.list()).map((m) => m.path)).not.toContain('Gone');
      expect((await client.mailboxOpen('INBOX')).exists).toBe(1);
    } finally {
      await client.logout();
      owner.close();
    }
  });
});

describe.skipIf(!has('python3'))('Python imaplib (needs python3)', () => {
  it('after a reset: NOOP collects EXPUNGE and CLOSED, STORE raises with the reason, select() sees the new INBOX', async () => {
    const script = `
import imaplib, sys, json
c = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))
c.login('alice', 'practice')
typ, data = c.select('INBOX')
out = {'before': int(data[0]), 'uidvalidity': c.response('UIDVALIDITY')[1][0].decode()}
print('ready', flush=True)
sys.stdin.readline()
c.noop()
out['expunge'] = [d.decode() for d in c.response('EXPUNGE')[1]]
out['closed'] = c.response('CLOSED')[0]
try:
    c.store('1', '+FLAGS', '(\\\\Seen)')
    out['store'] = 'accepted'
except imaplib.IMAP4.error as e:
    out['store'] = str(e)
typ, data = c.select('INBOX')
out['after'] = int(data[0])
out['uidvalidity2'] = c.response('UIDVALIDITY')[1][0].decode()
typ, data = c.fetch('2', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
out['subject'] = data[0][1].decode().strip()
c.logout()
print(json.dumps(out))
`;
    const child = spawn('python3', ['-c', script, String(p.plain.port)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const ready = new Promise<void>((resolve) =>
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.includes('ready\n')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await Promise.race([ready, exited]);
    await p.store.reset();
    await p.store.deliver(['alice@practice.test'], Buffer.from('Subject: after the reset\r\n\r\nnew\r\n'));
    child.stdin.end('go\n');
    expect(await exited, stderr).toBe(0);
    const out = JSON.parse(stdout.split('\n').find((l) => l.startsWith('{'))!);
    expect(out.before).toBe(1);
    expect(out.expunge).toEqual(['1']);
    expect(out.closed).toBe('CLOSED'); // imaplib files the untagged OK under its response code
    expect(out.store).toMatch(/STORE needs a selected mailbox[^]*SELECT INBOX again/);
    expect(out.after).toBe(2);
    expect(Number(out.uidvalidity2)).toBeGreaterThan(Number(out.uidvalidity));
    expect(out.subject).toBe('Subject: after the reset');
  });
});
