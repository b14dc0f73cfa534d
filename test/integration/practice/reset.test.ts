// POST /api/practice/reset against a real mailwire: mail delivered over SMTP (nodemailer), the
// reset asked for over HTTP with the page's own Origin, then IMAP and POP3 over real TLS sockets.
// Sessions open during the reset: IMAP hears EXPUNGE, then OK [CLOSED] with what to do, and is
// back in the authenticated state; POP3 loses nothing. Commands sent while a reset runs wait for
// it and see the fresh store, never a missing or half-emptied INBOX.
// (Without a practice server the route answers 409: test/integration/relay/http.test.ts.)
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configWithDefaults } from '../../../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { startMailwire, type RunningMailwire } from '../../../bridge/start.ts';
import { RawClient as ImapClient } from './imap/harness.ts';
import { RawClient as Pop3Client } from './pop3/harness.ts';
import { ZERO_PORTS } from './smtp/helpers.ts';

let mw: RunningMailwire;
let dataDir: string;
const logs: string[] = [];
const origin = () => new URL(mw.url).origin;
const port = (target: string) => mw.practice!.endpoints[target as 'practice/smtp'].port;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mw-reset-'));
  const config = configWithDefaults({
    dataDir,
    port: 0,
    practice: practiceConfigWithDefaults({ dataDir, ports: ZERO_PORTS }),
  });
  mw = await startMailwire(config, { log: (event, fields) => logs.push(JSON.stringify({ event, ...fields })) });
});
afterAll(async () => {
  await mw?.close();
  await rm(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await mw.practice!.reset('test set-up');
});

async function deliver(to: string, subject: string): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: port('practice/smtp'),
    secure: false,
    ignoreTLS: true,
  });
  try {
    await transport.sendMail({ from: 'carol@example.org', to, subject, text: `body of ${subject}` });
  } finally {
    transport.close();
  }
}

async function postReset(
  headers: Record<string, string> = { origin: origin() },
  method = 'POST',
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${mw.url}api/practice/reset`, { method, headers });
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return { status: res.status, body: await res.json() };
}

async function imapLogin(user = 'alice'): Promise<ImapClient> {
  const c = await ImapClient.connect(port('practice/imaps'), true);
  expect(await c.command('l', `LOGIN ${user} practice`)).toMatch(/l OK/);
  return c;
}

/** APPEND with a LITERAL+ literal of the exact length. */
const append = (box: string, message: string) => `APPEND ${box} {${Buffer.byteLength(message)}+}\r\n${message}`;
const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;
const uidValidity = (selectReply: string) => Number(/UIDVALIDITY (\d+)/.exec(selectReply)![1]);
const subjects = (fetchReply: string) => [...fetchReply.matchAll(/Subject: ([^\r\n]*)/g)].map((m) => m[1]);

describe('POST /api/practice/reset', () => {
  it('empties every mailbox of every account, says what it removed, and IMAP and POP3 see only a fresh welcome', async () => {
    await deliver('alice@practice.test', 'first for alice');
    await deliver('alice@practice.test', 'second for alice');
    await deliver('bob@practice.test', 'one for bob');
    const before = await imapLogin();
    const selected = await before.command('s', 'SELECT INBOX');
    expect(selected).toMatch(/\* 3 EXISTS/);
    expect(await before.command('c', 'CREATE Projects/2026')).toMatch(/c OK/);
    expect(await before.command('a', append('Projects/2026', 'Subject: x\r\n\r\nx\r\n'))).toMatch(/a OK/);
    expect(await before.command('o', 'LOGOUT')).toMatch(/o OK/);
    before.close();

    const { status, body } = await postReset();
    expect(status).toBe(200);
    expect(body.reset).toBe(true);
    const alice = body.accounts.find((a: any) => a.username === 'alice');
    const bob = body.accounts.find((a: any) => a.username === 'bob');
    // The old welcome message counts as removed: a fresh one takes its place.
    expect(alice).toEqual({
      username: 'alice',
      address: 'alice@practice.test',
      messages: 4,
      mailboxes: ['Projects', 'Projects/2026'],
    });
    expect(bob).toEqual({ username: 'bob', address: 'bob@practice.test', messages: 2, mailboxes: [] });
    expect(body.messages).toBe(6);
    expect(JSON.stringify(body)).not.toContain('practice"'); // no passwords in the answer

    const after = await imapLogin();
    const reselected = await after.command('s', 'SELECT INBOX');
    expect(reselected).toMatch(/\* 1 EXISTS/);
    // UIDs start again at 1, so UIDVALIDITY must grow (RFC 3501 section 2.3.1.1).
    expect(uidValidity(reselected)).toBeGreaterThan(uidValidity(selected));
    expect(reselected).toMatch(/UIDNEXT 2\]/);
    expect(subjects(await after.command('f', 'FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]'))).toHaveLength(1);
    const list = await after.command('l2', 'LIST "" "*"');
    expect(list).not.toContain('Projects');
    expect(count(list, /^\* LIST/gm)).toBe(4); // INBOX, Drafts, Sent, Trash
    after.close();

    const pop = await Pop3Client.connect(port('practice/pop3s'), true);
    expect(await pop.line()).toMatch(/^\+OK/);
    await pop.login('bob');
    expect(await pop.cmd('STAT')).toMatch(/^\+OK 1 \d+$/);
    expect(await pop.cmd('QUIT')).toMatch(/^\+OK/);
    pop.destroy();
    expect(logs.some((l) => l.includes('"event":"practice.reset"') && l.includes('"from":"http 127.0.0.1"'))).toBe(
      true,
    );
  });

  it('refuses a foreign or missing Origin with 403 and a JSON error, and removes nothing', async () => {
    await deliver('alice@practice.test', 'must survive');
    const inbox = () => mw.practice!.store.forAccount('alice').mailbox('INBOX')!.messages().length;
    expect(inbox()).toBe(2);
    const foreign = await postReset({ origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(foreign.body.message).toContain('http://evil.example');
    const missing = await postReset({});
    expect(missing.status).toBe(403);
    expect(missing.body.code).toBe('ORIGIN_REQUIRED');
    expect(missing.body.message).toMatch(/Origin/);
    // Same host, other port: another origin.
    expect((await postReset({ origin: `http://127.0.0.1:${port('practice/smtp')}` })).status).toBe(403);
    const get = await postReset({ origin: origin() }, 'GET');
    expect(get.status).toBe(405);
    expect(get.body.code).toBe('METHOD_NOT_ALLOWED');
    expect(inbox()).toBe(2);
  });

  it('a session with INBOX selected hears EXPUNGE for each message, then OK [CLOSED], and is back in the authenticated state', async () => {
    await deliver('alice@practice.test', 'one');
    await deliver('alice@practice.test', 'two');
    const busy = await imapLogin();
    const selected = await busy.command('s', 'SELECT INBOX');
    expect(selected).toMatch(/\* 3 EXISTS/);
    const idle = await imapLogin();
    expect(await idle.command('s', 'SELECT INBOX')).toMatch(/\* 3 EXISTS/);
    idle.write('i IDLE\r\n');
    await idle.readUntil((t) => t.includes('+ '));

    expect((await postReset()).status).toBe(200);
    // IDLE: the EXPUNGEs and the notice arrive without any command (RFC 2177).
    const pushed = await idle.readUntil((t) => t.includes('[CLOSED]'));
    expect(count(pushed, /^\* \d+ EXPUNGE\r$/gm)).toBe(3);
    expect(pushed.indexOf('[CLOSED]')).toBeGreaterThan(pushed.lastIndexOf('EXPUNGE'));
    expect(pushed).not.toMatch(/BYE/);
    idle.write('DONE\r\n');
    expect(await idle.readUntil((t) => /i OK/.test(t))).toMatch(/i OK/);
    expect(await idle.command('f', 'FETCH 1 FLAGS')).toMatch(
      /^f BAD FETCH needs a selected mailbox[^\r]*SELECT INBOX again/m,
    );

    // Mail delivered after the reset: the old, closed INBOX never hears of it.
    await deliver('alice@practice.test', 'after reset');
    // Not idling: everything waits for the next command (RFC 3501 section 7.4.1), in order:
    // the EXPUNGEs, the notice that says what happened and what to type, then the tagged OK.
    const noop = await busy.command('n', 'NOOP');
    expect(noop).toMatch(
      /^(\* 1 EXPUNGE\r\n){3}\* OK \[CLOSED\] [^\r]*practice server was reset[^\r]*SELECT INBOX again[^\r]*\r\nn OK/,
    );
    expect(noop).not.toMatch(/EXISTS/);
    // Authenticated, not selected: a STORE gets the state's BAD with the reason, not SERVERBUG.
    const store = await busy.command('st', 'STORE 1 +FLAGS (\\Seen)');
    expect(store).toMatch(
      /^st BAD STORE needs a selected mailbox, and none is selected since the practice server was reset[^\r]*SELECT INBOX again/,
    );
    expect(store).not.toMatch(/SERVERBUG/);
    expect(await busy.command('u', 'UID FETCH 1:* FLAGS')).toMatch(/^u BAD UID FETCH needs a selected mailbox/);
    // Authenticated-state commands still work; APPEND lands in the new INBOX.
    expect(await busy.command('a', append('INBOX', 'Subject: appended after reset\r\n\r\nhello\r\n'))).toMatch(
      /a OK \[APPENDUID \d+ 3\]/,
    );
    const again = await busy.command('s2', 'SELECT INBOX');
    expect(again).toMatch(/\* 3 EXISTS/);
    expect(uidValidity(again)).toBeGreaterThan(uidValidity(selected));
    expect(subjects(await busy.command('f', 'FETCH 2:3 BODY.PEEK[HEADER.FIELDS (SUBJECT)]'))).toEqual([
      'after reset',
      'appended after reset',
    ]);
    expect(await busy.command('st2', 'STORE 2 +FLAGS (\\Seen)')).toMatch(/st2 OK/);
    expect(await busy.command('o', 'LOGOUT')).toMatch(/\* BYE[\s\S]*o OK/);
    busy.close();
    idle.close();
    expect(logs.some((l) => l.includes('"event":"imap.mailbox-closed"') && l.includes('"reason":"reset"'))).toBe(true);
  });

  it('a STORE by message number as the first command after a reset gets the notice without EXPUNGE, and the clear BAD', async () => {
    await deliver('alice@practice.test', 'one');
    const bySeq = await imapLogin();
    expect(await bySeq.command('s', 'SELECT INBOX')).toMatch(/\* 2 EXISTS/);
    const byUid = await imapLogin();
    expect(await byUid.command('s', 'SELECT INBOX')).toMatch(/\* 2 EXISTS/);
    expect((await postReset()).status).toBe(200);

    // No EXPUNGE during a STORE by sequence number (RFC 3501 section 7.4.1); once the mailbox is
    // gone its numbers mean nothing, so the notice alone goes, then the refusal.
    const seq = await bySeq.command('t', 'STORE 1:2 +FLAGS (\\Flagged)');
    expect(seq).not.toMatch(/EXPUNGE/);
    expect(seq).toMatch(/^\* OK \[CLOSED\] [^\r]*\r\nt BAD STORE needs a selected mailbox[^\r]*SELECT INBOX again/);
    // UID STORE may carry EXPUNGE: both messages are reported gone first.
    const uid = await byUid.command('t', 'UID STORE 1:* +FLAGS (\\Flagged)');
    expect(uid).toMatch(
      /^\* 1 EXPUNGE\r\n\* 1 EXPUNGE\r\n\* OK \[CLOSED\][^\r]*\r\nt BAD UID STORE needs a selected mailbox/,
    );
    // The store kept nothing of either attempt: the fresh welcome message is unflagged.
    const fresh = mw.practice!.store.forAccount('alice').mailbox('INBOX')!.messages();
    expect(fresh.map((m) => m.flags)).toEqual([[]]);
    bySeq.close();
    byUid.close();
  });

  it('a session with a mailbox the reset removes is told to SELECT INBOX instead', async () => {
    const c = await imapLogin();
    expect(await c.command('c', 'CREATE Projects')).toMatch(/c OK/);
    expect(await c.command('a', append('Projects', 'Subject: p\r\n\r\np\r\n'))).toMatch(/a OK/);
    expect(await c.command('s', 'SELECT Projects')).toMatch(/\* 1 EXISTS/);
    expect((await postReset()).status).toBe(200);
    const noop = await c.command('n', 'NOOP');
    expect(noop).toMatch(/^\* 1 EXPUNGE\r\n\* OK \[CLOSED\] [^\r]*"Projects" was removed[^\r]*SELECT INBOX to go on/);
    expect(await c.command('s2', 'SELECT Projects')).toMatch(/s2 NO \[NONEXISTENT\]/);
    expect(await c.command('s3', 'SELECT INBOX')).toMatch(/\* 1 EXISTS[\s\S]*s3 OK/);
    c.close();
  });

  it('a POP3 session open during a reset loses nothing: removed messages say so, DELE and QUIT touch no new mail', async () => {
    await deliver('bob@practice.test', 'old for bob');
    const pop = await Pop3Client.connect(port('practice/pop3s'), true);
    expect(await pop.line()).toMatch(/^\+OK/);
    await pop.login('bob');
    expect(await pop.cmd('STAT')).toMatch(/^\+OK 2 /);

    expect((await postReset()).status).toBe(200);
    await deliver('bob@practice.test', 'new for bob');

    // The session's maildrop is the one it locked at login (RFC 1939 section 8).
    expect(await pop.cmd('RETR 2')).toMatch(
      /^-ERR Message 2 was removed after you logged in \(by another session or a reset\)/,
    );
    expect(await pop.cmd('DELE 1')).toMatch(/^\+OK/);
    expect(await pop.cmd('DELE 2')).toMatch(/^\+OK/);
    expect(await pop.cmd('QUIT')).toMatch(/^\+OK/);
    pop.destroy();

    const next = await Pop3Client.connect(port('practice/pop3s'), true);
    expect(await next.line()).toMatch(/^\+OK/);
    await next.login('bob');
    expect(await next.cmd('STAT')).toMatch(/^\+OK 2 /);
    expect(await next.cmd('RETR 2')).toMatch(/^\+OK/);
    expect((await next.body()).toString()).toContain('Subject: new for bob');
    expect(await next.cmd('QUIT')).toMatch(/^\+OK/);
    next.destroy();
  });

  it('deliveries racing a reset are each either removed by it or kept whole, never lost', async () => {
    const sends = Array.from({ length: 6 }, (_, i) => deliver('alice@practice.test', `race ${i}`));
    const reset = postReset();
    await Promise.all(sends); // every one got its 250
    const { body } = await reset;
    const removed = body.accounts.find((a: any) => a.username === 'alice').messages as number;
    const inbox = mw.practice!.store.forAccount('alice').mailbox('INBOX')!;
    const kept = inbox.messages();
    // Before: the welcome message. After: a fresh welcome plus whatever arrived after the reset.
    expect(removed - 1 + (kept.length - 1)).toBe(6);
    for (const m of kept.slice(1))
      expect((await inbox.read(m.uid))!.toString()).toMatch(/Subject: race \d[\s\S]*body of race \d/);
  });

  it('two resets at once run one after the other: the second finds only the fresh welcome messages', async () => {
    await deliver('alice@practice.test', 'one');
    const [a, b] = await Promise.all([postReset(), postReset()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const counts = [a.body, b.body]
      .map((body) => body.accounts.map((x: any) => `${x.username}:${x.messages}`).join(' '))
      .sort();
    expect(counts).toEqual(['alice:1 bob:1', 'alice:2 bob:1']);
    expect(mw.practice!.store.forAccount('alice').mailbox('INBOX')!.messages()).toHaveLength(1);
  });
});

describe('reads while a reset runs', () => {
  // The reset closes alice's mailboxes, then bob's, then removes the files and re-creates both
  // accounts. When alice's INBOX closes, it is still listed but already empty; when bob's closes,
  // alice has no mailbox at all. Commands sent at either moment must wait and see the fresh store.
  it.each([
    { moment: "as alice's old INBOX closes", closing: 'alice' },
    { moment: "once alice's old mailboxes are all gone", closing: 'bob' },
  ])(
    'SELECT, EXAMINE, STATUS, LIST, LSUB and a POP3 login sent $moment see only the fresh store',
    async ({ closing }) => {
      await deliver('alice@practice.test', 'old one');
      await deliver('alice@practice.test', 'old two');
      const setup = await imapLogin();
      expect(await setup.command('c', 'CREATE Projects')).toMatch(/c OK/);
      expect(await setup.command('u', 'SUBSCRIBE Projects')).toMatch(/u OK/);
      setup.close();
      // One logged-in connection per read, so each command is the first thing its session runs.
      const reads: Record<string, string> = {
        select: 'SELECT INBOX',
        examine: 'EXAMINE INBOX',
        status: 'STATUS INBOX (MESSAGES UIDNEXT UNSEEN)',
        list: 'LIST "" "*"',
        lsub: 'LSUB "" "*"',
      };
      const imap = Object.fromEntries(
        await Promise.all(Object.keys(reads).map(async (k) => [k, await imapLogin()] as const)),
      );
      const pop = await Pop3Client.connect(port('practice/pop3s'), true);
      expect(await pop.line()).toMatch(/^\+OK/);
      expect(await pop.cmd('USER alice')).toMatch(/^\+OK/);

      // The reset announces the close synchronously, from inside its run: the moment to send.
      let resetDone = false;
      let sentMidReset = false;
      const unsubscribe = mw
        .practice!.store.forAccount(closing)
        .mailbox('INBOX')!
        .subscribe((event) => {
          if (event.kind !== 'closed' || sentMidReset) return;
          for (const [k, line] of Object.entries(reads)) imap[k].write(`${k} ${line}\r\n`);
          pop.send('PASS practice\r\n');
          sentMidReset = !resetDone;
        });
      const report = await mw.practice!.reset('test: reads mid-reset').finally(() => (resetDone = true));
      unsubscribe();
      expect(sentMidReset).toBe(true);
      expect(report.accounts.find((a) => a.username === 'alice')!.messages).toBe(3);

      const reply = Object.fromEntries(
        await Promise.all(
          Object.keys(reads).map(
            async (k) => [k, await imap[k].readUntil((t) => new RegExp(`(^|\\r\\n)${k} (OK|NO|BAD)`).test(t))] as const,
          ),
        ),
      );
      for (const k of Object.keys(reads)) expect(reply[k], k).toMatch(new RegExp(`(^|\\r\\n)${k} OK`));
      for (const k of ['select', 'examine']) {
        expect(reply[k], k).toMatch(/^\* 1 EXISTS\r$/m); // the fresh welcome message only
        expect(reply[k], k).toMatch(/UIDNEXT 2\]/);
      }
      expect(reply.status).toMatch(/^\* STATUS INBOX \(MESSAGES 1 UIDNEXT 2 UNSEEN 1\)\r$/m);
      const names = (text: string) =>
        [...text.matchAll(/^\* (?:LIST|LSUB) \([^)]*\) "\/" (\S+)\r$/gm)].map((m) => m[1]).sort();
      expect(names(reply.list)).toEqual(['Drafts', 'INBOX', 'Sent', 'Trash']);
      // The default subscriptions, each to a mailbox that exists (no \Noselect); Projects is gone.
      expect(names(reply.lsub)).toEqual(['Drafts', 'INBOX', 'Sent', 'Trash']);
      expect(reply.lsub).not.toContain('\\Noselect');

      expect(await pop.line()).toMatch(/^\+OK Logged in as alice@practice\.test: maildrop has 1 message \(/);
      expect(await pop.cmd('TOP 1 0')).toMatch(/^\+OK/);
      expect((await pop.body()).toString()).toContain('Subject: Welcome to your practice mailbox');
      expect(await pop.cmd('QUIT')).toMatch(/^\+OK/);
      pop.destroy();
      for (const c of Object.values(imap)) c.close();
    },
  );
});
