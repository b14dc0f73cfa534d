// MODSEQ in the Maildir mailstore (RFC 7162 section 3.1): every append, flag change and expunge
// takes a new MODSEQ, HIGHESTMODSEQ follows, UNCHANGEDSINCE refuses messages changed since, the
// expunges are remembered for VANISHED (EARLIER), and all of it survives a reopen. A data dir
// written before MODSEQ existed (test/fixtures/datadir-v1) opens with every message at MODSEQ 1.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE } from '../../../bridge/practice/maildir/journal.ts';
import { MAX_VANISHED } from '../../../bridge/practice/maildir/mailbox.ts';
import { openMailstore } from '../../../bridge/practice/mailstore.ts';
import type { MailboxEvent, MailstoreApi } from '../../../bridge/practice/mailstore-types.ts';

let dataDir: string;
let store: MailstoreApi;
const accounts = [
  { username: 'alice', password: 'practice' },
  { username: 'bob', password: 'practice' },
];
const open = () => openMailstore({ dataDir, domain: 'practice.test', accounts });
const msg = (n: number) => Buffer.from(`Subject: message ${n}\r\nFrom: a@practice.test\r\n\r\nbody ${n}\r\n`);

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-modseq-'));
});
afterEach(async () => {
  await store?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const modseqs = (name = 'INBOX', user = 'bob') =>
  store
    .forAccount(user)
    .mailbox(name)!
    .messages()
    .map((m) => [m.uid, m.modseq]);

describe('MODSEQ and HIGHESTMODSEQ', () => {
  it('grow with each append, flag change and expunge; a STORE that changes nothing keeps them', async () => {
    store = await open();
    const acct = store.forAccount('bob');
    await acct.createMailbox('Box');
    const box = acct.mailbox('Box')!;
    expect(box.highestModseq).toBe(1); // a new mailbox, as Dovecot starts one
    const { uid: u1 } = await acct.append('Box', msg(1));
    const { uid: u2 } = await acct.append('Box', msg(2));
    expect(modseqs('Box')).toEqual([
      [u1, 2],
      [u2, 3],
    ]);
    expect(box.highestModseq).toBe(3);
    const events: MailboxEvent[] = [];
    box.subscribe((e) => events.push(e));
    // One STORE: the messages it changes share one new MODSEQ.
    await box.setFlags([u1, u2], 'add', ['\\Seen']);
    expect(modseqs('Box')).toEqual([
      [u1, 4],
      [u2, 4],
    ]);
    expect(events).toEqual([
      { kind: 'flags', uid: u1, flags: ['\\Seen'], modseq: 4 },
      { kind: 'flags', uid: u2, flags: ['\\Seen'], modseq: 4 },
    ]);
    await box.setFlags([u1, u2], 'add', ['\\Seen']); // nothing changes: nothing moves
    expect(box.highestModseq).toBe(4);
    await box.setFlags([u2], 'add', ['\\Flagged']);
    expect(modseqs('Box')).toEqual([
      [u1, 4],
      [u2, 5],
    ]);
    await box.expunge([u1]);
    expect(box.highestModseq).toBe(6);
    expect(box.vanishedSince(5)).toEqual([[u1, u1]]);
    expect(box.vanishedSince(6)).toEqual([]);
    await store.close();
    store = await open();
    const again = store.forAccount('bob').mailbox('Box')!;
    expect(again.highestModseq).toBe(6);
    expect(modseqs('Box')).toEqual([[u2, 5]]);
    expect(again.vanishedSince(5)).toEqual([[u1, u1]]);
    // The counter goes on from where it was, never back.
    await store.forAccount('bob').append('Box', msg(3));
    expect(again.highestModseq).toBe(7);
  });

  it('UNCHANGEDSINCE: messages changed after it are left alone and reported as modified', async () => {
    store = await open();
    const acct = store.forAccount('bob');
    const inbox = acct.mailbox('INBOX')!;
    const { uid: u1 } = await acct.append('INBOX', msg(1));
    const since = inbox.highestModseq;
    const { uid: u2 } = await acct.append('INBOX', msg(2));
    const { updated, modified } = await inbox.storeFlags([u1, u2], 'add', ['$Done'], since);
    expect(modified).toEqual([u2]);
    expect(updated.map((m) => [m.uid, m.flags])).toEqual([[u1, ['$Done']]]);
    expect(inbox.messages().find((m) => m.uid === u2)!.flags).toEqual([]);
    // UNCHANGEDSINCE 0 fails for every message: all MODSEQs are at least 1 (RFC 7162 3.1.3).
    expect((await inbox.storeFlags([u1, u2], 'add', ['x'], 0)).modified).toEqual([u1, u2]);
  });

  it('two STOREs racing with the same UNCHANGEDSINCE: only the first changes the message', async () => {
    store = await open();
    const acct = store.forAccount('bob');
    const inbox = acct.mailbox('INBOX')!;
    const { uid } = await acct.append('INBOX', msg(1));
    const since = inbox.highestModseq;
    const [a, b] = await Promise.all([
      inbox.storeFlags([uid], 'set', ['first'], since),
      inbox.storeFlags([uid], 'set', ['second'], since),
    ]);
    expect([a.modified, b.modified]).toEqual([[], [uid]]);
    expect(inbox.messages()[inbox.messages().length - 1].flags).toEqual(['first']);
  });

  it('a client that synced before what is remembered hears of every missing UID', async () => {
    store = await open();
    const acct = store.forAccount('bob');
    const inbox = acct.mailbox('INBOX')!;
    const uids: number[] = [];
    for (let i = 0; i < 4; i++) uids.push((await acct.append('INBOX', msg(i))).uid);
    await inbox.expunge([uids[1], uids[2]]);
    // The welcome message is UID 1; 2 and 5 remain of the four.
    expect(inbox.vanishedSince(1)).toEqual([[uids[1], uids[2]]]);
    expect(inbox.vanishedSince(inbox.highestModseq)).toEqual([]);
  });
});

describe('a data dir written before MODSEQ (test/fixtures/datadir-v1)', () => {
  it('opens with every message at MODSEQ 1, then counts on and keeps its new MODSEQs', async () => {
    await cp(path.resolve('test/fixtures/datadir-v1/data'), dataDir, { recursive: true });
    store = await open();
    const inbox = store.forAccount('alice').mailbox('INBOX')!;
    expect(inbox.highestModseq).toBe(1);
    expect(inbox.messages().map((m) => m.modseq)).toEqual([1, 1, 1, 1, 1, 1]);
    // The gap at UID 3 was expunged before MODSEQs: nobody can have synced before it.
    expect(inbox.vanishedSince(1)).toEqual([]);
    await inbox.setFlags([2], 'add', ['\\Seen']);
    expect(inbox.highestModseq).toBe(2);
    await store.close();
    store = await open();
    const again = store.forAccount('alice').mailbox('INBOX')!;
    expect(again.highestModseq).toBe(2);
    expect(again.messages().map((m) => [m.uid, m.modseq])).toEqual([
      [1, 1],
      [2, 2],
      [4, 1],
      [5, 1],
      [6, 1],
      [7, 1],
    ]);
  });
});

describe('remembered expunges are bounded', () => {
  it(`keeps the newest ${MAX_VANISHED} one by one; a client older than that hears of every missing UID`, async () => {
    store = await open();
    const welcome = store.forAccount('bob').mailbox('INBOX')!.messages()[0];
    await store.close();
    // A journal as a long session of APPEND and EXPUNGE leaves it: 5 more expunges than are kept.
    const count = MAX_VANISHED + 5;
    const vanished = Array.from({ length: count }, (_, i): [number, number] => [100 + i, 100 + i]);
    const file = path.join(dataDir, 'mail/bob/INBOX', JOURNAL_FILE);
    const [init, ...rest] = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rest.map((r: { uid: number }) => r.uid)).toEqual([welcome.uid]);
    const grown = { ...init, uidNext: 100 + count, highestModseq: 100 + count, vanished, vanishedFloor: 0 };
    await writeFile(file, [grown, ...rest].map((r) => JSON.stringify(r) + '\n').join(''));
    for (let round = 0; round < 2; round++) {
      store = await open();
      const inbox = store.forAccount('bob').mailbox('INBOX')!;
      // The 5 oldest (UIDs 100-104, MODSEQs 100-104) are forgotten one by one; the floor is 104.
      expect(inbox.vanishedSince(104)).toEqual([[105, 100 + count - 1]]);
      expect(inbox.vanishedSince(103)).toEqual([[2, 100 + count - 1]]);
      expect(inbox.vanishedSince(100 + count)).toEqual([]);
      await store.close(); // and again after the rewrite at open: the floor was saved
    }
    store = await open();
  });
});
