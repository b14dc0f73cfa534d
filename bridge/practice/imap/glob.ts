// LIST/LSUB pattern matching (RFC 3501 section 6.3.8, RFC 9051 section 6.3.9): "*" matches any
// characters, "%" any but the hierarchy delimiter. No regular expression is built from input (a
// backtracking one took hours on `%%%...%!`): runs of wildcards collapse to one, a pattern with more
// literal characters than the name cannot match, and a two-pointer scan with one resume point per
// wildcard kind decides the rest. Cost: O(pattern) to prepare, O(name x min(pattern, 2 x name + 1))
// to match, and names are at most 200 characters.

/** The hierarchy delimiter of the practice store (NAMESPACE (("" "/"))). */
export const DELIMITER = '/';

const STAR = -1;
const PERCENT = -2;
const SLASH = DELIMITER.charCodeAt(0);

/** A pattern prepared once for many names. */
export interface Glob {
  /** UTF-16 code units, each run of wildcards collapsed to one STAR (if it holds a "*") or PERCENT. */
  readonly codes: Int32Array;
  readonly length: number;
  /** Characters other than wildcards: a name shorter than this cannot match. */
  readonly literals: number;
}

export function compileGlob(pattern: string): Glob {
  const codes = new Int32Array(pattern.length);
  let length = 0;
  let literals = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 0x2a || c === 0x25) {
      // "*" or "%": joins the run before it; any "*" makes the whole run one "*"
      const prev = length > 0 ? codes[length - 1] : 0;
      if (prev === STAR || prev === PERCENT) codes[length - 1] = prev === STAR || c === 0x2a ? STAR : PERCENT;
      else codes[length++] = c === 0x2a ? STAR : PERCENT;
    } else {
      codes[length++] = c;
      literals++;
    }
  }
  return { codes, length, literals };
}

/** The collapsed pattern as text (for tests and logs). */
export function globText(glob: Glob): string {
  let out = '';
  for (let j = 0; j < glob.length; j++)
    out += glob.codes[j] === STAR ? '*' : glob.codes[j] === PERCENT ? '%' : String.fromCharCode(glob.codes[j]);
  return out;
}

/**
 * Does `name` match the glob? Two pointers (name, pattern) and two resume points: the last "%"
 * (it may swallow one more character, never the delimiter) and the last "*" (it may swallow one
 * more of anything). Retrying the last "%" before the last "*" is enough: between two "*" the
 * leftmost fit of each literal run is never worse than a later one, as "%" can absorb the gap.
 */
export function globMatches(glob: Glob, name: string): boolean {
  const p = glob.codes;
  const m = glob.length;
  if (glob.literals > name.length) return false;
  let i = 0; // in name
  let j = 0; // in pattern
  let starJ = -1;
  let starI = 0;
  let pctJ = -1;
  let pctI = 0;
  while (i < name.length) {
    const c = j < m ? p[j] : 0x110000; // past the end: matches no code unit
    if (c === STAR) {
      starJ = j++;
      starI = i;
      pctJ = -1; // a "%" before this "*" never needs to move again
    } else if (c === PERCENT) {
      pctJ = j++;
      pctI = i;
    } else if (c === name.charCodeAt(i)) {
      i++;
      j++;
    } else if (pctJ !== -1 && name.charCodeAt(pctI) !== SLASH) {
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
  while (j < m && (p[j] === STAR || p[j] === PERCENT)) j++;
  return j === m;
}

/**
 * The LIST/LSUB test for one reference+pattern: INBOX is case-insensitive (RFC 3501 section 5.1),
 * so a pattern starting "inbox" in any case also matches the names under the stored "INBOX".
 */
export function mailboxMatcher(pattern: string): (name: string) => boolean {
  const exact = compileGlob(pattern);
  const inbox =
    /^inbox/i.test(pattern) && !pattern.startsWith('INBOX') ? compileGlob('INBOX' + pattern.slice(5)) : null;
  return (name) => globMatches(exact, name) || (inbox !== null && globMatches(inbox, name));
}
