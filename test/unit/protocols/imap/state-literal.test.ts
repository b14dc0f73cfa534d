import { describe, expect, it } from 'vitest';
import { createConsole } from '../../../../app/src/protocols/index.ts';

const enc = new TextEncoder();

describe('IMAP console when a literal is refused', () => {
  it('pairs the next command again after NO [TOOBIG] instead of "+"', () => {
    const c = createConsole('imap');
    c.received(enc.encode('* OK ready\r\n'));
    c.sent('a1 APPEND INBOX {10}\r\n');
    const [no] = c.received(enc.encode('a1 NO [TOOBIG] too big\r\n'));
    expect(no.command).toMatch(/^a1 APPEND/);
    c.sent('a2 NOOP\r\n');
    const [ok] = c.received(enc.encode('a2 OK done\r\n'));
    expect(ok.command).toBe('a2 NOOP');
  });
});
