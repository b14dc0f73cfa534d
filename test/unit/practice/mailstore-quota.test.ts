// The store's per-account quota (RFC 9208 STORAGE over one root per account): what counts, when a
// write is refused (before any byte lands), and that parallel writes cannot pass the limit together.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMailstore, type PracticeMailstore } from '../../../bridge/practice/mailstore.ts';
import { OverQuotaError } from '../../../bridge/practice/mailstore-types.ts';

const LIMIT = 10_000;
let dataDir: string;
let store: PracticeMailstore;
const accounts = [
  { username: 'alice', password: 'practice' },
  { username: 'bob', password: 'practice' },
];
const open = (quota = LIMIT) => openMailstore({ dataDir, domain: 'practice.test', accounts, limits: { quota } });
const msg = (octets: number) => Buffer.alloc(octets, 'x');

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-quota-'));
  store = await open();
  await store.forAccount('alice').mailbox('INBOX')!.expunge([1]); // the welcome message
  await store.forAccount('bob').mailbox('INBOX')!.expunge([1]);
});
afterEach(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('quota', () => {
  it('counts every mailbox of the account, survives a reopen, and frees space on expunge', async () => {
    const alice = store.forAccount('alice');
    await alice.append('INBOX', msg(3000));
    await alice.append('Drafts', msg(2000));
    expect(alice.quota()).toEqual({ used: 5000, limit: LIMIT });
    expect(store.forAccount('bob').quota().used).toBe(0);
    await store.close();
    store = await open();
    expect(store.forAccount('alice').quota().used).toBe(5000);
    const drafts = store.forAccount('alice').mailbox('Drafts')!;
    await drafts.expunge(drafts.messages().map((m) => m.uid));
    expect(store.forAccount('alice').quota().used).toBe(3000);
  });

  it('refuses an append that would pass the limit with OverQuotaError, storing nothing; exactly full is fine', async () => {
    const alice = store.forAccount('alice');
    await alice.append('INBOX', msg(LIMIT - 100));
    const err = await alice.append('INBOX', msg(101)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OverQuotaError);
    expect(err).toMatchObject({
      code: 'OVER_QUOTA',
      address: 'alice@practice.test',
      octets: 101,
      usage: { used: LIMIT - 100, limit: LIMIT },
    });
    expect(alice.mailbox('INBOX')!.messages()).toHaveLength(1);
    await alice.append('INBOX', msg(100));
    expect(alice.quota().used).toBe(LIMIT);
  });

  it('parallel appends are checked against each other (reservations), not only against what is stored', async () => {
    const alice = store.forAccount('alice');
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => alice.append('INBOX', msg(3000))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(alice.quota().used).toBe(9000);
  });

  it('COPY is all or nothing; MOVE (copy then expunge) is never refused for quota', async () => {
    const alice = store.forAccount('alice');
    await alice.append('INBOX', msg(3000));
    await alice.append('INBOX', msg(3000));
    const uids = alice
      .mailbox('INBOX')!
      .messages()
      .map((m) => m.uid);
    await expect(alice.copy('INBOX', uids, 'Trash')).rejects.toBeInstanceOf(OverQuotaError);
    expect(alice.mailbox('Trash')!.messages()).toHaveLength(0);
    await alice.copy('INBOX', [uids[0]], 'Trash');
    await alice.copy('INBOX', [uids[1]], 'Drafts', { moving: true }); // full, and still allowed
    expect(alice.quota().used).toBe(12_000); // until the MOVE's expunge
    await alice.mailbox('INBOX')!.expunge([uids[1]]);
    expect(alice.quota().used).toBe(9000);
  });

  it('SMTP delivery stores for all recipients or for none', async () => {
    await store.forAccount('bob').append('INBOX', msg(LIMIT - 500));
    await expect(store.deliver(['alice@practice.test', 'bob@practice.test'], msg(1000))).rejects.toMatchObject({
      code: 'OVER_QUOTA',
      address: 'bob@practice.test',
    });
    expect(store.forAccount('alice').mailbox('INBOX')!.messages()).toHaveLength(0);
    await store.deliver(['alice@practice.test', 'bob@practice.test'], msg(500));
    expect([store.forAccount('alice').quota().used, store.forAccount('bob').quota().used]).toEqual([500, LIMIT]);
  });

  it('a quota smaller than the welcome message still opens (and resets) the store', async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
    store = await open(10);
    expect(store.forAccount('alice').mailbox('INBOX')!.messages()).toHaveLength(1);
    await store.reset();
    expect(store.forAccount('alice').quota().used).toBeGreaterThan(10);
    await expect(store.forAccount('alice').append('INBOX', msg(1))).rejects.toBeInstanceOf(OverQuotaError);
  });

  it('a quota of 0 means no limit', async () => {
    await store.close();
    store = await open(0);
    const alice = store.forAccount('alice');
    await alice.append('INBOX', msg(3 * LIMIT));
    expect(alice.quota()).toEqual({ used: 3 * LIMIT, limit: 0 });
  });
});
