import { describe, expect, it } from 'vitest';
import { createImapConsole } from '../../../../app/src/protocols/imap/index.ts';
import { CHUNKINGS, loadFixture, replay } from '../fixtures.ts';

describe('IMAP session state on real sessions', () => {
  it('follows the Dovecot session: not authenticated, STARTTLS, login, selected, logout', () => {
    const c = createImapConsole();
    const r = replay(loadFixture('dovecot-imap-session.json'), c, CHUNKINGS[2]);
    const after = (cmd: string) => r.find((x) => x.command?.includes(cmd))!.stateAfter;
    expect(after('a2 LOGIN')).toBe('not-authenticated');
    expect(after('a5 LOGIN')).toBe('authenticated');
    expect(after('a7 SELECT INBOX')).toBe('selected');
    expect(after('a21 SELECT Nope')).toBe('authenticated'); // a failed SELECT leaves no mailbox selected
    expect(after('a22 EXAMINE')).toBe('selected');
    expect(after('a23 UNSELECT')).toBe('authenticated');
    expect(after('a25 CLOSE')).toBe('authenticated');
    expect(c.view().state).toBe('logout');
  });

  it('suggests a fresh tag past every tag used so far, completed ones included', () => {
    const c = createImapConsole();
    expect(c.session.nextTag()).toBe('a1');
    c.received(new TextEncoder().encode('* OK ready\r\n'));
    for (const [cmd, done] of [
      ['a1 CAPABILITY', 'a1 OK done'],
      ['a2 NOOP', 'a2 OK done'],
      ['a7 NOOP', 'a7 OK done'],
    ]) {
      c.sent(`${cmd}\r\n`);
      c.received(new TextEncoder().encode(`${done}\r\n`));
    }
    expect(c.session.pending.size).toBe(0);
    expect(c.session.nextTag()).toBe('a8');
  });

  it('pairs every tagged completion with its command by tag', () => {
    const r = replay(loadFixture('dovecot-imap-session.json'), createImapConsole(), CHUNKINGS[1]);
    const tagged = r.filter((x) => x.parsed.kind === 'tagged');
    expect(tagged).toHaveLength(26);
    for (const t of tagged) {
      if (t.parsed.kind !== 'tagged') continue;
      expect(t.command?.split(' ')[0]).toBe(t.parsed.tag);
    }
  });

  it('shows how the capability list changed after STARTTLS and after login', () => {
    const c = createImapConsole();
    replay(loadFixture('dovecot-imap-session.json'), c);
    const h = c.view().capabilityHistory;
    expect(h.map((x) => x.phase)).toEqual(['plaintext', 'tls', 'authenticated']);
    expect(h[0].capabilities).toEqual(expect.arrayContaining(['STARTTLS', 'LOGINDISABLED']));
    expect(h[1].capabilities).toEqual(expect.arrayContaining(['AUTH=PLAIN', 'AUTH=LOGIN']));
    expect(h[1].capabilities).not.toContain('LOGINDISABLED');
    expect(h[2].capabilities).toEqual(expect.arrayContaining(['MOVE', 'UIDPLUS', 'CONDSTORE']));
  });

  it('collects the selected mailbox data and lists commands valid now', () => {
    const c = createImapConsole();
    const f = loadFixture('seed-imaplib.json');
    const end = f.events.findIndex((e) => e.data.startsWith('OGCE2 OK'));
    replay({ ...f, events: f.events.slice(0, end + 1) }, c); // up to SELECT's completion
    expect(c.view().state).toBe('selected');
    expect(c.session.mailbox).toMatchObject({
      name: 'INBOX',
      readOnly: false,
      exists: 10,
      recent: 4,
      uidValidity: 1644072125,
      uidNext: 11,
    });
    expect(c.view().validCommands).toEqual(expect.arrayContaining(['FETCH', 'SEARCH', 'STORE', 'CLOSE']));
    expect(c.view().validCommands).not.toContain('LOGIN');
  });

  it('does not take literal octets or an untagged command for commands', () => {
    const c = createImapConsole();
    replay(loadFixture('dovecot-imap-errors.json'), c);
    expect(c.session.pending.size).toBe(0);
    c.sent('a1 LOGIN {5}\r\n');
    c.sent('alice {8}\r\n');
    c.sent('practice\r\n');
    expect([...c.session.pending.keys()]).toEqual(['a1']);
  });
});
