// SORT (RFC 5256 section 3) and the sort keys that SORT=DISPLAY (RFC 5957) adds: criteria, the
// value of each criterion for one message, and the order; also the base subject (section 2.1)
// and the sent date (section 2.2) that THREAD uses too. Pure: no Node APIs.
import { decodeWords } from 'postal-mime';
import { parseAddressList } from './envelope.ts';
import { header, type MimePart } from './mime-structure.ts';
import { ArgumentError, type Token } from './parser.ts';

export type SortKey = 'ARRIVAL' | 'CC' | 'DATE' | 'FROM' | 'SIZE' | 'SUBJECT' | 'TO' | 'DISPLAYFROM' | 'DISPLAYTO';
export interface SortCriterion {
  key: SortKey;
  reverse: boolean;
}
const KEYS: SortKey[] = ['ARRIVAL', 'CC', 'DATE', 'FROM', 'SIZE', 'SUBJECT', 'TO', 'DISPLAYFROM', 'DISPLAYTO'];

/** `(REVERSE DATE SUBJECT)`: each key, REVERSE applying to the key after it (RFC 5256 section 3). */
export function parseCriteria(items: Token[]): SortCriterion[] {
  const out: SortCriterion[] = [];
  let reverse = false;
  for (const t of items) {
    const word = t.type === 'atom' ? t.value.toUpperCase() : '';
    if (word === 'REVERSE' && !reverse) {
      reverse = true;
      continue;
    }
    if (!KEYS.includes(word as SortKey)) {
      throw new ArgumentError(`Unknown sort criterion; use ${KEYS.join(', ')}, each optionally after REVERSE.`);
    }
    out.push({ key: word as SortKey, reverse });
    reverse = false;
  }
  if (reverse) throw new ArgumentError('REVERSE must be followed by a sort criterion, as in (REVERSE DATE).');
  if (!out.length) throw new ArgumentError('SORT needs at least one criterion, as in (DATE).');
  return out;
}

/** What sorting looks at in one message. */
export interface Sortable {
  seq: number;
  internalDate: Date;
  size: number;
  root?: MimePart;
}

/** The value of one criterion: numbers for dates and sizes, upper-cased strings otherwise. */
export function sortValue(key: SortKey, m: Sortable): number | string {
  switch (key) {
    // INTERNALDATE has a resolution of seconds (RFC 3501 section 9, date-time); messages stored in
    // the same second tie, and then keep mailbox order, as in Dovecot.
    case 'ARRIVAL':
      return Math.floor(m.internalDate.getTime() / 1000);
    case 'SIZE':
      return m.size;
    case 'DATE':
      return sentTime(m);
    case 'SUBJECT':
      return casemap(baseSubject(decodeWords(headerOf(m, 'subject'))));
    case 'FROM':
    case 'TO':
    case 'CC':
      return casemap(firstAddress(m, key.toLowerCase())?.mailbox ?? '');
    case 'DISPLAYFROM':
    case 'DISPLAYTO': {
      // The display name when there is one, else the address itself (RFC 5957 section 3).
      const a = firstAddress(m, key === 'DISPLAYFROM' ? 'from' : 'to');
      const name = a?.name ? decodeWords(a.name).trim() : '';
      return casemap(name || (a ? `${a.mailbox ?? ''}${a.host ? '@' + a.host : ''}` : ''));
    }
  }
}

/** Sorts by the criteria; exact ties keep mailbox order (RFC 5256 section 3). */
export function sortMessages<T extends Sortable>(messages: T[], criteria: SortCriterion[]): T[] {
  const keyed = messages.map((m) => ({ m, values: criteria.map((c) => sortValue(c.key, m)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < criteria.length; i++) {
      const x = a.values[i];
      const y = b.values[i];
      if (x === y) continue;
      const order = x < y ? -1 : 1;
      return criteria[i].reverse ? -order : order;
    }
    return a.m.seq - b.m.seq;
  });
  return keyed.map((k) => k.m);
}

/**
 * The sent date in UTC seconds: the Date: header with its time and zone; when it is missing
 * or unreadable, INTERNALDATE (RFC 5256 section 2.2).
 */
export function sentTime(m: Sortable): number {
  const value = m.root ? header(m.root, 'date') : null;
  const t = value ? Date.parse(value.replace(/\([^)]*\)/g, ' ').trim()) : NaN;
  return Math.floor((Number.isNaN(t) ? m.internalDate.getTime() : t) / 1000);
}

const BLOB = String.raw`\[[^\[\]]*\]\s*`;
const LEADER = new RegExp(String.raw`^(?:\s+|(?:${BLOB})*(?:re|fwd?)\s*(?:${BLOB})?:)`, 'i');
const LEADING_BLOB = new RegExp(`^${BLOB}`);

/**
 * The base subject (RFC 5256 section 2.1): without "Re:", "Fw:", "Fwd:", "[list]" prefixes,
 * "(fwd)" trailers and "[fwd: ...]" wrappers, white space collapsed. Encoded words are decoded
 * by the caller.
 */
export function baseSubject(subject: string): string {
  return subjectInfo(subject).base;
}

/**
 * The base subject, and whether the message is a reply or forward: extraction removed a
 * "Re:"/"Fwd:" leader, a "(fwd)" trailer or a "[fwd: ...]" wrapper (RFC 5256 section 2.1).
 */
export function subjectInfo(subject: string): { base: string; reply: boolean } {
  let s = subject.replace(/[\t\r\n ]+/g, ' ');
  let reply = false;
  for (;;) {
    const trimmed = s.replace(/(?:\s|\(fwd\))+$/i, ''); // step 2
    if (/\(fwd\)/i.test(s.slice(trimmed.length))) reply = true;
    s = trimmed;
    for (;;) {
      const before = s;
      let m;
      while ((m = LEADER.exec(s)) && m[0]) {
        if (m[0].trim()) reply = true;
        s = s.slice(m[0].length); // step 3
      }
      const blob = LEADING_BLOB.exec(s);
      if (blob && s.length > blob[0].length) s = s.slice(blob[0].length); // step 4
      if (s === before) break; // step 5
    }
    if (/^\[fwd:/i.test(s) && s.endsWith(']')) {
      s = s.slice(5, -1); // step 6
      reply = true;
      continue;
    }
    return { base: s.trim(), reply };
  }
}

/** i;ascii-casemap: a-z compare as A-Z, everything else as it is (RFC 4790 section 9.2). */
export function casemap(s: string): string {
  return s.replace(/[a-z]+/g, (c) => c.toUpperCase());
}

function headerOf(m: Sortable, name: string): string {
  return (m.root ? header(m.root, name) : null) ?? '';
}

/** The first address; a group counts as one, its name as the mailbox (as Dovecot sorts). */
function firstAddress(m: Sortable, field: string) {
  return parseAddressList(m.root ? header(m.root, field) : null).find((a) => a.mailbox) ?? null;
}
