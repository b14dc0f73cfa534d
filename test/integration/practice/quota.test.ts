// The per-account quota (--quota) over real sockets: IMAP GETQUOTAROOT/GETQUOTA report it
// (RFC 9208 sections 4.1.1-4.1.2), SETQUOTA is refused, APPEND and COPY that do not fit get
// NO [OVERQUOTA] (section 4.3.1) with nothing stored; SMTP says 452 4.2.2 at RCPT once the
// mailbox is full and 552 5.2.2 after DATA when the message itself does not fit (RFC 3463 3.3).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { startPractice } from '../../../bridge/practice/index.ts';
import type { PracticeServer } from '../../../bridge/practice/types.ts';
import { has } from '../../helpers/peers.ts';
import { RawClient } from './imap/harness.ts';
import { RawSmtp, ZERO_PORTS } from './smtp/helpers.ts';

const QUOTA = 16 * 1024;
let dataDir = '';
let server: PracticeServer;
const port = (target: 'smtp' | 'imaps') => server.endpoints[`practice/${target}`].port;
const used = (user: string) => server.store.forAccount(user).quota().used;
const count = (user: string, box = 'INBOX') => server.store.forAccount(user).mailbox(box)!.messages().length;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-quota-'));
  server = await startPractice(
    practiceConfigWithDefaults({
      dataDir,
      ports: ZERO_PORTS,
      limits: { ...practiceConfigWithDefaults({ dataDir }).limits, quota: QUOTA },
    }),
    () => {},
  );
});
afterAll(async () => {
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function imap(user: string): Promise<RawClient> {
  const c = await RawClient.connect(port('imaps'), true);
  expect(await c.command('l', `LOGIN ${user} practice`)).toMatch(/^l OK/m);
  return c;
}
const message = (octets: number, tag: string) => {
  const head = `Subject: ${tag}\r\n\r\n`;
  return head + 'x'.repeat(Math.max(0, octets - head.length - 2)) + '\r\n';
};
const append = (c: RawClient, tag: string, box: string, body: string) =>
  c.command(tag, `APPEND ${box} {${body.length}+}\r\n${body}`);

describe('--quota', () => {
  it('takes sizes with units; 50 MiB by default', () => {
    const quota = (argv: string[]) => {
      const r = loadConfig(argv, {}, tmpdir());
      return r.help ? null : r.config.practice?.limits.quota;
    };
    expect(quota([])).toBe(50 * 1024 * 1024);
    expect(quota(['--quota', '2MB'])).toBe(2 * 1024 * 1024);
    expect(quota(['--quota=512KB'])).toBe(512 * 1024);
    expect(quota(['--quota', '0'])).toBe(0);
    expect(() => quota(['--quota', 'lots'])).toThrow(
      /--quota must be a size such as 50MB, 512KB or 1GB, or 0 for no limit/,
    );
  });
});

describe('IMAP QUOTA (RFC 9208)', () => {
  it('announces QUOTA and QUOTA=RES-STORAGE after login, reports the one root "" in 1024-octet units', async () => {
    const c = await imap('alice');
    expect(await c.command('c', 'CAPABILITY')).toMatch(/^\* CAPABILITY .* QUOTA QUOTA=RES-STORAGE/m);
    const root = await c.command('r', 'GETQUOTAROOT INBOX');
    expect(root).toContain('* QUOTAROOT INBOX ""\r\n');
    expect(root).toContain(`* QUOTA "" (STORAGE ${Math.ceil(used('alice') / 1024)} ${QUOTA / 1024})\r\n`);
    expect(root).toMatch(/^r OK/m);
    expect(await c.command('g', 'GETQUOTA ""')).toMatch(/^\* QUOTA "" \(STORAGE \d+ 16\)\r\ng OK/m);
    expect(await c.command('n', 'GETQUOTA "User quota"')).toMatch(
      /^n NO \[NONEXISTENT\] There is no quota root "User quota"/m,
    );
    expect(await c.command('m', 'GETQUOTAROOT Nowhere')).toMatch(/^m NO \[NONEXISTENT\]/m);
    expect(await c.command('s', 'SETQUOTA "" (STORAGE 99999)')).toMatch(
      /^s NO \[NOPERM\] SETQUOTA is refused: the quota is set by whoever started mailwire \(--quota\)/m,
    );
    expect(await c.command('b', 'SETQUOTA ""')).toMatch(/^b BAD/m);
    c.close();
    const fresh = await RawClient.connect(port('imaps'), true);
    expect(await fresh.command('c', 'CAPABILITY')).not.toContain('QUOTA');
    expect(await fresh.command('q', 'GETQUOTAROOT INBOX')).toMatch(/^q BAD/m);
    fresh.close();
  });

  it('imapflow reads the same numbers (a real client)', async () => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: port('imaps'),
      secure: true,
      tls: { rejectUnauthorized: false },
      auth: { user: 'alice', pass: 'practice' },
      logger: false,
    });
    await client.connect();
    try {
      const q = await client.getQuota('INBOX');
      expect(q).toMatchObject({
        path: 'INBOX',
        storage: { usage: Math.ceil(used('alice') / 1024) * 1024, limit: QUOTA },
      });
    } finally {
      await client.logout();
    }
  });

  it.skipIf(!has('python3'))('Python imaplib reads it too (needs python3)', async () => {
    const script = [
      'import imaplib, ssl, sys',
      'ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE',
      `m = imaplib.IMAP4_SSL("127.0.0.1", ${port('imaps')}, ssl_context=ctx)`,
      'm.login("bob", "practice")',
      'print(m.getquotaroot("INBOX"))',
      'm.logout()',
    ].join('\n');
    // Asynchronously: the server runs in this process and must keep answering.
    const out = await promisify(execFile)('python3', ['-c', script], { encoding: 'utf8', timeout: 20_000 });
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/\('OK', \[\[b'INBOX ""'\], \[b'"" \(STORAGE \d+ 16\)'\]\]\)/);
  });

  it('APPEND that does not fit gets NO [OVERQUOTA] and stores nothing; after EXPUNGE it fits again', async () => {
    const c = await imap('alice');
    const room = QUOTA - used('alice');
    expect(await append(c, 'a', 'INBOX', message(room - 100, 'fills'))).toMatch(/^a OK \[APPENDUID/m);
    const before = count('alice');
    const refused = await append(c, 'b', 'Drafts', message(200, 'too much'));
    expect(refused).toMatch(
      /^b NO \[OVERQUOTA\] Over quota: alice@practice\.test stores \d+ of 16384 octets, and 200 more do not fit\. Delete messages \(then EXPUNGE\) to make room; nothing was stored\.\r$/m,
    );
    expect(count('alice')).toBe(before);
    expect(count('alice', 'Drafts')).toBe(0);
    expect(used('alice')).toBeLessThanOrEqual(QUOTA);
    // COPY of the welcome message would pass the limit: refused whole, nothing copied.
    expect(await c.command('s', 'SELECT INBOX')).toMatch(/^s OK/m);
    expect(await c.command('c', 'COPY 1:* Trash')).toMatch(/^c NO \[OVERQUOTA\]/m);
    expect(count('alice', 'Trash')).toBe(0);
    // MOVE changes nothing in the account's total: allowed even when full.
    expect(await c.command('m', 'MOVE 1 Trash')).toMatch(/^m OK/m);
    expect(count('alice', 'Trash')).toBe(1);
    expect(await c.command('d', 'STORE 1:* +FLAGS (\\Deleted)')).toMatch(/^d OK/m);
    // What an EXPUNGE would free, in octets (RFC 9208 section 4.1.4).
    const deleted = server.store
      .forAccount('alice')
      .mailbox('INBOX')!
      .messages()
      .reduce((n, m) => n + m.size, 0);
    expect(await c.command('t', 'STATUS INBOX (MESSAGES DELETED-STORAGE)')).toContain(
      `* STATUS INBOX (MESSAGES 1 DELETED-STORAGE ${deleted})\r\n`,
    );
    expect(await c.command('e', 'EXPUNGE')).toMatch(/^e OK/m);
    expect(await append(c, 'f', 'Drafts', message(200, 'fits now'))).toMatch(/^f OK \[APPENDUID/m);
    c.close();
  });

  it('parallel APPENDs never take the account past its quota', async () => {
    const clients = await Promise.all(Array.from({ length: 6 }, () => imap('bob')));
    const room = QUOTA - used('bob');
    const each = Math.floor(room / 3) - 10; // three fit, six are sent at once
    const replies = await Promise.all(
      clients.map((c, i) => append(c, `p${i}`, 'INBOX', message(each, `parallel ${i}`))),
    );
    expect(replies.filter((r) => /^p\d OK/m.test(r))).toHaveLength(3);
    expect(replies.filter((r) => /^p\d NO \[OVERQUOTA\]/m.test(r))).toHaveLength(3);
    expect(used('bob')).toBeLessThanOrEqual(QUOTA);
    for (const c of clients) c.close();
    await server.store.reset(); // bob and alice start again from their welcome messages
  });
});

describe('SMTP and the quota', () => {
  async function smtp(): Promise<RawSmtp> {
    const s = await RawSmtp.connect(port('smtp'));
    await s.reply();
    await s.cmd('EHLO quota.test');
    return s;
  }

  it('552 5.2.2 after DATA when the message does not fit; nothing stored for any recipient', async () => {
    const s = await smtp();
    expect(await s.cmd('MAIL FROM:<carol@example.test>')).toMatch(/^250/);
    expect(await s.cmd('RCPT TO:<bob@practice.test>')).toMatch(/^250/);
    expect(await s.cmd('RCPT TO:<alice@practice.test>')).toMatch(/^250/);
    expect(await s.cmd('DATA')).toMatch(/^354/);
    const [bobBefore, aliceBefore] = [count('bob'), count('alice')];
    s.write(`${message(QUOTA, 'too big for the quota')}.\r\n`);
    expect(await s.reply()).toMatch(
      /^552 5\.2\.2 <(bob|alice)@practice\.test>: Mailbox full: this message \(\d+ octets\) does not fit beside the \d+ of 16384 octets it stores\. Nothing was stored for any recipient\.\r\n$/,
    );
    expect([count('bob'), count('alice')]).toEqual([bobBefore, aliceBefore]);
    s.destroy();
  });

  it('452 4.2.2 at RCPT once the mailbox is full; other recipients are still accepted', async () => {
    // Fill bob exactly to the limit through the store, as deliveries would.
    const bob = server.store.forAccount('bob');
    await bob.append('Drafts', Buffer.from(message(QUOTA - used('bob'), 'exactly full')));
    expect(used('bob')).toBe(QUOTA);
    const s = await smtp();
    expect(await s.cmd('MAIL FROM:<carol@example.test>')).toMatch(/^250/);
    expect(await s.cmd('RCPT TO:<bob@practice.test>')).toMatch(
      /^452 4\.2\.2 <bob@practice\.test>: Mailbox full: it stores 16384 of its 16384 octets\. Try again once the recipient has deleted mail\.\r\n$/,
    );
    expect(await s.cmd('RCPT TO:<alice@practice.test>')).toMatch(/^250/);
    expect(await s.cmd('DATA')).toMatch(/^354/);
    s.write(`${message(300, 'for alice only')}.\r\n`);
    expect(await s.reply()).toMatch(/^250 2\.6\.0 Message accepted and stored for 1 recipient\./);
    s.destroy();
  });
});
