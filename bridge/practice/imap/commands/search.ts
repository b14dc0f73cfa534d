// SEARCH and UID SEARCH (RFC 3501 sections 6.4.4, 6.4.8). Header keys match decoded header text,
// BODY/TEXT match the decoded text of the message (postal-mime), all case-insensitively.
import PostalMime, { decodeWords } from 'postal-mime';
import { parseAddressList } from '../envelope.ts';
import { cachedMessage, heldMessage, derivedText, derivedTextNow } from '../message-cache.ts';
import { matches, needsContent, parseSearch, type SearchCandidate, type SearchKey } from '../search.ts';
import { ArgumentError, listOf, type Token } from '../parser.ts';
import { formatSet } from '../sequence.ts';
import type { CommandHandler } from '../session.ts';
import type { SelectedView } from '../view.ts';

export const searchCommand: CommandHandler = async (session, cmd) => {
  const { options, rest } = returnOptions(cmd.args);
  const found = await findMatches(session.selected!, parseSearch(rest));
  const hits = found.map((m) => (cmd.uid ? m.uid : m.seq));
  if (options) session.untagged(esearchResponse(cmd.tag, cmd.uid, options, hits));
  else session.untagged(`SEARCH${hits.length ? ' ' + hits.join(' ') : ''}`);
  return { status: 'OK', text: `SEARCH completed.${eightBitNote(rest)}` };
};

/**
 * Where this server is looser than the RFC on purpose, the reply says so (issue 16, point 4):
 * 8-bit search text without CHARSET should be US-ASCII (RFC 3501 section 6.4.4), but it is read
 * as UTF-8, as Dovecot reads it.
 */
export function eightBitNote(args: Token[]): string {
  const first = args[0];
  if (first?.type === 'atom' && first.value.toUpperCase() === 'CHARSET') return '';
  const eightBit = (t: Token): boolean =>
    t.type === 'list'
      ? t.items.some(eightBit)
      : t.type === 'string'
        ? t.value.some((b) => b >= 0x80)
        : /[^\x00-\x7f]/.test(t.value);
  if (!args.some(eightBit)) return '';
  return (
    ' Note: the search text has 8-bit characters but no CHARSET, so RFC 3501 section 6.4.4 would read it as US-ASCII;' +
    ' this server (like Dovecot) reads it as UTF-8. Write SEARCH CHARSET UTF-8 ... to be portable.'
  );
}

/** The messages of the selected mailbox that match `key`, in sequence order (SEARCH, SORT, THREAD). */
export async function findMatches(view: SelectedView, key: SearchKey): Promise<SearchCandidate[]> {
  const content = needsContent(key);
  const metas = view.metas();
  const maxSeq = view.uids.length;
  const maxUid = view.uids[maxSeq - 1] ?? 0;
  const hits: SearchCandidate[] = [];
  for (let i = 0; i < view.uids.length; i++) {
    const uid = view.uids[i];
    const meta = metas.get(uid);
    if (!meta) continue;
    const candidate: SearchCandidate = {
      seq: i + 1,
      uid,
      flags: meta.flags,
      recent: view.recent.has(uid),
      internalDate: meta.internalDate,
      size: meta.size,
      maxSeq,
      maxUid,
    };
    if (content) {
      const cached = heldMessage(view.mailbox, uid) ?? (await cachedMessage(view.mailbox, uid));
      if (!cached) continue;
      const root = cached.root;
      const have = cached.derived.get('search-body');
      const body =
        have ??
        (await derivedText(cached, 'search-body', async () => {
          const parsed = await PostalMime.parse(cached.raw);
          return `${parsed.text ?? ''}\n${(parsed.html ?? '').replace(/<[^>]*>/g, ' ')}`.toLowerCase();
        })) ??
        '';
      const headerText = (field: string) =>
        derivedTextNow(cached, `search-header:${field}`, () => {
          const values = root.headers.filter((h) => h.name.toLowerCase() === field).map((h) => decodeWords(h.value));
          if (!values.length) return null;
          // FROM/TO/CC/BCC also match the addresses as parsed, without comments or white space
          // inside them (RFC 5322 section 3.4), as Dovecot does: "<u (c)@ (c) d.org>" is u@d.org.
          if (ADDRESS_FIELDS.has(field)) values.push(...values.flatMap(addressForms));
          return values.join('\n').toLowerCase();
        });
      candidate.root = root;
      candidate.headerText = headerText;
      candidate.bodyText = body;
      const headers = derivedTextNow(cached, 'search-headers', () =>
        root.headers
          .map((h) => `${h.name}: ${decodeWords(h.value)}`)
          .join('\n')
          .toLowerCase(),
      );
      candidate.fullText = `${headers}\n${body}`;
    }
    if (matches(key, candidate)) hits.push(candidate);
  }
  return hits;
}

const RETURN_OPTIONS = ['MIN', 'MAX', 'ALL', 'COUNT'];

/**
 * ESEARCH (RFC 4731 section 3): "SEARCH RETURN (MIN MAX ALL COUNT) keys" asks for an ESEARCH
 * answer instead of SEARCH; an empty list means ALL. Without RETURN, options is null.
 */
export function returnOptions(args: Token[]): { options: string[] | null; rest: Token[] } {
  const first = args[0];
  if (first?.type !== 'atom' || first.value.toUpperCase() !== 'RETURN') return { options: null, rest: args };
  const list = listOf(args[1], 'RETURN options such as (MIN MAX COUNT)');
  const options = list.map((t) => (t.type === 'atom' ? t.value.toUpperCase() : ''));
  for (const o of options) {
    if (!RETURN_OPTIONS.includes(o))
      throw new ArgumentError(`Unknown RETURN option; use ${RETURN_OPTIONS.join(', ')} (RFC 4731).`);
  }
  return { options: options.length ? options : ['ALL'], rest: args.slice(2) };
}

/**
 * `* ESEARCH (TAG "t") [UID] MIN a MAX b ALL set COUNT n`; no MIN/MAX/ALL when nothing matched.
 * For SORT (`inOrder`, ESORT, RFC 5267 section 3.2), MIN and MAX are the first and last in sort
 * order and ALL keeps that order, as Dovecot answers.
 */
export function esearchResponse(tag: string, uid: boolean, options: string[], hits: number[], inOrder = false): string {
  const sorted = inOrder ? hits : [...hits].sort((a, b) => a - b);
  const parts = [`ESEARCH (TAG "${tag.replace(/["\\]/g, '\\$&')}")`];
  if (uid) parts.push('UID');
  if (sorted.length && options.includes('MIN')) parts.push(`MIN ${sorted[0]}`);
  if (sorted.length && options.includes('MAX')) parts.push(`MAX ${sorted[sorted.length - 1]}`);
  if (sorted.length && options.includes('ALL')) parts.push(`ALL ${formatSet(sorted)}`);
  if (options.includes('COUNT')) parts.push(`COUNT ${sorted.length}`);
  return parts.join(' ');
}

const ADDRESS_FIELDS = new Set(['from', 'sender', 'reply-to', 'to', 'cc', 'bcc']);

/** "Name <mailbox@host>" for each address of a header value; group markers are left out. */
function addressForms(value: string): string[] {
  return parseAddressList(value)
    .filter((a) => !a.group && a.mailbox)
    .map((a) => `${a.name ? a.name + ' ' : ''}<${a.mailbox}${a.host ? '@' + a.host : ''}>`);
}
