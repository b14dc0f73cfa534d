// SORT and UID SORT (RFC 5256 section 3, with SORT=DISPLAY of RFC 5957): the messages SEARCH
// would find, in the order of the criteria, as one untagged SORT response; THREAD and UID THREAD
// (RFC 5256 sections 3-4): the same messages as a THREAD response of nested lists.
import { parseMimeStructure } from '../mime-structure.ts';
import { ArgumentError, astring, expectArgs, listOf } from '../parser.ts';
import { parseSearch, type SearchCandidate, usesModseq } from '../search.ts';
import type { CommandHandler } from '../session.ts';
import { parseCriteria, sortMessages } from '../sort.ts';
import { renderThreads, THREAD_ALGORITHMS, threadMessages, type ThreadAlgorithm } from '../thread.ts';
import type { SelectedView } from '../view.ts';
import { esearchResponse, findMatches, modseqSuffix, returnOptions } from './search.ts';

export const sortCommand: CommandHandler = async (session, cmd) => {
  // ESORT (RFC 5267 section 3.2): SORT RETURN (MIN MAX ALL COUNT) (criteria) ... answers ESEARCH.
  const { options, rest: args } = returnOptions(cmd.args);
  expectArgs(
    args,
    3,
    Infinity,
    `${cmd.uid ? 'UID ' : ''}SORT (criteria) charset search-keys, e.g. SORT (REVERSE DATE) UTF-8 ALL`,
  );
  const criteria = parseCriteria(listOf(args[0], 'sort criteria such as (REVERSE DATE)'));
  const charset = checkCharset(astring(args[1], 'a charset such as UTF-8'));
  if (charset) return charset;
  const view = session.selected!;
  const key = parseSearch(args.slice(2));
  const modseq = usesModseq(key);
  if (modseq) session.enableCondstore();
  const found = await withHeaders(view, await findMatches(view, key));
  const sorted = sortMessages(found, criteria).map((m) => (cmd.uid ? m.uid : m.seq));
  const modseqs = modseq ? new Map(found.map((m) => [cmd.uid ? m.uid : m.seq, m.modseq])) : null;
  if (options) session.untagged(esearchResponse(cmd.tag, cmd.uid, options, sorted, true, modseqs));
  else session.untagged(`SORT${sorted.length ? ' ' + sorted.join(' ') : ''}${modseqSuffix(found, modseq)}`);
  return { status: 'OK', text: 'SORT completed.' };
};

export const threadCommand: CommandHandler = async (session, cmd) => {
  expectArgs(
    cmd.args,
    3,
    Infinity,
    `${cmd.uid ? 'UID ' : ''}THREAD algorithm charset search-keys, e.g. THREAD REFERENCES UTF-8 ALL`,
  );
  const algorithm = astring(cmd.args[0], 'a threading algorithm').toUpperCase() as ThreadAlgorithm;
  if (!THREAD_ALGORITHMS.includes(algorithm)) {
    throw new ArgumentError(`Unknown threading algorithm; use ${THREAD_ALGORITHMS.join(' or ')}.`);
  }
  const charset = checkCharset(astring(cmd.args[1], 'a charset such as UTF-8'));
  if (charset) return charset;
  const view = session.selected!;
  const found = await withHeaders(view, await findMatches(view, parseSearch(cmd.args.slice(2))));
  const threads = renderThreads(threadMessages(algorithm, found), (m) =>
    cmd.uid ? (m as SearchCandidate).uid : m.seq,
  );
  session.untagged(`THREAD${threads ? ' ' + threads : ''}`);
  return { status: 'OK', text: 'THREAD completed.' };
};

/** SORT and THREAD name a charset for their search keys; both servers know US-ASCII and UTF-8. */
export function checkCharset(charset: string) {
  const upper = charset.toUpperCase();
  if (upper === 'US-ASCII' || upper === 'UTF-8') return null;
  const text = `Charset "${charset.slice(0, 40)}" is not supported; use UTF-8 or US-ASCII.`;
  return { status: 'NO' as const, code: 'BADCHARSET (US-ASCII UTF-8)', text };
}

/** Sort keys other than ARRIVAL and SIZE read the header: parse the messages SEARCH did not. */
export async function withHeaders(view: SelectedView, found: SearchCandidate[]): Promise<SearchCandidate[]> {
  const out: SearchCandidate[] = [];
  for (const m of found) {
    if (!m.root) {
      const raw = await view.mailbox.read(m.uid);
      if (!raw) continue; // expunged meanwhile
      m.root = parseMimeStructure(raw);
    }
    out.push(m);
  }
  return out;
}
