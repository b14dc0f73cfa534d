// LIST/LSUB pattern matching (RFC 3501 section 6.3.8, RFC 9051 section 6.3.9): "*" matches any
// characters, "%" any but the hierarchy delimiter. No regular expression is built from input (a
// backtracking one took hours on `%%%...%!`): runs of wildcards collapse to one, a pattern with more
// literal characters than the name cannot match, and a two-pointer scan with one resume point per
// wildcard kind decides the rest. Cost: O(pattern) to prepare, O(name x min(pattern, 2 x name + 1))
// to match, and names are at most 200 characters.

export const DELIMITER = '/';

/** A pattern prepared once for many names. */
export interface Glob {
  /** The pattern with each run of wildcards collapsed ("%%" -> "%", any run with "*" -> "*"). */
  readonly compact: string;
  /** Characters other than wildcards: a name shorter than this cannot match. */
  readonly literals: number;
}

export function compileGlob(pattern: string): Glob {
  let compact = '';
  let literals = 0;
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c !== '*' && c !== '%') {
      compact += c;
      literals++;
      i++;
      continue;
    }
    let star = false;
    for (; i < pattern.length && (pattern[i] === '*' || pattern[i] === '%'); i++) if (pattern[i] === '*') star = true;
    compact += star ? '*' : '%';
  }
  return { compact, literals };
}

/**
 * Does `name` match the glob? Two pointers (name, pattern) and two resume points: the last "%"
 * (it may swallow one more character, never the delimiter) and the last "*" (it may swallow one
 * more of anything). Retrying the last "%" before the last "*" is enough: between two "*" the
 * leftmost fit of each literal run is never worse than a later one, as "%" can absorb the gap.
 */
export function globMatches(glob: Glob, name: string): boolean {
  const p = glob.compact;
  if (glob.literals > name.length) return false;
  let i = 0; // in name
  let j = 0; // in pattern
  let starJ = -1;
  let starI = 0;
  let pctJ = -1;
  let pctI = 0;
  while (i < name.length) {
    const c = j < p.length ? p[j] : '';
    if (c === '*') {
      starJ = j++;
      starI = i;
      pctJ = -1; // a "%" before this "*" never needs to move again
    } else if (c === '%') {
      pctJ = j++;
      pctI = i;
    } else if (c !== '' && c === name[i]) {
      i++;
      j++;
    } else if (pctJ !== -1 && name[pctI] !== DELIMITER) {
      i = ++pctI;
      j = pctJ + 1;
    } else if (starJ !== -1) {
      i = ++starI;
      j = starJ + 1;
      pctJ = -1;
    } else {
      return false;
    }
  }
  while (j < p.length && (p[j] === '*' || p[j] === '%')) j++;
  return j === p.length;
}

/**
 * The LIST/LSUB test for one reference+pattern: INBOX is case-insensitive (RFC 3501 section 5.1),
 * so a pattern starting "inbox" in any case also matches the names under the stored "INBOX".
 */
export function mailboxMatcher(pattern: string): (name: string) => boolean {
  const exact = compileGlob(pattern);
  const inbox = /^inbox/i.test(pattern) && !pattern.startsWith('INBOX') ? compileGlob('INBOX' + pattern.slice(5)) : null;
  return (name) => globMatches(exact, name) || (inbox !== null && globMatches(inbox, name));
}
