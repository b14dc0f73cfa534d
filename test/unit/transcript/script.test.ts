import { describe, expect, it } from 'vitest';
import { exportCurl, shellQuote } from '../../../app/src/transcript/export-curl.ts';
import { exportPythonScript, pyBytes } from '../../../app/src/transcript/export-script.ts';
import { createRecorder } from '../../../app/src/transcript/recorder.ts';
import { unstuffSmtpData } from '../../../app/src/transcript/replay-facts.ts';
import { loadFixture } from './load-fixture.ts';

const FIXTURE_PASSWORD = 'Kw9-tulip-Quartz';
const bytes = (s: string) => new TextEncoder().encode(s);

describe('Python script export', () => {
  it('SMTP: STARTTLS, AUTH with the recorded mechanism, and the refused recipient redone one by one', () => {
    const py = exportPythonScript(loadFixture('smtp-submission.json'), { reveal: true });
    expect(py).toContain('smtp = smtplib.SMTP(HOST, PORT)');
    expect(py.indexOf('smtp.starttls(context=context)')).toBeLessThan(py.indexOf('smtp.auth('));
    expect(py).toContain('smtp.auth("PLAIN", smtp.auth_plain, initial_response_ok=True)');
    expect(py).toContain(`PASSWORD = os.environ.get("MAILWIRE_PASSWORD", "${FIXTURE_PASSWORD}")`);
    // A recipient was refused in the recording, so the transaction is not a plain sendmail().
    expect(py).toContain('check("RCPT TO", smtp.rcpt("someone@example.com", []), "554")');
    expect(py).toContain('b".this line starts with a dot'); // un-stuffed: smtplib stuffs it again
    expect(py).not.toContain('b"..this');
  });

  it('SMTP AUTH LOGIN is redone as LOGIN answering the challenges, and sendmail when all went well', () => {
    const py = exportPythonScript(loadFixture('smtp-auth-login.json'));
    expect(py).toContain('smtp.auth("LOGIN", smtp.auth_login, initial_response_ok=False)');
    expect(py).toContain('USERNAME = os.environ.get("MAILWIRE_USERNAME", "alice")');
    expect(py).toContain('PASSWORD = os.environ.get("MAILWIRE_PASSWORD") or sys.exit(');
    expect(py).toContain(
      'refused = smtp.sendmail("alice@practice.test", ["bob@practice.test"], MESSAGE, mail_options=[])',
    );
    expect(py).not.toContain(FIXTURE_PASSWORD);
  });

  it('IMAP: STARTTLS, LOGIN with the recorded user, SELECT, then the commands as recorded', () => {
    const py = exportPythonScript(loadFixture('imap-session.json'));
    expect(py).toContain('imap = imaplib.IMAP4(HOST, PORT)');
    expect(py).toContain('imap.starttls(ssl_context=context)');
    expect(py).toContain('USERNAME = os.environ.get("MAILWIRE_USERNAME", "bob")');
    expect(py).toContain('check("SELECT", imap.select("INBOX", readonly=False), "OK")');
    expect(py).toMatch(/run\("UID", "FETCH \d+ \(BODY\.PEEK\[\]\)", "OK"\)/);
    expect(py).toContain('check("LOGOUT", imap.logout(), "BYE")');
  });

  it('POP3: each command through poplib with the status to expect', () => {
    const py = exportPythonScript(loadFixture('pop3-session.json'));
    for (const call of [
      'pop.stls(context=context)',
      'pop.user(USERNAME)',
      'pop.pass_(PASSWORD)',
      'pop.stat()',
      'pop.list()',
      'pop.retr("1")',
      'pop.quit()',
    ]) {
      expect(py).toContain(`lambda: ${call}, "+OK")`);
    }
  });

  it('implicit TLS uses the SSL class', () => {
    const r = createRecorder({ protocol: 'pop3', target: 'mail.example:995', client: 'test' }, { now: () => 0 });
    const tls = {
      protocol: 'TLSv1.3',
      cipher: 'X',
      servername: 'mail.example',
      certificate: null,
      verified: true,
      verifyReason: null,
    };
    r.opened({
      remote: { target: 'mail.example:995', host: 'mail.example', port: 995, address: '192.0.2.1', family: 'IPv4' },
      tls,
    });
    r.received('+OK hi\r\n');
    r.sent('QUIT\r\n');
    r.received('+OK bye\r\n');
    const py = exportPythonScript(r.transcript());
    expect(py).toContain('pop = poplib.POP3_SSL(HOST, PORT, context=context)');
    expect(py).toContain('HOST = os.environ.get("MAILWIRE_HOST", "mail.example")');
    expect(py).not.toContain('CERT_NONE'); // verification stays on away from the practice server
  });

  it('aims at another endpoint when asked (a bundled example against the running practice server)', () => {
    const t = loadFixture('imap-session.json');
    const recordedPort = (t.events[0] as { remote: { port: number } }).remote.port;
    expect(exportPythonScript(t)).toContain(`PORT = int(os.environ.get("MAILWIRE_PORT", "${recordedPort}"))`);
    const py = exportPythonScript(t, { endpoint: { host: '::1', port: 10143 } });
    expect(py).toContain('HOST = os.environ.get("MAILWIRE_HOST", "::1")');
    expect(py).toContain('PORT = int(os.environ.get("MAILWIRE_PORT", "10143"))');
    const curl = exportCurl(t, { endpoint: { host: '::1', port: 10143 } });
    expect(curl.ok && curl.command).toContain("'imap://[::1]:10143/INBOX;UID=");
  });

  it('pyBytes writes exact bytes as a valid literal', () => {
    expect(pyBytes(Uint8Array.from([0x22, 0x5c, 0x00, 0xff, 0x41]))).toBe('b"\\"\\\\\\x00\\xffA"');
    expect(pyBytes(bytes('a\r\nb\r\n'))).toBe('(\n    b"a\\r\\n"\n    b"b\\r\\n"\n)');
  });
  it('unstuffSmtpData removes stuffed dots and the final "."', () => {
    expect(new TextDecoder().decode(unstuffSmtpData(bytes('a\r\n..b\r\n...\r\n.\r\n')))).toBe('a\r\n.b\r\n..\r\n');
  });
});

describe('curl export', () => {
  it('SMTP: STARTTLS, credentials from the environment when masked, one --mail-rcpt per accepted recipient', () => {
    const r = exportCurl(loadFixture('smtp-submission.json'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.command).toMatch(
      /curl --ssl-reqd --insecure smtp:\/\/127\.0\.0\.1:\d+\/learner\.example --user "\$MAILWIRE_USERNAME:\$MAILWIRE_PASSWORD" --login-options AUTH=PLAIN --mail-from alice@practice.test --mail-rcpt bob@practice.test -T message.eml/,
    );
    expect(r.command).not.toContain('someone@example.com');
    expect(r.command).toContain("printf '.this line starts with a dot");
  });
  it('SMTP with reveal carries the password; IMAP and POP3 fetch one message by URL', () => {
    const smtp = exportCurl(loadFixture('smtp-submission.json'), { reveal: true });
    expect(smtp.ok && smtp.command).toContain(`--user alice:${FIXTURE_PASSWORD}`);
    const imap = exportCurl(loadFixture('imap-session.json'));
    expect(imap.ok && imap.command).toMatch(
      /^curl --ssl-reqd --insecure 'imap:\/\/127\.0\.0\.1:\d+\/INBOX;UID=\d+' --user "bob:\$MAILWIRE_PASSWORD"\n$/,
    );
    const pop3 = exportCurl(loadFixture('pop3-session.json'));
    expect(pop3.ok && pop3.command).toMatch(
      /^curl --ssl-reqd --insecure pop3:\/\/127\.0\.0\.1:\d+\/1 --user "bob:\$MAILWIRE_PASSWORD"\n$/,
    );
  });
  it('says when curl cannot express the session', () => {
    const r = createRecorder({ protocol: 'smtp', target: 'h:25', client: 'test' }, { now: () => 0 });
    r.received('220 hi\r\n');
    r.sent('NOOP\r\n');
    r.received('250 ok\r\n');
    expect(exportCurl(r.transcript())).toMatchObject({ ok: false, code: 'CURL_CANNOT_EXPRESS' });
  });
  it('shellQuote quotes what the shell would change', () => {
    expect(shellQuote('a:b')).toBe('a:b');
    expect(shellQuote("it's $HOME")).toBe("'it'\\''s $HOME'");
  });
});
