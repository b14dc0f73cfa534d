// Content-Transfer-Encoding undone (RFC 2045 section 6), for BINARY (RFC 3516), and binary
// parts of a literal8 APPEND put into base64 so BODY[...] never carries raw octets. Pure.
import { header, type MimePart, parseMimeStructure } from './mime-structure.ts';

/** The decoded bytes, or null for an encoding this server does not know. */
export function decodeTransfer(body: Uint8Array, cte: string): Uint8Array | null {
  if (cte === '7bit' || cte === '8bit' || cte === 'binary') return body;
  if (cte === 'base64') return decodeBase64(body);
  if (cte === 'quoted-printable') return decodeQuotedPrintable(body);
  return null;
}

/** Base64, ignoring characters outside the alphabet (RFC 2045 section 6.8). */
export function decodeBase64(body: Uint8Array): Uint8Array {
  let text = '';
  for (const b of body) {
    const alphabet = (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b === 43 || b === 47;
    if (alphabet) text += String.fromCharCode(b);
  }
  text = text.slice(0, text.length - (text.length % 4 === 1 ? 1 : 0)); // a lone sextet carries no octet
  const bin = atob(text + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const HEX = /^[0-9A-Fa-f]{2}$/;

/**
 * Quoted-printable (RFC 2045 section 6.7): "=XX" is one octet, "=" at a line's end joins it to
 * the next, white space at a line's end is transport padding and goes; lines end in CRLF.
 */
export function decodeQuotedPrintable(body: Uint8Array): Uint8Array {
  const out: number[] = [];
  const lines = splitLines(body);
  lines.forEach(({ bytes, broken }) => {
    let end = bytes.length;
    while (end > 0 && (bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--;
    let soft = false;
    if (end > 0 && bytes[end - 1] === 61) {
      soft = true;
      end--;
    }
    for (let i = 0; i < end; i++) {
      const b = bytes[i];
      const hex = b === 61 && i + 2 < end ? String.fromCharCode(bytes[i + 1], bytes[i + 2]) : '';
      if (hex && HEX.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
      } else out.push(b);
    }
    if (broken && !soft) out.push(13, 10);
  });
  return Uint8Array.from(out);
}

function splitLines(body: Uint8Array): Array<{ bytes: Uint8Array; broken: boolean }> {
  const lines: Array<{ bytes: Uint8Array; broken: boolean }> = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== 10) continue;
    const end = i > start && body[i - 1] === 13 ? i - 1 : i;
    lines.push({ bytes: body.subarray(start, end), broken: true });
    start = i + 1;
  }
  if (start < body.length) lines.push({ bytes: body.subarray(start), broken: false });
  return lines;
}

/**
 * A message APPENDed as literal8 with binary parts (Content-Transfer-Encoding: binary, or NUL
 * in the body): each such leaf part is stored as base64 instead, so BODY[] and BODY[n] stay
 * 8-bit-clean text while BINARY[n] gives back the same octets (RFC 3516 sections 4.2-4.3; Dovecot
 * converts too). Other parts keep their bytes exactly.
 */
export function binaryPartsToBase64(raw: Uint8Array): Uint8Array {
  const edits: Array<{ start: number; end: number; bytes: Uint8Array }> = [];
  const enc = new TextEncoder();
  const visit = (part: MimePart) => {
    if (part.children.length) return part.children.forEach(visit);
    if (part.message) return visit(part.message);
    const cte = (header(part, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
    const body = raw.subarray(part.bodyStart, part.bodyEnd);
    if (cte !== 'binary' && !((cte === '7bit' || cte === '8bit') && body.includes(0))) return;
    const field = part.headers.find((h) => h.name.toLowerCase() === 'content-transfer-encoding');
    const line = enc.encode('Content-Transfer-Encoding: base64\r\n');
    // The header field is replaced (or added at the end of the part's header), then the body.
    if (field) edits.push({ start: field.start, end: field.end, bytes: line });
    else edits.push({ start: headerEnd(raw, part), end: headerEnd(raw, part), bytes: line });
    edits.push({ start: part.bodyStart, end: part.bodyEnd, bytes: enc.encode(base64Lines(body)) });
  };
  visit(parseMimeStructure(raw));
  if (!edits.length) return raw;
  edits.sort((a, b) => a.start - b.start);
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const e of edits) {
    pieces.push(raw.subarray(at, e.start), e.bytes);
    at = e.end;
  }
  pieces.push(raw.subarray(at));
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of pieces) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Where the blank line ending a part's header starts (the header's last field ends there). */
function headerEnd(raw: Uint8Array, part: MimePart): number {
  const last = part.headers[part.headers.length - 1];
  return last ? last.end : part.headerStart;
}

/** Base64 in lines of 76 characters, each ending in CRLF (RFC 2045 section 6.8). */
function base64Lines(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const text = btoa(bin);
  let out = '';
  for (let i = 0; i < text.length; i += 76) out += text.slice(i, i + 76) + '\r\n';
  return out;
}
