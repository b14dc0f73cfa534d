// The IMAP message cache (bridge/practice/imap/message-cache.ts) over a real mailstore in a temp
// dir: sessions asking for the same message at once share one read of its file (a class of 100
// running FETCH 1:* together read each file 100 times before), and what another session expunged
// leaves the cache.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedMessage, heldMessage } from '../../../../bridge/practice/imap/message-cache.ts';
import { openMailstore } from '../../../../bridge/practice/mailstore.ts';
import type { Mailbox, MailstoreApi } from '../../../../bridge/practice/mailstore-types.ts';

let dataDir: string;
let store: MailstoreApi;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-cache-'));
  store = await openMailstore({ dataDir, domain: 'practice.test', accounts: [{ username: 'alice', password: 'x' }] });
});
afterEach(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Counts the mailbox's reads of message files; each read still happens. */
function countReads(mailbox: Mailbox): { count: number } {
  const counter = { count: 0 };
  const read = mailbox.read.bind(mailbox);
  mailbox.read = (uid: number) => {
    counter.count++;
    return read(uid);
  };
  return counter;
}

const letter = Buffer.from('From: bob@practice.test\r\nSubject: one\r\n\r\nHello.\r\n');

describe('IMAP message cache', () => {
  it('50 sessions asking for one message at once read its file once and share the entry', async () => {
    const alice = store.forAccount('alice');
    await alice.createMailbox('Box');
    const { uid } = await alice.append('Box', letter);
    const box = alice.mailbox('Box')!;
    const reads = countReads(box);
    const entries = await Promise.all(Array.from({ length: 50 }, () => cachedMessage(box, uid)));
    expect(reads.count).toBe(1);
    expect(new Set(entries).size).toBe(1);
    expect(Buffer.from(entries[0]!.raw).equals(letter)).toBe(true);
    expect(heldMessage(box, uid)).toBe(entries[0]);
    expect(await cachedMessage(box, uid)).toBe(entries[0]);
    expect(reads.count).toBe(1);
  });

  it('an expunged message leaves the cache, and a read of it gives null', async () => {
    const alice = store.forAccount('alice');
    await alice.createMailbox('Box');
    const { uid } = await alice.append('Box', letter);
    const box = alice.mailbox('Box')!;
    expect(await cachedMessage(box, uid)).not.toBeNull();
    await box.expunge([uid]);
    expect(heldMessage(box, uid)).toBeUndefined();
    expect(await cachedMessage(box, uid)).toBeNull();
  });
});
