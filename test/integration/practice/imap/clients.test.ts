// Standard clients other than imapflow: Python's imaplib, curl's imap:// and imaps:// URLs,
// mbsync, fetchmail and openssl s_client -starttls imap. Each skips with a reason when the
// program is missing.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { has, startPractice, type Practice } from './harness.ts';

let practice: Practice;
let welcomeBytes: Buffer;
beforeAll(async () => {
  practice = await startPractice();
  const inbox = practice.store.forAccount('alice').mailbox('INBOX')!;
  welcomeBytes = (await inbox.read(inbox.messages()[0].uid))!;
});
afterAll(async () => {
  await practice?.close();
});

const lf = (b: Buffer) => Buffer.from(b.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');

function run(
  cmd: string,
  args: string[],
  input?: string,
  timeoutMs = 20000,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: err });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

describe.skipIf(!has('python3'))('Python imaplib (needs python3)', () => {
  it('STARTTLS, LOGIN, SELECT, SEARCH, FETCH and LOGOUT', async () => {
    const script = `
import imaplib, ssl, sys, json
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
c = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))
c.starttls(ssl_context=ctx)
typ, _ = c.login('alice@practice.test', 'practice')
typ2, data = c.select('INBOX')
typ3, hits = c.search(None, 'ALL')
typ4, fetched = c.fetch(b'1', '(RFC822.SIZE BODY.PEEK[])')
print(json.dumps({'login': typ, 'exists': data[0].decode(), 'search': hits[0].decode(), 'head': fetched[0][0].decode(), 'body': fetched[0][1].decode('latin1')}))
c.logout()
`;
    const { code, stdout, stderr } = await run('python3', ['-c', script, String(practice.starttls.port)]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(stdout.toString());
    expect(r).toMatchObject({ login: 'OK', exists: '1', search: '1' });
    expect(r.head).toMatch(new RegExp(`RFC822.SIZE ${welcomeBytes.length} BODY\\[\\] \\{${welcomeBytes.length}\\}`));
    expect(r.body).toBe(welcomeBytes.toString('latin1'));
  });
});

describe.skipIf(!has('curl'))('curl IMAP URLs (needs curl)', () => {
  it('imap:// with --ssl-reqd (STARTTLS) fetches the message byte-exact', async () => {
    const url = `imap://127.0.0.1:${practice.starttls.port}/INBOX;UID=1`;
    const { code, stdout, stderr } = await run('curl', ['-sS', '--ssl-reqd', '-k', '-u', 'alice:practice', url]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.equals(welcomeBytes)).toBe(true);
  });

  it('imaps:// lists mailboxes', async () => {
    const { code, stdout } = await run('curl', [
      '-sS',
      '-k',
      '-u',
      'alice:practice',
      `imaps://127.0.0.1:${practice.implicit.port}/`,
    ]);
    expect(code).toBe(0);
    expect(stdout.toString()).toMatch(/^\* LIST \(\\HasNoChildren\) "\/" INBOX\r$/m);
    expect(stdout.toString()).toMatch(/^\* LIST \(\\HasNoChildren \\Sent\) "\/" Sent\r$/m);
  });

  it.each(['LOGIN', 'PLAIN'])('imaps:// with ;AUTH=%s in the URL logs in with that SASL mechanism', async (mech) => {
    const url = `imaps://alice;AUTH=${mech}:practice@127.0.0.1:${practice.implicit.port}/INBOX;UID=1`;
    const { code, stdout, stderr } = await run('curl', ['-sS', '-v', '-k', url]);
    expect(code).toBe(0);
    expect(stderr).toMatch(new RegExp(`^> A\\d+ AUTHENTICATE ${mech} `, 'm'));
    expect(stdout.equals(welcomeBytes)).toBe(true);
  });

  it('the other URL forms: MAILINDEX, SECTION, PARTIAL, UIDVALIDITY, ?search, and -X commands', async () => {
    const base = `imaps://127.0.0.1:${practice.implicit.port}`;
    const validity = practice.store.forAccount('alice').mailbox('INBOX')!.uidValidity;
    const get = async (url: string, extra: string[] = []) => {
      const r = await run('curl', ['-sS', '-k', '-u', 'alice:practice', ...extra, base + url]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return r.stdout.toString('latin1');
    };
    const welcome = welcomeBytes.toString('latin1');
    const headerEnd = welcome.indexOf('\r\n\r\n') + 4;
    expect(await get('/INBOX;MAILINDEX=1;SECTION=HEADER')).toBe(welcome.slice(0, headerEnd));
    expect(await get('/INBOX;UID=1;SECTION=TEXT')).toBe(welcome.slice(headerEnd));
    expect(await get('/INBOX;UID=1;PARTIAL=0.20')).toBe(welcome.slice(0, 20));
    expect(await get(`/INBOX;UIDVALIDITY=${validity};UID=1`)).toBe(welcome);
    expect(await get('/INBOX?ALL')).toMatch(/^\* SEARCH 1\r$/m);
    expect(await get('/', ['-X', 'STATUS INBOX (MESSAGES)'])).toMatch(/^\* STATUS INBOX \(MESSAGES 1\)\r$/m);
    const stale = await run('curl', [
      '-sS',
      '-k',
      '-u',
      'alice:practice',
      `${base}/INBOX;UIDVALIDITY=${validity + 1};UID=1`,
    ]);
    expect(stale.code).toBe(78); // curl: the mailbox's UIDVALIDITY changed (RFC 5092 section 6)
  });

  it('imap:// without TLS is refused: LOGINDISABLED before STARTTLS', async () => {
    const { code } = await run('curl', [
      '-sS',
      '-u',
      'alice:practice',
      `imap://127.0.0.1:${practice.starttls.port}/INBOX;UID=1`,
    ]);
    expect(code).not.toBe(0);
  });
});

describe.skipIf(!has('mbsync'))('mbsync (isync) (needs mbsync)', () => {
  it('pulls INBOX into a local Maildir (LF line ends), then a second run has nothing new', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mbsync-'));
    try {
      // The plain port (no TLS, LOGIN allowed), so the test needs no certificate trust.
      const rc = [
        'IMAPAccount practice',
        'Host 127.0.0.1',
        `Port ${practice.plain.port}`,
        'User alice',
        'Pass practice',
        'SSLType None',
        'AuthMechs LOGIN',
        '',
        'IMAPStore remote',
        'Account practice',
        '',
        'MaildirStore local',
        `Path ${dir}/mail/`,
        `Inbox ${dir}/mail/INBOX`,
        'SubFolders Verbatim',
        '',
        'Channel sync',
        'Far :remote:',
        'Near :local:',
        'Patterns INBOX Sent',
        'Create Near',
        'Sync Pull',
        'SyncState *',
        '',
      ].join('\n');
      await writeFile(path.join(dir, 'mbsyncrc'), rc);
      await mkdir(path.join(dir, 'mail'));
      const first = await run('mbsync', ['-c', path.join(dir, 'mbsyncrc'), '-a']);
      expect(first.code, first.stderr).toBe(0);
      // new/ or cur/, as the other tests may have marked it \\Seen.
      const files = async () => [
        ...(await readdir(path.join(dir, 'mail/INBOX/new'))).map((f) => `new/${f}`),
        ...(await readdir(path.join(dir, 'mail/INBOX/cur'))).map((f) => `cur/${f}`),
      ];
      const pulled = await files();
      expect(pulled).toHaveLength(1);
      // Maildir files have LF line ends, and mbsync adds its X-TUID: header (its own bookkeeping).
      const local = (await readFile(path.join(dir, 'mail/INBOX', pulled[0]))).toString('latin1');
      expect(local).toMatch(/^X-TUID: /m);
      expect(local.replace(/^X-TUID: [^\n]*\n/m, '')).toBe(lf(welcomeBytes).toString('latin1'));
      const second = await run('mbsync', ['-c', path.join(dir, 'mbsyncrc'), '-a']);
      expect(second.code, second.stderr).toBe(0);
      expect(await files()).toEqual(pulled);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!has('fetchmail'))('fetchmail (needs fetchmail)', () => {
  it('STARTTLS, LOGIN and FETCH; the message reaches its MDA whole, and stays on the server (keep)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fetchmail-'));
    try {
      const rc = path.join(dir, 'fetchmailrc');
      await writeFile(
        rc,
        [
          `poll 127.0.0.1 service ${practice.starttls.port} protocol IMAP auth password`,
          '  user "alice" password "practice" is "nobody" here',
          "  sslproto 'tls1.2+' no sslcertck",
          '  keep fetchall', // the other tests may have marked the welcome \\Seen already
          `  mda "/bin/sh -c 'cat > ${dir}/delivered'"`,
          '',
        ].join('\n'),
        { mode: 0o600 },
      );
      const r = await run(
        'fetchmail',
        ['-f', rc, '--nosyslog', '--idfile', path.join(dir, 'ids'), '-v'],
        undefined,
        30000,
        { HOME: dir },
      );
      expect(r.code, r.stderr + r.stdout.toString()).toBe(0);
      expect(r.stdout.toString() + r.stderr).toMatch(/IMAP> A\d+ STARTTLS/);
      const delivered = await readFile(path.join(dir, 'delivered'));
      // fetchmail puts its own Received: line first, then the message as stored, with LF line
      // ends, as an MDA expects them.
      const asLf = lf(welcomeBytes);
      expect(delivered.subarray(delivered.length - asLf.length).equals(asLf)).toBe(true);
      expect(delivered.toString('latin1')).toMatch(/^Received: from 127\.0\.0\.1/);
      expect(practice.store.forAccount('alice').mailbox('INBOX')!.messages()).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!has('openssl'))('openssl s_client -starttls imap (needs openssl)', () => {
  it('negotiates TLS and then takes a LOGIN', async () => {
    const input = 'a LOGIN alice practice\nb LOGOUT\n'; // -crlf turns each LF into CRLF
    const { stdout } = await run(
      'openssl',
      ['s_client', '-quiet', '-starttls', 'imap', '-connect', `127.0.0.1:${practice.starttls.port}`, '-crlf'],
      input,
    );
    const text = stdout.toString();
    expect(text).toMatch(/^a OK \[CAPABILITY [^\]]*\] Logged in as alice@practice\.test/m);
    expect(text).toMatch(/^b OK LOGOUT completed/m);
  });
});
