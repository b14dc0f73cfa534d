import { describe, expect, it } from 'vitest';
import { smtpCheck, smtpHint } from '../../../../app/src/protocols/smtp/commands.ts';
import { SmtpSession } from '../../../../app/src/protocols/smtp/state.ts';
import { parseSmtpReplies, type SmtpReply } from '../../../../app/src/protocols/smtp/parse.ts';

function session(...exchanges: Array<[string, string]>): SmtpSession {
  const s = new SmtpSession();
  for (const [sent, reply] of exchanges) {
    if (sent) s.clientSent(sent);
    for (const r of parseSmtpReplies(reply) as SmtpReply[]) s.serverReply(r);
  }
  return s;
}
const codes = (line: string, s: SmtpSession) => smtpCheck(line, s).map((w) => w.code);

const greeted = () => session(['', '220 mx ESMTP\r\n']);
const ehloDone = (extra = 'STARTTLS\r\n250 AUTH PLAIN LOGIN') =>
  session(['', '220 mx\r\n'], ['EHLO me\r\n', `250-mx\r\n250-${extra}\r\n`]);

describe('SMTP command warnings', () => {
  it('warns about MAIL FROM before EHLO, and not after', () => {
    expect(codes('MAIL FROM:<a@example.org>', greeted())).toEqual(['MAIL_BEFORE_EHLO']);
    expect(codes('MAIL FROM:<a@example.org>', ehloDone())).toEqual([]);
  });

  it('warns about a missing <> with a fix, and not about a correct path', () => {
    const w = smtpCheck(
      'RCPT TO:bob@example.org',
      session(['', '220 mx\r\n'], ['EHLO me\r\n', '250 mx\r\n'], ['MAIL FROM:<a@b.c>\r\n', '250 ok\r\n']),
    );
    expect(w.map((x) => x.code)).toEqual(['ADDRESS_WITHOUT_BRACKETS']);
    expect(w[0].fix).toBe('RCPT TO:<bob@example.org>');
    expect(smtpCheck('MAIL FROM: bob@example.org', ehloDone())[1]?.fix).toBe('MAIL FROM:<bob@example.org>');
    expect(codes('MAIL FROM:<> SIZE=10', ehloDone())).toEqual([]);
    expect(codes('MAIL FROM:<bob@example.org> BODY=8BITMIME', ehloDone())).toEqual([]);
  });

  it('warns about AUTH before STARTTLS when the server required it, not once TLS is up', () => {
    const s = ehloDone('STARTTLS\r\n250 PIPELINING'); // no AUTH offered before TLS
    expect(codes('AUTH PLAIN AGFAYg==', s)).toContain('AUTH_BEFORE_STARTTLS');
    s.clientSent('STARTTLS\r\n');
    s.serverReply((parseSmtpReplies('220 go\r\n') as SmtpReply[])[0]);
    s.tlsStarted();
    s.clientSent('EHLO me\r\n');
    s.serverReply((parseSmtpReplies('250-mx\r\n250 AUTH PLAIN\r\n') as SmtpReply[])[0]);
    expect(codes('AUTH PLAIN AGFAYg==', s)).toEqual([]);
    expect(codes('AUTH CRAM-MD5', s)).toEqual(['AUTH_MECHANISM_NOT_OFFERED']);
  });

  it('warns about AUTH in plaintext when STARTTLS is on offer, and after a 538', () => {
    const s = ehloDone();
    expect(codes('AUTH LOGIN', s)).toEqual(['AUTH_IN_PLAINTEXT']);
    s.clientSent('AUTH PLAIN AGFAYg==\r\n');
    s.serverReply((parseSmtpReplies('538 5.7.0 Must issue a STARTTLS command first\r\n') as SmtpReply[])[0]);
    expect(codes('AUTH LOGIN', s)).toEqual(['AUTH_BEFORE_STARTTLS']);
  });

  it('asks for dot-stuffing of a DATA line starting with a dot, not for normal lines or the end', () => {
    const s = session(
      ['', '220 mx\r\n'],
      ['EHLO me\r\n', '250 mx\r\n'],
      ['MAIL FROM:<a@b.c>\r\n', '250 ok\r\n'],
      ['RCPT TO:<d@e.f>\r\n', '250 ok\r\n'],
      ['DATA\r\n', '354 go\r\n'],
    );
    const w = smtpCheck('.hidden line', s);
    expect(w.map((x) => x.code)).toEqual(['DOT_STUFFING']);
    expect(w[0].fix).toBe('..hidden line');
    expect(codes('Subject: hi', s)).toEqual([]);
    expect(codes('.', s)).toEqual(['DATA_END']);
    expect(codes('..already stuffed', s)).toEqual(['DOT_STUFFED']);
  });

  it('catches bare LF, RCPT before MAIL, DATA too early, unknown verbs and a session that ended', () => {
    expect(codes('EHLO me\nMAIL FROM:<a@b>', greeted())).toContain('BARE_LF');
    expect(codes('RCPT TO:<a@b.c>', ehloDone())).toEqual(['RCPT_BEFORE_MAIL']);
    expect(codes('DATA', ehloDone())).toEqual(['DATA_BEFORE_RCPT']);
    expect(codes('FROB', ehloDone())).toEqual(['UNKNOWN_COMMAND']);
    expect(codes('EHLO', greeted())).toEqual(['EHLO_NO_DOMAIN']);
    expect(codes('NOOP', session(['', '220 mx\r\n'], ['QUIT\r\n', '221 bye\r\n']))).toEqual(['SESSION_OVER']);
    expect(codes('EHLO client.example', greeted())).toEqual([]);
  });

  it('completes and hints with syntax and an RFC link, valid commands first', () => {
    const h = smtpHint('r', ehloDone());
    expect(h.completions.map((x) => x.name)).toEqual(['RSET', 'RCPT']);
    const typed = smtpHint('MAIL FROM:', ehloDone());
    expect(typed.command?.syntax).toMatch(/^MAIL FROM:<sender@example.org>/);
    expect(typed.command?.rfc.url).toMatch(/rfc5321\.html#section-4\.1\.1\.2$/);
  });
});
