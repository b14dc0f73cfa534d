// The practice server keeps what FETCH and SEARCH derive from a message between commands
// (bridge/practice/imap/message-cache.ts). Its answers must stay those of the mailbox as it is:
// a message another session expunged is not served (the view asks the mailbox first), and a mailbox deleted and
// created again (new UIDVALIDITY, UIDs from 1 again) shows its new messages, not the old ones.
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient, startPractice, type Practice } from './harness.ts';

let practice: Practice | null = null;
afterEach(async () => {
  await practice?.close();
  practice = null;
});

const letter = (word: string) =>
  Buffer.from(`From: bob@practice.test\r\nTo: alice@practice.test\r\nSubject: ${word}\r\n\r\nThe word is ${word}.\r\n`);

async function login(port: number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  expect(await c.command('a', 'LOGIN alice practice')).toMatch(/a OK/);
  return c;
}

describe('practice IMAP message cache', () => {
  it('a message expunged by another session is not served from the cache', async () => {
    practice = await startPractice();
    const alice = practice.store.forAccount('alice');
    await alice.createMailbox('Box');
    await alice.append('Box', letter('apple'));
    const reader = await login(practice.plain.port);
    const other = await login(practice.plain.port);
    expect(await reader.command('s', 'SELECT Box')).toMatch(/s OK/);
    expect(await reader.command('f', 'FETCH 1 (BODY.PEEK[TEXT] ENVELOPE)')).toContain('The word is apple.');
    expect(await reader.command('h', 'UID SEARCH SUBJECT apple')).toMatch(/\* SEARCH 1\r\n/);
    expect(await other.command('s', 'SELECT Box')).toMatch(/s OK/);
    expect(await other.command('d', 'STORE 1 +FLAGS (\\Deleted)')).toMatch(/d OK/);
    expect(await other.command('e', 'EXPUNGE')).toMatch(/e OK/);
    // The reader has not been told yet (FETCH is not a safe point for EXPUNGE, RFC 3501 7.4.1):
    // the message is still number 1 for it, but its bytes are gone.
    const again = await reader.command('g', 'FETCH 1 (BODY.PEEK[TEXT])');
    expect(again).not.toContain('The word is apple.');
    expect(again).toMatch(/g OK FETCH completed; 1 message\(s\) were expunged meanwhile\./);
    reader.close();
    other.close();
  });

  it('a mailbox deleted and created again shows its new messages', async () => {
    practice = await startPractice();
    const alice = practice.store.forAccount('alice');
    await alice.createMailbox('Box');
    await alice.append('Box', letter('apple'));
    const c = await login(practice.plain.port);
    expect(await c.command('s', 'SELECT Box')).toMatch(/s OK/);
    expect(await c.command('f', 'FETCH 1 (BODY.PEEK[TEXT] ENVELOPE)')).toContain('The word is apple.');
    expect(await c.command('b', 'SEARCH BODY apple')).toMatch(/\* SEARCH 1\r\n/);
    expect(await c.command('u', 'SELECT INBOX')).toMatch(/u OK/);
    expect(await c.command('d', 'DELETE Box')).toMatch(/d OK/);
    expect(await c.command('c', 'CREATE Box')).toMatch(/c OK/);
    await alice.append('Box', letter('pear'));
    expect(await c.command('t', 'SELECT Box')).toMatch(/t OK/);
    const fetched = await c.command('g', 'UID FETCH 1:* (BODY.PEEK[TEXT] ENVELOPE)');
    expect(fetched).toContain('The word is pear.');
    expect(fetched).toContain('"pear"');
    expect(fetched).not.toContain('apple');
    expect(await c.command('x', 'SEARCH BODY apple')).toMatch(/\* SEARCH\r\n/);
    expect(await c.command('y', 'SEARCH BODY pear')).toMatch(/\* SEARCH 1\r\n/);
    c.close();
  });
});
