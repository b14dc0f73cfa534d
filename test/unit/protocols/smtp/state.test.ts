import { describe, expect, it } from 'vitest';
import { createSmtpConsole } from '../../../../app/src/protocols/smtp/index.ts';
import { SmtpSession } from '../../../../app/src/protocols/smtp/state.ts';
import { parseSmtpReplies, type SmtpReply } from '../../../../app/src/protocols/smtp/parse.ts';
import { CHUNKINGS, loadFixture, replay } from '../fixtures.ts';

describe('SMTP session state on real sessions', () => {
  it('follows the Exim session through greeting, errors, a transaction, DATA and QUIT', () => {
    const c = createSmtpConsole();
    const r = replay(loadFixture('exim-smtp-session.json'), c, CHUNKINGS[1]);
    expect(r.map((x) => x.stateAfter)).toEqual([
      'greeted',
      'greeted',
      'greeted',
      'ready',
      'ready',
      'mail',
      'mail',
      'rcpt',
      'rcpt',
      'data',
      'ready',
      'ready',
      'ready',
      'ready',
      'ready',
      'quit',
    ]);
    expect(r.map((x) => x.command)).toContain('.');
    expect(c.view().state).toBe('quit');
  });

  it('shows how STARTTLS and AUTH changed the EHLO list (smtp-server)', () => {
    const c = createSmtpConsole();
    const r = replay(loadFixture('smtp-server-session.json'), c, CHUNKINGS[3]);
    const v = c.view();
    expect(v.capabilityHistory.map((h) => h.phase)).toEqual(['plaintext', 'tls']);
    expect(v.capabilityHistory[0].capabilities).toContain('STARTTLS');
    expect(v.capabilityHistory[1].capabilities).not.toContain('STARTTLS');
    expect(c.session.tlsRequiredForAuth).toBe(true); // the 538 to AUTH before STARTTLS
    expect(c.session.authenticated).toBe(true);
    expect(r.filter((x) => x.startTls).map((x) => x.command)).toEqual(['STARTTLS']);
    expect(r.filter((x) => x.stateAfter === 'auth')).toHaveLength(4);
    expect(v.state).toBe('quit');
  });

  it('handles a whole DATA body sent in one write (smtplib seed)', () => {
    const c = createSmtpConsole();
    const r = replay(loadFixture('seed-smtplib.json'), c);
    expect(r.at(-2)?.command).toBe('.');
    expect(r.at(-2)?.stateAfter).toBe('ready');
    expect(c.session.tls).toBe(true);
  });

  it('offers only the commands the state and the EHLO list allow', () => {
    const s = new SmtpSession();
    const feed = (text: string) => (parseSmtpReplies(text) as SmtpReply[]).forEach((x) => s.serverReply(x));
    feed('220 hi\r\n');
    expect(s.validCommands()).not.toContain('MAIL');
    s.clientSent('EHLO me\r\n');
    feed('250-hi\r\n250 PIPELINING\r\n');
    expect(s.validCommands()).toContain('MAIL');
    expect(s.validCommands()).not.toContain('STARTTLS');
    expect(s.validCommands()).not.toContain('AUTH');
    s.clientSent('MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n'); // pipelined
    feed('250 ok\r\n250 ok\r\n');
    expect(s.state).toBe('rcpt');
    expect(s.validCommands()).toContain('DATA');
    feed('421 bye\r\n');
    expect(s.state).toBe('closed');
  });
});
