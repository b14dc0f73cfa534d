// MIME parameters (RFC 2045 5.1) and RFC 2231 extended parameters for non-ASCII or long values:
// filename*0*=UTF-8''%C3%9Cbersicht; filename*1*=... so each piece fits a 78-character line.
import { encodeWords } from './encoded-word.ts';
import { foldPieces } from './fold.ts';

const utf8 = new TextEncoder();
const TSPECIALS = /[()<>@,;:\\"/[\]?=\s]/;
// RFC 2231 7: attribute-char excludes "*", "'", "%" and tspecials.
const ATTR_CHAR = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;
const MAX_PIECE = 60;

function quote(value: string): string {
  return '"' + value.replace(/(["\\])/g, '\\$1') + '"';
}

function percentEncode(ch: string): string {
  if (ATTR_CHAR.test(ch)) return ch;
  let s = '';
  for (const b of utf8.encode(ch)) s += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  return s;
}

/**
 * Renders one parameter as pieces: the first is "name=value"; any further piece starts with
 * the whitespace where a fold may go (see paramHeader).
 * ASCII values that fit are written plain (quoted when needed); others use RFC 2231.
 */
export function paramPieces(name: string, value: string, alwaysQuote = false): string[] {
  const ascii = /^[\x20-\x7e]*$/.test(value);
  if (ascii && value.length <= MAX_PIECE) {
    const v = alwaysQuote || TSPECIALS.test(value) || value === '' ? quote(value) : value;
    return [`${name}=${v}`];
  }
  const pieces: string[] = [];
  if (ascii) {
    // RFC 2231 3: continuations without charset; each section a quoted string.
    for (let i = 0, n = 0; i < value.length; i += MAX_PIECE, n++) {
      pieces.push(`${name}*${n}=${quote(value.slice(i, i + MAX_PIECE))}`);
    }
    return joinSections(pieces);
  }
  // RFC 2231 4: the first section names the charset; every section is percent-encoded and
  // whole characters are kept in one section.
  let cur = "UTF-8''";
  let n = 0;
  for (const ch of Array.from(value)) {
    const enc = percentEncode(ch);
    if (cur.length + enc.length > MAX_PIECE) {
      pieces.push(`${name}*${n++}*=${cur}`);
      cur = '';
    }
    cur += enc;
  }
  pieces.push(`${name}*${n}*=${cur}`);
  if (pieces.length === 1) pieces[0] = pieces[0].replace(`${name}*0*=`, `${name}*=`);
  return joinSections(pieces);
}

// Separate RFC 2231 sections are separate parameters: "; " between them, so each may fold.
function joinSections(sections: string[]): string[] {
  return sections.map((s, i) => (i === 0 ? s : '\u0000' + s));
}

/**
 * The RFC 2047 fallback many clients still read for non-ASCII names (name="=?UTF-8?...?=").
 * Not standard (RFC 2047 5 forbids encoded words inside quoted strings) but widely emitted;
 * returns null when the value is plain ASCII and needs no fallback.
 */
export function encodedWordParamPieces(name: string, value: string): string[] | null {
  if (/^[\x20-\x7e]*$/.test(value)) return null;
  // 68 leaves room for ' name="' before the first word and '";' after the last.
  const words = encodeWords(value, 68);
  const pieces = [`${name}="${words[0]}`];
  for (let i = 1; i < words.length; i++) pieces.push(' ' + words[i]);
  pieces[pieces.length - 1] += '"';
  return pieces;
}

/**
 * "Name: value; p1=...; p2=..." folded at 78. A piece starting with NUL (from joinSections)
 * is a new parameter; a piece starting with a space continues the previous one.
 */
export function paramHeader(name: string, value: string, params: string[][]): string {
  const pieces = [`${name}: ${value}`];
  for (const param of params) {
    for (let i = 0; i < param.length; i++) {
      const p = param[i];
      if (i === 0 || p.startsWith('\u0000')) {
        pieces[pieces.length - 1] += ';';
        pieces.push(' ' + p.replace('\u0000', ''));
      } else {
        pieces.push(p);
      }
    }
  }
  return foldPieces(pieces);
}
