// The account-level event source (AccountStore.subscribe), which IMAP NOTIFY reads (RFC 5465
// section 5): message events of every mailbox by name, mailbox created/deleted/renamed, and
// subscription changes, from any writer (IMAP or SMTP delivery); one account's events never
// reach another account's listener, and listeners stay subscribed across a practice reset.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMailstore, type PracticeMailstore } from '../../../bridge/practice/mailstore.ts';
import type { AccountEvent } from '../../../bridge/practice/mailstore-types.ts';

let dataDir: string;
let store: PracticeMailstore;
const accounts = [
  { username: 'alice', password: 'practice' },
  { username: 'bob', password: 'practice' },
];
const msg = Buffer.from('Subject: hi\r\nFrom: a@practice.test\r\n\r\nbody\r\n');

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-events-'));
  store = await openMailstore({ dataDir, domain: 'practice.test', accounts });
});
afterEach(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

function listen(user: string): AccountEvent[] {
  const heard: AccountEvent[] = [];
  store.forAccount(user).subscribe((e) => heard.push(e));
  return heard;
}
const brief = (events: AccountEvent[]) =>
  events.map((e) =>
    e.kind === 'message'
      ? `${e.event.kind} ${e.mailbox}`
      : e.kind === 'renamed'
        ? `renamed ${e.from} ${e.to}`
        : e.kind === 'subscribed'
          ? `subscribed ${e.name} ${e.subscribed}`
          : `${e.kind} ${e.name}`,
  );

describe('account events', () => {
  it('name every change of the account, in order', async () => {
    const heard = listen('alice');
    const alice = store.forAccount('alice');
    await alice.createMailbox('Work/2026');
    await alice.setSubscribed('Work/2026', true);
    await alice.setSubscribed('Work/2026', true); // no change, no event
    const { uid } = await alice.append('Work/2026', msg);
    await alice.mailbox('Work/2026')!.setFlags([uid], 'add', ['\\Seen']);
    await alice.renameMailbox('Work', 'Old');
    await alice.mailbox('Old/2026')!.expunge([uid]); // events follow the box under its new name
    await alice.deleteMailbox('Old/2026');
    await alice.setSubscribed('Old/2026', false);
    expect(brief(heard)).toEqual([
      'created Work',
      'created Work/2026',
      'subscribed Work/2026 true',
      'exists Work/2026',
      'flags Work/2026',
      'renamed Work Old',
      'expunge Old/2026',
      'deleted Old/2026',
      'subscribed Old/2026 false',
    ]);
  });

  it('carry SMTP deliveries, and only to the recipient’s account', async () => {
    const alice = listen('alice');
    const bob = listen('bob');
    await store.deliver(['alice@practice.test'], msg);
    expect(brief(alice)).toEqual(['exists INBOX']);
    expect(bob).toEqual([]);
  });

  it('keep their listeners across a reset, which reports the mailboxes it removed', async () => {
    const heard = listen('alice');
    await store.forAccount('alice').createMailbox('Scratch');
    heard.length = 0;
    await store.resetAndReport('alice');
    expect(brief(heard)).toContain('deleted Scratch');
    expect(brief(heard)).toContain('expunge INBOX'); // the welcome message went
    // Last, every mailbox is new under its old name (a new UIDVALIDITY).
    expect(brief(heard).slice(-4)).toEqual([
      'recreated INBOX',
      'recreated Drafts',
      'recreated Sent',
      'recreated Trash',
    ]);
    heard.length = 0;
    await store.forAccount('alice').append('INBOX', msg);
    expect(brief(heard)).toEqual(['exists INBOX']);
  });
});
