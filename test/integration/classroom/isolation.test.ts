// A class on the practice server, driven by Python's own clients (imaplib, poplib, smtplib): a
// student's password opens only that student's account over IMAP, POP3 and SMTP AUTH; submission
// refuses another student's address as sender (553 5.7.1) while the relay port does not; the echo
// robot answers; the roster (and so every password) survives a restart; students added later
// leave everyone's mail in place.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { startPractice, type RunningPractice } from '../../../bridge/practice/index.ts';
import { has } from '../../helpers/peers.ts';
import { ZERO_PORTS } from '../practice/smtp/helpers.ts';

const dirs: string[] = [];
const running: RunningPractice[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function start(dataDir: string, classSize: number, rosterNames: string[] = []): Promise<RunningPractice> {
  const s = await startPractice(
    practiceConfigWithDefaults({ dataDir, ports: ZERO_PORTS, classSize, rosterNames }),
    () => {},
  );
  running.push(s);
  return s;
}

async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'mailwire-class-'));
  dirs.push(d);
  return d;
}

// Each probe prints one JSON line: what the real Python client got.
const PROBE = String.raw`
import imaplib, poplib, smtplib, ssl, sys, json
kind, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
out = {}
try:
    if kind == 'imap':
        c = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=ctx)
        out['login'] = c.login(user, password)[0]
        typ, data = c.select('INBOX')
        out['exists'] = int(data[0])
        typ, data = c.fetch('1:*', '(BODY.PEEK[HEADER.FIELDS (TO)])')
        out['to'] = sorted({p[1].decode().strip() for p in data if isinstance(p, tuple)})
        c.logout()
    elif kind == 'pop3':
        c = poplib.POP3_SSL('127.0.0.1', port, context=ctx)
        c.user(user); out['login'] = c.pass_(password).decode()
        out['count'] = c.stat()[0]
        c.quit()
    elif kind == 'smtp':
        mail_from, rcpt = sys.argv[5], sys.argv[6]
        c = smtplib.SMTP_SSL('127.0.0.1', port, context=ctx)
        c.login(user, password); out['login'] = 'OK'
        msg = 'From: <%s>\r\nTo: <%s>\r\nSubject: from python\r\n\r\nhello\r\n' % (mail_from, rcpt)
        c.sendmail(mail_from, [rcpt], msg); out['sent'] = True
        c.quit()
    elif kind == 'relay':
        mail_from, rcpt = sys.argv[5], sys.argv[6]
        c = smtplib.SMTP('127.0.0.1', port)
        c.sendmail(mail_from, [rcpt], 'From: <%s>\r\nSubject: forged\r\n\r\nx\r\n' % mail_from); out['sent'] = True
        c.quit()
except imaplib.IMAP4.error as e: out['error'] = str(e)
except poplib.error_proto as e: out['error'] = e.args[0].decode()
except smtplib.SMTPResponseException as e: out['error'] = '%d %s' % (e.smtp_code, e.smtp_error.decode())
except smtplib.SMTPRecipientsRefused as e: out['error'] = str(e)
print(json.dumps(out))
`;

// Asynchronous: the servers run in this process and must keep answering while Python waits.
async function probe(...args: Array<string | number>): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)('python3', ['-c', PROBE, ...args.map(String)], { timeout: 20_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe.skipIf(!has('python3'))('a class over IMAP, POP3 and SMTP AUTH (Python clients; needs python3)', () => {
  it("opens a student's own account with their password and refuses every other pairing", async () => {
    const s = await start(await tempDir(), 3);
    const [one, two] = s.roster!.students;
    expect(one!.password).not.toBe(two!.password);
    const imaps = s.endpoints['practice/imaps'].port;
    const pop3s = s.endpoints['practice/pop3s'].port;
    const smtps = s.endpoints['practice/smtps'].port;
    await s.store.deliver(
      ['student02@practice.test'],
      Buffer.from('To: student02@practice.test\r\nSubject: private\r\n\r\nfor 02\r\n'),
    );

    const own = await probe('imap', imaps, 'student01', one!.password);
    expect(own).toMatchObject({ login: 'OK', exists: 1 });
    expect(own.to).toEqual(['To: student01@practice.test']); // only the welcome message, never 02's mail
    const other = await probe('imap', imaps, 'student02', one!.password);
    expect(other.error).toMatch(/AUTHENTICATIONFAILED/);
    expect(other.error).not.toMatch(/practice"|classroom/); // no password is stated
    expect(await probe('imap', imaps, 'student02', two!.password)).toMatchObject({ login: 'OK', exists: 2 });

    expect(await probe('pop3', pop3s, 'student01', one!.password)).toMatchObject({ count: 1 });
    const pop = await probe('pop3', pop3s, 'student02', one!.password);
    expect(pop.error).toMatch(/^-ERR \[AUTH\] Authentication failed/);
    expect(pop.error).not.toMatch(/"practice"/);

    expect(
      await probe('smtp', smtps, 'student01', one!.password, 'student01@practice.test', 'student02@practice.test'),
    ).toMatchObject({ sent: true });
    expect(
      (await probe('smtp', smtps, 'student02', one!.password, 'student02@practice.test', 'student03@practice.test'))
        .error,
    ).toMatch(/^535 5\.7\.8/);
    // Signed in as student01, sending as student02: refused at MAIL FROM.
    const spoof = await probe(
      'smtp',
      smtps,
      'student01',
      one!.password,
      'student02@practice.test',
      'student03@practice.test',
    );
    expect(spoof.error).toMatch(
      /^553 5\.7\.1 <student02@practice\.test>: Sender address rejected: you are logged in as student01@practice\.test/,
    );
    expect(s.store.forAccount('student03').mailbox('INBOX')!.messages()).toHaveLength(1);
    // The relay port has no AUTH: anyone can claim any sender there (the spoofing lesson).
    expect(
      await probe(
        'relay',
        s.endpoints['practice/smtp'].port,
        '-',
        '-',
        'student02@practice.test',
        'student03@practice.test',
      ),
    ).toMatchObject({ sent: true });
    expect(s.store.forAccount('student03').mailbox('INBOX')!.messages()).toHaveLength(2);
    // The teacher has an own account and password too.
    expect(await probe('imap', imaps, 'teacher', s.roster!.teacher.password)).toMatchObject({ login: 'OK' });
    expect((await probe('imap', imaps, 'teacher', one!.password)).error).toMatch(/AUTHENTICATIONFAILED/);
  });

  it("the echo robot answers a message sent to it, in the sender's INBOX", async () => {
    const s = await start(await tempDir(), 2);
    const [one] = s.roster!.students;
    const smtps = s.endpoints['practice/smtps'].port;
    expect(
      await probe('smtp', smtps, 'student01', one!.password, 'student01@practice.test', 'echo@practice.test'),
    ).toMatchObject({ sent: true });
    const inbox = s.store.forAccount('student01').mailbox('INBOX')!;
    for (let i = 0; i < 50 && inbox.messages().length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(inbox.messages()).toHaveLength(2);
    const imap = await probe('imap', s.endpoints['practice/imaps'].port, 'student01', one!.password);
    expect(imap).toMatchObject({ exists: 2 });
    expect(imap.to).toEqual(['To: <student01@practice.test>', 'To: student01@practice.test']);
    // Delivered here from the null reverse-path, as a responder sends (RFC 3834 section 3.3).
    const uids = inbox.messages().map((m) => m.uid);
    const robot = (await Promise.all(uids.map((u) => inbox.read(u)))).find((r) => r?.includes('Auto-Submitted:'));
    expect(robot!.toString('latin1')).toMatch(/^Return-Path: <>\r\nDelivered-To: student01@practice\.test\r\n/);
  });
});

describe('the roster file', () => {
  it('keeps every password across a restart, and students added later leave the mail in place', async () => {
    const dir = await tempDir();
    const first = await start(dir, 2);
    const before = first.roster!;
    expect(before.students.map((x) => x.account)).toEqual(['student01', 'student02']);
    for (const x of [...before.students, before.teacher])
      expect(x.password).toMatch(/^[a-km-np-z2-9]{4}-[a-km-np-z2-9]{4}$/);
    const file = await readFile(path.join(dir, 'class', 'roster.csv'), 'utf8');
    expect(file.split('\r\n')[0]).toBe('account,name,password');
    expect(file).toContain(`student02,student02,${before.students[1]!.password}\r\n`);
    await first.store.deliver(['student01@practice.test'], Buffer.from('Subject: keep me\r\n\r\nx\r\n'));
    await first.close();
    running.splice(0);

    const second = await start(dir, 4, ['Ada Lovelace']);
    const after = second.roster!;
    expect(after.students.slice(0, 2)).toEqual(before.students);
    expect(after.teacher).toEqual(before.teacher);
    expect(after.students.map((x) => [x.account, x.name])).toEqual([
      ['student01', 'student01'],
      ['student02', 'student02'],
      ['student03', 'Ada Lovelace'],
      ['student04', 'student04'],
    ]);
    expect(after.added).toBe(2);
    expect(second.store.authenticate('student01', before.students[0]!.password)?.username).toBe('student01');
    expect(second.store.forAccount('student01').mailbox('INBOX')!.messages()).toHaveLength(2);
    await second.close();
    running.splice(0);
    // Same flags again: nothing new, the file untouched.
    const third = await start(dir, 4, ['Ada Lovelace']);
    expect(third.roster!.added).toBe(0);
    expect(third.roster!.students).toEqual(after.students);
  });

  it('two students with the same name get two accounts, once', async () => {
    const dir = await tempDir();
    const first = await start(dir, 0, ['Sam Lee', 'Ada', 'Sam Lee']);
    expect(first.roster!.students.map((x) => [x.account, x.name])).toEqual([
      ['student01', 'Sam Lee'],
      ['student02', 'Ada'],
      ['student03', 'Sam Lee'],
    ]);
    await first.close();
    running.splice(0);
    const second = await start(dir, 0, ['Sam Lee', 'Ada', 'Sam Lee', 'Sam Lee']);
    expect(second.roster!.students.map((x) => x.name)).toEqual(['Sam Lee', 'Ada', 'Sam Lee', 'Sam Lee']);
    expect(second.roster!.added).toBe(1);
  });

  it('a per-student reset empties only that student', async () => {
    const s = await start(await tempDir(), 2);
    await s.store.deliver(
      ['student01@practice.test', 'student02@practice.test'],
      Buffer.from('Subject: both\r\n\r\nx\r\n'),
    );
    const report = await s.reset('test', 'student01');
    expect(report.accounts.map((a) => [a.username, a.messages])).toEqual([['student01', 2]]);
    expect(s.store.forAccount('student01').mailbox('INBOX')!.messages()).toHaveLength(1); // the welcome message
    expect(s.store.forAccount('student02').mailbox('INBOX')!.messages()).toHaveLength(2);
    await expect(s.reset('test', 'nobody')).rejects.toMatchObject({ code: 'NO_SUCH_ACCOUNT' });
  });
});
