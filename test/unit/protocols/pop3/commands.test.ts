import { describe, expect, it } from 'vitest';
import { pop3Check, pop3Hint } from '../../../../app/src/protocols/pop3/commands.ts';
import { createPop3Console } from '../../../../app/src/protocols/pop3/index.ts';
import { loadFixture, replay } from '../fixtures.ts';

function at(...steps: Array<[string, string]>) {
  const c = createPop3Console();
  for (const [sent, got] of steps) {
    if (sent) c.sent(sent);
    c.received(new TextEncoder().encode(got));
  }
  return c;
}
const codes = (c: ReturnType<typeof at>, line: string) => pop3Check(line, c.session).map((w) => w.code);
const authz = () => at(['', '+OK ready\r\n']);
const trans = () => at(['', '+OK ready\r\n'], ['USER a\r\n', '+OK\r\n'], ['PASS b\r\n', '+OK in\r\n']);

describe('POP3 command warnings', () => {
  it('warns about PASS before USER and transaction commands before login, not about the right order', () => {
    expect(codes(authz(), 'PASS secret')).toEqual(['PASS_BEFORE_USER']);
    expect(codes(authz(), 'RETR 1')).toEqual(['NOT_LOGGED_IN']);
    expect(codes(authz(), 'USER alice')).toEqual([]);
    expect(codes(at(['', '+OK ready\r\n'], ['USER a\r\n', '+OK\r\n']), 'PASS secret')).toEqual([]);
    expect(codes(trans(), 'RETR 1')).toEqual([]);
    expect(codes(trans(), 'USER a')).toEqual(['ALREADY_LOGGED_IN']);
  });

  it('warns about login before STLS when the server refused plaintext (Dovecot), not after TLS', () => {
    const c = createPop3Console();
    const f = loadFixture('dovecot-pop3-session.json');
    const stls = f.events.findIndex((e) => e.dir === 'TLS');
    replay({ ...f, events: f.events.slice(0, stls - 2) }, c, undefined, false); // greeting, CAPA, USER -> -ERR [AUTH]
    expect(codes(c, 'USER alice')).toEqual(['LOGIN_BEFORE_STLS']);
    replay({ ...f, events: f.events.slice(stls - 2, stls + 1) }, c, undefined, false); // STLS, +OK, handshake
    expect(codes(c, 'USER alice')).toEqual([]);
  });

  it('checks arguments and message numbers', () => {
    expect(codes(trans(), 'RETR')).toEqual(['MISSING_ARGUMENT']);
    expect(codes(trans(), 'TOP 1')).toEqual(['MISSING_ARGUMENT']);
    expect(codes(trans(), 'RETR 0')).toEqual(['BAD_MESSAGE_NUMBER']);
    expect(codes(trans(), 'STAT 1')).toEqual(['EXTRA_ARGUMENT']);
    const c = trans();
    c.sent('DELE 2\r\n');
    c.received(new TextEncoder().encode('+OK marked\r\n'));
    expect(codes(c, 'RETR 2')).toEqual(['MESSAGE_DELETED']);
    expect(codes(c, 'FROB')).toEqual(['UNKNOWN_COMMAND']);
  });

  it('does not take the base64 answers of AUTH for commands', () => {
    const c = at(['', '+OK ready\r\n'], ['AUTH LOGIN\r\n', '+ VXNlcm5hbWU6\r\n']);
    expect(codes(c, 'YWxpY2U=')).toEqual([]);
    const r = c.received(new TextEncoder().encode(''));
    expect(r).toEqual([]);
    c.sent('YWxpY2U=\r\n');
    const [reply] = c.received(new TextEncoder().encode('+ UGFzc3dvcmQ6\r\n'));
    // The answer to "Username:" is the user name, not a secret (common/secrets.ts); the password is.
    expect(reply.command).toBe('YWxpY2U=');
    c.sent('cHJhY3RpY2U=\r\n');
    expect(c.received(new TextEncoder().encode('+OK logged in\r\n'))[0]?.command).toBe('••••••');
    expect(reply.annotation.decoded).toBe('Password:');
  });

  it('completes with valid commands first', () => {
    expect(pop3Hint('U', authz().session).completions.map((x) => x.name)).toEqual(['USER', 'UIDL']);
    expect(pop3Hint('TOP ', trans().session).command?.syntax).toBe('TOP <msg> <lines>');
  });
});
