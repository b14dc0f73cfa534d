import { describe, expect, it } from 'vitest';
import { fromBase64, splitLines, strictUtf8, toBase64 } from '../../../app/src/transcript/bytes.ts';

describe('base64', () => {
  it('agrees with Node for every length 0..64 of pseudo-random bytes', () => {
    let seed = 7;
    for (let n = 0; n <= 64; n++) {
      const bytes = Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 255);
      const ours = toBase64(bytes);
      expect(ours).toBe(Buffer.from(bytes).toString('base64'));
      expect(fromBase64(ours)).toEqual(bytes);
    }
  });
  it('rejects text that is not padded base64', () => {
    expect(fromBase64('abc')).toBeNull();
    expect(fromBase64('ab!=')).toBeNull();
    expect(fromBase64('a=bc')).toBeNull();
  });
});

describe('strictUtf8 and splitLines', () => {
  it('returns null for invalid UTF-8 and the text otherwise', () => {
    expect(strictUtf8(Uint8Array.from([0xff, 0x41]))).toBeNull();
    expect(strictUtf8(new TextEncoder().encode('é\r\n'))).toBe('é\r\n');
  });
  it('keeps each terminator with its line and the partial tail', () => {
    const b = new TextEncoder().encode('a\r\nb\nc');
    expect(splitLines(b)).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 5 },
      { start: 5, end: 6 },
    ]);
  });
});
