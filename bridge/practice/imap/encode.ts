// Writing IMAP values in responses (RFC 3501 section 4): atoms, quoted strings, literals, NIL, lists.
// Pure. A response is a list of chunks; strings are ASCII/UTF-8 text, Uint8Arrays are sent as is.

// The codec is the app's pure module, shared with the console rather than copied.
import { encodeMailboxName } from '../../../app/src/protocols/imap/mutf7.ts';

export type Chunk = string | Uint8Array;

const encoder = new TextEncoder();

/**
 * A string as quoted when safe, otherwise as a literal (CR, LF, NUL, 8-bit or very long). With
 * `utf8` (the client sent ENABLE UTF8=ACCEPT or IMAP4rev2) a quoted string may carry UTF-8
 * (RFC 6855 section 3, uQUOTED-CHAR); before that, never (RFC 9051 Appendix A).
 */
export function str(value: string, utf8 = false): Chunk[] {
  const safe = utf8 ? /^[\x01-\x09\x0b\x0c\x0e-\x7f\u00a0-\u2027\u202a-\uffff]*$/ : /^[\x01-\x09\x0b\x0c\x0e-\x7f]*$/;
  if (safe.test(value) && value.length < 1024) {
    return ['"' + value.replace(/[\\"]/g, (c) => '\\' + c) + '"'];
  }
  return literal(encoder.encode(value));
}

export function nstr(value: string | null | undefined): Chunk[] {
  return value === null || value === undefined ? ['NIL'] : str(value);
}

export function literal(bytes: Uint8Array): Chunk[] {
  return [`{${bytes.length}}\r\n`, bytes];
}

/**
 * A stored (Unicode) mailbox name as the client sees it: modified UTF-7 (RFC 3501 section 5.1.3),
 * or with `utf8` (ENABLE UTF8=ACCEPT or IMAP4rev2) the name itself in UTF-8 (RFC 6855 section 3,
 * RFC 9051 section 5.1); then an atom when it is plain, else a quoted string.
 */
export function mailboxName(name: string, utf8: boolean): Chunk[] {
  const wire = utf8 ? name : encodeMailboxName(name);
  // NIL is quoted: as an atom a client would read it as no name at all.
  return /^[A-Za-z0-9_.\-/&+,~]+$/.test(wire) && !/^nil$/i.test(wire) ? [wire] : str(wire, utf8);
}

export function flagList(flags: string[]): string {
  return `(${flags.join(' ')})`;
}

/**
 * The chunks with each run of adjacent strings made one string by Array.prototype.join, which
 * copies into a flat string: a FETCH response is then a few strings per message instead of
 * dozens of pieces, and no deep `+=` rope is walked again on every FETCH of a cached ENVELOPE
 * (issue 18: writing such ropes took half of FETCH 1:*'s time). The bytes are the same.
 */
export function merged(pieces: readonly Chunk[]): Chunk[] {
  const out: Chunk[] = [];
  let run: string[] = [];
  for (const c of pieces) {
    if (typeof c === 'string') run.push(c);
    else {
      if (run.length) out.push(run.join(''));
      run = [];
      out.push(c);
    }
  }
  if (run.length) out.push(run.join(''));
  return out;
}

/** Joins chunk lists with a separator, merging adjacent strings. */
export function join(parts: Chunk[][], sep = ' '): Chunk[] {
  const pieces: Chunk[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) pieces.push(sep);
    for (const c of parts[i]!) pieces.push(c);
  }
  return merged(pieces);
}

export function paren(inner: Chunk[]): Chunk[] {
  return merged(['(', ...inner, ')']);
}

/** INTERNALDATE form: "17-Jul-1996 02:44:25 -0700" (RFC 3501 section 9, date-time), in UTC. */
export function imapDateTime(d: Date): string {
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const t = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return `${day}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${t} +0000`;
}

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Parses date-time "17-Jul-1996 02:44:25 -0700"; null when malformed. */
export function parseImapDateTime(text: string): Date | null {
  const m = /^\s?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const month = MONTHS.findIndex((x) => x.toLowerCase() === m[2].toLowerCase());
  if (month < 0) return null;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  return new Date(utc - offset * 60_000);
}

/** Parses a search date "1-Feb-1994" as a UTC calendar day start; null when malformed. */
export function parseSearchDate(text: string): Date | null {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text);
  if (!m) return null;
  const month = MONTHS.findIndex((x) => x.toLowerCase() === m[2].toLowerCase());
  return month < 0 ? null : new Date(Date.UTC(Number(m[3]), month, Number(m[1])));
}
