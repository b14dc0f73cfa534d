// RFC 2047 encoded-words (=?UTF-8?Q?Caf=C3=A9?=) decoded for display in ENVELOPE subjects and names.
import { base64Decode } from './bytes.ts';

const WORD = /=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=/g;

function charsetDecode(bytes: Uint8Array, charset: string): string | undefined {
  try {
    return new TextDecoder(charset.split('*')[0]).decode(bytes);
  } catch {
    return undefined; // unknown charset: leave the word as it was
  }
}

export function decodeEncodedWords(text: string): string {
  // Whitespace between two adjacent encoded-words is not part of the text (RFC 2047 section 6.2).
  const joined = text.replace(/(\?=)\s+(=\?)/g, '$1$2');
  return joined.replace(WORD, (whole, charset: string, enc: string, data: string) => {
    let bytes: Uint8Array | undefined;
    if (enc.toUpperCase() === 'B') bytes = base64Decode(data);
    else {
      const q = data.replace(/_/g, ' ');
      const out: number[] = [];
      for (let i = 0; i < q.length; i++) {
        if (q[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(q.slice(i + 1, i + 3))) {
          out.push(parseInt(q.slice(i + 1, i + 3), 16));
          i += 2;
        } else out.push(q.charCodeAt(i) & 0xff);
      }
      bytes = new Uint8Array(out);
    }
    return (bytes && charsetDecode(bytes, charset)) ?? whole;
  });
}
