import { decodeWords } from 'postal-mime';
import { describe, expect, it } from 'vitest';
import {
  base64EncodedLength,
  decodeBase64,
  encodeBase64Into,
  encodeBase64Lines,
  encodeBase64String,
} from '../../../app/src/mime/encode/base64.ts';
import { encodeWords, unstructuredPieces } from '../../../app/src/mime/encode/encoded-word.ts';
import { foldAtSpaces } from '../../../app/src/mime/encode/fold.ts';
import { decodeQuotedPrintable, encodeQuotedPrintable } from '../../../app/src/mime/encode/quoted-printable.ts';
import { paramHeader, paramPieces } from '../../../app/src/mime/encode/rfc2231.ts';
import { seededRandom } from '../../../app/src/mime/headers.ts';

const ascii = new TextDecoder('latin1');
const rnd = seededRandom(11);

describe('base64 (RFC 2045 6.8)', () => {
  it("matches Node's encoder for every length up to 200 and keeps 76-character lines", () => {
    for (let n = 0; n <= 200; n++) {
      const data = rnd(n);
      const out = encodeBase64Lines(data);
      expect(out.length).toBe(base64EncodedLength(n));
      const text = ascii.decode(out);
      expect(text.replace(/\r\n/g, '')).toBe(Buffer.from(data).toString('base64'));
      for (const line of text.split('\r\n').slice(0, -1)) expect(line.length).toBeLessThanOrEqual(76);
      if (n > 0) expect(text.endsWith('\r\n')).toBe(true);
      expect(encodeBase64String(data)).toBe(Buffer.from(data).toString('base64'));
      expect(Array.from(decodeBase64(text))).toEqual(Array.from(data));
      // Written in place without the last CRLF, as the generator does; neighbours untouched.
      const target = new Uint8Array(out.length + 4).fill(0x21);
      const written = encodeBase64Into(data, target, 2, false);
      expect(written).toBe(Math.max(0, out.length - 2));
      expect(ascii.decode(target)).toBe('!!' + text.replace(/\r\n$/, '') + '!!'.padEnd(n === 0 ? 2 : 4, '!'));
    }
  });
});

describe('quoted-printable (RFC 2045 6.7)', () => {
  const qp = (s: string) => encodeQuotedPrintable(new TextEncoder().encode(s));
  it('encodes "=", non-ASCII and whitespace before a line end, and keeps CRLF as hard breaks', () => {
    expect(qp('a=b')).toBe('a=3Db');
    expect(qp('café')).toBe('caf=C3=A9');
    expect(qp('end \r\nnext\t\r\n')).toBe('end=20\r\nnext=09\r\n');
    expect(qp('tail ')).toBe('tail=20');
  });
  it('breaks long lines with soft breaks at 76 and decodes back to the same bytes', () => {
    for (let i = 0; i < 50; i++) {
      const data = rnd(1 + i * 37);
      const text = encodeQuotedPrintable(data);
      for (const line of text.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
      expect(Array.from(decodeQuotedPrintable(text))).toEqual(Array.from(data));
    }
    const long = qp('word '.repeat(40));
    expect(long.split('\r\n').length).toBeGreaterThan(2);
    expect(
      long
        .split('\r\n')
        .slice(0, -1)
        .every((l) => l.endsWith('=')),
    ).toBe(true);
  });
});

describe('RFC 2047 encoded words', () => {
  const samples = [
    'Grüße',
    'Привет мир, как дела? '.repeat(5),
    '🍺🎉 emoji pairs '.repeat(6),
    '漢字かな交じり文'.repeat(8),
    'a_b=c?d',
  ];
  it('stay within 75 characters, hold whole characters, and decode back (postal-mime)', () => {
    for (const s of samples) {
      const words = encodeWords(s);
      for (const w of words) {
        expect(w.length).toBeLessThanOrEqual(75);
        expect(decodeWords(w)).not.toContain('\uFFFD');
      }
      expect(decodeWords(words.join(' '))).toBe(s);
    }
  });
  it('leaves ASCII words of a Subject readable and encodes text that looks like an encoded word', () => {
    const pieces = unstructuredPieces('Grüße aus Berlin =?x?= ok');
    expect(pieces).toContain('aus');
    expect(pieces).toContain('Berlin');
    expect(pieces.filter((p) => p.startsWith('=?UTF-8?')).length).toBe(2);
    expect(decodeWords(pieces.join(' '))).toBe('Grüße aus Berlin =?x?= ok');
  });
});

describe('folding and RFC 2231 parameters', () => {
  it('folds at spaces within 78 and unfolds to the same value', () => {
    const value = Array.from({ length: 30 }, (_, i) => `<id-${i}@practice.test>`).join(' ');
    const folded = foldAtSpaces('References', value);
    for (const line of folded.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    expect(folded.replace(/\r\n/g, '')).toBe(`References: ${value}`);
  });
  it('writes plain, quoted, continued and charset-tagged parameters', () => {
    expect(paramPieces('charset', 'utf-8')).toEqual(['charset=utf-8']);
    expect(paramPieces('filename', 'a b.txt', true)).toEqual(['filename="a b.txt"']);
    expect(paramPieces('filename', 'März.txt')).toEqual(["filename*=UTF-8''M%C3%A4rz.txt"]);
    const long = paramHeader('Content-Disposition', 'attachment', [paramPieces('filename', 'Ü'.repeat(40) + '.pdf')]);
    for (const line of long.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    expect(long).toMatch(/filename\*0\*=UTF-8''%C3%9C/);
    expect(long).toMatch(/filename\*1\*=%C3%9C/);
  });
});
