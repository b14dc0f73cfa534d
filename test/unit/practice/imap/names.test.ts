import { describe, expect, it } from 'vitest';
import { checkMailboxName } from '../../../../bridge/practice/maildir/account.ts';
import { MailstoreError } from '../../../../bridge/practice/mailstore-types.ts';
import { mailboxName, str } from '../../../../bridge/practice/imap/encode.ts';
import { mailboxArg, patternArg, utf8MailboxName, wireText } from '../../../../bridge/practice/imap/names.ts';
import { ArgumentError, CommandRefusal, type Token } from '../../../../bridge/practice/imap/parser.ts';

const atom = (value: string): Token => ({ type: 'atom', value });
const quoted = (value: string): Token => ({ type: 'string', value: new TextEncoder().encode(value), literal: false });

describe('mailbox names at the edge of the practice IMAP server (RFC 3501 section 5.1.3)', () => {
  it('decodes a mailbox argument and keeps the wire form for reply texts', () => {
    expect(mailboxArg(quoted('~peter/mail/&U,BTFw-/&ZeVnLIqe-'), 'a mailbox name', false)).toEqual({
      wire: '~peter/mail/&U,BTFw-/&ZeVnLIqe-',
      name: '~peter/mail/台北/日本語',
    });
    expect(mailboxArg(atom('A&-B'), 'a mailbox name', false)).toEqual({ wire: 'A&-B', name: 'A&B' });
    expect(mailboxArg(atom('INBOX'), 'a mailbox name', false).name).toBe('INBOX');
  });

  it('refuses an invalid name with a plain NO (a refusal without a code, as Dovecot answers) and the reason', () => {
    const refusal = (() => {
      try {
        mailboxArg(quoted('&AGE-'), 'a mailbox name', false);
      } catch (e) {
        return e;
      }
    })();
    expect(refusal).toBeInstanceOf(CommandRefusal);
    expect(refusal).toMatchObject({
      code: '',
      message: expect.stringMatching(/^The mailbox name is not valid modified UTF-7\. .*"a", printable ASCII/),
    });
    expect(() => mailboxArg(quoted('Entwürfe'), 'a mailbox name', false)).toThrow(/U\+00FC as is/);
    expect(() => mailboxArg(undefined, 'a mailbox name', false)).toThrow(ArgumentError); // a missing argument stays BAD
  });

  it('decodes LIST patterns; an invalid one matches nothing and says why', () => {
    expect(patternArg(atom('Entw&APw-*'), 'a pattern', false)).toEqual({ wire: 'Entw&APw-*', pattern: 'Entwü*' });
    expect(patternArg(quoted('%'), 'a pattern', false).pattern).toBe('%');
    expect(patternArg(quoted('&Jjo!*'), 'a pattern', false)).toMatchObject({
      pattern: null,
      reason: expect.stringMatching(/no "-" ends/),
    });
  });

  it('writes stored names encoded: an atom when plain, quoted otherwise, and NIL never as an atom', () => {
    expect(mailboxName('Entwürfe', false)).toEqual(['Entw&APw-rfe']);
    expect(mailboxName('~peter/mail/台北/日本語', false)).toEqual(['~peter/mail/&U,BTFw-/&ZeVnLIqe-']);
    expect(mailboxName('Q&A', false)).toEqual(['Q&-A']);
    expect(mailboxName('Sent Items', false)).toEqual(['"Sent Items"']);
    expect(mailboxName('Grüße "neu"', false)).toEqual(['"Gr&APwA3w-e \\"neu\\""']);
    expect(mailboxName('NIL', false)).toEqual(['"NIL"']);
  });

  it('turns a store message naming a Unicode mailbox into 7-bit text with the name as the client wrote it', () => {
    let message = '';
    try {
      checkMailboxName('Entwürfe//x');
    } catch (e) {
      expect(e).toBeInstanceOf(MailstoreError);
      message = (e as Error).message;
    }
    expect(message).toContain('"Entwürfe//x"');
    const text = wireText(message);
    expect(text).toContain('"Entw&APw-rfe//x"');
    expect(text).toMatch(/^[\x20-\x7e]+$/);
    expect(text.replace('"Entw&APw-rfe//x"', '')).toBe(message.replace('"Entwürfe//x"', '')); // the rest unchanged
    expect(wireText('line\r\nbreak')).toBe('line&AA0ACg-break'); // never a raw CR LF in a reply
  });

  it('refuses names whose percent-encoded directory would pass NAME_MAX, and lone surrogates', () => {
    expect(checkMailboxName('日'.repeat(28))).toBe('日'.repeat(28)); // 28 x 9 = 252 bytes
    expect(() => checkMailboxName('日'.repeat(29))).toThrow(/needs 261 bytes on disk and at most 255 fit/);
    expect(() => checkMailboxName('😀'.repeat(22))).toThrow(/needs 264 bytes/); // 12 bytes each
    expect(() => checkMailboxName('a\ud800')).toThrow(MailstoreError);
  });
});

describe('mailbox names after ENABLE UTF8=ACCEPT or IMAP4rev2 (RFC 6855 section 3, RFC 9051 section 5.1)', () => {
  it('takes a UTF-8 name as it stands: "&" is a plain character, no modified UTF-7 reading', () => {
    expect(mailboxArg(quoted('Entwürfe/A&B'), 'a mailbox name', true)).toEqual({
      wire: 'Entwürfe/A&B',
      name: 'Entwürfe/A&B',
    });
    expect(patternArg(quoted('Entw*'), 'a pattern', true)).toEqual({ wire: 'Entw*', pattern: 'Entw*' });
  });

  it('answers BAD for octets that are not UTF-8, NO [CANNOT] for controls, U+2028 and names not in NFC', () => {
    expect(() => utf8MailboxName('bad\uFFFD')).toThrow(ArgumentError);
    for (const bad of ['a\u0007b', 'a\u0085b', 'a\u2028b', 'e\u0301te']) {
      expect(() => utf8MailboxName(bad), JSON.stringify(bad)).toThrow(CommandRefusal);
    }
    expect(utf8MailboxName('\u00e9t\u00e9')).toBe('été'); // NFC already
  });

  it('writes names in UTF-8 in a quoted string, and a quoted string holds UTF-8 only when enabled', () => {
    expect(mailboxName('Entwürfe', true)).toEqual(['"Entwürfe"']);
    expect(mailboxName('Q&A', true)).toEqual(['Q&A']);
    expect(mailboxName('NIL', true)).toEqual(['"NIL"']);
    expect(str('Grüße', true)).toEqual(['"Grüße"']);
    expect(str('Grüße')).toEqual(['{7}\r\n', new TextEncoder().encode('Grüße')]);
  });
});
