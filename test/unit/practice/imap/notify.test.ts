// NOTIFY's request parsing and filters (RFC 5465 sections 3.1, 5, 6, 8), and its bounds: a
// session's queue and a client that stops reading both end in NOTIFICATIONOVERFLOW (section 5.8).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  covers,
  eventStatusItems,
  initialStatusItems,
  listLine,
  MAX_NOTIFY_MAILBOXES,
  Notifier,
  ownNames,
  parseNotify,
  type NotifyRequest,
} from '../../../../bridge/practice/imap/notify.ts';
import { ArgumentError, CommandRefusal, parseCommand } from '../../../../bridge/practice/imap/parser.ts';
import { Session, type SessionIO } from '../../../../bridge/practice/imap/session.ts';
import { openMailstore, type PracticeMailstore } from '../../../../bridge/practice/mailstore.ts';
import { DEFAULT_LIMITS } from '../../../../bridge/practice/types.ts';

const cmd = (line: string) => parseCommand({ lines: [line], literals: [] });
const parse = (rest: string, utf8 = false) => parseNotify(cmd(`a NOTIFY ${rest}`).args, utf8);
function refusal(rest: string): unknown {
  try {
    parse(rest);
  } catch (err) {
    return err;
  }
  return null;
}

describe('NOTIFY SET and NONE (RFC 5465 section 8)', () => {
  it('reads filters, events, fetch-atts and the STATUS indicator', () => {
    const r = parse(
      'SET STATUS (selected (MessageNew (UID FLAGS) MessageExpunge)) (subtree (Lists "My Box") (MessageNew MessageExpunge)) (personal NONE)',
    )!;
    expect(r.status).toBe(true);
    expect(r.groups.map((g) => g.filter.kind)).toEqual(['selected', 'subtree', 'personal']);
    expect(r.groups[0].fetch?.map((a) => a.kind)).toEqual(['UID', 'FLAGS']);
    expect([...r.groups[0].events]).toEqual(['MessageNew', 'MessageExpunge']);
    expect(r.groups[1].filter).toEqual({ kind: 'subtree', names: ['Lists', 'My Box'] });
    expect(r.groups[2].events.size).toBe(0);
    expect(parse('NONE')).toBeNull();
    expect(parse('set (MAILBOXES inbox (messagenew messageexpunge))')!.groups[0].filter).toEqual({
      kind: 'mailboxes',
      names: ['INBOX'],
    });
  });

  it('refuses unsupported events with NO [BADEVENT] listing the supported ones (3.1)', () => {
    for (const event of ['AnnotationChange', 'MailboxMetadataChange', 'ServerMetadataChange', 'SomeFutureEvent']) {
      const err = refusal(`SET (personal (${event}))`);
      expect(err, event).toBeInstanceOf(CommandRefusal);
      expect((err as CommandRefusal).code).toBe(
        'BADEVENT (MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange)',
      );
    }
  });

  it.each([
    ['SET', 'no event group'],
    ['', 'neither SET nor NONE'],
    ['SET (selected (MessageNew)) (selected-delayed (MessageNew))', 'two selected filters (6.1)'],
    ['SET (personal (MessageNew (UID) MessageExpunge))', 'fetch-atts outside SELECTED (8)'],
    ['SET (selected (MailboxName))', 'a mailbox event with SELECTED (6.1)'],
    ['SET (elsewhere (MessageNew))', 'an unknown filter'],
    ['SET (mailboxes (MessageNew))', 'MAILBOXES without a name'],
    ['SET personal (MessageNew)', 'a group without parentheses'],
    ['SET (personal MessageNew)', 'events without parentheses'],
    ['NONE extra', 'NONE with more'],
  ])('BAD for %j: %s', (rest) => {
    expect(refusal(rest)).toBeInstanceOf(ArgumentError);
  });

  it(`caps the mailbox specifications of one request at ${MAX_NOTIFY_MAILBOXES}`, () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`).join(' ');
    expect(parse(`SET (mailboxes (${names(MAX_NOTIFY_MAILBOXES)}) (MessageNew MessageExpunge))`)).not.toBeNull();
    const err = refusal(`SET (mailboxes (${names(60)}) (MessageNew)) (subtree (${names(41)}) (MessageNew))`);
    expect((err as CommandRefusal).code).toBe('NOTIFICATIONOVERFLOW');
    // Other groups count one each, so a flood of groups is refused too.
    const groups = Array.from({ length: MAX_NOTIFY_MAILBOXES + 1 }, () => '(personal NONE)').join(' ');
    expect((refusal(`SET ${groups}`) as CommandRefusal).code).toBe('NOTIFICATIONOVERFLOW');
  });
});

describe('filters and what each event reports (RFC 5465 sections 3.1, 5.1-5.3, 6)', () => {
  it('cover mailbox names as sections 6.2-6.6 say, with no wildcards in MAILBOXES', () => {
    const subs = ['Sent'];
    expect(covers({ kind: 'personal' }, 'Any/Thing', subs)).toBe(true);
    expect(covers({ kind: 'inboxes' }, 'INBOX', subs)).toBe(true);
    expect(covers({ kind: 'inboxes' }, 'Sent', subs)).toBe(false);
    expect(covers({ kind: 'subscribed' }, 'Sent', subs)).toBe(true);
    expect(covers({ kind: 'subscribed' }, 'Trash', subs)).toBe(false);
    expect(covers({ kind: 'subtree', names: ['Lists'] }, 'Lists', subs)).toBe(true);
    expect(covers({ kind: 'subtree', names: ['Lists'] }, 'Lists/imap', subs)).toBe(true);
    expect(covers({ kind: 'subtree', names: ['Lists'] }, 'Listserv', subs)).toBe(false);
    expect(covers({ kind: 'mailboxes', names: ['a*'] }, 'ab', subs)).toBe(false);
    expect(covers({ kind: 'mailboxes', names: ['a*'] }, 'a*', subs)).toBe(true);
    expect(covers({ kind: 'selected', delayed: false }, 'INBOX', subs)).toBe(false);
  });

  it('ask the first STATUS for what each message event needs (3.1)', () => {
    expect(initialStatusItems(new Set(['MessageExpunge']))).toEqual(['MESSAGES']);
    expect(initialStatusItems(new Set(['MessageNew']))).toEqual(['MESSAGES', 'UIDNEXT', 'UIDVALIDITY']);
    expect(initialStatusItems(new Set(['FlagChange']))).toEqual(['UIDVALIDITY', 'HIGHESTMODSEQ']);
    expect(initialStatusItems(new Set(['MailboxName']))).toEqual([]);
  });

  it('report events in other mailboxes with the items sections 5.1-5.3 name', () => {
    const all = new Set(['MessageNew', 'MessageExpunge', 'FlagChange']);
    const plain = { condstore: false, qresync: false };
    const qresync = { condstore: true, qresync: true };
    expect(eventStatusItems('exists', all, plain)).toEqual(['MESSAGES', 'UIDNEXT']);
    expect(eventStatusItems('exists', all, qresync)).toEqual(['MESSAGES', 'UIDNEXT', 'HIGHESTMODSEQ']);
    expect(eventStatusItems('expunge', all, { condstore: true, qresync: false })).toEqual(['MESSAGES', 'UIDNEXT']);
    expect(eventStatusItems('expunge', all, qresync)).toEqual(['MESSAGES', 'UIDNEXT', 'HIGHESTMODSEQ']);
    expect(eventStatusItems('flags', all, qresync)).toEqual(['UIDVALIDITY', 'HIGHESTMODSEQ']);
    expect(eventStatusItems('flags', all, plain)).toEqual(['UNSEEN']);
    expect(eventStatusItems('flags', new Set(['MessageNew']), plain)).toBeNull();
  });

  it('know the names a command changes itself, superiors included', () => {
    expect([...ownNames(cmd('a CREATE a/b/c/'))]).toEqual(['a', 'a/b', 'a/b/c']);
    expect([...ownNames(cmd('a RENAME x inbox'))]).toEqual(['x', 'INBOX']);
    expect([...ownNames(cmd('a NOOP'))]).toEqual([]);
  });
});

describe('bounds (RFC 5465 sections 5.8, 9)', () => {
  let dataDir: string;
  let store: PracticeMailstore;
  let written: string;
  let unsent = 0;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-notify-'));
    store = await openMailstore({
      dataDir,
      domain: 'practice.test',
      accounts: [{ username: 'alice', password: 'practice' }],
    });
    written = '';
    unsent = 0;
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  function session(): Session {
    const io = {
      write: (chunks: Array<string | Uint8Array>) => {
        for (const c of chunks) written += typeof c === 'string' ? c : Buffer.from(c).toString();
      },
      unsent: () => unsent,
      security: 'none',
      secure: false,
    } as unknown as SessionIO;
    const s = new Session(io, { store, hostname: 'test', limits: DEFAULT_LIMITS, log: () => {} });
    s.accountStore = store.forAccount('alice');
    s.state = 'authenticated';
    return s;
  }
  const everything: NotifyRequest = parse('SET (personal (MessageNew MessageExpunge MailboxName))')!;

  it('LIST notifications carry the attributes LIST would show (5.4, 5.5)', async () => {
    const alice = store.forAccount('alice');
    await alice.createMailbox('Sent/2026');
    const text = (chunks: Array<string | Uint8Array>) => chunks.join('');
    expect(text(listLine(alice, 'Sent'))).toBe('LIST (\\HasChildren \\Sent \\Subscribed) "/" Sent');
    expect(text(listLine(alice, 'Sent/2026', 'Old'))).toBe('LIST (\\HasNoChildren) "/" Sent/2026 ("OLDNAME" (Old))');
    expect(text(listLine(alice, 'Gone'))).toBe('LIST (\\NonExistent) "/" Gone');
  });

  it('a LIST notification names the mailbox as the session names it: modified UTF-7, or UTF-8 after ENABLE (RFC 6855 section 3)', async () => {
    const alice = store.forAccount('alice');
    await alice.createMailbox('Entwürfe');
    const text = (chunks: Array<string | Uint8Array>) =>
      chunks.map((c) => (typeof c === 'string' ? c : Buffer.from(c).toString('utf8'))).join('');
    expect(text(listLine(alice, 'Entwürfe'))).toBe('LIST (\\HasNoChildren) "/" Entw&APw-rfe');
    expect(text(listLine(alice, 'Entwürfe', undefined, true))).toBe('LIST (\\HasNoChildren) "/" "Entwürfe"');
    expect(parse('SET (mailboxes "Entwürfe" (MailboxName))', true)).toBeTruthy();
  });

  it('a full queue during a command says NOTIFICATIONOVERFLOW and turns NOTIFY off', async () => {
    const s = session();
    const notifier = new Notifier(s, { pending: 3, unsent: 1 << 20 });
    notifier.set(everything);
    s.busy = true; // the queue fills only while a command runs
    for (const name of ['q1', 'q2', 'q3', 'q4', 'q5']) await s.accountStore!.createMailbox(name);
    expect(written).toMatch(/^\* OK \[NOTIFICATIONOVERFLOW\] /);
    expect(notifier.request).toBeNull();
    notifier.deliver();
    expect(written).not.toMatch(/LIST/); // what waited is dropped with it (behaves as NOTIFY NONE)
  });

  it('a client that stops reading overflows instead of growing the server’s buffers', async () => {
    const s = session();
    const notifier = new Notifier(s, { pending: 1000, unsent: 1000 });
    notifier.set(everything);
    await s.accountStore!.createMailbox('heard');
    expect(written).toMatch(/\* LIST \(\\HasNoChildren\) "\/" heard\r\n/);
    unsent = 5000;
    await s.accountStore!.createMailbox('unread');
    expect(written).toMatch(/\* OK \[NOTIFICATIONOVERFLOW\] 5000 octets of replies were unread/);
    expect(written).not.toMatch(/unread\r\n/);
  });
});
