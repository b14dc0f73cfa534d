// IMAP mailbox names in modified UTF-7 (RFC 3501 section 5.1.3). Pure: strings only, no Node APIs,
// so the console and the practice server share it.
//
// Printable ASCII except "&" stands for itself, "&" is written "&-", and every other run of
// characters becomes "&" + base64 of its UTF-16 code units (big-endian, "," instead of "/", no "=")
// + "-". The decoder is strict: it accepts only the one canonical spelling of each name, so two
// spellings can never name two different mailboxes.

export type MailboxNameDecoding = { ok: true; name: string } | { ok: false; code: Mutf7ErrorCode; message: string };

export type Mutf7ErrorCode =
  | 'MUTF7_RAW_CHARACTER' // a control or non-ASCII character outside a base64 run
  | 'MUTF7_UNTERMINATED' // "&" opened a base64 run that no "-" closes
  | 'MUTF7_BAD_BASE64' // a character outside the modified base64 alphabet inside a run
  | 'MUTF7_BAD_LENGTH' // the run does not end on a whole UTF-16 unit, or its spare bits are not zero
  | 'MUTF7_NOT_CANONICAL' // printable ASCII encoded in base64, or two runs back to back
  | 'MUTF7_BAD_SURROGATE'; // a UTF-16 surrogate without its partner

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

/** Printable US-ASCII, which must represent itself (RFC 3501 section 5.1.3). */
function printable(unit: number): boolean {
  return unit >= 0x20 && unit <= 0x7e;
}

/** The wire form of a Unicode mailbox name. A lone surrogate is sent as U+FFFD, as TextEncoder does. */
export function encodeMailboxName(name: string): string {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const unit = name.charCodeAt(i);
    if (printable(unit)) {
      out += unit === 0x26 ? '&-' : name[i];
      i++;
      continue;
    }
    const units: number[] = [];
    while (i < name.length && !printable(name.charCodeAt(i))) {
      const u = name.charCodeAt(i);
      const next = name.charCodeAt(i + 1);
      if (u >= 0xd800 && u <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        units.push(u, next);
        i += 2;
      } else {
        units.push(u >= 0xd800 && u <= 0xdfff ? 0xfffd : u);
        i++;
      }
    }
    out += `&${base64Units(units)}-`;
  }
  return out;
}

function base64Units(units: number[]): string {
  let out = '';
  let bits = 0;
  let buffer = 0;
  for (const u of units) {
    buffer = (buffer << 16) | u;
    bits += 16;
    while (bits >= 6) {
      bits -= 6;
      out += ALPHABET[(buffer >> bits) & 0x3f];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (6 - bits)) & 0x3f];
  return out;
}

const fail = (code: Mutf7ErrorCode, message: string): MailboxNameDecoding => ({ ok: false, code, message });

const hex = (unit: number) => `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;

/** The Unicode name a client meant by a wire mailbox name, or why it is not valid modified UTF-7. */
export function decodeMailboxName(wire: string): MailboxNameDecoding {
  let out = '';
  let i = 0;
  let lastRunEnd = -1; // index just after the "-" of the previous base64 run
  while (i < wire.length) {
    const unit = wire.charCodeAt(i);
    if (unit !== 0x26) {
      if (!printable(unit)) {
        return fail(
          'MUTF7_RAW_CHARACTER',
          `The mailbox name holds the character ${hex(unit)} as is; IMAP4rev1 names carry only printable ASCII, with any other character written in modified UTF-7 ("&...-", RFC 3501 section 5.1.3).`,
        );
      }
      out += wire[i];
      i++;
      continue;
    }
    const end = wire.indexOf('-', i + 1);
    if (end === -1) {
      return fail(
        'MUTF7_UNTERMINATED',
        `The "&" at position ${i + 1} starts modified base64 that no "-" ends; write a literal "&" as "&-" (RFC 3501 section 5.1.3).`,
      );
    }
    const run = wire.slice(i + 1, end);
    if (run === '') {
      out += '&';
      i = end + 1;
      continue;
    }
    if (i === lastRunEnd) {
      return fail(
        'MUTF7_NOT_CANONICAL',
        `Two encoded runs follow each other at position ${i + 1}; characters in a row go into one "&...-" run (RFC 3501 section 5.1.3).`,
      );
    }
    const decoded = decodeRun(run, i + 1);
    if (!decoded.ok) return decoded;
    out += decoded.name;
    i = end + 1;
    lastRunEnd = i;
  }
  return { ok: true, name: out };
}

function decodeRun(run: string, position: number): MailboxNameDecoding {
  const units: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const c of run) {
    const v = VALUE.get(c);
    if (v === undefined) {
      const what =
        c === '/'
          ? '"/" (modified base64 uses "," in its place)'
          : c === '='
            ? '"=" (modified base64 has no padding)'
            : printable(c.charCodeAt(0))
              ? `"${c}"`
              : hex(c.codePointAt(0)!);
      return fail(
        'MUTF7_BAD_BASE64',
        `The encoded run at position ${position} holds ${what}, which is not modified base64: use A-Z a-z 0-9 + and "," (RFC 3501 section 5.1.3).`,
      );
    }
    buffer = ((buffer << 6) | v) & 0x3fffff;
    bits += 6;
    if (bits >= 16) {
      bits -= 16;
      units.push((buffer >> bits) & 0xffff);
    }
  }
  // Whole UTF-16 units only; the bits left over (fewer than 6) must be zero.
  if (bits >= 6 || (buffer & ((1 << bits) - 1)) !== 0) {
    return fail(
      'MUTF7_BAD_LENGTH',
      `The encoded run at position ${position} does not end on a whole UTF-16 character (or its spare bits are not zero); it was cut or mistyped.`,
    );
  }
  let name = '';
  for (let k = 0; k < units.length; k++) {
    const u = units[k];
    if (printable(u)) {
      return fail(
        'MUTF7_NOT_CANONICAL',
        `The encoded run at position ${position} holds "${String.fromCharCode(u)}", printable ASCII, which is never encoded: write it as ${u === 0x26 ? '"&-"' : 'itself'} (RFC 3501 section 5.1.3).`,
      );
    }
    if (u >= 0xd800 && u <= 0xdbff) {
      const low = units[k + 1];
      if (low === undefined || low < 0xdc00 || low > 0xdfff) return badSurrogate(u, position);
      name += String.fromCharCode(u, low);
      k++;
    } else if (u >= 0xdc00 && u <= 0xdfff) return badSurrogate(u, position);
    else name += String.fromCharCode(u);
  }
  return { ok: true, name };
}

function badSurrogate(unit: number, position: number): MailboxNameDecoding {
  return fail(
    'MUTF7_BAD_SURROGATE',
    `The encoded run at position ${position} holds the UTF-16 surrogate ${hex(unit)} without its partner, so it names no character.`,
  );
}
