import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeMailboxName, encodeMailboxName, type Mutf7ErrorCode } from '../../../../app/src/protocols/imap/mutf7.ts';
import { prng } from '../../../helpers/prng.ts';

// A second, independent codec: iconv-lite's "utf-7-imap", the one imapflow encodes names with.
// Resolved from imapflow so the test uses exactly the copy imapflow loads.
const iconv = createRequire(createRequire(import.meta.url).resolve('imapflow'))('iconv-lite') as {
  encode(text: string, encoding: string): Uint8Array;
  decode(bytes: Uint8Array, encoding: string): string;
};
const iconvEncode = (name: string) => new TextDecoder().decode(iconv.encode(name, 'utf-7-imap'));

/** Random well-formed Unicode: ASCII (with "&" and "-" often), Latin, CJK, controls and astral characters. */
function randomName(next: () => number): string {
  const pools: Array<() => number> = [
    () => 0x20 + Math.floor(next() * 0x5f), // printable ASCII
    () => (next() < 0.5 ? 0x26 : 0x2d), // "&" and "-", the syntax characters
    () => 0xa0 + Math.floor(next() * 0x160), // Latin-1 and Latin Extended
    () => 0x4e00 + Math.floor(next() * 0x5200), // CJK
    () => Math.floor(next() * 0x20), // C0 controls
    () => 0x10000 + Math.floor(next() * 0xfffff), // astral: a surrogate pair in UTF-16
    () => 0xe000 + Math.floor(next() * 0x1ffe), // private use and the end of the BMP
  ];
  let s = '';
  const length = Math.floor(next() * 24);
  for (let i = 0; i < length; i++) s += String.fromCodePoint(pools[Math.floor(next() * pools.length)]());
  return s;
}

describe('modified UTF-7 mailbox names (RFC 3501 section 5.1.3)', () => {
  it("decodes and encodes the RFC's own example", () => {
    expect(decodeMailboxName('~peter/mail/&U,BTFw-/&ZeVnLIqe-')).toEqual({ ok: true, name: '~peter/mail/台北/日本語' });
    expect(encodeMailboxName('~peter/mail/台北/日本語')).toBe('~peter/mail/&U,BTFw-/&ZeVnLIqe-');
  });

  it('writes "&" as "&-", leaves printable ASCII alone, and puts adjacent non-ASCII into one run', () => {
    expect(encodeMailboxName('&&x&&')).toBe('&-&-x&-&-');
    expect(encodeMailboxName('INBOX/Sent Items')).toBe('INBOX/Sent Items');
    expect(encodeMailboxName('tietäjä')).toBe('tiet&AOQ-j&AOQ-');
    expect(encodeMailboxName('Entwürfe')).toBe('Entw&APw-rfe');
    expect(encodeMailboxName('äö')).toBe('&AOQA9g-');
    expect(encodeMailboxName('😀')).toBe('&2D3eAA-'); // U+1F600 = D83D DE00 in UTF-16
    expect(encodeMailboxName('a\tb\x7f')).toBe('a&AAk-b&AH8-'); // controls and DEL are not printable
    expect(decodeMailboxName('&-&-x&-&-')).toEqual({ ok: true, name: '&&x&&' });
    expect(decodeMailboxName('&2D3eAA-&-')).toEqual({ ok: true, name: '😀&' });
  });

  it('sends a lone surrogate as U+FFFD, so the wire form always decodes', () => {
    expect(encodeMailboxName('a\ud800b')).toBe('a&,,0-b');
    expect(decodeMailboxName('a&,,0-b')).toEqual({ ok: true, name: 'a\ufffdb' });
    expect(encodeMailboxName('\udc00\ud83d')).toBe(encodeMailboxName('\ufffd\ufffd'));
  });

  it("round-trips 2000 random names, and agrees with iconv-lite (imapflow's codec) on every one", () => {
    const next = prng(0x5eed);
    let astral = 0;
    for (let i = 0; i < 2000; i++) {
      const name = randomName(next);
      if (/[\u{10000}-\u{10ffff}]/u.test(name)) astral++;
      const wire = encodeMailboxName(name);
      expect(wire, JSON.stringify(name)).toMatch(/^[\x20-\x7e]*$/);
      expect(decodeMailboxName(wire), JSON.stringify(name)).toEqual({ ok: true, name });
      expect(wire, JSON.stringify(name)).toBe(iconvEncode(name));
    }
    expect(astral).toBeGreaterThan(500); // the surrogate-pair path was really exercised
  });

  const rejections: Array<[string, Mutf7ErrorCode, RegExp]> = [
    ['&AGE-', 'MUTF7_NOT_CANONICAL', /"a", printable ASCII/], // "a" must stand for itself
    ['&ACY-', 'MUTF7_NOT_CANONICAL', /write it as "&-"/], // "&" must be "&-"
    ['&U,BTFw-&ZeVnLIqe-', 'MUTF7_NOT_CANONICAL', /Two encoded runs/], // Dovecot's own rejection case
    ['&Jjo!', 'MUTF7_UNTERMINATED', /no "-" ends/],
    ['Box&', 'MUTF7_UNTERMINATED', /position 4/],
    ['&ZeVn/Iqe-', 'MUTF7_BAD_BASE64', /"\/" \(modified base64 uses ","/],
    ['&AOQ=-', 'MUTF7_BAD_BASE64', /no padding/],
    ['&AO-', 'MUTF7_BAD_LENGTH', /whole UTF-16/], // 12 bits: not a whole unit
    ['&AOR-', 'MUTF7_BAD_LENGTH', /spare bits/], // 18 bits, the 2 spare ones not zero
    ['&AOQA-', 'MUTF7_BAD_LENGTH', /whole UTF-16/], // 24 bits: a unit and a half
    ['&2D0-', 'MUTF7_BAD_SURROGATE', /U\+D83D without its partner/], // high surrogate alone
    ['&3gA-', 'MUTF7_BAD_SURROGATE', /U\+DE00/], // low surrogate alone
    ['&2D0AQQ-', 'MUTF7_BAD_SURROGATE', /U\+D83D/], // high surrogate then a non-surrogate
    ['Entwürfe', 'MUTF7_RAW_CHARACTER', /U\+00FC as is/], // 8-bit, as a client without mUTF-7 sends it
    ['a\tb', 'MUTF7_RAW_CHARACTER', /U\+0009/],
  ];
  it.each(rejections)('rejects %j with %s', (wire, code, message) => {
    const d = decodeMailboxName(wire);
    expect(d).toMatchObject({ ok: false, code });
    if (d.ok) return;
    expect(d.message).toMatch(message);
    // The reason goes into an IMAP response text, which is 7-bit (RFC 3501 section 9).
    expect(d.message).toMatch(/^[\x20-\x7e]+$/);
    // A non-canonical spelling is one no encoder writes: iconv-lite spells the same text otherwise.
    if (code === 'MUTF7_NOT_CANONICAL')
      expect(iconvEncode(iconv.decode(new TextEncoder().encode(wire), 'utf-7-imap'))).not.toBe(wire);
  });

  it('names a raw non-ASCII character inside a base64 run by its code point', () => {
    const d = decodeMailboxName('&ZeVü-');
    expect(d).toMatchObject({ ok: false, code: 'MUTF7_BAD_BASE64' });
    expect(!d.ok && d.message).toMatch(/U\+00FC/);
  });
});
