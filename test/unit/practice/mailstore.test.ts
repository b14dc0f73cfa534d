// The Maildir mailstore against a real temp directory: appends, flags, expunge, copy, rename,
// persistence across reopen, UIDVALIDITY and UIDs, and recovery after a crash.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMailstore } from '../../../bridge/practice/mailstore.ts';
import { MailstoreError, type MailboxEvent, type MailstoreApi } from '../../../bridge/practice/mailstore-types.ts';

let dataDir: string;
let store: MailstoreApi;
const accounts = [
  { username: 'alice', password: 'practice' },
  { username: 'bob', password: 'practice' },
];
const open = () => openMailstore({ dataDir, domain: 'practice.test', accounts, limits: { maxMessageSize: 4096 } });
const msg = (n: number) => Buffer.from(`Subject: message ${n}\r\nFrom: a@practice.test\r\n\r\nbody ${n}\r\n`);

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-store-'));
  store = await open();
});
afterEach(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('accounts', () => {
  it('logs in as user or user@domain, case-insensitive name, exact password', () => {
    expect(store.authenticate('alice', 'practice')?.address).toBe('alice@practice.test');
    expect(store.authenticate('ALICE@practice.test', 'practice')?.username).toBe('alice');
    expect(store.authenticate('alice', 'Practice')).toBeNull();
    expect(store.authenticate('alice@other.test', 'practice')).toBeNull();
    expect(store.authenticate('carol', 'practice')).toBeNull();
    expect(store.findAccount('<bob@practice.test>')?.username).toBe('bob');
    expect(store.findAccount('bob@example.com')).toBeNull();
  });

  it('gives each new account a welcome message that is a real RFC 5322 message', async () => {
    const inbox = store.forAccount('alice').mailbox('inbox')!;
    const [first] = inbox.messages();
    const raw = (await inbox.read(first.uid))!.toString('utf8');
    for (const h of [
      'Date: ',
      'From: ',
      'To: alice@practice.test',
      'Subject: ',
      'Message-ID: <',
      'MIME-Version: 1.0',
    ]) {
      expect(raw).toMatch(new RegExp(`^${h}`, 'm'));
    }
    expect(raw.replace(/\r\n/g, '')).not.toContain('\n'); // CRLF only
    expect(first.size).toBe(Buffer.byteLength(raw));
  });

  it('refuses an unknown account with a stable code', () => {
    expect(() => store.forAccount('carol')).toThrow(MailstoreError);
  });
});

describe('messages', () => {
  it('append assigns ascending UIDs, keeps bytes and flags, and tells subscribers', async () => {
    const acct = store.forAccount('bob');
    const inbox = acct.mailbox('INBOX')!;
    const events: MailboxEvent[] = [];
    inbox.subscribe((e) => events.push(e));
    const a = await acct.append('INBOX', msg(1), { flags: ['\\seen', 'custom'] });
    const b = await acct.append('INBOX', msg(2));
    expect(b.uid).toBe(a.uid + 1);
    expect(a.uidValidity).toBe(inbox.uidValidity);
    expect(inbox.uidNext).toBe(b.uid + 1);
    expect((await inbox.read(a.uid))!.equals(msg(1))).toBe(true);
    const meta = inbox.messages().find((m) => m.uid === a.uid)!;
    expect(meta.flags).toEqual(['\\Seen', 'custom']);
    expect(meta.size).toBe(msg(1).length);
    expect(events).toEqual([
      { kind: 'exists', uid: a.uid },
      { kind: 'exists', uid: b.uid },
    ]);
  });

  it('concurrent appends get unique ascending UIDs, and all survive a reopen', async () => {
    const acct = store.forAccount('alice');
    const inbox = acct.mailbox('INBOX')!;
    const seen: number[] = [];
    inbox.subscribe((e) => e.kind === 'exists' && seen.push(e.uid));
    const results = await Promise.all(Array.from({ length: 120 }, (_, i) => acct.append('INBOX', msg(i))));
    const uids = results.map((r) => r.uid);
    expect(new Set(uids).size).toBe(120);
    const listed = inbox.messages().map((m) => m.uid);
    expect(listed).toEqual([...listed].sort((a, b) => a - b));
    expect(seen.sort((a, b) => a - b)).toEqual([...uids].sort((a, b) => a - b));
    await store.close();
    store = await open();
    expect(
      store
        .forAccount('alice')
        .mailbox('INBOX')!
        .messages()
        .map((m) => m.uid),
    ).toEqual(listed);
  });

  it('setFlags set/add/remove persist and notify only on change', async () => {
    const acct = store.forAccount('bob');
    const inbox = acct.mailbox('INBOX')!;
    const { uid } = await acct.append('INBOX', msg(1));
    const events: MailboxEvent[] = [];
    inbox.subscribe((e) => events.push(e));
    expect((await inbox.setFlags([uid], 'add', ['\\Flagged', '\\Seen']))[0].flags).toEqual(['\\Flagged', '\\Seen']);
    expect((await inbox.setFlags([uid], 'remove', ['\\flagged']))[0].flags).toEqual(['\\Seen']);
    await inbox.setFlags([uid], 'add', ['\\Seen']);
    expect(events).toHaveLength(2);
    await store.close();
    store = await open();
    expect(
      store
        .forAccount('bob')
        .mailbox('INBOX')!
        .messages()
        .find((m) => m.uid === uid)!.flags,
    ).toEqual(['\\Seen']);
  });

  it('metadata handed out is a frozen snapshot: shared until the message changes, never writable', async () => {
    const acct = store.forAccount('bob');
    const inbox = acct.mailbox('INBOX')!;
    const { uid } = await acct.append('INBOX', msg(1));
    const before = inbox.message(uid)!;
    // Shared between calls (FETCH and SEARCH ask for every message on each command)...
    expect(inbox.messages().find((m) => m.uid === uid)).toBe(before);
    // ...so a caller that changed one would change everyone's: it throws instead.
    expect(() => before.flags.push('\\Deleted')).toThrow(TypeError);
    expect(() => Object.assign(before, { size: 1 })).toThrow(TypeError);
    await inbox.setFlags([uid], 'add', ['\\Seen']);
    const after = inbox.message(uid)!;
    expect(after).not.toBe(before);
    expect(after.flags).toEqual(['\\Seen']);
    expect(after.modseq).toBeGreaterThan(before.modseq);
    expect(before.flags).toEqual([]); // the old snapshot stays what it was
    expect(before.recent).toBe(true);
    inbox.claimRecent();
    expect(inbox.message(uid)!.recent).toBe(false);
  });

  it('expunge removes for good; UIDs are never reused, also after reopen', async () => {
    const acct = store.forAccount('bob');
    const inbox = acct.mailbox('INBOX')!;
    const { uid: u1 } = await acct.append('INBOX', msg(1));
    const { uid: u2 } = await acct.append('INBOX', msg(2));
    expect(await inbox.expunge([u2, 9999])).toEqual([u2]);
    expect(await inbox.read(u2)).toBeNull();
    await store.close();
    store = await open();
    const again = store.forAccount('bob');
    const { uid: u3 } = await again.append('INBOX', msg(3));
    expect(u3).toBeGreaterThan(u2);
    expect(
      again
        .mailbox('INBOX')!
        .messages()
        .map((m) => m.uid),
    ).toContain(u1);
    expect(
      again
        .mailbox('INBOX')!
        .messages()
        .map((m) => m.uid),
    ).not.toContain(u2);
  });

  it('UIDVALIDITY and UIDNEXT persist across reopen', async () => {
    const before = store.forAccount('alice').mailbox('INBOX')!;
    await store.forAccount('alice').append('INBOX', msg(1));
    const { uidValidity, uidNext } = before;
    await store.close();
    store = await open();
    const after = store.forAccount('alice').mailbox('INBOX')!;
    expect(after.uidValidity).toBe(uidValidity);
    expect(after.uidNext).toBe(uidNext);
  });

  it('copy keeps flags and dates, gives new UIDs in the target (UIDPLUS pairs)', async () => {
    const acct = store.forAccount('alice');
    const date = new Date('2026-01-02T03:04:05Z');
    const { uid } = await acct.append('INBOX', msg(7), { flags: ['\\Answered'], internalDate: date });
    const sent = acct.mailbox('Sent')!;
    const res = await acct.copy('INBOX', [uid, 4242], 'Sent');
    expect(res.uidValidity).toBe(sent.uidValidity);
    expect(res.pairs).toHaveLength(1);
    const copied = sent.messages().find((m) => m.uid === res.pairs[0][1])!;
    expect(copied.flags).toEqual(['\\Answered']);
    expect(copied.internalDate.getTime()).toBe(date.getTime());
    expect((await sent.read(copied.uid))!.equals(msg(7))).toBe(true);
  });

  it('refuses a message over the size limit with QUOTA_EXCEEDED', async () => {
    await expect(store.forAccount('alice').append('INBOX', Buffer.alloc(5000, 65))).rejects.toMatchObject({
      code: 'QUOTA_EXCEEDED',
    });
  });

  it('deliver appends to each recipient INBOX once, and refuses unknown recipients', async () => {
    const before = store.forAccount('bob').mailbox('INBOX')!.messages().length;
    await store.deliver(['bob@practice.test', 'BOB', 'alice@practice.test'], msg(5));
    expect(store.forAccount('bob').mailbox('INBOX')!.messages().length).toBe(before + 1);
    await expect(store.deliver(['carol@practice.test'], msg(6))).rejects.toMatchObject({ code: 'NO_SUCH_ACCOUNT' });
  });
});

describe('mailboxes', () => {
  it('create, list (INBOX first), subscriptions, delete, and the errors', async () => {
    const acct = store.forAccount('alice');
    await acct.createMailbox('Archive/2026');
    expect(acct.listMailboxes()[0]).toBe('INBOX');
    expect(acct.listMailboxes()).toEqual(
      expect.arrayContaining(['Archive', 'Archive/2026', 'Sent', 'Trash', 'Drafts']),
    );
    await expect(acct.createMailbox('Archive')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(acct.createMailbox('a//b')).rejects.toMatchObject({ code: 'BAD_NAME' });
    await expect(acct.createMailbox('../x')).rejects.toMatchObject({ code: 'BAD_NAME' });
    await expect(acct.deleteMailbox('inbox')).rejects.toMatchObject({ code: 'CANNOT_DELETE_INBOX' });
    await expect(acct.deleteMailbox('Nope')).rejects.toMatchObject({ code: 'NO_SUCH_MAILBOX' });
    await acct.setSubscribed('Archive/2026', true);
    await acct.deleteMailbox('Archive/2026');
    expect(acct.mailbox('Archive/2026')).toBeNull();
    // DELETE leaves the subscription (RFC 3501 section 6.3.6), as Dovecot does.
    expect(acct.subscriptions()).toContain('Archive/2026');
  });

  it('a re-created mailbox gets a larger UIDVALIDITY', async () => {
    const acct = store.forAccount('alice');
    const first = (await acct.createMailbox('Tmp')).uidValidity;
    await acct.deleteMailbox('Tmp');
    expect((await acct.createMailbox('Tmp')).uidValidity).toBeGreaterThan(first);
  });

  it('rename moves inferiors and messages, and survives reopen', async () => {
    const acct = store.forAccount('alice');
    await acct.createMailbox('Work/Old');
    const { uid } = await acct.append('Work/Old', msg(9));
    const uidValidity = acct.mailbox('Work/Old')!.uidValidity;
    await acct.setSubscribed('Work/Old', true);
    await acct.renameMailbox('Work', 'Projects');
    expect(acct.mailbox('Work/Old')).toBeNull();
    expect((await acct.mailbox('Projects/Old')!.read(uid))!.equals(msg(9))).toBe(true);
    expect(acct.subscriptions()).toContain('Projects/Old');
    await acct.append('Projects/Old', msg(10));
    await store.close();
    store = await open();
    const box = store.forAccount('alice').mailbox('Projects/Old')!;
    expect(box.uidValidity).toBe(uidValidity);
    expect(box.messages()).toHaveLength(2);
  });

  it('renaming INBOX moves its messages and leaves INBOX empty (RFC 3501 6.3.5)', async () => {
    const acct = store.forAccount('alice');
    const count = acct.mailbox('INBOX')!.messages().length;
    await acct.renameMailbox('INBOX', 'Old Inbox');
    expect(acct.mailbox('INBOX')!.messages()).toHaveLength(0);
    expect(acct.mailbox('Old Inbox')!.messages()).toHaveLength(count);
  });

  it('reset restores the defaults: one welcome message, no extra mailboxes', async () => {
    const acct = store.forAccount('alice');
    await acct.createMailbox('Junk2');
    await acct.append('INBOX', msg(1));
    await store.reset();
    const fresh = store.forAccount('alice');
    expect(fresh.mailbox('Junk2')).toBeNull();
    expect(fresh.mailbox('INBOX')!.messages()).toHaveLength(1);
  });

  it('resetting() is null when no reset runs, and during resets one after the other resolves only once the last is done', async () => {
    const alice = store.forAccount('alice');
    await alice.createMailbox('Junk2');
    expect(alice.resetting()).toBeNull();
    const first = store.reset();
    const waiting = alice.resetting();
    expect(waiting).toBeInstanceOf(Promise);
    const second = store.reset(); // queued behind the first
    let secondDone = false;
    void second.then(() => (secondDone = true));
    await waiting;
    // Whatever was queued when the wait began has run: the store is whole and fresh.
    expect(secondDone).toBe(true);
    expect(alice.resetting()).toBeNull();
    expect(alice.listMailboxes()).toEqual(['INBOX', 'Drafts', 'Sent', 'Trash']);
    expect(alice.mailbox('INBOX')!.messages()).toHaveLength(1);
    await first;
  });
});

describe('crash recovery', () => {
  const inboxDir = () => path.join(dataDir, 'mail', 'bob', 'INBOX');

  it('adopts a message file present in cur/ or new/ but missing from the journal, with a new UID', async () => {
    const acct = store.forAccount('bob');
    const { uid } = await acct.append('INBOX', msg(1));
    await store.close();
    await writeFile(path.join(inboxDir(), 'cur', '1700000000.orphan.host:2,S'), msg(2));
    await writeFile(path.join(inboxDir(), 'new', '1700000001.dropped.host'), msg(3));
    store = await open();
    const inbox = store.forAccount('bob').mailbox('INBOX')!;
    const metas = inbox.messages();
    const adopted = metas.filter((m) => m.uid > uid);
    expect(adopted).toHaveLength(2);
    expect(adopted.find((m) => m.uniqueId.includes('orphan'))!.flags).toEqual(['\\Seen']);
    const texts = await Promise.all(adopted.map(async (m) => (await inbox.read(m.uid))!.toString()));
    expect(texts.sort()).toEqual([msg(2).toString(), msg(3).toString()]);
    expect(await readdir(path.join(inboxDir(), 'new'))).toEqual([]);
  });

  it('gives an adopted file with an unusable name a POP3-safe uniqueId; all uniqueIds differ', async () => {
    await store.forAccount('bob').append('INBOX', msg(1));
    await store.close();
    await writeFile(path.join(inboxDir(), 'new', `mail from é ${'x'.repeat(90)}`), msg(2));
    store = await open();
    const metas = store.forAccount('bob').mailbox('INBOX')!.messages();
    for (const m of metas) expect(m.uniqueId).toMatch(/^[\x21-\x7e]{1,70}$/);
    expect(new Set(metas.map((m) => m.uniqueId)).size).toBe(metas.length);
    expect(metas).toHaveLength(3);
  });

  it('ignores and removes tmp/ leftovers: a half-written message is never visible', async () => {
    const count = store.forAccount('bob').mailbox('INBOX')!.messages().length;
    await store.close();
    await writeFile(path.join(inboxDir(), 'tmp', '1700000000.half.host:2,'), 'Subject: half\r\n\r\nthe rest nev');
    store = await open();
    expect(store.forAccount('bob').mailbox('INBOX')!.messages()).toHaveLength(count);
    expect(await readdir(path.join(inboxDir(), 'tmp'))).toEqual([]);
  });

  it('survives a torn last journal line', async () => {
    const acct = store.forAccount('bob');
    const { uid } = await acct.append('INBOX', msg(1));
    await store.close();
    await writeFile(path.join(inboxDir(), 'mailwire.jsonl'), '{"t":"flags","set":[[1,["\\\\Se', { flag: 'a' });
    store = await open();
    expect(
      store
        .forAccount('bob')
        .mailbox('INBOX')!
        .messages()
        .map((m) => m.uid),
    ).toContain(uid);
  });
});

describe('a mailbox closing under its subscribers (the last event it sends)', () => {
  const listen = (box: { subscribe(l: (e: MailboxEvent) => void): () => void }) => {
    const events: MailboxEvent[] = [];
    box.subscribe((e) => events.push(e));
    return events;
  };

  it('DELETE: EXPUNGE for what was in it, then closed with no successor; later writes fail with MAILBOX_CLOSED', async () => {
    const alice = store.forAccount('alice');
    await alice.createMailbox('Work');
    const a = await alice.append('Work', msg(1));
    const b = await alice.append('Work', msg(2));
    const work = alice.mailbox('Work')!;
    const events = listen(work);
    await alice.deleteMailbox('Work');
    expect(events).toEqual([
      { kind: 'expunge', uids: [a.uid, b.uid] },
      { kind: 'closed', reason: 'deleted', name: 'Work', successor: null },
    ]);
    expect(work.messages()).toEqual([]);
    expect(await work.read(a.uid)).toBeNull();
    for (const write of [() => work.setFlags([a.uid], 'add', ['\\Seen']), () => work.expunge([a.uid])]) {
      const err = await write().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MailstoreError);
      expect((err as MailstoreError).code).toBe('MAILBOX_CLOSED');
      expect((err as MailstoreError).message).toMatch(
        /"Work" was closed \(deleted, or emptied by a practice reset\), so nothing was changed/,
      );
    }
    // Nothing is heard after the closed event, and a new "Work" is a different mailbox.
    await alice.createMailbox('Work');
    await alice.append('Work', msg(3));
    expect(events).toHaveLength(2);
  });

  it('RENAME: closed with the new name as successor, no EXPUNGE; the old subscribers hear nothing after it', async () => {
    const alice = store.forAccount('alice');
    await alice.createMailbox('Old/Sub');
    await alice.append('Old/Sub', msg(1));
    const parent = listen(alice.mailbox('Old')!);
    const sub = alice.mailbox('Old/Sub')!;
    const events = listen(sub);
    await alice.renameMailbox('Old', 'New');
    expect(parent).toEqual([{ kind: 'closed', reason: 'renamed', name: 'Old', successor: 'New' }]);
    expect(events).toEqual([{ kind: 'closed', reason: 'renamed', name: 'Old/Sub', successor: 'New/Sub' }]);
    // The messages moved with it and stay readable under the new name.
    expect(alice.mailbox('New/Sub')!.messages()).toHaveLength(1);
    await alice.append('New/Sub', msg(2));
    expect(events).toHaveLength(1);
  });

  it('reset: the default mailboxes name themselves as successor, others none; shutdown sends no EXPUNGE', async () => {
    const alice = store.forAccount('alice');
    await alice.createMailbox('Projects');
    await alice.append('Projects', msg(1));
    const inbox = listen(alice.mailbox('INBOX')!);
    const projects = listen(alice.mailbox('Projects')!);
    await store.reset();
    expect(inbox.map((e) => e.kind)).toEqual(['expunge', 'closed']);
    expect(inbox[1]).toEqual({ kind: 'closed', reason: 'reset', name: 'INBOX', successor: 'INBOX' });
    expect(projects.at(-1)).toEqual({ kind: 'closed', reason: 'reset', name: 'Projects', successor: null });

    const fresh = listen(store.forAccount('alice').mailbox('INBOX')!);
    await store.close();
    expect(fresh).toEqual([{ kind: 'closed', reason: 'shutdown', name: 'INBOX', successor: null }]);
    store = await open(); // the messages stayed on disk (afterEach closes this one)
    expect(store.forAccount('alice').mailbox('INBOX')!.messages()).toHaveLength(1);
  });
});

describe('writes racing the close of their mailbox', () => {
  it('an APPEND racing a DELETE either lands before it (and is expunged by it) or fails with MAILBOX_CLOSED, never a file-system error', async () => {
    const alice = store.forAccount('alice');
    for (let round = 0; round < 5; round++) {
      await alice.createMailbox('Race');
      const box = alice.mailbox('Race')!;
      const events: MailboxEvent[] = [];
      box.subscribe((e) => events.push(e));
      const appends = Array.from({ length: 4 }, (_, i) =>
        alice.append('Race', msg(i)).then(
          () => 'stored',
          (e: unknown) => (e instanceof MailstoreError ? e.code : String(e)),
        ),
      );
      await alice.deleteMailbox('Race');
      const outcomes = await Promise.all(appends);
      for (const o of outcomes) expect(['stored', 'MAILBOX_CLOSED']).toContain(o);
      // Every append that was stored was announced and then expunged before the mailbox closed.
      const announced = events.filter((e) => e.kind === 'exists').length;
      expect(announced).toBe(outcomes.filter((o) => o === 'stored').length);
      expect(events.at(-1)).toMatchObject({ kind: 'closed', reason: 'deleted' });
    }
    expect(await readdir(path.join(dataDir, 'mail', 'alice'))).not.toContain('Race');
  });
});
