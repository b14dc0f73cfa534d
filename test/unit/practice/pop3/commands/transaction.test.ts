// RETR and TOP over the real mailstore in a temp dir: the message's bytes come from the process's
// message cache (shared with IMAP), so its file is read once however often it is asked for, and a
// message expunged by another session meanwhile still gets the sentence that says so.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MailstoreApi } from '../../../../../bridge/practice/mailstore-types.ts';
import { openMailstore } from '../../../../../bridge/practice/mailstore.ts';
import { dotStuff } from '../../../../../bridge/practice/pop3/dot-stuffing.ts';
import { Pop3Session } from '../../../../../bridge/practice/pop3/session.ts';

let dataDir: string;
let store: MailstoreApi;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'pop3-transaction-'));
  store = await openMailstore({
    dataDir,
    domain: 'practice.test',
    accounts: [{ username: 'alice', password: 'practice' }],
  });
});
afterEach(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

const RAW = Buffer.from('Subject: cached\r\n\r\n.starts with a dot\r\nsecond line\r\n');

async function loggedIn() {
  const s = new Pop3Session({
    store,
    hostname: 'mail.practice.test',
    security: 'none',
    scenarios: () => ({}),
    log: () => {},
  });
  const send = async (line: string) => {
    const r = await s.handleLine(Uint8Array.from(Buffer.from(line, 'latin1')));
    return Buffer.concat(r.chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'latin1') : c)));
  };
  expect((await send('USER alice')).toString()).toMatch(/^\+OK/);
  expect((await send('PASS practice')).toString()).toMatch(/^\+OK/);
  return { s, send };
}

describe('POP3 RETR and TOP', () => {
  it('read a message file once: RETR twice and TOP are served from the cache, bytes unchanged', async () => {
    const inbox = store.forAccount('alice').mailbox('INBOX')!;
    await store.forAccount('alice').append('INBOX', RAW);
    const n = inbox.messages().length; // after the welcome message
    let reads = 0;
    const read = inbox.read.bind(inbox);
    inbox.read = (uid: number) => {
      reads++;
      return read(uid);
    };
    const { s, send } = await loggedIn();
    const expected = Buffer.concat([Buffer.from(`+OK ${RAW.length} octets\r\n`), dotStuff(RAW)]);
    expect(await send(`RETR ${n}`)).toEqual(expected);
    expect(await send(`RETR ${n}`)).toEqual(expected);
    expect((await send(`TOP ${n} 1`)).toString('latin1')).toBe(
      `+OK Top of message ${n} follows\r\nSubject: cached\r\n\r\n..starts with a dot\r\n.\r\n`,
    );
    expect(reads).toBe(1);
    s.disconnected();
  });

  it('a message expunged by another session after login gets -ERR saying so, not its cached bytes', async () => {
    const inbox = store.forAccount('alice').mailbox('INBOX')!;
    const { uid } = await store.forAccount('alice').append('INBOX', RAW);
    const n = inbox.messages().length;
    const { s, send } = await loggedIn();
    expect((await send(`RETR ${n}`)).toString()).toMatch(/^\+OK/);
    await inbox.expunge([uid]); // as an IMAP session's EXPUNGE would
    expect((await send(`RETR ${n}`)).toString()).toMatch(
      new RegExp(`^-ERR Message ${n} was removed after you logged in`),
    );
    s.disconnected();
  });
});
