// Content-Transfer-Encoding for BINARY (RFC 3516, RFC 2045 section 6) and the literal8 APPEND
// conversion of binary parts to base64.
import { describe, expect, it } from 'vitest';
import { binaryBytes, parseFetchAttribute } from '../../../../bridge/practice/imap/fetch.ts';
import { parseMimeStructure } from '../../../../bridge/practice/imap/mime-structure.ts';
import { parseCommand } from '../../../../bridge/practice/imap/parser.ts';
import {
  binaryPartsToBase64,
  decodeBase64,
  decodeQuotedPrintable,
  decodeTransfer,
} from '../../../../bridge/practice/imap/transfer.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('transfer encodings', () => {
  it('quoted-printable: =XX, soft breaks, trailing white space dropped, CRLF line ends', () => {
    expect(
      dec(decodeQuotedPrintable(enc('hello  \r\nbar=\r\nfoo\t=\r\nbar\r\nfoo = \t\r\n=62\r\nGr=C3=BC=C3=9Fe =ZZ\r\n'))),
    ).toBe('hello\r\nbarfoo\tbar\r\nfoo b\r\nGrüße =ZZ\r\n');
  });

  it('base64: ignores line breaks and junk; an unknown encoding is null', () => {
    expect(dec(decodeBase64(enc('aGVs\r\nbG8g\r\nd29y bGQ=\r\n')))).toBe('hello world');
    expect(decodeTransfer(enc('x'), 'x-uuencode')).toBeNull();
    expect(decodeTransfer(enc('x'), '8bit')).toEqual(enc('x'));
  });

  it('BINARY[part] decodes the part; an unknown encoding refuses with UNKNOWN-CTE (RFC 3516 section 4.2)', () => {
    const raw = enc(
      'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--b\r\n' +
        'Content-Transfer-Encoding: x-magic\r\n\r\nzz\r\n--b--\r\n',
    );
    const root = parseMimeStructure(raw);
    expect([...binaryBytes(raw, root, [1])]).toEqual([0, 1, 2]);
    expect(binaryBytes(raw, root, [])).toBe(raw);
    expect(binaryBytes(raw, root, [9])).toHaveLength(0);
    expect(() => binaryBytes(raw, root, [2])).toThrowError('x-magic');
  });

  it('parses BINARY items; other sections and a BINARY.SIZE partial are BAD', () => {
    expect(parseFetchAttribute('BINARY.PEEK[1.2]<0.10>')).toEqual({
      kind: 'binary',
      peek: true,
      size: false,
      path: [1, 2],
      partial: [0, 10],
    });
    expect(parseFetchAttribute('binary.size[]')).toMatchObject({ kind: 'binary', size: true, peek: true, path: [] });
    expect(parseFetchAttribute('BINARY[3]')).toMatchObject({ peek: false });
    expect(() => parseFetchAttribute('BINARY[HEADER]')).toThrowError('part numbers only');
    expect(() => parseFetchAttribute('BINARY.SIZE[1]<0.5>')).toThrowError('no <origin.length>');
  });

  it('a literal8 argument is read as a string marked literal8', () => {
    const cmd = parseCommand({ lines: ['t APPEND INBOX ~', ''], literals: [Uint8Array.of(0, 1)] });
    expect(cmd.args[1]).toMatchObject({ type: 'string', literal: true, literal8: true });
  });

  it('binary parts of a literal8 APPEND become base64; BINARY gives the octets back', () => {
    const body = Uint8Array.of(0, 0xed, 10, 13, 10);
    const head = enc(
      'From: a@b.c\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n',
    );
    const raw = new Uint8Array([...head, ...body]);
    const stored = binaryPartsToBase64(raw);
    expect(dec(stored)).toBe(
      'From: a@b.c\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAO0KDQo=\r\n',
    );
    expect([...binaryBytes(stored, parseMimeStructure(stored), [1])]).toEqual([...body]);
    const text = enc('Subject: plain\r\n\r\nhello\r\n');
    expect(binaryPartsToBase64(text)).toBe(text);
  });
});
