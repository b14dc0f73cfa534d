// Mailbox commands over a raw socket: CREATE, RENAME, DELETE, SUBSCRIBE/LSUB, STATUS, EXAMINE,
// CLOSE versus UNSELECT, NAMESPACE, ID, ENABLE, with the real store underneath.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, startPractice, type Practice } from './harness.ts';

let practice: Practice;
let c: RawClient;
beforeAll(async () => {
  practice = await startPractice();
  c = await RawClient.connect(practice.implicit.port, true);
  await c.command('L', 'LOGIN bob practice');
});
afterAll(async () => {
  c?.close();
  await practice?.close();
});

const msg = (s: string) => `Subject: ${s}\r\n\r\nbody\r\n`;

describe('mailbox management', () => {
  it('CREATE, LIST with % and *, RENAME and DELETE, with RFC 5530 codes on failure', async () => {
    expect(await c.command('a', 'CREATE Projects/2026/')).toMatch(/^a OK/m);
    expect(await c.command('b', 'CREATE Projects/2026')).toMatch(/^b NO \[ALREADYEXISTS\]/m);
    const top = await c.command('c', 'LIST "" "%"');
    expect(top).toMatch(/^\* LIST \(\\HasChildren\) "\/" Projects\r$/m);
    expect(top).not.toMatch(/Projects\/2026/);
    expect(await c.command('d', 'LIST "Projects/" "*"')).toMatch(
      /^\* LIST \(\\HasNoChildren\) "\/" Projects\/2026\r$/m,
    );
    expect(await c.command('e', 'LIST "" ""')).toMatch(/^\* LIST \(\\Noselect\) "\/" ""\r$/m);
    expect(await c.command('f', 'RENAME Projects/2026 Projects/Old')).toMatch(/^f OK/m);
    expect(await c.command('g', 'DELETE Projects/Old')).toMatch(/^g OK/m);
    expect(await c.command('h', 'DELETE Nowhere')).toMatch(/^h NO \[NONEXISTENT\]/m);
    expect(await c.command('i', 'DELETE INBOX')).toMatch(/^i NO \[CANNOT\]/m);
  });

  it('SUBSCRIBE and LSUB; STATUS counts', async () => {
    await c.command('a', 'CREATE Lists');
    expect(await c.command('b', 'SUBSCRIBE Lists')).toMatch(/^b OK/m);
    expect(await c.command('c', 'LSUB "" "*"')).toMatch(/^\* LSUB \([^)]*\) "\/" Lists\r$/m);
    expect(await c.command('d', 'UNSUBSCRIBE Lists')).toMatch(/^d OK/m);
    expect(await c.command('e', 'LSUB "" "*"')).not.toMatch(/Lists/);
    for (const s of ['one', 'two']) await c.command('p', `APPEND Lists (\\Seen) {${msg(s).length}+}\r\n${msg(s)}`);
    await c.command('q', `APPEND Lists {${msg('three').length}+}\r\n${msg('three')}`);
    expect(await c.command('f', 'STATUS Lists (MESSAGES UNSEEN UIDNEXT RECENT)')).toMatch(
      /^\* STATUS Lists \(MESSAGES 3 UNSEEN 1 UIDNEXT 4 RECENT 3\)\r$/m,
    );
    expect(await c.command('g', 'STATUS Lists (BOGUS)')).toMatch(/^g BAD Unknown STATUS item/m);
  });

  it('EXAMINE is read-only and does not claim \\Recent; SELECT does', async () => {
    const ex = await c.command('a', 'EXAMINE Lists');
    expect(ex).toMatch(/^\* 3 RECENT\r$/m);
    expect(ex).toMatch(/^a OK \[READ-ONLY\]/m);
    expect(await c.command('b', 'STORE 1 +FLAGS (\\Flagged)')).toMatch(/^b NO \[READ-ONLY\]/m);
    const sel = await c.command('c', 'SELECT Lists');
    expect(sel).toMatch(/^\* 3 RECENT\r$/m);
    expect(sel).toMatch(/^\* OK \[UNSEEN 3\]/m);
    expect(sel).toMatch(/^c OK \[READ-WRITE\]/m);
    const other = await RawClient.connect(practice.implicit.port, true);
    await other.command('L', 'LOGIN bob practice');
    expect(await other.command('s', 'SELECT Lists')).toMatch(/^\* 0 RECENT\r$/m); // already claimed
    other.close();
  });

  it('UNSELECT keeps \\Deleted messages; CLOSE expunges them silently', async () => {
    await c.command('a', 'SELECT Lists');
    await c.command('b', 'STORE 1 +FLAGS.SILENT (\\Deleted)');
    expect(await c.command('c', 'UNSELECT')).toBe('c OK UNSELECT completed; nothing was expunged.\r\n');
    expect(await c.command('d', 'STATUS Lists (MESSAGES)')).toMatch(/MESSAGES 3/);
    await c.command('e', 'SELECT Lists');
    expect(await c.command('f', 'CLOSE')).toBe('f OK CLOSE completed.\r\n');
    expect(await c.command('g', 'STATUS Lists (MESSAGES)')).toMatch(/MESSAGES 2/);
    expect(await c.command('h', 'FETCH 1 FLAGS')).toMatch(/^h BAD FETCH is not allowed now/m);
  });

  it('NAMESPACE, ID, ENABLE and COPY to a missing mailbox (TRYCREATE)', async () => {
    expect(await c.command('a', 'NAMESPACE')).toMatch(/^\* NAMESPACE \(\("" "\/"\)\) NIL NIL\r$/m);
    expect(await c.command('b', 'ID ("name" "test")')).toMatch(/^\* ID \("name" "mailwire practice IMAP"/m);
    expect(await c.command('c', 'ENABLE X-GOOD-IDEA')).toMatch(/^\* ENABLED\r\nc OK/m); // unknown: ignored (RFC 9051 6.3.1)
    await c.command('d', 'SELECT Lists');
    expect(await c.command('e', 'COPY 1 Nowhere')).toMatch(/^e NO \[TRYCREATE\]/m);
    expect(await c.command('f', 'UID COPY 1:* INBOX')).toMatch(/^f OK \[COPYUID \d+ \d+:\d+ \d+:\d+\]/m);
    expect(await c.command('g', 'SEARCH CHARSET KOI8-R ALL')).toMatch(/^g NO \[BADCHARSET \(US-ASCII UTF-8\)\]/m);
  });
});
