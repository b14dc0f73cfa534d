// CONDSTORE and QRESYNC (RFC 7162): the parameters and modifiers they add to SELECT/EXAMINE,
// FETCH and STORE, and the UID-range arithmetic of VANISHED (EARLIER). Pure.
import { ArgumentError, type Token, tokenText } from './parser.ts';
import { parseSequenceSet, type SeqRange } from './sequence.ts';

/**
 * mod-sequence-value = 1*DIGIT, up to 2^63-1 (RFC 7162 section 7); `zero` allows 0
 * (mod-sequence-valzer, for CHANGEDSINCE and UNCHANGEDSINCE). Values beyond any MODSEQ this
 * server hands out are kept as the largest safe integer: they compare the same.
 */
export function parseModseq(t: Token | undefined, what: string, zero = true): number {
  const text = tokenText(t) ?? '';
  if (!/^\d{1,19}$/.test(text) || BigInt(text) > 2n ** 63n - 1n || (!zero && BigInt(text) === 0n))
    throw new ArgumentError(
      `${what} needs a mod-sequence, a number from ${zero ? 0 : 1} to 2^63-1 (RFC 7162 section 7).`,
    );
  return Number(BigInt(text) > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : text);
}

export interface QresyncParams {
  uidValidity: number;
  modseq: number;
  /** The UIDs the client knows; null: all of them (RFC 7162 section 3.2.5). */
  knownUids: SeqRange[] | null;
}

export interface SelectParams {
  condstore: boolean;
  qresync: QresyncParams | null;
}

/**
 * SELECT/EXAMINE parameters (RFC 4466 section 2.1): (CONDSTORE) (RFC 7162 section 3.1.8), or
 * (QRESYNC (uidvalidity modseq [known-uids [(seq-set uid-set)]])) (section 3.2.5). The
 * sequence-match data only helps a server that forgot expunges; this one knows them, and skips it.
 */
export function parseSelectParams(t: Token | undefined, qresyncEnabled: boolean): SelectParams {
  const out: SelectParams = { condstore: false, qresync: null };
  if (!t) return out;
  if (t.type !== 'list')
    throw new ArgumentError('SELECT parameters go in parentheses, as in SELECT INBOX (CONDSTORE).');
  for (let i = 0; i < t.items.length; i++) {
    const name = (tokenText(t.items[i]) ?? '').toUpperCase();
    if (name === 'CONDSTORE') out.condstore = true;
    else if (name === 'QRESYNC') {
      if (!qresyncEnabled) throw new ArgumentError('QRESYNC needs ENABLE QRESYNC first (RFC 7162 section 3.2.5).');
      const arg = t.items[++i];
      if (arg?.type !== 'list' || arg.items.length < 2 || arg.items.length > 4)
        throw new ArgumentError('QRESYNC takes (uidvalidity modseq [known-uids [(seq-set uid-set)]]).');
      const uidValidity = Number(tokenText(arg.items[0]) ?? '');
      if (!Number.isInteger(uidValidity) || uidValidity < 1 || uidValidity > 0xffffffff)
        throw new ArgumentError('QRESYNC needs the UIDVALIDITY the client last saw, a number from 1 to 4294967295.');
      const modseq = parseModseq(arg.items[1], 'QRESYNC', false);
      const knownUids = arg.items[2] ? parseSequenceSet(tokenText(arg.items[2]) ?? '') : null;
      const match = arg.items[3];
      if (match && (match.type !== 'list' || match.items.length !== 2))
        throw new ArgumentError('The QRESYNC sequence match data is (message-numbers UIDs).');
      if (match?.type === 'list') for (const m of match.items) parseSequenceSet(tokenText(m) ?? '');
      out.qresync = { uidValidity, modseq, knownUids };
    } else
      throw new ArgumentError(
        `Unknown SELECT parameter "${name.slice(0, 40)}"; this server knows CONDSTORE and QRESYNC.`,
      );
  }
  return out;
}

export interface FetchModifiers {
  changedSince: number | null;
  vanished: boolean;
}

/** FETCH ... (CHANGEDSINCE modseq [VANISHED]) (RFC 7162 sections 3.1.4.1, 3.2.6). */
export function parseFetchModifiers(t: Token | undefined, uid: boolean, qresyncEnabled: boolean): FetchModifiers {
  const out: FetchModifiers = { changedSince: null, vanished: false };
  if (!t) return out;
  if (t.type !== 'list') throw new ArgumentError('FETCH modifiers go in parentheses, as in (CHANGEDSINCE 12).');
  for (let i = 0; i < t.items.length; i++) {
    const name = (tokenText(t.items[i]) ?? '').toUpperCase();
    if (name === 'CHANGEDSINCE') out.changedSince = parseModseq(t.items[++i], 'CHANGEDSINCE');
    else if (name === 'VANISHED') {
      // Only UID FETCH, and only once QRESYNC is on (RFC 7162 section 3.2.6).
      if (!uid || !qresyncEnabled)
        throw new ArgumentError('VANISHED goes with UID FETCH after ENABLE QRESYNC (RFC 7162 section 3.2.6).');
      out.vanished = true;
    } else throw new ArgumentError(`Unknown FETCH modifier "${name.slice(0, 40)}"; use CHANGEDSINCE or VANISHED.`);
  }
  if (out.vanished && out.changedSince === null)
    throw new ArgumentError('VANISHED needs CHANGEDSINCE beside it (RFC 7162 section 3.2.6).');
  return out;
}

/** STORE ... (UNCHANGEDSINCE modseq) ... (RFC 7162 section 3.1.3); null without it. */
export function parseStoreModifiers(t: Token): number | null {
  if (t.type !== 'list') throw new ArgumentError('STORE modifiers go in parentheses, as in (UNCHANGEDSINCE 12).');
  let since: number | null = null;
  for (let i = 0; i < t.items.length; i++) {
    const name = (tokenText(t.items[i]) ?? '').toUpperCase();
    if (name !== 'UNCHANGEDSINCE')
      throw new ArgumentError(`Unknown STORE modifier "${name.slice(0, 40)}"; use UNCHANGEDSINCE.`);
    since = parseModseq(t.items[++i], 'UNCHANGEDSINCE');
  }
  return since;
}

/** The part of `ranges` inside `within` ("*" in `within` stands for `max`), as ranges. */
export function intersectRanges(
  ranges: Array<[number, number]>,
  within: SeqRange[] | null,
  max: number,
): Array<[number, number]> {
  if (!within) return ranges;
  const limits = within.map(([a, b]): [number, number] => {
    const lo = a === Infinity ? max : a;
    const hi = b === Infinity ? max : b;
    return [Math.min(lo, hi), Math.max(lo, hi)];
  });
  const out: Array<[number, number]> = [];
  for (const [a, b] of ranges)
    for (const [lo, hi] of limits) {
      const from = Math.max(a, lo);
      const to = Math.min(b, hi);
      if (from <= to) out.push([from, to]);
    }
  return mergeRanges(out);
}

function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** [[1,3],[7,7]] -> "1:3,7". */
export function formatRanges(ranges: Array<[number, number]>): string {
  return ranges.map(([a, b]) => (a === b ? `${a}` : `${a}:${b}`)).join(',');
}
