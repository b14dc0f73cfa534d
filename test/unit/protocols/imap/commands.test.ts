import { describe, expect, it } from 'vitest';
import { imapCheck, imapHint, imapLiteralCheck, imapLiteralFor } from '../../../../app/src/protocols/imap/commands.ts';
import { createImapConsole } from '../../../../app/src/protocols/imap/index.ts';

function at(...server: string[]) {
  const c = createImapConsole();
  for (const s of server) {
    const [sent, got] = s.split('|');
    if (got !== undefined) { c.sent(sent); c.received(new TextEncoder().encode(got)); } else c.received(new TextEncoder().encode(sent));
  }
  return c;
}
const fresh = () => at('* OK [CAPABILITY IMAP4rev1 ID STARTTLS LOGINDISABLED LITERAL+] ready\r\n');
const loggedIn = () => at('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n', 'a1 LOGIN u p\r\n|a1 OK [CAPABILITY IMAP4rev1 MOVE UIDPLUS] in\r\n');
const codes = (c: ReturnType<typeof at>, line: string) => imapCheck(line, c.session).map((w) => w.code);

describe('IMAP command warnings', () => {
  it('warns about a command without a tag and offers the tagged line', () => {
    const w = imapCheck('CAPABILITY', fresh().session);
    expect(w.map((x) => x.code)).toEqual(['IMAP_MISSING_TAG']);
    expect(w[0].fix).toBe('a1 CAPABILITY');
    expect(imapCheck('uid fetch 1 FLAGS', loggedIn().session)[0].code).toBe('IMAP_MISSING_TAG');
    expect(codes(fresh(), 'a1 CAPABILITY')).toEqual([]);
  });

  it('warns about LOGIN when the server said LOGINDISABLED, not after STARTTLS', () => {
    const c = fresh();
    expect(codes(c, 'a2 LOGIN alice secret')).toEqual(['LOGIN_DISABLED']);
    c.sent('a3 STARTTLS\r\n');
    c.received(new TextEncoder().encode('a3 OK go\r\n'));
    c.tlsStarted();
    c.sent('a4 CAPABILITY\r\n');
    c.received(new TextEncoder().encode('* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na4 OK done\r\n'));
    expect(codes(c, 'a5 LOGIN alice secret')).toEqual([]);
  });

  it('warns about commands not valid in the state, and about a tag in use', () => {
    expect(codes(fresh(), 'a1 SELECT INBOX')).toEqual(['NOT_VALID_NOW']);
    expect(codes(loggedIn(), 'a2 FETCH 1 FLAGS')).toEqual(['NOT_VALID_NOW']);
    expect(codes(loggedIn(), 'a2 SELECT INBOX')).toEqual([]);
    const c = loggedIn();
    c.sent('a2 STATUS INBOX (MESSAGES)\r\n');
    expect(codes(c, 'a2 NOOP')).toEqual(['IMAP_TAG_IN_USE']);
    expect(codes(c, 'a+ NOOP')).toEqual(['IMAP_BAD_TAG']);
  });

  it('counts literal lengths in UTF-8 octets and offers the right {n}', () => {
    expect(imapLiteralFor('Grüße')).toBe('{7}');
    expect(imapLiteralFor('a\r\nb', true)).toBe('{4+}');
    const w = imapLiteralCheck('a1 APPEND INBOX {5}', 'Grüße');
    expect(w.map((x) => x.code)).toEqual(['LITERAL_LENGTH']);
    expect(w[0].fix).toBe('a1 APPEND INBOX {7}');
    expect(imapLiteralCheck('a1 APPEND INBOX {7}', 'Grüße')).toEqual([]);
    expect(codes(loggedIn(), 'a2 SELECT "Entwürfe"')).toEqual(['QUOTED_NOT_ASCII']);
    expect(codes(loggedIn(), 'a2 APPEND INBOX {12+}')).toEqual(['LITERAL_PLUS_NOT_OFFERED']);
    expect(codes(fresh(), 'a2 ID {3+}')).toEqual(['LITERAL_FOLLOWS']);
  });

  it('treats literal octets, AUTHENTICATE answers and IDLE\'s DONE as data, not commands', () => {
    const c = loggedIn();
    c.sent('a2 APPEND INBOX {20}\r\n');
    c.received(new TextEncoder().encode('+ OK\r\n'));
    expect(codes(c, 'Subject: no tag here')).toEqual([]);
    const i = loggedIn();
    i.sent('a3 IDLE\r\n');
    i.received(new TextEncoder().encode('+ idling\r\n'));
    expect(codes(i, 'DONE')).toEqual([]);
    expect(codes(i, 'a4 NOOP')).toEqual(['IDLE_NEEDS_DONE']);
    i.sent('DONE\r\n');
    i.received(new TextEncoder().encode('a3 OK Idle completed\r\n'));
    expect(i.session.pending.size).toBe(0);
    const a = fresh();
    a.sent('a1 AUTHENTICATE PLAIN\r\n');
    a.received(new TextEncoder().encode('+ \r\n'));
    expect(codes(a, 'AGFsaWNlAHByYWN0aWNl')).toEqual([]);
  });

  it('hints the command after the tag', () => {
    expect(imapHint('SEL', loggedIn().session).completions.map((x) => x.name)).toEqual(['SELECT']);
    const c = loggedIn();
    expect(imapHint('a2 SE', c.session).completions.map((x) => x.name)).toEqual(['SELECT', 'SEARCH']); // valid now first
    expect(imapHint('a2 FETCH 1', c.session).command?.syntax).toMatch(/FETCH <set>/);
  });
});
