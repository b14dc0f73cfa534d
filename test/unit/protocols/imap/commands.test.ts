import { describe, expect, it } from 'vitest';
import { rfc } from '../../../../app/src/protocols/common/types.ts';
import { explainResponseCode } from '../../../../app/src/protocols/imap/catalog.ts';
import {
  imapCheck,
  imapCommand,
  imapHint,
  imapLiteralCheck,
  imapLiteralFor,
} from '../../../../app/src/protocols/imap/commands.ts';
import { createImapConsole } from '../../../../app/src/protocols/imap/index.ts';
import * as imap from '../../../../app/src/protocols/imap/index.ts';
import { decodeMailboxName, encodeMailboxName } from '../../../../app/src/protocols/imap/mutf7.ts';

function at(...server: string[]) {
  const c = createImapConsole();
  for (const s of server) {
    const [sent, got] = s.split('|');
    if (got !== undefined) {
      c.sent(sent);
      c.received(new TextEncoder().encode(got));
    } else c.received(new TextEncoder().encode(sent));
  }
  return c;
}
const fresh = () => at('* OK [CAPABILITY IMAP4rev1 ID STARTTLS LOGINDISABLED LITERAL+] ready\r\n');
const loggedIn = () =>
  at(
    '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n',
    'a1 LOGIN u p\r\n|a1 OK [CAPABILITY IMAP4rev1 MOVE UIDPLUS] in\r\n',
  );
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
    expect(codes(fresh(), 'a2 ID ("name" "Grüße")')).toEqual(['QUOTED_NOT_ASCII']);
    expect(codes(loggedIn(), 'a2 APPEND INBOX {12+}')).toEqual(['LITERAL_PLUS_NOT_OFFERED']);
    expect(codes(fresh(), 'a2 ID {3+}')).toEqual(['LITERAL_FOLLOWS']);
  });

  it("treats literal octets, AUTHENTICATE answers and IDLE's DONE as data, not commands", () => {
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
    expect(imapHint('a2 SE', c.session).completions.map((x) => x.name)).toEqual(['SELECT', 'SEARCH', 'SETQUOTA']); // valid now first
    expect(imapHint('a2 FETCH 1', c.session).command?.syntax).toMatch(/FETCH <set>/);
  });
});

describe('mailbox names in modified UTF-7 before sending (RFC 3501 section 5.1.3)', () => {
  const selected = () =>
    at(
      '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n',
      'a1 LOGIN u p\r\n|a1 OK [CAPABILITY IMAP4rev1 MOVE UIDPLUS] in\r\n',
      'a2 SELECT INBOX\r\n|* 3 EXISTS\r\na2 OK [READ-WRITE] done\r\n',
    );
  const notEncoded = (c: ReturnType<typeof at>, line: string) =>
    imapCheck(line, c.session).find((w) => w.code === 'MAILBOX_NAME_NOT_ENCODED');
  const invalid = (c: ReturnType<typeof at>, line: string) =>
    imapCheck(line, c.session).filter((w) => w.code === 'MAILBOX_NAME_INVALID');

  it('warns about raw non-ASCII in a mailbox name and offers the encoded name, atom or quoted as typed', () => {
    const atom = notEncoded(loggedIn(), 'a3 CREATE Entwürfe')!;
    expect(atom).toMatchObject({
      severity: 'warning',
      fix: 'a3 CREATE Entw&APw-rfe',
      rfc: { doc: 'RFC 3501', section: '5.1.3' },
    });
    expect(atom.message).toContain('"Entwürfe" is written Entw&APw-rfe');
    // The quoted name gets this warning instead of the advice to send a literal, which would still be refused.
    expect(codes(loggedIn(), 'a3 SELECT "日本語"')).toEqual(['MAILBOX_NAME_NOT_ENCODED']);
    expect(notEncoded(loggedIn(), 'a3 SELECT "日本語"')!.fix).toBe('a3 SELECT "&ZeVnLIqe-"');
    // A name with a space stays quoted; the rest of the line (flags, literal) is left alone.
    expect(notEncoded(loggedIn(), 'a3 APPEND "Brouillons été" (\\Seen) {12}')!.fix).toBe(
      'a3 APPEND "Brouillons &AOk-t&AOk-" (\\Seen) {12}',
    );
    // Not blocking: the learner may send it anyway to see the server's NO.
    expect(imapCheck('a3 CREATE Entwürfe', loggedIn().session).some((w) => w.severity === 'error')).toBe(false);
  });

  it('finds the mailbox arguments of each command, and leaves other arguments alone', () => {
    expect(notEncoded(loggedIn(), 'a3 RENAME Entwürfe "Черновики"')!.fix).toBe(
      'a3 RENAME Entw&APw-rfe "&BCcENQRABD0EPgQyBDgEOgQ4-"',
    );
    expect(notEncoded(loggedIn(), 'a3 LIST "" Entwü*')!.fix).toBe('a3 LIST "" Entw&APw-*');
    expect(notEncoded(loggedIn(), 'a3 LIST (SUBSCRIBED) "" "日本語/%"')!.fix).toBe(
      'a3 LIST (SUBSCRIBED) "" "&ZeVnLIqe-/%"',
    );
    expect(notEncoded(loggedIn(), 'a3 STATUS Entwürfe (MESSAGES UNSEEN)')!.fix).toBe(
      'a3 STATUS Entw&APw-rfe (MESSAGES UNSEEN)',
    );
    expect(notEncoded(selected(), 'a3 COPY 1:2 Entwürfe')!.fix).toBe('a3 COPY 1:2 Entw&APw-rfe');
    expect(notEncoded(selected(), 'a3 uid move 7 "😀"')!.fix).toBe('a3 uid move 7 "&2D3eAA-"');
    expect(notEncoded(selected(), 'a3 UID COPY 4:* Entwürfe')!.fix).toBe('a3 UID COPY 4:* Entw&APw-rfe');
    expect(notEncoded(selected(), 'a3 UID FETCH 1 (BODY[HEADER.FIELDS (SUBJECT)]) Entwürfe')).toBeUndefined();
    // Non-ASCII outside a mailbox argument is not a mailbox name: the literal advice stays.
    expect(codes(fresh(), 'a2 ID ("name" "Grüße")')).toEqual(['QUOTED_NOT_ASCII']);
    // A name sent as a literal comes on the next line; nothing to check yet.
    expect(codes(loggedIn(), 'a3 CREATE {9}')).toEqual(['LITERAL_FOLLOWS']);
  });

  it('offers fixes that decode to the name typed and that pass the check themselves', () => {
    const typed = ['Entwürfe', 'Büro & Co', 'Q&-A日本', '~peter/mail/台北/日本語', 'a\\"b ü', 'Ελληνικά/%', '😀😁 x'];
    for (const name of typed) {
      const quoted = `"${name.replace(/[\\"]/g, '\\$&')}"`;
      const w = notEncoded(loggedIn(), `a3 CREATE ${quoted}`)!;
      expect(w, name).toBeDefined();
      const fixed = /^a3 CREATE "((?:[^"\\]|\\.)*)"$/.exec(w.fix!)![1].replace(/\\(.)/g, '$1');
      expect(fixed, name).toMatch(/^[\x20-\x7e]*$/);
      const decoded = decodeMailboxName(fixed);
      // "&-" typed by hand already meant "&"; otherwise the fix means exactly the characters typed.
      expect(decoded.ok && decoded.name, name).toBe(name === 'Q&-A日本' ? 'Q&A日本' : name);
      expect(
        imapCheck(w.fix!, loggedIn().session).map((x) => x.code),
        name,
      ).toEqual([]);
    }
  });

  it("says what is wrong with an encoded name that does not decode, in the codec's words", () => {
    for (const name of ['&Jjo!', '&AGE-', '&U,BTFw-&ZeVnLIqe-', '&ZeVn/Iqe-', '&AOQ=-', '&2D0-']) {
      const w = invalid(loggedIn(), `a3 CREATE "${name}"`);
      const reason = decodeMailboxName(name);
      expect(reason.ok, name).toBe(false);
      if (reason.ok) continue;
      expect(w, name).toHaveLength(1);
      expect(w[0].severity).toBe('warning');
      expect(w[0].message, name).toContain(reason.message);
      expect(w[0].message, name).toContain(reason.code);
    }
    // An unclosed "&" most likely meant a plain "&": the fix writes it "&-", as the reason says.
    const [amp] = invalid(loggedIn(), 'a3 SELECT "&Jjo!"');
    expect(amp.fix).toBe('a3 SELECT "&-Jjo!"');
    expect(decodeMailboxName('&-Jjo!')).toEqual({ ok: true, name: '&Jjo!' });
    expect(invalid(loggedIn(), 'a3 SELECT &AGE-')[0].fix).toBeUndefined(); // no single obvious meaning
    expect(invalid(loggedIn(), 'a3 RENAME &Jjo! Other&ZeVn')).toHaveLength(2);
    // Valid encoded names, "&-" included, pass without a word.
    for (const ok of [
      'a3 SELECT Entw&APw-rfe',
      'a3 CREATE "A&-B"',
      'a3 LIST "" "~peter/mail/&U,BTFw-/&ZeVnLIqe-"',
      'a3 STATUS &2D3eAA- (MESSAGES)',
    ]) {
      expect(codes(loggedIn(), ok), ok).toEqual([]);
    }
  });

  it('only informs when the server offers UTF8=ACCEPT, and is silent for an IMAP4rev2-only server', () => {
    const utf8 = at(
      '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n',
      'a1 LOGIN u p\r\n|a1 OK [CAPABILITY IMAP4rev1 UTF8=ACCEPT ENABLE] in\r\n',
    );
    const w = notEncoded(utf8, 'a3 CREATE Entwürfe')!;
    expect(w.severity).toBe('info');
    expect(w.message).toMatch(/ENABLE UTF8=ACCEPT/);
    expect(invalid(utf8, 'a3 CREATE "&Jjo!"')[0].severity).toBe('info');
    const both = at(
      '* OK [CAPABILITY IMAP4rev1 IMAP4rev2 AUTH=PLAIN] ready\r\n',
      'a1 LOGIN u p\r\n|a1 OK [CAPABILITY IMAP4rev1 IMAP4rev2 ENABLE] in\r\n',
    );
    expect(notEncoded(both, 'a3 CREATE Entwürfe')).toMatchObject({
      severity: 'info',
      message: expect.stringMatching(/ENABLE IMAP4rev2/),
    });
    const rev2 = at(
      '* OK [CAPABILITY IMAP4rev2 AUTH=PLAIN] ready\r\n',
      'a1 LOGIN u p\r\n|a1 OK [CAPABILITY IMAP4rev2] in\r\n',
    );
    expect(codes(rev2, 'a3 CREATE "Entwürfe"')).toEqual([]);
  });

  it('is silent once the server answered * ENABLED UTF8=ACCEPT (RFC 6855 section 3), not before', () => {
    const login = 'a1 LOGIN u p\r\n|a1 OK [CAPABILITY IMAP4rev1 UTF8=ACCEPT ENABLE] in\r\n';
    const refused = at(
      '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n',
      login,
      'a2 ENABLE UTF8=ACCEPT\r\n|a2 OK nothing enabled\r\n',
    );
    expect(notEncoded(refused, 'a3 CREATE Entwürfe')?.severity).toBe('info');
    const on = at(
      '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n',
      login,
      'a2 ENABLE UTF8=ACCEPT\r\n|* ENABLED UTF8=ACCEPT\r\na2 OK enabled\r\n',
    );
    expect(codes(on, 'a3 CREATE Entwürfe')).toEqual([]);
    expect(codes(on, 'a3 CREATE "&Jjo!"')).toEqual([]);
  });

  it('is re-exported with the codec from the IMAP module', () => {
    expect(imap.encodeMailboxName).toBe(encodeMailboxName);
    expect(imap.decodeMailboxName('Entw&APw-rfe')).toEqual({ ok: true, name: 'Entwürfe' });
    expect(
      createImapConsole()
        .check('a1 CREATE Entwürfe')
        .map((x) => x.code),
    ).toContain('MAILBOX_NAME_NOT_ENCODED');
  });
});

describe('the extension commands the practice server and Dovecot offer', () => {
  const selected = () =>
    at(
      '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n',
      'a1 LOGIN u p\r\n|a1 OK [CAPABILITY IMAP4rev1 SORT THREAD=REFERENCES QUOTA CONTEXT=SEARCH] in\r\n',
      'a2 SELECT INBOX\r\n|* 1 EXISTS\r\na2 OK [READ-WRITE] done\r\n',
    );
  it('SORT, THREAD and the QUOTA commands are known and allowed where RFC 5256 and RFC 9208 allow them', () => {
    for (const line of ['a3 SORT (DATE) UTF-8 ALL', 'a3 THREAD REFERENCES UTF-8 ALL', 'a3 GETQUOTAROOT INBOX'])
      expect(imapCheck(line, selected().session), line).toEqual([]);
    const quota = at(
      '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n',
      'a1 LOGIN u p\r\n|a1 OK [CAPABILITY IMAP4rev1 QUOTA] in\r\n',
    );
    expect(codes(quota, 'a3 GETQUOTA ""')).toEqual([]);
    // A server that does not list QUOTA does not offer it.
    expect(codes(loggedIn(), 'a3 GETQUOTA ""')).toEqual(['NOT_OFFERED']);
    // Still refused before a mailbox is selected: SORT searches the selected mailbox.
    expect(codes(loggedIn(), 'a3 SORT (DATE) UTF-8 ALL')).not.toEqual([]);
  });

  it('NOTIFY is known with RFC 5465 section 3.1, allowed once logged in where NOTIFY is listed', () => {
    const line = 'a3 NOTIFY SET (personal (MailboxName))';
    expect(imapCommand('NOTIFY')?.rfc).toEqual(rfc(5465, '3.1'));
    const notify = at(
      '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n',
      'a1 LOGIN u p\r\n|a1 OK [CAPABILITY IMAP4rev1 NOTIFY] in\r\n',
    );
    expect(codes(notify, line)).toEqual([]);
    expect(codes(loggedIn(), line)).toEqual(['NOT_OFFERED']);
    expect(explainResponseCode('BADEVENT').rfc).toEqual(rfc(5465, '3.1'));
    expect(explainResponseCode('NOTIFICATIONOVERFLOW').rfc).toEqual(rfc(5465, '5.8'));
  });

  it('knows SETQUOTA (RFC 9208 section 4.1.3), offered only with QUOTASET, and CANCELUPDATE (RFC 5267 section 4.3.5)', () => {
    expect(imapCommand('SETQUOTA')?.rfc).toMatchObject({ doc: 'RFC 9208', section: '4.1.3' });
    expect(imapCommand('CANCELUPDATE')?.rfc).toMatchObject({ doc: 'RFC 5267', section: '4.3.5' });
    const quota = (caps: string) =>
      at(
        '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n',
        `a1 LOGIN u p\r\n|a1 OK [CAPABILITY IMAP4rev1 ${caps}] in\r\n`,
      );
    expect(codes(quota('QUOTA'), 'a3 SETQUOTA "" (STORAGE 512)')).toEqual(['NOT_OFFERED']);
    expect(codes(quota('QUOTA QUOTASET'), 'a3 SETQUOTA "" (STORAGE 512)')).toEqual([]);
    expect(imapCheck('a3 CANCELUPDATE "a2"', selected().session)).toEqual([]);
    expect(codes(loggedIn(), 'a3 CANCELUPDATE "a2"')).not.toEqual([]); // selected state only
  });

  it('warns that CHECK and LSUB were dropped once IMAP4rev2 is enabled (RFC 9051 Appendix E), not before', () => {
    const rev2 = at(
      '* OK [CAPABILITY IMAP4rev1 IMAP4rev2 ENABLE AUTH=PLAIN] ready\r\n',
      'a1 LOGIN u p\r\n|a1 OK [CAPABILITY IMAP4rev1 IMAP4rev2 ENABLE] in\r\n',
      'a2 ENABLE IMAP4rev2\r\n|* ENABLED IMAP4rev2\r\na2 OK done\r\n',
    );
    expect(codes(rev2, 'a3 LSUB "" "*"')).toEqual(['DROPPED_IN_IMAP4REV2']);
    expect(imapCheck('a3 LSUB "" "*"', rev2.session)[0]?.rfc).toMatchObject({ doc: 'RFC 9051', section: 'Appendix E' });
    expect(codes(loggedIn(), 'a3 LSUB "" "*"')).toEqual([]);
    const utf8 = at(
      '* OK [CAPABILITY IMAP4rev1 UTF8=ACCEPT ENABLE AUTH=PLAIN] ready\r\n',
      'a1 LOGIN u p\r\n|a1 OK in\r\n',
      'a2 ENABLE UTF8=ACCEPT\r\n|* ENABLED UTF8=ACCEPT\r\na2 OK done\r\n',
      'a3 SELECT INBOX\r\n|* 1 EXISTS\r\na3 OK [READ-WRITE] done\r\n',
    );
    const charset = imapCheck('a4 UID SEARCH CHARSET UTF-8 SUBJECT "Grüße"', utf8.session);
    expect(charset.map((w) => w.code)).toEqual(['CHARSET_AFTER_UTF8']);
    expect(charset[0]).toMatchObject({ rfc: { doc: 'RFC 6855', section: '3' }, fix: 'a4 UID SEARCH SUBJECT "Grüße"' });
    expect(codes(selected(), 'a4 SEARCH CHARSET UTF-8 ALL')).toEqual([]); // fine before ENABLE
    // UTF-8 in a quoted string needs no literal once UTF8=ACCEPT is enabled; before, it does.
    expect(codes(utf8, 'a5 SEARCH SUBJECT "Grüße"')).toEqual([]);
    expect(codes(selected(), 'a5 SEARCH SUBJECT "Grüße"')).toEqual(['QUOTED_NOT_ASCII']);
    // ENABLED is kept upper-case: a UTF-8 name needs no modified UTF-7 after ENABLE IMAP4rev2 either.
    expect(codes(rev2, 'a4 CREATE Entwürfe')).toEqual([]);
  });
});
