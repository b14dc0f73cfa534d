// The annotation errors of issue 12, one assertion each: every one failed on the catalogs before the fix.
import { describe, expect, it } from 'vitest';
import { createConsole } from '../../../app/src/protocols/index.ts';
import type { ConsoleReply } from '../../../app/src/protocols/index.ts';
import { explainCapability, IMAP_RESPONSES } from '../../../app/src/protocols/imap/catalog.ts';
import { SMTP_REPLY_CODES, briefSmtp } from '../../../app/src/protocols/smtp/catalog.ts';
import { explainSaslMechanism } from '../../../app/src/protocols/common/sasl.ts';

const enc = new TextEncoder();
/** Plays C:/S: pairs through a console; returns the replies to each server chunk, flattened. */
function play(protocol: 'smtp' | 'imap' | 'pop3', exchange: Array<['C' | 'S', string]>): ConsoleReply[] {
  const c = createConsole(protocol);
  const out: ConsoleReply[] = [];
  for (const [dir, text] of exchange) {
    if (dir === 'C') c.sent(`${text}\r\n`);
    else out.push(...c.received(enc.encode(`${text}\r\n`)));
  }
  return out;
}
const last = (r: ConsoleReply[]) => r[r.length - 1]!.annotation;

describe('IMAP badges and sections (RFC 9051 section 7.1)', () => {
  it('labels NO an operational error and BAD a protocol error, not "temporary" and "permanent"', () => {
    const no = last(
      play('imap', [
        ['S', '* OK ready'],
        ['C', 'a1 SELECT Nope'],
        ['S', 'a1 NO [NONEXISTENT] Mailbox does not exist'],
      ]),
    );
    expect(no).toMatchObject({ outcome: 'failed', badge: 'NO: operational error' });
    const bad = last(
      play('imap', [
        ['S', '* OK ready'],
        ['C', 'a1 FETCH'],
        ['S', 'a1 BAD Error in IMAP command FETCH: Missing arguments'],
      ]),
    );
    expect(bad).toMatchObject({ outcome: 'error', badge: 'BAD: protocol error' });
    expect(IMAP_RESPONSES.NO.meaning).toMatch(/operational error/);
  });

  it('explains "+ idling" as the IDLE wait, not as a literal go-ahead, and cites continuation as 7.6', () => {
    const idle = last(
      play('imap', [
        ['S', '* OK ready'],
        ['C', 'a1 LOGIN alice practice'],
        ['S', 'a1 OK Logged in'],
        ['C', 'a2 SELECT INBOX'],
        ['S', 'a2 OK [READ-WRITE] Select completed'],
        ['C', 'a3 IDLE'],
        ['S', '+ idling'],
      ]),
    );
    expect(idle.meaning).toMatch(/DONE/);
    expect(idle.meaning).not.toMatch(/literal/);
    expect(idle.rfc).toMatchObject({ doc: 'RFC 9051', section: '6.3.13' });
    const lit = last(
      play('imap', [
        ['S', '* OK ready'],
        ['C', 'a1 APPEND INBOX {5}'],
        ['S', '+ Ready for literal data'],
      ]),
    );
    expect(lit.meaning).toMatch(/literal/);
    expect(lit.rfc.section).toBe('7.6');
  });

  it('cites NAMESPACE as RFC 9051 section 7.3.2 and STATUS as 7.3.3', () => {
    expect(IMAP_RESPONSES.NAMESPACE.rfc.section).toBe('7.3.2');
    expect(IMAP_RESPONSES.STATUS.rfc.section).toBe('7.3.3');
  });

  it('knows APPENDLIMIT=n is registered (RFC 7889) and explains XOAUTH2 and OAUTHBEARER', () => {
    expect(explainCapability('APPENDLIMIT=35651584')).toMatchObject({ registered: true, rfc: { doc: 'RFC 7889' } });
    expect(explainCapability('APPENDLIMIT=35651584').meaning).toContain('35651584');
    expect(explainCapability('AUTH=OAUTHBEARER').rfc.doc).toBe('RFC 7628');
    expect(explainCapability('AUTH=XOAUTH2').meaning).toMatch(/Google/);
    expect(explainSaslMechanism('XOAUTH2').registered).toBe(false);
    expect(explainSaslMechanism('LOGIN')).toMatchObject({ registered: true, usage: 'OBSOLETE' });
  });
});

describe('POP3 badges (RFC 2449 section 8, RFC 3206)', () => {
  const err = (line: string, cmd = 'PASS secret') =>
    last(
      play('pop3', [
        ['S', '+OK ready'],
        ['C', 'USER alice'],
        ['S', '+OK'],
        ['C', cmd],
        ['S', line],
      ]),
    );
  it('reads [IN-USE], [LOGIN-DELAY] and [SYS/TEMP] as transient, [SYS/PERM] as permanent, bare -ERR as neither', () => {
    expect(err('-ERR [IN-USE] Mailbox is locked by another session').outcome).toBe('transient');
    expect(err('-ERR [LOGIN-DELAY] Wait 10 minutes').outcome).toBe('transient');
    expect(err('-ERR [SYS/TEMP] Internal error occurred').outcome).toBe('transient');
    expect(err('-ERR [SYS/PERM] Mailbox is corrupt').outcome).toBe('permanent');
    expect(err('-ERR [AUTH] Authentication failed.')).toMatchObject({ badge: '-ERR [AUTH]: credentials refused' });
    expect(err('-ERR Authentication failed.').outcome).toBe('failed');
    expect(err('-ERR [IN-USE] Mailbox is locked by another session').meaning).toMatch(/Another session/);
  });
});

describe('SMTP explanations by reply code and enhanced code (RFC 5321 4.2.1, RFC 3463)', () => {
  const rcpt = (line: string) =>
    last(
      play('smtp', [
        ['S', '220 mx ESMTP'],
        ['C', 'EHLO me'],
        ['S', '250 mx'],
        ['C', 'MAIL FROM:<a@b.example>'],
        ['S', '250 2.1.0 Ok'],
        ['C', 'RCPT TO:<x@mx.example>'],
        ['S', line],
      ]),
    );

  it('says 502 is also the answer to unknown commands (Postfix, Gmail)', () => {
    expect(SMTP_REPLY_CODES[502]!.meaning).not.toMatch(/knows of this command/);
    expect(SMTP_REPLY_CODES[502]!.meaning).toMatch(/do not know/);
  });

  it('gives each RCPT refusal the meaning of its enhanced code', () => {
    expect(rcpt('550 5.1.1 <x@mx.example>: Recipient address rejected: User unknown').meaning).toMatch(
      /No mailbox by that name/,
    );
    expect(rcpt('550 5.2.1 The email account that you tried to reach is disabled.').meaning).toMatch(/disabled/);
    expect(rcpt("553 5.1.2 We weren't able to find the recipient domain.").meaning).toMatch(/domain/);
    expect(rcpt('550 5.7.1 <a@b.example>: Sender address rejected: Access denied').meaning).toMatch(/policy/);
    expect(rcpt('550 5.1.1 no').meaning).not.toBe(rcpt('550 5.2.1 no').meaning);
  });

  it("reads the practice server's greylisting 451 4.7.1 and its RCPT 552 5.2.2 for what they are", () => {
    const grey = rcpt('451 4.7.1 Greylisted: please try again later (RFC 6647).');
    expect(grey.meaning).toMatch(/greylisting/i);
    expect(grey.meaning).not.toMatch(/problem of its own/);
    expect(grey.badge).toBe('transient failure (4yz)');
    const full = rcpt('552 5.2.2 <x@mx.example>: Mailbox full (practice scenario).');
    expect(full.meaning).toMatch(/full/);
    expect(full.meaning).toMatch(/4\.5\.3\.1\.10/);
    expect(rcpt("452 4.2.2 The recipient's inbox is out of storage space.").meaning).toMatch(/full for now/);
  });

  it('does not call 250 2.6.0 after the final dot a media error', () => {
    const r = play('smtp', [
      ['S', '220 mx ESMTP'],
      ['C', 'EHLO me'],
      ['S', '250 mx'],
      ['C', 'MAIL FROM:<a@b.example>'],
      ['S', '250 2.1.0 Ok'],
      ['C', 'RCPT TO:<x@mx.example>'],
      ['S', '250 2.1.5 Ok'],
      ['C', 'DATA'],
      ['S', '354 go'],
      ['C', 'Subject: x\r\n\r\nhi\r\n.'],
      ['S', '250 2.6.0 <id@mx.example> [InternalId=1] Queued mail for delivery'],
    ]);
    const a = last(r);
    expect(a.outcome).toBe('success');
    expect(a.details?.[0]?.text).not.toMatch(/error/i);
  });

  it('explains AUTH refusals by their enhanced code (RFC 4954 section 6)', () => {
    const auth = (line: string) =>
      last(
        play('smtp', [
          ['S', '220 mx ESMTP'],
          ['C', 'EHLO me'],
          ['S', '250 mx'],
          ['C', 'AUTH PLAIN AGFsaWNlAHg='],
          ['S', line],
        ]),
      );
    expect(auth('535 5.7.8 Authentication credentials invalid').meaning).toMatch(/user name or password/);
    expect(auth('535 5.7.3 Authentication unsuccessful').meaning).not.toBe(auth('535 5.7.8 x').meaning);
    expect(auth('454 4.7.0 Temporary authentication failure').meaning).toMatch(/for now/);
  });

  it('gives the lesson checker the same meaning, class-aware (one source)', () => {
    expect(briefSmtp(451, '4.7.1')).toMatch(/greylisting/);
    expect(briefSmtp(554, '5.7.1')).toMatch(/relay/);
    expect(briefSmtp(550, '5.1.1')).toMatch(/no mailbox/);
  });
});

describe('SMTP refusals cite where their enhanced code is defined', () => {
  it('a 550 5.1.1 to RCPT cites RFC 3463 section 3.2, a 552 5.2.2 section 3.3; a 530 keeps RFC 4954', () => {
    const c = createConsole('smtp');
    const reply = (cmd: string, line: string) => {
      c.sent(`${cmd}\r\n`);
      return c.received(enc.encode(`${line}\r\n`)).at(-1)!.annotation;
    };
    c.received(enc.encode('220 mx ESMTP\r\n'));
    reply('EHLO me', '250 mx');
    expect(reply('MAIL FROM:<a@b.example>', '530 5.7.0 Authentication required').rfc).toMatchObject({
      doc: 'RFC 4954',
      section: '6',
    });
    reply('MAIL FROM:<a@b.example>', '250 2.1.0 Ok');
    expect(reply('RCPT TO:<x@mx.example>', '550 5.1.1 User unknown').rfc).toMatchObject({
      doc: 'RFC 3463',
      section: '3.2',
    });
    expect(reply('RCPT TO:<y@mx.example>', '552 5.2.2 Mailbox full').rfc).toMatchObject({
      doc: 'RFC 3463',
      section: '3.3',
    });
  });
});
