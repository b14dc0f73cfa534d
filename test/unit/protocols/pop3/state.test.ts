import { describe, expect, it } from 'vitest';
import { createPop3Console } from '../../../../app/src/protocols/pop3/index.ts';
import { CHUNKINGS, loadFixture, replay } from '../fixtures.ts';

describe('POP3 session state on real sessions', () => {
  it('follows Dovecot from AUTHORIZATION through STLS and login to TRANSACTION and UPDATE', () => {
    const c = createPop3Console();
    const r = replay(loadFixture('dovecot-pop3-session.json'), c, CHUNKINGS[1]);
    const after = (cmd: string) => r.find((x) => x.command === cmd)!.stateAfter;
    expect(r[0].stateAfter).toBe('authorization');
    expect(after('PASS ••••••')).toBe('transaction');
    expect(after('QUIT')).toBe('update');
    expect(r.filter((x) => x.startTls).map((x) => x.command)).toEqual(['STLS']);
    const h = c.view().capabilityHistory;
    expect(h.map((x) => x.phase)).toEqual(['plaintext', 'tls']);
    expect(h[0].capabilities).toContain('STLS');
    expect(h[0].capabilities).not.toContain('USER');
    expect(h[1].capabilities).toContain('USER');
    expect(c.session.tlsRequiredForLogin).toBe(true);
    expect(c.session.deleted.size).toBe(0); // DELE 3, then RSET
  });

  it('stays in AUTHORIZATION after a wrong password and closes without UPDATE', () => {
    const c = createPop3Console();
    const r = replay(loadFixture('dovecot-pop3-badpass.json'), c);
    expect(r.find((x) => x.command === 'PASS ••••••')).toMatchObject({
      stateAfter: 'authorization',
      parsed: { code: 'AUTH' },
    });
    expect(c.session.user).toBeUndefined();
    expect(r.at(-1)).toMatchObject({ command: 'QUIT', stateAfter: 'closed' });
  });

  it('lists the commands valid in each state', () => {
    const c = createPop3Console();
    c.received(new TextEncoder().encode('+OK hi\r\n'));
    expect(c.view().validCommands).toEqual(['USER', 'APOP', 'AUTH', 'STLS', 'CAPA', 'UTF8', 'QUIT']);
    c.sent('USER a\r\n');
    c.received(new TextEncoder().encode('+OK\r\n'));
    expect(c.view().validCommands).toContain('PASS');
    c.sent('PASS b\r\n');
    c.received(new TextEncoder().encode('+OK in\r\n'));
    expect(c.view().validCommands).toEqual([
      'STAT',
      'LIST',
      'RETR',
      'DELE',
      'NOOP',
      'RSET',
      'TOP',
      'UIDL',
      'CAPA',
      'QUIT',
    ]);
  });
});
