import { describe, expect, it } from 'vitest';
import { ALLOWED, UID_COMMANDS } from '../../../../bridge/practice/imap/session.ts';
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
    const where = Object.entries(ALLOWED).filter(([, set]) => set.has(command)).map(([state]) => state);
    expect(where.sort()).toEqual([...states].sort());
  });

  it('UID prefixes only selected-state message commands', () => {
    for (const name of UID_COMMANDS) expect(ALLOWED.selected.has(name) && !ALLOWED.authenticated.has(name)).toBe(true);
  });
});
