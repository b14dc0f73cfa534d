// Mailbox names the store can hold on Linux, macOS and Windows alike (maildir/names.ts), and the
// refusal sentence for the others (IMAP answers them NO [CANNOT], RFC 5530 section 3).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkMailboxName, mailboxDirName, mailboxOfDir, STORE_DIR } from '../../../bridge/practice/maildir/names.ts';
import { openMailstore } from '../../../bridge/practice/mailstore.ts';
import { MailstoreError, type MailstoreApi } from '../../../bridge/practice/mailstore-types.ts';

describe('checkMailboxName', () => {
  it.each(['CON', 'con', 'Nul', 'aux.txt', 'COM1', 'lpt9', 'Archive/PRN', 'LPT¹'])(
    'refuses the Windows device name %s',
    (name) => {
      expect(() => checkMailboxName(name)).toThrow(
        /is a device name on Windows \(CON, PRN, AUX, NUL, COM1-9, LPT1-9\)\. Add a letter/,
      );
    },
  );
  it.each(['Notes.', 'Notes ', 'Archive./2026', 'a/b '])('refuses %j: a trailing dot or space', (name) => {
    expect(() => checkMailboxName(name)).toThrow(/ends in a dot or a space, which Windows removes\. Leave it off\./);
  });
  it.each(['a\u0085b', 'a\u009bb', 'tab\there', 'a\u007f'])('refuses control characters (C0, DEL, C1): %j', (name) => {
    expect(() => checkMailboxName(name)).toThrow(/without \* % or control characters/);
  });
  it.each([
    'CONSOLE',
    'Com',
    'COM10',
    '.hidden',
    'a.b',
    'Sent Items',
    'Entwürfe',
    '@mailwire',
    'account.json',
    '.account.json.tmp',
  ])('accepts %j', (name) => {
    expect(checkMailboxName(name)).toBe(name);
  });
  it('throws a MailstoreError with code BAD_NAME (IMAP: NO [CANNOT])', () => {
    try {
      checkMailboxName('con');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MailstoreError);
      expect((e as MailstoreError).code).toBe('BAD_NAME');
    }
  });
});

describe('directory names', () => {
  it('no mailbox name encodes to the store directory', () => {
    expect(mailboxDirName('@mailwire')).toBe('%40mailwire');
    expect(mailboxOfDir(STORE_DIR)).toBeNull(); // "@" is always written %40
    expect(mailboxOfDir('%40mailwire')).toBe('@mailwire');
    expect(mailboxOfDir('Archive%2F2026')).toBe('Archive/2026');
    expect(mailboxOfDir('Archive%2f2026')).toBeNull(); // the encoding never writes lowercase hex
    expect(mailboxOfDir('%E0%A4%A')).toBeNull();
  });
});

describe('names differing only in letter case (one folder on macOS and Windows)', () => {
  let dataDir: string;
  let store: MailstoreApi;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-names-'));
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

  it('CREATE and RENAME refuse a case twin of an existing mailbox, superiors included', async () => {
    const acct = store.forAccount('alice');
    await acct.createMailbox('Work');
    await expect(acct.createMailbox('work')).rejects.toThrow(
      /cannot be stored beside "Work": the names differ only in letter case/,
    );
    await expect(acct.createMailbox('WORK/2026')).rejects.toThrow(/"WORK" cannot be stored beside "Work"/);
    await expect(acct.createMailbox('sent')).rejects.toMatchObject({ code: 'BAD_NAME' });
    await acct.createMailbox('Play');
    await expect(acct.renameMailbox('Play', 'wORK')).rejects.toThrow(/differ only in letter case/);
    await acct.renameMailbox('Work', 'work'); // a mailbox may change its own case
    expect(acct.listMailboxes()).toContain('work');
    expect(acct.listMailboxes()).not.toContain('Work');
  });
});
