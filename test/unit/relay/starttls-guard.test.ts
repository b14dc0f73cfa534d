import { describe, expect, it } from 'vitest';
import { StartTlsGuard } from '../../../bridge/relay/starttls-guard.ts';

const b = (s: string) => new TextEncoder().encode(s);
const t = (u: Uint8Array | null) => (u ? new TextDecoder().decode(u) : null);

describe('StartTlsGuard', () => {
  it('passes everything through when no STARTTLS was asked', () => {
    const g = new StartTlsGuard();
    g.noteClientBytes(b('EHLO x\r\n'));
    expect(t(g.filterServerBytes(b('250 ok\r\n220 more\r\n')).forward)).toBe('250 ok\r\n220 more\r\n');
    expect(g.discardHeld()).toBe(0);
  });
  it('SMTP: forwards the go-ahead, holds what follows in the same read and later, drops it at starttls', () => {
    const g = new StartTlsGuard();
    g.noteClientBytes(b('STARTTLS\r\n'));
    expect(t(g.filterServerBytes(b('220 go ahead\r\n250 injected\r\n')).forward)).toBe('220 go ahead\r\n');
    expect(g.filterServerBytes(b('more')).forward).toBeNull();
    expect(g.discardHeld()).toBe('250 injected\r\n'.length + 4);
    expect(g.phase).toBe('idle');
  });
  it('SMTP: a go-ahead split across reads and a multi-line reply', () => {
    const g = new StartTlsGuard();
    g.noteClientBytes(b('starttls\r\n'));
    expect(t(g.filterServerBytes(b('220-wait\r\n22')).forward)).toBe('220-wait\r\n22');
    expect(t(g.filterServerBytes(b('0 go\r\nX')).forward)).toBe('0 go\r\n');
    expect(g.discardHeld()).toBe(1);
  });
  it('SMTP: a refusal disarms the guard', () => {
    const g = new StartTlsGuard();
    g.noteClientBytes(b('STARTTLS\r\n'));
    expect(t(g.filterServerBytes(b('454 TLS not available\r\n250 next\r\n')).forward)).toBe(
      '454 TLS not available\r\n250 next\r\n',
    );
    expect(g.phase).toBe('idle');
  });
  it('IMAP: untagged lines pass, the tagged OK is the go-ahead', () => {
    const g = new StartTlsGuard();
    g.noteClientBytes(b('a1 STARTTLS\r\n'));
    expect(t(g.filterServerBytes(b('* OK hi\r\na1 OK Begin TLS\r\n* injected\r\n')).forward)).toBe(
      '* OK hi\r\na1 OK Begin TLS\r\n',
    );
    expect(g.discardHeld()).toBe('* injected\r\n'.length);
    g.noteClientBytes(b('a2 STARTTLS\r\n'));
    expect(t(g.filterServerBytes(b('a2 BAD no\r\nrest')).forward)).toBe('a2 BAD no\r\nrest');
  });
  it('POP3: +OK after STLS is the go-ahead', () => {
    const g = new StartTlsGuard();
    g.noteClientBytes(b('STLS\r\n'));
    expect(t(g.filterServerBytes(b('+OK Begin TLS\r\n+OK injected\r\n')).forward)).toBe('+OK Begin TLS\r\n');
    expect(g.discardHeld()).toBe(14);
  });
  it('releases held bytes if the learner goes on in plaintext instead of starttls', () => {
    const g = new StartTlsGuard();
    g.noteClientBytes(b('STARTTLS\r\n'));
    g.filterServerBytes(b('220 go\r\nlate'));
    const released = g.noteClientBytes(b('NOOP\r\n'));
    expect(released.map(t)).toEqual(['late']);
    expect(g.phase).toBe('idle');
  });
});
