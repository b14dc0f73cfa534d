// `npm run explain` as a learner runs it: a child process on fixture files and on stdin, checked
// for the explanations, the "?" marks on gaps, the masking of credentials and the exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { imap, pop3, smtp } from '../../../app/src/protocols/index.ts';
import { exportJson } from '../../../app/src/transcript/export-json.ts';
import { createRecorder } from '../../../app/src/transcript/recorder.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/transcripts');
const tmp = mkdtempSync(path.join(tmpdir(), 'mailwire-explain-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function explain(args: string[], stdin?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bridge/explain.ts', ...args], {
    cwd: ROOT,
    input: stdin ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const b64 = (s: string) => Buffer.from(s).toString('base64');
const lines = (...l: string[]) => l.join('\n') + '\n';
/** The explanation line printed right after the server line `serverLine`. */
function explanationAfter(out: string, serverLine: string): string {
  const all = out.split('\n');
  const at = all.indexOf(`S: ${serverLine}`);
  expect(at, `server line ${serverLine} not printed`).toBeGreaterThanOrEqual(0);
  return all.slice(at + 1).find((l) => /^ {2}[=?] /.test(l)) ?? '';
}

describe('npm run explain', { timeout: 90_000 }, () => {
  it('explains every reply of a recorded practice SMTP session (fixture JSON), masks AUTH and exits 0', () => {
    const { code, out, err } = explain([path.join(FIXTURES, 'practice-smtp-session.json')]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toContain('protocol smtp (named in the file');
    const e530 = explanationAfter(
      out,
      '530 5.7.0 Authentication required: log in with AUTH PLAIN or AUTH LOGIN before MAIL FROM (RFC 4954).',
    );
    expect(e530).toMatch(/^ {2}= 530 /);
    expect(e530).toContain(smtp.SMTP_REPLY_CODES[530]!.title);
    expect(e530).toContain('[RFC 4954 section 6]');
    expect(out).toContain('5.7.0: ');
    // The relay refusal is explained in the context of RCPT, with its section.
    expect(explanationAfter(out, '250 2.1.5 Accepted')).toContain('<bob@practice.test>');
    // The AUTH PLAIN payload (base64 of "\0alice\0practice") never reaches the output.
    const fixture = readFileSync(path.join(FIXTURES, 'practice-smtp-session.json'), 'utf8');
    const payload = /AUTH PLAIN ([A-Za-z0-9+/=]{12,})/.exec(fixture)![1]!;
    expect(payload.length).toBeGreaterThan(8);
    expect(out).not.toContain(payload);
    expect(out).toContain('C: AUTH PLAIN ********');
    expect(out).toMatch(/-- TLS handshake done/);
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/^# (\d+) replies, \1 explained, 0 unexplained/);
  });

  it('reads C:/S: lines from stdin, guesses the protocol, marks an unknown code with "?" and exits 1', () => {
    const { code, out } = explain(
      ['-'],
      lines(
        'S: 220 mx.example ESMTP',
        'C: EHLO me.example',
        'S: 250-mx.example',
        'S: 250 PIPELINING',
        'C: NOOP',
        'S: 299 2.9.99 weird',
        'C: QUIT',
        'S: 221 2.0.0 Bye',
      ),
    );
    expect(code).toBe(1);
    expect(out.split('\n')[0]).toMatch(/^# stdin: C:\/S: lines, protocol smtp \(guessed from the content/);
    expect(explanationAfter(out, '250 PIPELINING')).toMatch(/^ {2}= 250 OK: /);
    expect(out).toContain('PIPELINING: ');
    expect(explanationAfter(out, '299 2.9.99 weird')).toMatch(/^ {2}\? 299 /);
    expect(out).toContain('  ? gap: no catalog entry for reply code 299');
    expect(out).toContain('  ? gap: enhanced status code 2.9.99 is not in the registry');
    expect(explanationAfter(out, '221 2.0.0 Bye')).toMatch(/^ {2}= 221 /);
    expect(out).toMatch(/# 4 replies, 3 explained, 1 unexplained/);
  });

  it('reads a raw IMAP server log (no prefixes) with --protocol and explains response codes from the catalog', () => {
    const file = path.join(tmp, 'imap.log');
    writeFileSync(
      file,
      lines(
        '* OK [CAPABILITY IMAP4rev1 IDLE] ready',
        '* 3 EXISTS',
        '* OK [UIDVALIDITY 42] UIDs valid',
        'a1 NO [TRYCREATE] no such mailbox',
        '* 1 MADEUPRESPONSE x',
      ),
    );
    const { code, out } = explain(['--protocol', 'imap', file]);
    expect(out.split('\n')[0]).toContain('raw server log, protocol imap');
    expect(explanationAfter(out, '* OK [UIDVALIDITY 42] UIDs valid')).toContain(
      imap.explainResponseCode('UIDVALIDITY').meaning,
    );
    expect(out).toContain(imap.explainResponseCode('TRYCREATE').meaning);
    expect(explanationAfter(out, '* 3 EXISTS')).toMatch(/^ {2}= /);
    expect(out).toContain('IDLE: ');
    expect(explanationAfter(out, '* 1 MADEUPRESPONSE x')).toMatch(/^ {2}\? /);
    expect(code).toBe(1);
  });

  it('masks the IMAP LOGIN password, the POP3 PASS and AUTH LOGIN answers, and decodes 334 challenges', () => {
    const i = explain(['-'], lines('S: * OK hi', 'C: a1 LOGIN bob "s3cret-imap"', 'S: a1 OK logged in'));
    expect(i.out).toContain('C: a1 LOGIN bob ********');
    expect(i.out).not.toContain('s3cret-imap');
    const p = explain(
      ['--protocol=pop3', '-'],
      lines('S: +OK ready', 'C: USER bob', 'S: +OK', 'C: PASS s3cret-pop', 'S: -ERR [AUTH] wrong password'),
    );
    expect(p.out).not.toContain('s3cret-pop');
    expect(p.out).toContain('C: PASS ********');
    expect(p.out).toContain(pop3.explainPop3Code('AUTH').meaning);
    expect(p.code).toBe(0);
    const s = explain(
      ['-'],
      lines(
        'S: 220 hi',
        'C: EHLO me',
        'S: 250 hi',
        'C: AUTH LOGIN',
        'S: 334 VXNlcm5hbWU6',
        `C: ${b64('bob')}`,
        'S: 334 UGFzc3dvcmQ6',
        `C: ${b64('s3cret-smtp')}`,
        'S: 235 2.7.0 ok',
      ),
    );
    expect(s.out).not.toContain(b64('s3cret-smtp'));
    expect(s.out).toContain(`C: ${b64('bob')}`); // the LOGIN user name is not a secret (mask.ts)
    expect(s.out).toContain('decoded: "Password:"');
    expect(s.code).toBe(0);
  });

  it('reads Python smtplib, imaplib and poplib debug output (no greeting logged)', () => {
    const smtplib = explain(
      ['-'],
      lines(
        '>>> smtp.login(user, password)',
        "send: 'ehlo [127.0.0.1]\\r\\n'",
        "reply: b'250-mail.example\\r\\n'",
        "reply: b'250 AUTH PLAIN LOGIN\\r\\n'",
        "reply: retcode (250); Msg: b'mail.example\\nAUTH PLAIN LOGIN'",
        `send: 'AUTH PLAIN ${b64('\0bob\0pw-smtplib')}\\r\\n'`,
        "reply: b'235 2.7.0 Authentication successful\\r\\n'",
      ),
    );
    expect(smtplib.code).toBe(0);
    expect(smtplib.out).toContain('Python debug output, protocol smtp');
    expect(smtplib.out).toContain('C: ehlo [127.0.0.1]');
    expect(smtplib.out).not.toContain(b64('\0bob\0pw-smtplib'));
    expect(explanationAfter(smtplib.out, '235 2.7.0 Authentication successful')).toContain(
      smtp.SMTP_REPLY_CODES[235]!.title,
    );
    expect(explanationAfter(smtplib.out, '250 AUTH PLAIN LOGIN')).toMatch(/EHLO/); // paired with the ehlo, not taken for a greeting

    const imaplib = explain(
      ['-'],
      lines(
        '  10:00.01 > b\'ABCD1 LOGIN bob "pw-imaplib"\'',
        "  10:00.02 < b'ABCD1 OK [CAPABILITY IMAP4rev1] Logged in'",
        "  10:00.03 > b'ABCD2 SELECT INBOX'",
        "  10:00.04 < b'* 2 EXISTS'",
        "  10:00.04 \tmatched b'...' => (b'2', b'EXISTS', None, None)",
        "  10:00.05 < b'ABCD2 OK [READ-WRITE] Select completed.'",
      ),
    );
    expect(imaplib.code).toBe(0);
    expect(imaplib.out).toContain('protocol imap');
    expect(imaplib.out).not.toContain('pw-imaplib');
    expect(imaplib.out).toContain(imap.explainResponseCode('READ-WRITE').meaning);

    const poplib = explain(
      ['-'],
      lines(
        "*welcome* b'+OK ready'",
        "*cmd* 'USER bob'",
        "*resp* b'+OK'",
        "*cmd* 'PASS pw-poplib'",
        "*resp* b'+OK Logged in.'",
        "*cmd* 'STAT'",
        "*resp* b'+OK 2 320'",
      ),
    );
    expect(poplib.code).toBe(0);
    expect(poplib.out).toContain('protocol pop3');
    expect(poplib.out).not.toContain('pw-poplib');
    expect(explanationAfter(poplib.out, '+OK 2 320')).toContain('2 message(s), 320 octets');
  });

  it('reads a mailwire JSON export and masks a password even when it was exported revealed', () => {
    const rec = createRecorder({ protocol: 'pop3', target: 'practice/pop3', client: 'test' }, { now: () => 0 });
    rec.received('+OK ready\r\n');
    rec.sent('USER bob\r\n');
    rec.received('+OK\r\n');
    rec.sent('PASS pw-export\r\n');
    rec.received('+OK Logged in\r\n');
    const file = path.join(tmp, 'export.json');
    writeFileSync(file, exportJson(rec.transcript(), { reveal: true }));
    const { code, out } = explain([file]);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toContain('mailwire JSON transcript, protocol pop3 (named in the file');
    expect(out).not.toContain('pw-export');
    expect(out).toMatch(/# 3 replies, 3 explained, 0 unexplained/);
  });

  it('marks unparsable lines with "?"', () => {
    const { code, out } = explain(['--protocol', 'smtp', '-'], lines('S: 220 hi', 'S: this is not a reply'));
    expect(code).toBe(1);
    expect(explanationAfter(out, 'this is not a reply')).toMatch(/^ {2}\? /);
    expect(out).toContain('? gap: not a valid SMTP reply');
  });

  it('prints help, and rejects bad usage with exit 2, one clear line and no stack trace', () => {
    const help = explain(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: npm run explain');
    expect(help.out).toMatch(/Exit status: 0 .*1 .*2/s);
    const cases: Array<[string[], string | undefined, RegExp]> = [
      [[], undefined, /No transcript given/],
      [['--protocol', 'ftp', '-'], '', /Unknown protocol "ftp"/],
      [['--frobnicate', 'x'], undefined, /Unknown option "--frobnicate"/],
      [[path.join(tmp, 'missing.txt')], undefined, /Cannot read ".*missing\.txt": there is no such file/],
      [['-'], 'C: HELLO\n', /Cannot tell the protocol|no server lines/],
      [['-'], '{"broken": ', /not valid JSON/],
    ];
    for (const [args, stdin, message] of cases) {
      const r = explain(args, stdin);
      expect(r.code, `${args.join(' ')}`).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).toMatch(/^explain: [^\n]+\n$/);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.out).toBe('');
    }
  });
});
