// imapflow (a real IMAP client) against the practice server over STARTTLS and IMAPS, with the
// real Maildir store underneath.
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPractice, type Practice } from './harness.ts';

let practice: Practice;
beforeAll(async () => {
  practice = await startPractice();
});
afterAll(async () => {
  await practice?.close();
});

function client(port: number, secure: boolean, user = 'alice'): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port,
    secure,
    doSTARTTLS: secure ? undefined : true,
    tls: { rejectUnauthorized: false },
    auth: { user, pass: 'practice' },
    logger: false,
  });
}

const multipart = [
  'From: "Bob Example" <bob@practice.test>',
  'To: alice@practice.test, "Carol C." <carol@example.org>',
  'Cc: Team: dave@example.org, erin@example.org;',
  'Subject: =?utf-8?q?Caf=C3=A9_plans?=',
  'Date: Tue, 24 Nov 2026 10:00:00 +0000',
  'Message-ID: <plans-1@practice.test>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  'preamble',
  '--outer',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Let us meet at the caf=C3=A9 at noon.',
  '--outer',
  'Content-Type: application/octet-stream; name="data.bin"',
  'Content-Disposition: attachment; filename="data.bin"',
  'Content-Transfer-Encoding: base64',
  '',
  'AAECAwQFBgcICQ==',
  '--outer--',
  '',
].join('\r\n');

describe('imapflow over STARTTLS and IMAPS', () => {
  it('logs in over STARTTLS, lists, appends and reads back the exact bytes', async () => {
    const c = client(practice.starttls.port, false);
    await c.connect();
    expect(c.secureConnection).toBe(true); // upgraded by STARTTLS before LOGIN
    const list = await c.list();
    expect(list.map((m) => m.path)).toEqual(expect.arrayContaining(['INBOX', 'Sent', 'Drafts', 'Trash']));
    expect(list.find((m) => m.path === 'Sent')?.specialUse).toBe('\\Sent');
    const appended = await c.append('INBOX', Buffer.from(multipart), ['\\Flagged']);
    expect(appended && appended.uid).toBeGreaterThan(0);
    const lock = await c.getMailboxLock('INBOX');
    try {
      const msg = await c.fetchOne(
        String(appended && appended.uid),
        { uid: true, envelope: true, bodyStructure: true, source: true, flags: true },
        { uid: true },
      );
      if (!msg) throw new Error('no message');
      expect(msg.source?.toString()).toBe(multipart);
      expect([...(msg.flags ?? [])]).toContain('\\Flagged');
      expect(msg.envelope?.subject).toBe('Café plans');
      expect(msg.envelope?.from?.[0]).toMatchObject({ name: 'Bob Example', address: 'bob@practice.test' });
      expect(msg.envelope?.to?.map((a) => a.address)).toEqual(['alice@practice.test', 'carol@example.org']);
      expect(msg.envelope?.messageId).toBe('<plans-1@practice.test>');
      const bs = msg.bodyStructure!;
      expect(bs.type).toBe('multipart/mixed');
      expect(bs.childNodes?.map((p) => p.type)).toEqual(['text/plain', 'application/octet-stream']);
      expect(bs.childNodes?.[1].disposition).toBe('attachment');
      expect(bs.childNodes?.[1].dispositionParameters?.filename).toBe('data.bin');
      expect(bs.childNodes?.[0].size).toBe('Let us meet at the caf=C3=A9 at noon.'.length);
      const part = await c.download(String(appended && appended.uid), '2', { uid: true });
      const chunks: Buffer[] = [];
      for await (const chunk of part.content ?? []) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks)).toEqual(Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    } finally {
      lock.release();
    }
    await c.logout();
  });

  it('stores flags, searches, copies, moves and expunges over IMAPS', async () => {
    const c = client(practice.implicit.port, true, 'bob');
    await c.connect();
    for (let i = 1; i <= 5; i++) {
      await c.append(
        'INBOX',
        Buffer.from(
          `From: x${i}@example.org\r\nSubject: note ${i}\r\n\r\nbody number ${i} ${i === 3 ? 'pineapple' : ''}\r\n`,
        ),
      );
    }
    await c.mailboxCreate('Archive');
    const lock = await c.getMailboxLock('INBOX');
    try {
      const all = await c.search({ all: true }, { uid: true });
      expect(all && all.length).toBe(6); // welcome message + 5
      const notes = all ? all.slice(1) : [];
      await c.messageFlagsAdd(String(notes[0]), ['\\Seen', '$Important'], { uid: true });
      expect(await c.search({ seen: true }, { uid: true })).toEqual([notes[0]]);
      expect(await c.search({ keyword: '$Important' }, { uid: true })).toEqual([notes[0]]);
      expect(await c.search({ body: 'pineapple' }, { uid: true })).toEqual([notes[2]]);
      expect(await c.search({ subject: 'note 4' }, { uid: true })).toEqual([notes[3]]);
      expect(await c.search({ from: 'x2@example.org' }, { uid: true })).toEqual([notes[1]]);
      const copied = await c.messageCopy(String(notes[1]), 'Archive', { uid: true });
      expect(copied && copied.uidMap?.size).toBe(1);
      const moved = await c.messageMove(`${notes[3]}:${notes[4]}`, 'Archive', { uid: true });
      expect(moved && moved.uidMap?.size).toBe(2);
      expect(await c.search({ all: true }, { uid: true })).toEqual(all ? [all[0], notes[0], notes[1], notes[2]] : []);
      await c.messageFlagsAdd(String(notes[2]), ['\\Deleted'], { uid: true });
      await c.messageDelete(String(notes[2]), { uid: true });
      expect(await c.search({ all: true }, { uid: true })).toEqual(all ? [all[0], notes[0], notes[1]] : []);
    } finally {
      lock.release();
    }
    const status = await c.status('Archive', { messages: true, uidNext: true });
    expect(status && status.messages).toBe(3);
    await c.logout();
  });

  it('IDLE receives EXISTS when another session appends to the same mailbox', async () => {
    const watcher = client(practice.starttls.port, false);
    const writer = client(practice.implicit.port, true);
    await watcher.connect();
    await writer.connect();
    await watcher.mailboxOpen('INBOX');
    const before = watcher.mailbox && watcher.mailbox.exists;
    const seen = new Promise<number>((resolve) => watcher.on('exists', (info) => resolve(info.count)));
    const idling = watcher.idle(); // resolves when IDLE ends (the next command breaks it)
    await new Promise((r) => setTimeout(r, 200));
    await writer.append('INBOX', Buffer.from('From: w@example.org\r\nSubject: ping\r\n\r\nhello\r\n'));
    const count = await Promise.race([
      seen,
      new Promise<number>((_, rej) => setTimeout(() => rej(new Error('no EXISTS')), 5000)),
    ]);
    expect(count).toBe(Number(before) + 1);
    await writer.logout();
    await watcher.noop();
    await idling;
    await watcher.logout();
  });
});
