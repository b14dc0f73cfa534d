import { describe, expect, it } from 'vitest';
import { ALLOWED, TRANSITIONS, UID_COMMANDS } from '../../../../bridge/practice/imap/session.ts';
import { COMMANDS } from '../../../../bridge/practice/imap/commands/index.ts';

describe('IMAP state table (RFC 3501 section 3)', () => {
  it('every command a state allows has a handler, and every handler is reachable in some state', () => {
    const allowed = new Set(Object.values(ALLOWED).flatMap((s) => [...s]));
    for (const name of allowed) expect(COMMANDS[name], name).toBeTypeOf('function');
    for (const name of Object.keys(COMMANDS)) expect(allowed.has(name), name).toBe(true);
  });

  it.each([
    ['LOGIN', ['not-authenticated']],
    ['STARTTLS', ['not-authenticated']],
    ['SELECT', ['authenticated', 'selected']],
    ['APPEND', ['authenticated', 'selected']],
    ['FETCH', ['selected']],
    ['EXPUNGE', ['selected']],
    ['NOOP', ['not-authenticated', 'authenticated', 'selected']],
  ])('%s is allowed only in %j', (command, states) => {
    const where = Object.entries(ALLOWED)
      .filter(([, set]) => set.has(command))
      .map(([state]) => state);
    expect(where.sort()).toEqual([...states].sort());
  });

  it('UID prefixes only selected-state message commands', () => {
    for (const name of UID_COMMANDS) expect(ALLOWED.selected.has(name) && !ALLOWED.authenticated.has(name)).toBe(true);
  });
});

describe('IMAP state changes (RFC 3501 section 3; RFC 2180 section 3)', () => {
  it('every transition leads to a state, and logout ends everything', () => {
    for (const moves of Object.values(TRANSITIONS))
      for (const to of Object.values(moves)) expect(Object.keys(ALLOWED)).toContain(to);
    expect(TRANSITIONS.logout).toEqual({});
  });

  it('only a selected session can lose its mailbox, and it lands in the authenticated state', () => {
    const from = Object.entries(TRANSITIONS).filter(([, moves]) => 'mailbox-closed' in moves);
    expect(from).toEqual([['selected', expect.objectContaining({ 'mailbox-closed': 'authenticated' })]]);
    // There the message commands are refused and SELECT is open again.
    expect(ALLOWED.authenticated.has('STORE')).toBe(false);
    expect(ALLOWED.authenticated.has('SELECT')).toBe(true);
  });
});
