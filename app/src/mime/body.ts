// Body encoding of one leaf: charset conversion, line-end normalisation, the choice of
// Content-Transfer-Encoding (RFC 2045 6) and the encoding itself.
import { base64EncodedLength, encodeBase64Into } from './encode/base64.ts';
import { encodeQuotedPrintable } from './encode/quoted-printable.ts';
import { MimeError } from './errors.ts';
import type { AttachmentNode, TextNode, TransferEncoding } from './tree.ts';

const utf8 = new TextEncoder();

/** The text in its charset, with every line break as CRLF (RFC 2046 4.1.1). */
export function textBytes(node: TextNode): Uint8Array {
  const crlf = node.text.replace(/\r\n|\r|\n/g, '\r\n');
  const cs = node.charset.toLowerCase();
  if (cs === 'utf-8' || cs === 'us-ascii') return utf8.encode(crlf);
  if (cs === 'iso-8859-1') {
    const out = new Uint8Array(crlf.length);
    for (let i = 0; i < crlf.length; i++) {
      const c = crlf.charCodeAt(i);
      if (c > 0xff)
        throw new MimeError('CHARSET_MISMATCH', 'The text has characters ISO-8859-1 cannot hold; choose utf-8.');
      out[i] = c;
    }
    return out;
  }
  throw new MimeError(
    'CHARSET_UNSUPPORTED',
    `The generator writes utf-8, us-ascii or iso-8859-1, not "${node.charset}"; choose one of those.`,
  );
}

type LineStats = { longest: number; nonAscii: number; nul: boolean; bareEol: boolean };

export function lineStats(b: Uint8Array): LineStats {
  let longest = 0,
    cur = 0,
    nonAscii = 0,
    nul = false,
    bareEol = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0x0d && b[i + 1] === 0x0a) {
      if (cur > longest) longest = cur;
      cur = 0;
      i++;
      continue;
    }
    if (c === 0x0d || c === 0x0a) bareEol = true;
    if (c === 0) nul = true;
    if (c > 127) nonAscii++;
    cur++;
  }
  return { longest: Math.max(longest, cur), nonAscii, nul, bareEol };
}

/**
 * Automatic choice for text: ASCII with short lines stays 7bit; mostly ASCII text with some
 * other characters (or long lines) becomes quoted-printable, which stays readable; text that
 * is mostly non-ASCII (e.g. Cyrillic, CJK) becomes base64, which is then shorter. 8bit is
 * only used when chosen by hand, since not every relay offers 8BITMIME (RFC 6152).
 */
export function chooseTextEncoding(b: Uint8Array): TransferEncoding {
  const s = lineStats(b);
  if (s.nonAscii === 0 && s.longest <= 78 && !s.nul && !s.bareEol) return '7bit';
  return s.nonAscii * 3 > b.length ? 'base64' : 'quoted-printable';
}

/** Checks that bytes may travel unencoded: no NUL, CRLF only, lines within 998 (RFC 5322 2.1.1). */
export function assertLineSafe(b: Uint8Array, encoding: '7bit' | '8bit', what: string): void {
  const s = lineStats(b);
  if (encoding === '7bit' && s.nonAscii > 0) {
    throw new MimeError(
      'NOT_7BIT',
      `${what} has non-ASCII bytes, so it cannot be 7bit; choose quoted-printable, base64 or auto.`,
    );
  }
  if (s.nul || s.bareEol || s.longest > 998) {
    throw new MimeError(
      'NOT_LINE_SAFE',
      `${what} has NUL bytes, bare CR/LF or lines over 998 octets, so it cannot be ${encoding}; choose base64 or quoted-printable.`,
    );
  }
}

/**
 * An encoded body: bytes, or (for base64) a length and a writer, so the generator can encode
 * a large file straight into the final buffer instead of into a copy of it.
 */
export type EncodedBody = Uint8Array | { length: number; writeTo: (out: Uint8Array, offset: number) => void };

/** Applies a transfer encoding; the result does not end in CRLF unless the content does. */
export function applyEncoding(b: Uint8Array, encoding: TransferEncoding, what: string): EncodedBody {
  if (encoding === 'base64') {
    const length = Math.max(0, base64EncodedLength(b.length) - 2);
    return {
      length,
      writeTo: (out, offset) => {
        encodeBase64Into(b, out, offset, false);
      },
    };
  }
  if (encoding === 'quoted-printable') return utf8.encode(encodeQuotedPrintable(b));
  assertLineSafe(b, encoding, what);
  return b;
}

export function encodeText(node: TextNode): { raw: Uint8Array; body: EncodedBody; encoding: TransferEncoding } {
  const raw = textBytes(node);
  const encoding = node.encoding === 'auto' ? chooseTextEncoding(raw) : node.encoding;
  return { raw, body: applyEncoding(raw, encoding, 'The text'), encoding };
}

export function encodeAttachment(node: AttachmentNode): {
  raw: Uint8Array;
  body: EncodedBody;
  encoding: TransferEncoding;
} {
  // Files go as base64 unless chosen by hand: converting their line ends would change their bytes.
  const encoding = node.encoding === 'auto' ? 'base64' : node.encoding;
  return {
    raw: node.data,
    body: applyEncoding(node.data, encoding, `The file ${node.filename ?? node.contentType}`),
    encoding,
  };
}
