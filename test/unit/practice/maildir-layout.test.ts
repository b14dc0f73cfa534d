// The account directory layout (maildir/layout.ts): a data dir written by the store before issue 11
// (the committed fixture test/fixtures/datadir-v1, made by that code) opens with every message,
// flag, keyword, UID and subscription, is migrated to @mailwire/, and a crash at any step of the
// migration loses nothing. The store's own files can no longer collide with any mailbox name.
import { cp, lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateAccountDir } from '../../../bridge/practice/maildir/layout.ts';
import { openMailstore } from '../../../bridge/practice/mailstore.ts';
import type { MailstoreApi } from '../../../bridge/practice/mailstore-types.ts';

const FIXTURE = path.resolve('test/fixtures/datadir-v1');
const accounts = [
  { username: 'alice', password: 'practice' },
  { username: 'bob', password: 'practice' },
];
type Expected = Record<
  string,
  {
    subscriptions: string[];
    mailboxes: Record<
      string,
      {
        uidValidity: number;
        uidNext: number;
        messages: Array<{
          uid: number;
          flags: string[];
          internalDate: string;
          size: number;
          uniqueId: string;
          raw: string;
        }>;
      }
    >;
  }
>;

let dataDir: string;
let expected: Expected;
const open = () => openMailstore({ dataDir, domain: 'practice.test', accounts });

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-layout-'));
  await cp(path.join(FIXTURE, 'data'), dataDir, { recursive: true });
  expected = JSON.parse(await readFile(path.join(FIXTURE, 'expected.json'), 'utf8')) as Expected;
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const exists = (p: string) =>
  lstat(p).then(
    () => true,
    () => false,
  );

/** Every account, mailbox and message as the fixture recorded it, byte for byte. */
async function expectFixtureKept(store: MailstoreApi): Promise<void> {
  for (const [username, want] of Object.entries(expected)) {
    const acct = store.forAccount(username);
    expect(acct.listMailboxes()).toEqual(Object.keys(want.mailboxes));
    expect(acct.subscriptions()).toEqual(want.subscriptions);
    for (const [name, box] of Object.entries(want.mailboxes)) {
      const got = acct.mailbox(name)!;
      expect({ name, uidValidity: got.uidValidity, uidNext: got.uidNext }).toEqual({
        name,
        uidValidity: box.uidValidity,
        uidNext: box.uidNext,
      });
      const metas = got.messages();
      expect(metas.map((m) => m.uid)).toEqual(box.messages.map((m) => m.uid));
      for (const [i, m] of box.messages.entries()) {
        const meta = metas[i];
        expect({
          flags: meta.flags,
          date: meta.internalDate.toISOString(),
          size: meta.size,
          uniqueId: meta.uniqueId,
        }).toEqual({
          flags: m.flags,
          date: m.internalDate,
          size: m.size,
          uniqueId: m.uniqueId,
        });
        expect((await got.read(m.uid))!.toString('base64')).toBe(m.raw);
      }
    }
  }
}

describe('a data dir written before issue 11', () => {
  it('holds what the fixture says (flags, keywords, a UID gap, hierarchy, non-ASCII, a Windows device name)', () => {
    const inbox = expected.alice.mailboxes.INBOX.messages;
    expect(inbox.map((m) => m.uid)).toEqual([1, 2, 4, 5, 6, 7]);
    expect(inbox.find((m) => m.uid === 2)!.flags).toEqual(['\\Flagged', '$Label1', 'Homework']);
    expect(Object.keys(expected.alice.mailboxes)).toEqual(
      expect.arrayContaining(['Archive/2026', 'Entwürfe', 'Projects', 'aux']),
    );
  });

  it('opens unchanged: every message, flag, keyword, UID and subscription kept; account.json moved to @mailwire/', async () => {
    expect(await exists(path.join(dataDir, 'mail/alice/account.json'))).toBe(true);
    const store = await open();
    try {
      await expectFixtureKept(store);
    } finally {
      await store.close();
    }
    for (const user of ['alice', 'bob']) {
      expect(await exists(path.join(dataDir, 'mail', user, 'account.json'))).toBe(false);
      const file = JSON.parse(await readFile(path.join(dataDir, 'mail', user, '@mailwire/account.json'), 'utf8'));
      expect(file.subscriptions).toEqual(expected[user].subscriptions);
    }
    // And again: the migrated dir opens the same, with nothing left to migrate.
    expect(await migrateAccountDir(path.join(dataDir, 'mail/alice'))).toBe(false);
    const again = await open();
    try {
      await expectFixtureKept(again);
      // The remembered UIDVALIDITY still counts: a new mailbox gets a larger one than any before.
      const before = JSON.parse(await readFile(path.join(FIXTURE, 'data/mail/alice/account.json'), 'utf8'))
        .lastUidValidity as number;
      const created = await again.forAccount('alice').createMailbox('Fresh');
      expect(created.uidValidity).toBeGreaterThan(before);
    } finally {
      await again.close();
    }
  });

  it('a crash at any step of the migration loses nothing', async () => {
    const alice = path.join(dataDir, 'mail/alice');
    // Before the rename, with a torn temp file from an old crash mid-save beside it.
    await writeFile(path.join(alice, '.account.json.tmp'), '{"subscri');
    // Bob: after the rename, before the fsync (the state is the same as finished) ...
    await migrateAccountDir(path.join(dataDir, 'mail/bob'));
    let store = await open();
    try {
      await expectFixtureKept(store);
    } finally {
      await store.close();
    }
    expect(await exists(path.join(alice, '.account.json.tmp'))).toBe(false);
    // Both files present (an older mailwire ran on the dir after this one): the larger
    // UIDVALIDITY wins, and the subscriptions of the file written last.
    const legacy = path.join(alice, 'account.json');
    await writeFile(legacy, JSON.stringify({ subscriptions: ['INBOX', 'aux'], lastUidValidity: 4_000_000_000 }));
    store = await open();
    try {
      expect(store.forAccount('alice').subscriptions()).toEqual(['INBOX', 'aux']);
      expect((await store.forAccount('alice').createMailbox('Later')).uidValidity).toBe(4_000_000_001);
    } finally {
      await store.close();
    }
    expect(await exists(legacy)).toBe(false);
  });

  it('opens a data dir that an old CREATE .account.json.tmp broke (EISDIR at every start before)', async () => {
    // What the old store left: the mailbox directory where it wrote its temp file.
    for (const sub of ['cur', 'new', 'tmp'])
      await mkdir(path.join(dataDir, 'mail/alice/.account.json.tmp', sub), { recursive: true });
    const store = await open();
    try {
      const acct = store.forAccount('alice');
      expect(acct.listMailboxes()).toContain('.account.json.tmp');
      await acct.setSubscribed('.account.json.tmp', true); // a save of the account file
      await acct.append('.account.json.tmp', Buffer.from('Subject: saved\r\n\r\nok\r\n'));
      await store.reset(); // --reset-practice
      expect(acct.listMailboxes()).not.toContain('.account.json.tmp');
    } finally {
      await store.close();
    }
  });

  it('leaves mailbox directories where they are: the migration only moves the account file', async () => {
    const before = (await readdir(path.join(dataDir, 'mail/alice'))).filter((n) => n !== 'account.json').sort();
    const store = await open();
    await store.close();
    const after = (await readdir(path.join(dataDir, 'mail/alice'))).sort();
    expect(after).toEqual([...before, '@mailwire'].sort());
  });
});

describe("no mailbox name collides with the store's own files", () => {
  it('.account.json.tmp, account.json, @mailwire and %40mailwire are ordinary mailboxes', async () => {
    let store = await open();
    const names = ['.account.json.tmp', 'account.json', '@mailwire', '.account.json.tmp/sub'];
    try {
      const acct = store.forAccount('alice');
      for (const name of names) {
        await acct.createMailbox(name);
        await acct.setSubscribed(name, true); // a save of the account file after each
        await acct.append(name, Buffer.from(`Subject: in ${name}\r\n\r\nhello\r\n`));
      }
      await store.reset(); // --reset-practice and the reset button: failed with EISDIR before
      for (const name of names) expect(acct.mailbox(name)).toBeNull();
      for (const name of names) await acct.createMailbox(name);
      await acct.append('account.json', Buffer.from('Subject: kept\r\n\r\nkept\r\n'));
    } finally {
      await store.close();
    }
    store = await open(); // a restart: failed with EISDIR before
    try {
      const acct = store.forAccount('alice');
      for (const name of names) expect(acct.mailbox(name), name).not.toBeNull();
      const box = acct.mailbox('account.json')!;
      expect((await box.read(box.messages()[0].uid))!.toString()).toContain('kept');
    } finally {
      await store.close();
    }
  });
});
