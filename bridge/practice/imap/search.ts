// SEARCH keys (RFC 3501 section 6.4.4): parsed into a tree, then matched against one message. Pure.
import { parseSearchDate } from './encode.ts';
import { header, type MimePart } from './mime-structure.ts';
import { parseModseq } from './condstore.ts';
import { ArgumentError, CommandRefusal, type Token, tokenText } from './parser.ts';
import { inRanges, isSequenceSet, parseSequenceSet, type SeqRange } from './sequence.ts';

export type SearchKey =
  | { op: 'all' }
  | { op: 'flag'; flag: string; set: boolean }
  | { op: 'new' }
  | { op: 'old' }
  | { op: 'recent'; set: boolean }
  | { op: 'header'; field: string; value: string }
  | { op: 'body' | 'text'; value: string }
  | { op: 'date'; which: 'internal' | 'sent'; cmp: 'before' | 'on' | 'since'; day: Date }
  | { op: 'size'; cmp: 'larger' | 'smaller'; n: number }
  | { op: 'seq' | 'uid'; set: SeqRange[] }
  /** MODSEQ n: changed at n or later (RFC 7162 section 3.1.5). */
  | { op: 'modseq'; modseq: number }
  | { op: 'not'; key: SearchKey }
  | { op: 'or'; a: SearchKey; b: SearchKey }
  | { op: 'and'; keys: SearchKey[] };

const FLAG_KEYS: Record<string, [string, boolean]> = {
  ANSWERED: ['\\Answered', true],
  DELETED: ['\\Deleted', true],
  DRAFT: ['\\Draft', true],
  FLAGGED: ['\\Flagged', true],
  SEEN: ['\\Seen', true],
  UNANSWERED: ['\\Answered', false],
  UNDELETED: ['\\Deleted', false],
  UNDRAFT: ['\\Draft', false],
  UNFLAGGED: ['\\Flagged', false],
  UNSEEN: ['\\Seen', false],
};
const ADDRESS_KEYS = new Set(['BCC', 'CC', 'FROM', 'TO', 'SUBJECT']);
const DATE_KEYS: Record<string, ['internal' | 'sent', 'before' | 'on' | 'since']> = {
  BEFORE: ['internal', 'before'],
  ON: ['internal', 'on'],
  SINCE: ['internal', 'since'],
  SENTBEFORE: ['sent', 'before'],
  SENTON: ['sent', 'on'],
  SENTSINCE: ['sent', 'since'],
};

/** Parses the arguments of SEARCH (an optional CHARSET first) into one AND key. */
export function parseSearch(args: Token[]): SearchKey {
  const list = [...args];
  const first = list[0];
  if (first?.type === 'atom' && first.value.toUpperCase() === 'CHARSET') {
    const charset = (tokenText(list[1]) ?? '').toUpperCase();
    if (charset !== 'US-ASCII' && charset !== 'UTF-8')
      throw new CommandRefusal(
        'BADCHARSET (US-ASCII UTF-8)',
        `Charset "${charset}" is not supported; use UTF-8 or US-ASCII.`,
      );
    list.splice(0, 2);
  }
  if (!list.length) throw new ArgumentError('SEARCH needs at least one key, e.g. SEARCH UNSEEN or SEARCH ALL.');
  const keys: SearchKey[] = [];
  const queue = { items: list, at: 0 };
  while (queue.at < queue.items.length) keys.push(readKey(queue, 0));
  return keys.length === 1 ? keys[0] : { op: 'and', keys };
}

interface Queue {
  items: Token[];
  at: number;
}

function readKey(q: Queue, depth: number): SearchKey {
  if (depth > 50) throw new ArgumentError('Search keys are nested too deeply.');
  const t = q.items[q.at++];
  if (!t) throw new ArgumentError('A search key is missing its argument.');
  if (t.type === 'list') {
    const inner = { items: t.items, at: 0 };
    const keys: SearchKey[] = [];
    while (inner.at < inner.items.length) keys.push(readKey(inner, depth + 1));
    if (!keys.length) throw new ArgumentError('An empty () is not a search key.');
    return keys.length === 1 ? keys[0] : { op: 'and', keys };
  }
  if (t.type !== 'atom') throw new ArgumentError('Expected a search key such as ALL, UNSEEN, FROM "x" or 1:5.');
  const name = t.value.toUpperCase();
  const arg = (what: string): string => {
    const v = tokenText(q.items[q.at++]);
    if (v === null) throw new ArgumentError(`${name} needs ${what}.`);
    return v;
  };
  if (name === 'ALL') return { op: 'all' };
  if (FLAG_KEYS[name]) return { op: 'flag', flag: FLAG_KEYS[name][0], set: FLAG_KEYS[name][1] };
  if (name === 'KEYWORD' || name === 'UNKEYWORD')
    return { op: 'flag', flag: arg('a keyword'), set: name === 'KEYWORD' };
  if (name === 'NEW') return { op: 'new' };
  if (name === 'OLD') return { op: 'old' };
  if (name === 'RECENT') return { op: 'recent', set: true };
  if (ADDRESS_KEYS.has(name)) return { op: 'header', field: name.toLowerCase(), value: arg('a string') };
  if (name === 'HEADER') return { op: 'header', field: arg('a field name').toLowerCase(), value: arg('a string') };
  if (name === 'BODY' || name === 'TEXT') return { op: name === 'BODY' ? 'body' : 'text', value: arg('a string') };
  if (DATE_KEYS[name]) {
    const text = arg('a date like 1-Feb-2026');
    const day = parseSearchDate(text);
    if (!day) throw new ArgumentError(`"${text}" is not a date; write it like 1-Feb-2026.`);
    return { op: 'date', which: DATE_KEYS[name][0], cmp: DATE_KEYS[name][1], day };
  }
  if (name === 'LARGER' || name === 'SMALLER') {
    const text = arg('a number of octets');
    if (!/^\d{1,12}$/.test(text)) throw new ArgumentError(`${name} needs a number of octets, not "${text}".`);
    return { op: 'size', cmp: name === 'LARGER' ? 'larger' : 'smaller', n: Number(text) };
  }
  if (name === 'UID') return { op: 'uid', set: parseSequenceSet(arg('a UID set')) };
  if (name === 'MODSEQ') {
    // MODSEQ ["/flags/\\seen" all] n: this server keeps one MODSEQ per message, not one per flag,
    // so the entry is read and the message's MODSEQ compared (RFC 7162 section 3.1.5 allows it).
    if (q.items[q.at]?.type === 'string') {
      q.at++;
      const type = arg('an entry type (priv, shared or all)').toLowerCase();
      if (!['priv', 'shared', 'all'].includes(type))
        throw new ArgumentError('The MODSEQ entry type is priv, shared or all (RFC 7162 section 3.1.5).');
    }
    return { op: 'modseq', modseq: parseModseq(q.items[q.at++], 'MODSEQ') };
  }
  if (name === 'NOT') return { op: 'not', key: readKey(q, depth + 1) };
  if (name === 'OR') return { op: 'or', a: readKey(q, depth + 1), b: readKey(q, depth + 1) };
  if (isSequenceSet(t.value)) return { op: 'seq', set: parseSequenceSet(t.value) };
  throw new ArgumentError(`Unknown search key "${t.value}".`);
}

/** True when the keys use MODSEQ: the answer then carries the highest MODSEQ found (RFC 7162 3.1.5). */
export function usesModseq(key: SearchKey): boolean {
  switch (key.op) {
    case 'modseq':
      return true;
    case 'not':
      return usesModseq(key.key);
    case 'or':
      return usesModseq(key.a) || usesModseq(key.b);
    case 'and':
      return key.keys.some(usesModseq);
    default:
      return false;
  }
}

/** True when matching needs the decoded body text (BODY or TEXT anywhere in the keys). */
export function needsText(key: SearchKey): boolean {
  switch (key.op) {
    case 'body':
    case 'text':
      return true;
    case 'not':
      return needsText(key.key);
    case 'or':
      return needsText(key.a) || needsText(key.b);
    case 'and':
      return key.keys.some(needsText);
    default:
      return false;
  }
}

/** True when matching needs the message's bytes (headers, body, sent date). */
export function needsContent(key: SearchKey): boolean {
  switch (key.op) {
    case 'header':
    case 'body':
    case 'text':
      return true;
    case 'date':
      return key.which === 'sent';
    case 'not':
      return needsContent(key.key);
    case 'or':
      return needsContent(key.a) || needsContent(key.b);
    case 'and':
      return key.keys.some(needsContent);
    default:
      return false;
  }
}

export interface SearchCandidate {
  seq: number;
  uid: number;
  flags: string[];
  recent: boolean;
  internalDate: Date;
  size: number;
  /** Largest sequence number and UID in the mailbox, for "*". */
  maxSeq: number;
  maxUid: number;
  modseq: number;
  root?: MimePart;
  /**
   * Decoded header values and body text, lower-cased (filled by the caller when needed);
   * headerText is null when the message has no such header line.
   */
  headerText?: (field: string) => string | null;
  bodyText?: string;
  fullText?: string;
}

export function matches(key: SearchKey, m: SearchCandidate): boolean {
  switch (key.op) {
    case 'all':
      return true;
    case 'flag':
      return m.flags.some((f) => f.toLowerCase() === key.flag.toLowerCase()) === key.set;
    case 'new':
      return m.recent && !hasFlag(m, '\\Seen');
    case 'old':
      return !m.recent;
    case 'recent':
      return m.recent === key.set;
    case 'header': {
      // A zero-length string matches every message that has the field at all (RFC 3501 6.4.4).
      const text = m.headerText?.(key.field) ?? null;
      return text !== null && text.includes(key.value.toLowerCase());
    }
    case 'body':
      return (m.bodyText ?? '').includes(key.value.toLowerCase());
    case 'text':
      return (m.fullText ?? '').includes(key.value.toLowerCase());
    case 'size':
      return key.cmp === 'larger' ? m.size > key.n : m.size < key.n;
    case 'seq':
      return inRanges(key.set, m.seq, m.maxSeq);
    case 'uid':
      return inRanges(key.set, m.uid, m.maxUid);
    case 'modseq':
      return m.modseq >= key.modseq;
    case 'not':
      return !matches(key.key, m);
    case 'or':
      return matches(key.a, m) || matches(key.b, m);
    case 'and':
      return key.keys.every((k) => matches(k, m));
    case 'date': {
      // Dates compare by calendar day, ignoring time and zone (RFC 3501 section 6.4.4): the
      // Date: header's day as written in its own zone, INTERNALDATE's day in UTC.
      const when = key.which === 'internal' ? m.internalDate : sentDay(m.root ? header(m.root, 'date') : null);
      if (!when) return false;
      const day = Date.UTC(when.getUTCFullYear(), when.getUTCMonth(), when.getUTCDate());
      const ref = key.day.getTime();
      return key.cmp === 'before' ? day < ref : key.cmp === 'on' ? day === ref : day >= ref;
    }
  }
}

function hasFlag(m: SearchCandidate, flag: string): boolean {
  return m.flags.some((f) => f.toLowerCase() === flag.toLowerCase());
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * The calendar day a Date: header names, in the header's own zone (RFC 5322 section 3.3:
 * "[day-of-week ,] day month year time zone"), as a UTC midnight; null when unreadable.
 * `Sat, 24 Mar 2007 23:00:00 +0200` is 24 March, although it is 21:00 UTC.
 */
export function sentDay(value: string | null): Date | null {
  if (!value) return null;
  const text = value.replace(/\([^)]*\)/g, ' ');
  const m = /(\d{1,2})\s+([a-z]{3})[a-z]*\.?\s+(\d{2,4})\b/i.exec(text);
  const month = m ? MONTHS.indexOf(m[2].toLowerCase()) : -1;
  if (m && month >= 0) {
    let year = Number(m[3]);
    // obs-year: two digits are 1950-2049, three digits are added to 1900 (RFC 5322 section 4.3).
    if (m[3].length === 2) year += year < 50 ? 2000 : 1900;
    else if (m[3].length === 3) year += 1900;
    return new Date(Date.UTC(year, month, Number(m[1])));
  }
  const d = new Date(text.trim());
  return Number.isNaN(d.getTime()) ? null : d;
}
