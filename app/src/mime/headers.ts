// Rendering of top-level and part headers: which header is an address list, which is
// unstructured text (RFC 2047 words allowed), which is structured ASCII; Date and Message-ID.
import { addressParser } from 'postal-mime';
import { encodeWords, needsEncoding, unstructuredPieces } from './encode/encoded-word.ts';
import { foldAtSpaces, foldPieces, HARD_LIMIT, longestLine } from './encode/fold.ts';
import { MimeError } from './errors.ts';

export type Mailbox = { name: string; address: string };

const ADDRESS_HEADERS = new Set([
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'bcc',
  'resent-from',
  'resent-sender',
  'resent-to',
  'resent-cc',
  'resent-bcc',
]);
const STRUCTURED_HEADERS = new Set([
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'resent-date',
  'resent-message-id',
  'received',
  'return-path',
  'mime-version',
]);
// RFC 5322 3.2.3 specials: a display name containing one must be a quoted string.
const SPECIALS = /[()<>[\]:;@\\,."]/;

export function isAddressHeader(name: string): boolean {
  return ADDRESS_HEADERS.has(name.toLowerCase());
}

/** Splits an address list (as typed, or as decoded) into mailboxes; groups are flattened. */
export function parseAddressList(value: string): Mailbox[] {
  const out: Mailbox[] = [];
  for (const a of addressParser(value)) {
    if (a.group) for (const m of a.group) out.push({ name: m.name, address: m.address });
    else out.push({ name: a.name, address: a.address ?? '' });
  }
  return out;
}

/** The readable, canonical form used in the tree: Name <addr>, quoting a name with specials. */
export function formatAddressList(list: Mailbox[]): string {
  return list
    .map((m) => {
      if (!m.name) return m.address;
      const name = SPECIALS.test(m.name) ? '"' + m.name.replace(/(["\\])/g, '\\$1') + '"' : m.name;
      return `${name} <${m.address}>`;
    })
    .join(', ');
}

// Wire form of one mailbox as fold pieces: the display name as atoms, a quoted string, or
// RFC 2047 words (RFC 2047 5(3): encoded words may stand in a phrase).
function mailboxPieces(m: Mailbox): string[] {
  if (!m.name) return [m.address];
  if (needsEncoding(m.name)) return [...encodeWords(m.name), `<${m.address}>`];
  if (SPECIALS.test(m.name)) return ['"' + m.name.replace(/(["\\])/g, '\\$1') + '"', `<${m.address}>`];
  return [...m.name.split(' ').filter(Boolean), `<${m.address}>`];
}

/** One header as folded wire text (no final CRLF). Values are Unicode; encoding happens here. */
export function renderHeader(name: string, value: string): string {
  const key = name.toLowerCase();
  let text: string;
  if (ADDRESS_HEADERS.has(key)) {
    const boxes = parseAddressList(value);
    const pieces = [`${name}:`];
    boxes.forEach((m, i) => {
      const mp = mailboxPieces(m);
      if (i < boxes.length - 1) mp[mp.length - 1] += ',';
      for (const p of mp) pieces.push(' ' + p);
    });
    text = foldPieces(pieces);
  } else if (STRUCTURED_HEADERS.has(key) || key.startsWith('content-')) {
    if (/[^\x20-\x7e\t]/.test(value)) {
      throw new MimeError('HEADER_NOT_ASCII', `The ${name} header may only hold ASCII characters; remove the others.`);
    }
    text = foldAtSpaces(name, value);
  } else {
    const words = unstructuredPieces(value);
    // A fold may follow "Name:" when the first word is a long encoded word.
    text = foldPieces([`${name}:`, ...words.map((w) => ' ' + w)]);
  }
  if (longestLine(text) > HARD_LIMIT) {
    throw new MimeError('HEADER_TOO_LONG', `The ${name} header has a word longer than 998 characters; shorten it.`);
  }
  return text;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** RFC 5322 3.3 date-time in UTC, e.g. "Wed, 25 Nov 2026 09:41:35 +0000". */
export function formatDate(d: Date): string {
  return (
    `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}

/** A source of random bytes; tests inject a seeded one so output is reproducible. */
export type RandomSource = (n: number) => Uint8Array;

export const cryptoRandom: RandomSource = (n) => crypto.getRandomValues(new Uint8Array(n));

/** Deterministic random bytes (xorshift32) for tests and the checked-in examples. */
export function seededRandom(seed: number): RandomSource {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = x & 0xff;
    }
    return out;
  };
}

export function randomHex(random: RandomSource, bytes: number): string {
  return Array.from(random(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** RFC 5322 3.6.4 msg-id: "<unique@domain>", unique from the clock and random bytes. */
export function makeMessageId(now: Date, random: RandomSource, domain: string): string {
  return `<${now.getTime().toString(36)}.${randomHex(random, 8)}@${domain}>`;
}
