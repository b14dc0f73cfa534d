import { describe, expect, it } from 'vitest';
import { exportCurl } from '../../../app/src/transcript/export-curl.ts';
import { exportJson } from '../../../app/src/transcript/export-json.ts';
import { exportPythonScript } from '../../../app/src/transcript/export-script.ts';
import { exportRfcText, exportSwaksText } from '../../../app/src/transcript/export-text.ts';
import { importJson } from '../../../app/src/transcript/import-json.ts';
import { MASK, maskData } from '../../../app/src/transcript/mask.ts';
import type { Protocol, Transcript } from '../../../app/src/transcript/model.ts';
import { createRecorder } from '../../../app/src/transcript/recorder.ts';
import { loadFixture } from './load-fixture.ts';

/** The password of the recorded fixtures' accounts (record-examples.ts). */
const FIXTURE_PASSWORD = 'Kw9-tulip-Quartz';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const text = (d: Uint8Array) => Buffer.from(d).toString('latin1');

/** Records a conversation: lines starting "C:" are sent, "S:" received (CRLF added). */
function record(protocol: Protocol, script: string[]): Transcript {
  const r = createRecorder({ protocol, target: 'mail.example:1', client: 'test' }, { now: () => 0 });
  for (const line of script) {
    if (line.startsWith('C:')) r.sent(`${line.slice(2)}\r\n`);
    else if (line.startsWith('S:')) r.received(`${line.slice(2)}\r\n`);
    else r.sent(line); // raw bytes (IMAP literals)
  }
  return r.transcript();
}
/** The text the recorder marked as secret, per sent event. */
const secrets = (t: Transcript) =>
  t.events.flatMap((e) =>
    e.kind === 'sent' && e.secret ? e.secret.map((r) => text(e.data.subarray(r.start, r.end))) : [],
  );

describe('secrets are found at record time', () => {
  it('SMTP AUTH PLAIN with an initial response', () => {
    const t = record('smtp', [
      'S:220 hi',
      'C:EHLO x',
      'S:250 ok',
      `C:AUTH PLAIN ${b64('\0alice\0s3cret')}`,
      'S:235 ok',
      'C:MAIL FROM:<a@b>',
    ]);
    expect(secrets(t)).toEqual([b64('\0alice\0s3cret')]);
  });
  it('SMTP AUTH PLAIN answered after a 334, and AUTH LOGIN keeping the user name readable', () => {
    const plain = record('smtp', ['C:AUTH PLAIN', 'S:334 ', `C:${b64('\0alice\0s3cret')}`, 'S:235 ok', 'C:NOOP']);
    expect(secrets(plain)).toEqual([b64('\0alice\0s3cret')]);
    const login = record('smtp', [
      'C:AUTH LOGIN',
      `S:334 ${b64('Username:')}`,
      `C:${b64('alice')}`,
      `S:334 ${b64('Password:')}`,
      `C:${b64('s3cret')}`,
      'S:235 ok',
      'C:NOOP',
    ]);
    expect(secrets(login)).toEqual([b64('s3cret')]);
  });
  it('SMTP: a message body that looks like AUTH is not a secret, and a failed AUTH ends the exchange', () => {
    const t = record('smtp', [
      'C:AUTH PLAIN',
      'S:535 no',
      'C:DATA',
      'S:354 go',
      `C:AUTH PLAIN ${b64('x')}`,
      'C:.',
      'S:250 ok',
    ]);
    expect(secrets(t)).toEqual([]);
  });
  it('IMAP LOGIN password as atom, quoted string and literal', () => {
    expect(secrets(record('imap', ['C:a1 LOGIN alice s3cret']))).toEqual(['s3cret']);
    expect(secrets(record('imap', ['C:a1 LOGIN "alice" "s3 cr\\"et"']))).toEqual(['"s3 cr\\"et"']);
    const lit = record('imap', ['C:a1 LOGIN alice {6}', 'S:+ go', 's3cret\r\n', 'S:a1 OK in']);
    expect(secrets(lit)).toEqual(['s3cret']);
    const userLit = record('imap', ['C:a1 LOGIN {5}', 'S:+ go', 'alice s3cret\r\n', 'S:a1 OK in']);
    expect(secrets(userLit)).toEqual(['s3cret']);
  });
  it('IMAP AUTHENTICATE PLAIN, with SASL-IR and after a continuation', () => {
    expect(secrets(record('imap', [`C:a1 AUTHENTICATE PLAIN ${b64('\0u\0pw')}`, 'S:a1 OK']))).toEqual([b64('\0u\0pw')]);
    const t = record('imap', [
      'C:a1 AUTHENTICATE PLAIN',
      'S:+ ',
      `C:${b64('\0u\0pw')}`,
      'S:a1 OK',
      'C:a2 SELECT INBOX',
    ]);
    expect(secrets(t)).toEqual([b64('\0u\0pw')]);
  });
  it('POP3 PASS, APOP digest and AUTH', () => {
    expect(secrets(record('pop3', ['C:USER bob', 'S:+OK', 'C:PASS pass word', 'S:+OK']))).toEqual(['pass word']);
    expect(secrets(record('pop3', ['C:APOP bob c4c9334bac560ecc979e58001b3e22fb']))).toEqual([
      'c4c9334bac560ecc979e58001b3e22fb',
    ]);
    expect(secrets(record('pop3', ['C:AUTH PLAIN', 'S:+ ', `C:${b64('\0bob\0pw')}`, 'S:+OK', 'C:STAT']))).toEqual([
      b64('\0bob\0pw'),
    ]);
  });
});

describe('maskData', () => {
  it('replaces each range with the mask and points the ranges at the masks', () => {
    const data = new TextEncoder().encode('PASS abc\r\n');
    const m = maskData(data, [{ start: 5, end: 8 }]);
    expect(text(m.data)).toBe(`PASS ${MASK}\r\n`);
    expect(m.secret).toEqual([{ start: 5, end: 5 + MASK.length }]);
  });
});

/** Every export format of a transcript, masked (no reveal). */
function allExports(t: Transcript): string[] {
  const curl = exportCurl(t);
  return [exportJson(t), exportRfcText(t), exportSwaksText(t), exportPythonScript(t), curl.ok ? curl.command : ''];
}
/** The password and the base64 forms it can take on the wire. */
function forms(user: string, password: string): string[] {
  return [password, b64(password), b64(`\0${user}\0${password}`), b64(`${user}\0${user}\0${password}`)];
}

describe('masked secrets never appear in any export', () => {
  const cases: Array<[string, Transcript, string, string]> = [
    ['recorded SMTP AUTH PLAIN', loadFixture('smtp-submission.json'), 'alice', FIXTURE_PASSWORD],
    ['recorded SMTP AUTH LOGIN', loadFixture('smtp-auth-login.json'), 'alice', FIXTURE_PASSWORD],
    ['recorded IMAP LOGIN', loadFixture('imap-session.json'), 'bob', FIXTURE_PASSWORD],
    ['recorded POP3 PASS', loadFixture('pop3-session.json'), 'bob', FIXTURE_PASSWORD],
    [
      'IMAP LOGIN literal',
      record('imap', [
        'S:* OK hi',
        'C:a1 LOGIN alice {12}',
        'S:+ go',
        'Tr0ub4dor&3x\r\n',
        'S:a1 OK in',
        'C:a2 SELECT INBOX',
        'S:a2 OK done',
      ]),
      'alice',
      'Tr0ub4dor&3x',
    ],
    [
      'IMAP AUTHENTICATE',
      record('imap', [
        'S:* OK hi',
        'C:a1 AUTHENTICATE PLAIN',
        'S:+ ',
        `C:${b64('\0alice\0Tr0ub4dor&3x')}`,
        'S:a1 OK in',
      ]),
      'alice',
      'Tr0ub4dor&3x',
    ],
    [
      'POP3 PASS',
      record('pop3', [
        'S:+OK hi',
        'C:USER alice',
        'S:+OK',
        'C:PASS Tr0ub4dor&3x',
        'S:+OK in',
        'C:RETR 1',
        'S:+OK',
        'S:hi',
        'S:.',
      ]),
      'alice',
      'Tr0ub4dor&3x',
    ],
  ];
  for (const [name, t, user, password] of cases) {
    it(name, () => {
      // The recording itself holds the secret (else this test would prove nothing) ...
      expect(
        t.events.some((e) => (e.kind === 'sent' ? forms(user, password).some((f) => text(e.data).includes(f)) : false)),
      ).toBe(true);
      // ... and no masked export does, while a revealed JSON export does.
      for (const out of allExports(t)) {
        for (const f of forms(user, password)) expect(out).not.toContain(f);
      }
      expect(allExports(t).some((out) => out.includes(MASK) || out.includes('MAILWIRE_PASSWORD'))).toBe(true);
      expect(forms(user, password).some((f) => exportJson(t, { reveal: true }).includes(f))).toBe(true);
    });
  }
  it('a masked JSON export re-imports as masked and stays masked when exported again', () => {
    const t = loadFixture('smtp-submission.json');
    const again = importJson(exportJson(t));
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    const reexport = exportJson(again.transcript, { reveal: true });
    for (const f of forms('alice', FIXTURE_PASSWORD)) expect(reexport).not.toContain(f);
    expect(reexport).toContain(MASK);
  });
});
