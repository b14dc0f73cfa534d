// IMAP NOTIFY (RFC 5465) across sessions on the whole practice system: another session of the same
// account and an SMTP delivery (nodemailer through submission) reach a NOTIFY session between its
// commands; another account's changes never do. Real sockets on loopback, IMAPS with implicit TLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { practiceTransport, sampleMessage, startTestPractice, type TestPractice } from '../smtp/helpers.ts';
import { RawClient } from './harness.ts';

let practice: TestPractice;
const open: RawClient[] = [];

async function login(user: string): Promise<RawClient> {
  const client = await RawClient.connect(practice.server.endpoints['practice/imaps'].port, true);
  open.push(client);
  expect(await client.command('l1', `LOGIN ${user} practice`)).toMatch(/l1 OK/);
  return client;
}

/** What arrives without a command: waits until `pattern` shows up. */
const unsolicited = (client: RawClient, pattern: RegExp, ms = 5000) => client.readUntil((t) => pattern.test(t), ms);

beforeAll(async () => {
  practice = await startTestPractice();
}, 60_000);
afterAll(async () => {
  for (const c of open) c.close();
  await practice?.stop();
});

describe('NOTIFY between sessions', () => {
  it('reports another session’s CREATE, SUBSCRIBE, APPEND, RENAME and DELETE as LIST and STATUS (5.2, 5.4, 5.5)', async () => {
    const watcher = await login('alice');
    const other = await login('alice');
    expect(
      await watcher.command('n1', 'NOTIFY SET (personal (MessageNew MessageExpunge MailboxName SubscriptionChange))'),
    ).toMatch(/n1 OK/);

    await other.command('o1', 'CREATE Notes');
    expect(await unsolicited(watcher, /LIST [^\r\n]*"?Notes"?\r\n/)).toMatch(
      /\* LIST \(\\HasNoChildren\) "\/" "?Notes"?\r\n/,
    );

    await other.command('o2', 'SUBSCRIBE Notes');
    expect(await unsolicited(watcher, /\\Subscribed/)).toMatch(
      /\* LIST \(\\HasNoChildren \\Subscribed\) "\/" "?Notes"?/,
    );

    await other.command('o3', 'APPEND Notes {5+}\r\nhello');
    expect(await unsolicited(watcher, /STATUS/)).toMatch(/\* STATUS "?Notes"? \(MESSAGES 1 UIDNEXT 2\)/);

    await other.command('o4', 'RENAME Notes Old');
    expect(await unsolicited(watcher, /OLDNAME/)).toMatch(/\* LIST \([^)]*\) "\/" "?Old"? \("OLDNAME" \("?Notes"?\)\)/);

    await other.command('o5', 'DELETE Old');
    expect(await unsolicited(watcher, /NonExistent/)).toMatch(/\* LIST \(\\NonExistent[^)]*\) "\/" "?Old"?/);

    // NOTIFY NONE: the next change is not told (section 3.1).
    expect(await watcher.command('n2', 'NOTIFY NONE')).toMatch(/n2 OK/);
    await other.command('o6', 'CREATE Quiet');
    const after = await watcher.command('n3', 'NOOP');
    expect(after).not.toMatch(/Quiet/);
  });

  it('with SUBSCRIBED, reports a subscription and its end (5.5, 6.4)', async () => {
    const watcher = await login('alice');
    const other = await login('alice');
    await other.command('o0', 'CREATE Later');
    await watcher.command('n1', 'NOTIFY SET (subscribed (SubscriptionChange))');
    await other.command('o1', 'SUBSCRIBE Later');
    expect(await unsolicited(watcher, /Later/)).toMatch(/\* LIST \(\\HasNoChildren \\Subscribed\) "\/" Later\r\n/);
    await other.command('o2', 'UNSUBSCRIBE Later');
    expect(await unsolicited(watcher, /Later/)).toMatch(/\* LIST \(\\HasNoChildren\) "\/" Later\r\n/);
  });

  it('tells the session nothing of its own CREATE (section 5: the client caused it)', async () => {
    const self = await login('alice');
    await self.command('s1', 'NOTIFY SET (personal (MailboxName))');
    const reply = await self.command('s2', 'CREATE Mine');
    expect(reply).not.toMatch(/\* LIST/);
    expect(reply).toMatch(/s2 OK/);
  });

  it('reports an SMTP delivery into INBOX with INBOXES, while INBOX is not selected (5.2, 6.3)', async () => {
    const watcher = await login('alice');
    await watcher.command('n1', 'NOTIFY SET (inboxes (MessageNew MessageExpunge))');
    const before = practice.inbox('alice')!.messages().length;
    await practiceTransport(practice, 'submission', 'bob', 'practice').sendMail({
      envelope: { from: 'bob@practice.test', to: ['alice@practice.test'] },
      raw: sampleMessage('alice@practice.test', 'notify me'),
    });
    const text = await unsolicited(watcher, /STATUS INBOX/, 15_000);
    expect(text).toMatch(new RegExp(`\\* STATUS INBOX \\(MESSAGES ${before + 1} UIDNEXT \\d+\\)`));
  });

  it('pushes EXISTS and the MessageNew fetch-atts for the selected mailbox, and none for its own APPEND (5.2, 6.1.1)', async () => {
    const watcher = await login('alice');
    const other = await login('alice');
    await watcher.command('s1', 'SELECT Drafts');
    expect(await watcher.command('n1', 'NOTIFY SET (selected (MessageNew (UID FLAGS) MessageExpunge))')).toMatch(
      /n1 OK/,
    );
    await other.command('o1', 'APPEND Drafts (\\Draft) {5+}\r\nfirst');
    const pushed = await unsolicited(watcher, /FETCH/);
    expect(pushed).toMatch(/\* 1 EXISTS\r\n/);
    expect(pushed).toMatch(/\* 1 FETCH \(UID 1 FLAGS \(\\Draft( \\Recent)?\)\)/);

    const own = await watcher.command('a1', 'APPEND Drafts {3+}\r\nown');
    expect(own).toMatch(/\* 2 EXISTS/);
    expect(own).not.toMatch(/FETCH/);

    // An expunge in another session goes out at once with SELECTED (section 6.1.1).
    await other.command('o2', 'SELECT Drafts');
    await other.command('o3', 'STORE 1 +FLAGS (\\Deleted)');
    await other.command('o4', 'EXPUNGE');
    expect(await unsolicited(watcher, /EXPUNGE/)).toMatch(/\* 1 EXPUNGE\r\n/);
  });

  it('sends the same notifications during IDLE (section 4), and SELECTED-DELAYED keeps expunges for a command (6.1.2)', async () => {
    const watcher = await login('alice');
    const other = await login('alice');
    await other.command('o0', 'CREATE Box');
    await watcher.command('s1', 'SELECT Box');
    await watcher.command(
      'n1',
      'NOTIFY SET (selected-delayed (MessageNew MessageExpunge)) (personal (MessageNew MessageExpunge MailboxName))',
    );
    watcher.write('i1 IDLE\r\n');
    await unsolicited(watcher, /^\+ /m);
    await other.command('o1', 'APPEND Trash {4+}\r\nidle');
    expect(await unsolicited(watcher, /STATUS/)).toMatch(/\* STATUS Trash \(MESSAGES \d+ UIDNEXT \d+\)/);
    watcher.write('DONE\r\n');
    await unsolicited(watcher, /i1 OK/);

    await other.command('o2', 'APPEND Box {3+}\r\none');
    expect(await unsolicited(watcher, /EXISTS/)).toMatch(/\* 1 EXISTS/);
    await other.command('o3', 'SELECT Box');
    await other.command('o4', 'STORE 1 +FLAGS.SILENT (\\Deleted)');
    await other.command('o5', 'EXPUNGE');
    // The LIST for Marker comes after anything the expunge would have pushed.
    await other.command('o6', 'CREATE Marker');
    const before = await unsolicited(watcher, /Marker/);
    expect(before).not.toMatch(/EXPUNGE/);
    // The expunge waits for a command that may carry it (RFC 3501 section 7.4.1): NOOP does.
    const noop = await watcher.command('n2', 'NOOP');
    expect(noop).toMatch(/\* 1 EXPUNGE\r\nn2 OK/);
  });

  it('pushes only the selected mailbox’s events asked for: a flag change waits for a command without FlagChange (5.1)', async () => {
    const watcher = await login('alice');
    const other = await login('alice');
    await other.command('o0', 'CREATE Flags');
    await other.command('o1', 'APPEND Flags {4+}\r\nflag');
    await watcher.command('s1', 'SELECT Flags');
    await watcher.command('n1', 'NOTIFY SET (selected (MessageNew MessageExpunge)) (personal (MailboxName))');
    await other.command('o2', 'SELECT Flags');
    await other.command('o3', 'STORE 1 +FLAGS.SILENT (\\Flagged)');
    await other.command('o4', 'CREATE FlagMarker');
    expect(await unsolicited(watcher, /FlagMarker/)).not.toMatch(/FETCH/);
    expect(await watcher.command('n2', 'NOOP')).toMatch(/\* 1 FETCH \(UID 1 FLAGS \(\\Flagged[^)]*\)\)\r\nn2 OK/);
  });

  it('tells a FlagChange watcher the new UIDVALIDITY after a practice reset (5.1)', async () => {
    const watcher = await login('alice');
    const first = await watcher.command(
      'n1',
      'NOTIFY SET STATUS (mailboxes Sent (MessageNew MessageExpunge FlagChange))',
    );
    const before = /\* STATUS Sent \(MESSAGES \d+ UIDNEXT \d+ UIDVALIDITY (\d+) HIGHESTMODSEQ \d+\)/.exec(first);
    expect(before).not.toBeNull();
    await practice.server.store.reset();
    const text = await unsolicited(watcher, /STATUS Sent/);
    const after = /\* STATUS Sent \(MESSAGES 0 UIDNEXT 1 UIDVALIDITY (\d+) HIGHESTMODSEQ \d+\)/.exec(text);
    expect(after).not.toBeNull();
    expect(Number(after![1])).toBeGreaterThan(Number(before![1]));
  });

  it('never tells one account of another account’s mailboxes or mail', async () => {
    const bob = await login('bob');
    await bob.command(
      'n1',
      'NOTIFY SET (personal (MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange))',
    );
    const alice = await login('alice');
    await alice.command('a1', 'CREATE Secret-Plans');
    await alice.command('a2', 'SUBSCRIBE Secret-Plans');
    await alice.command('a3', 'APPEND Secret-Plans {3+}\r\nshh');
    await practiceTransport(practice, 'submission', 'bob', 'practice').sendMail({
      envelope: { from: 'bob@practice.test', to: ['alice@practice.test'] },
      raw: sampleMessage('alice@practice.test', 'for alice only'),
    });
    // Bob's own mailbox changes still arrive, so the silence about alice's means something.
    const bobOther = await login('bob');
    await bobOther.command('b1', 'CREATE Bobs');
    const seen = await unsolicited(bob, /"?Bobs"?\r\n/);
    const rest = await bob.command('n2', 'NOOP');
    expect(seen + rest).not.toMatch(/Secret|STATUS INBOX/);
  });
});
