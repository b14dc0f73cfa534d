// Quoted-printable content transfer encoding (RFC 2045 6.7). Input is the body in its charset,
// with CRLF as the line break; each CRLF stays a hard line break, every encoded line is at most
// 76 characters (soft breaks "=" CRLF), and a space or tab before a line end is encoded (rule 3).

const HEX = '0123456789ABCDEF';
const MAX = 76;

function isLiteral(b: number): boolean {
  // Rule 2: printable ASCII except "=" may stand for itself. "." and "-" are kept literal too.
  return (b >= 33 && b <= 126 && b !== 61) || b === 32 || b === 9;
}

/** Encodes bytes (CRLF line breaks) as quoted-printable text; output lines end in CRLF. */
export function encodeQuotedPrintable(data: Uint8Array): string {
  const lines: string[] = [];
  let line = '';
  const flushSoft = () => {
    lines.push(line + '=');
    line = '';
  };
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b === 0x0d && data[i + 1] === 0x0a) {
      lines.push(line);
      line = '';
      i++;
      continue;
    }
    const atLineEnd = i + 1 === data.length || (data[i + 1] === 0x0d && data[i + 2] === 0x0a);
    let token: string;
    if (isLiteral(b) && !((b === 32 || b === 9) && atLineEnd)) token = String.fromCharCode(b);
    else token = '=' + HEX[b >> 4] + HEX[b & 15];
    // Leave room for the soft-break "=" unless this token ends the line.
    const limit = atLineEnd ? MAX : MAX - 1;
    if (line.length + token.length > limit) flushSoft();
    line += token;
  }
  lines.push(line);
  // Joining keeps the body's own ending: data ending in CRLF ends in CRLF, otherwise not.
  return lines.join('\r\n');
}

/** Decodes quoted-printable text back to bytes (soft breaks removed, CRLF kept). */
export function decodeQuotedPrintable(text: string): Uint8Array {
  const out: number[] = [];
  const s = text.replace(/[ \t]+\r?\n/g, '\r\n');
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 61) {
      if (s[i + 1] === '\r' && s[i + 2] === '\n') {
        i += 2;
        continue;
      }
      if (s[i + 1] === '\n') {
        i += 1;
        continue;
      }
      const hex = s.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    out.push(c & 0xff);
  }
  return Uint8Array.from(out);
}
