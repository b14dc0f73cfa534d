// SEARCH and UID SEARCH (RFC 3501 sections 6.4.4, 6.4.8). Header keys match decoded header text,
// BODY/TEXT match the decoded text of the message (postal-mime), all case-insensitively.
import PostalMime, { decodeWords } from 'postal-mime';
import { parseAddressList } from '../envelope.ts';
import type { MessageMeta } from '../../mailstore-types.ts';
import { cachedMessage, type CachedMessage, heldMessage, derivedText, derivedTextNow } from '../message-cache.ts';
import type { MimePart } from '../mime-structure.ts';
import {
  matches,
  needsContent,
  needsText,
  parseSearch,
  type SearchCandidate,
  type SearchKey,
  usesModseq,
} from '../search.ts';
import { ArgumentError, listOf, type Token, tokenText } from '../parser.ts';
import { formatSet } from '../sequence.ts';
import type { CommandHandler, Session } from '../session.ts';
import type { SelectedView } from '../view.ts';

export const searchCommand: CommandHandler = async (session, cmd) => {
  const returned = returnOptions(cmd.args);
  const { rest, partial } = returned;
  // An IMAP4rev2 session always gets ESEARCH; no RETURN means RETURN (ALL) (RFC 9051 section 6.4.4;
  // revisions.ts, 'search-esearch').
  const options = returned.options ?? (session.rev2 ? ['ALL'] : null);
  refuseCharsetAfterUtf8(session, rest);
  const key = parseSearch(rest);
  const modseq = usesModseq(key);
  if (modseq) session.enableCondstore(); // SEARCH MODSEQ enables CONDSTORE (RFC 7162 section 3.1)
  const view = session.selected!;
  const found = await findMatches(view, key);
  const hits = found.map((m) => (cmd.uid ? m.uid : m.seq));
  const modseqs = modseq ? new Map(found.map((m) => [cmd.uid ? m.uid : m.seq, m.modseq])) : null;
  if (options?.includes('UPDATE') && view.searchUpdates.length >= MAX_SEARCH_UPDATES) {
    // Each kept search runs again after every command: a few per session, then NOUPDATE (RFC 5267 4.3).
    const quoted = cmd.tag.replace(/["\\]/g, '\\$&');
    session.untagged(
      `OK [NOUPDATE "${quoted}"] This session already keeps ${MAX_SEARCH_UPDATES} searches up to date; CANCELUPDATE one first.`,
    );
  } else if (options?.includes('UPDATE')) {
    // CONTEXT=SEARCH (RFC 5267 section 4.3): the result is kept up to date, ADDTO and REMOVEFROM
    // as it changes, until CANCELUPDATE or the mailbox is closed.
    view.searchUpdates.push({
      tag: cmd.tag,
      uid: cmd.uid,
      key,
      options: options.filter((o) => o !== 'UPDATE'),
      result: found.map((m) => m.uid),
    });
  }
  if (options) session.untagged(esearchResponse(cmd.tag, cmd.uid, options, hits, false, modseqs, partial));
  else session.untagged(`SEARCH${hits.length ? ' ' + hits.join(' ') : ''}${modseqSuffix(found, modseq)}`);
  // No note once UTF-8 is enabled: the text is UTF-8 by RFC 6855 section 3, and an IMAP4rev2
  // session reads no CHARSET as UTF-8 (RFC 9051 section 6.4.4; revisions.ts, 'search-charset').
  return { status: 'OK', text: `SEARCH completed.${session.utf8Names ? '' : eightBitNote(rest)}` };
};

/**
 * After ENABLE UTF8=ACCEPT a client must not name a CHARSET in SEARCH, and the server should answer
 * such a SEARCH with BAD, as the two charset labels conflict (RFC 6855 section 3).
 */
function refuseCharsetAfterUtf8(session: Session, args: Token[]): void {
  const first = args[0];
  if (!session.utf8Accept || first?.type !== 'atom' || first.value.toUpperCase() !== 'CHARSET') return;
  throw new ArgumentError(
    'After ENABLE UTF8=ACCEPT, SEARCH takes no CHARSET: the search text is UTF-8 already (RFC 6855 section 3). Send the SEARCH without CHARSET.',
  );
}

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
  // Only BODY and TEXT need the decoded body; a header key reads the MIME tree alone (issue 18).
  const text = needsText(key);
  const metas = view.metas();
  const maxSeq = view.uids.length;
  const maxUid = view.uids[maxSeq - 1] ?? 0;
  const hits: SearchCandidate[] = [];
  for (let i = 0; i < view.uids.length; i++) {
    const uid = view.uids[i];
    const meta = metas.get(uid);
    if (!meta) continue;
    const recent = view.recent.has(uid);
    let candidate: SearchCandidate;
    if (content) {
      const cached = heldMessage(view.mailbox, uid) ?? (await cachedMessage(view.mailbox, uid));
      if (!cached) continue;
      const body = text ? (cached.derived.get('search-body') ?? (await searchBody(cached))) : '';
      candidate = new ContentCandidate(i + 1, meta, recent, maxSeq, maxUid, cached, body ?? '');
    } else {
      candidate = {
        seq: i + 1,
        uid,
        flags: meta.flags,
        recent,
        internalDate: meta.internalDate,
        size: meta.size,
        maxSeq,
        maxUid,
        modseq: meta.modseq,
      };
    }
    if (matches(key, candidate)) hits.push(candidate);
  }
  return hits;
}

/** The decoded text of every text part, lower-cased, made once per held message. */
function searchBody(cached: CachedMessage): Promise<string | null> {
  return derivedText(cached, 'search-body', async () => {
    const parsed = await PostalMime.parse(cached.raw);
    return [parsed.text ?? '', stripTags(parsed.html ?? ''), ...textAttachments(parsed)].join('\n').toLowerCase();
  });
}

/**
 * A message SEARCH reads the content of: header text is made when a key asks for that field,
 * the full text (headers and body) only for TEXT, each kept with the cached message.
 */
class ContentCandidate implements SearchCandidate {
  readonly uid: number;
  readonly flags: string[];
  readonly internalDate: Date;
  readonly size: number;
  readonly modseq: number;
  readonly root: MimePart;
  constructor(
    readonly seq: number,
    meta: MessageMeta,
    readonly recent: boolean,
    readonly maxSeq: number,
    readonly maxUid: number,
    private readonly cached: CachedMessage,
    readonly bodyText: string,
  ) {
    this.uid = meta.uid;
    this.flags = meta.flags;
    this.internalDate = meta.internalDate;
    this.size = meta.size;
    this.modseq = meta.modseq;
    this.root = cached.root;
  }

  headerText(field: string): string | null {
    const name = `search-header:${field}`;
    const have = this.cached.derived.get(name);
    if (have !== undefined) return have;
    const root = this.root;
    return derivedTextNow(this.cached, name, () => {
      const values = root.headers.filter((h) => h.name.toLowerCase() === field).map((h) => decodeWords(h.value));
      if (!values.length) return null;
      // FROM/TO/CC/BCC also match the addresses as parsed, without comments or white space
      // inside them (RFC 5322 section 3.4), as Dovecot does: "<u (c)@ (c) d.org>" is u@d.org.
      if (ADDRESS_FIELDS.has(field)) values.push(...values.flatMap(addressForms));
      return values.join('\n').toLowerCase();
    });
  }

  get fullText(): string {
    const root = this.root;
    const headers = derivedTextNow(this.cached, 'search-headers', () =>
      root.headers
        .map((h) => `${h.name}: ${decodeWords(h.value)}`)
        .join('\n')
        .toLowerCase(),
    );
    return `${headers}\n${this.bodyText}`;
  }
}

/**
 * The text of parts postal-mime sets apart as attachments but that are text all the same: any
 * text/* or message/* part, such as a DSN's message/delivery-status and text/rfc822-headers
 * (RFC 3464, RFC 6522), where the original Subject and recipients of a bounce are. BODY and
 * TEXT look there too, as Dovecot's do; application/* and other binary parts stay out.
 */
function textAttachments(parsed: Awaited<ReturnType<typeof PostalMime.parse>>): string[] {
  const decoder = new TextDecoder('utf-8');
  return parsed.attachments
    .filter((a) => /^(text|message)\//i.test(a.mimeType))
    .map((a) => {
      const text = typeof a.content === 'string' ? a.content : decoder.decode(a.content);
      return /^text\/html/i.test(a.mimeType) ? stripTags(text) : text;
    });
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, ' ');
}

/** Searches one session may keep up to date at once (each is run again after every command). */
export const MAX_SEARCH_UPDATES = 8;

const RETURN_OPTIONS = ['MIN', 'MAX', 'ALL', 'COUNT', 'UPDATE', 'PARTIAL'];

/**
 * ESEARCH (RFC 4731 section 3): "SEARCH RETURN (MIN MAX ALL COUNT) keys" asks for an ESEARCH
 * answer instead of SEARCH; an empty list means ALL. CONTEXT=SEARCH (RFC 5267 section 4) adds
 * UPDATE and PARTIAL m:n. Without RETURN, options is null.
 */
export function returnOptions(args: Token[]): {
  options: string[] | null;
  rest: Token[];
  partial: [number, number] | null;
} {
  const first = args[0];
  if (first?.type !== 'atom' || first.value.toUpperCase() !== 'RETURN')
    return { options: null, rest: args, partial: null };
  const list = listOf(args[1], 'RETURN options such as (MIN MAX COUNT)');
  const options: string[] = [];
  let partial: [number, number] | null = null;
  for (let i = 0; i < list.length; i++) {
    const t = list[i];
    const o = t.type === 'atom' ? t.value.toUpperCase() : '';
    if (!RETURN_OPTIONS.includes(o))
      throw new ArgumentError(`Unknown RETURN option; use ${RETURN_OPTIONS.join(', ')} (RFC 4731, RFC 5267).`);
    if (o === 'PARTIAL') {
      // partial-range = nz-number ":" nz-number, either way round (RFC 5267 section 4.4).
      const m = /^([1-9]\d{0,9}):([1-9]\d{0,9})$/.exec(tokenText(list[++i]) ?? '');
      if (!m)
        throw new ArgumentError('PARTIAL needs a range of result positions such as 1:100 (RFC 5267 section 4.4).');
      const [a, b] = [Number(m[1]), Number(m[2])];
      partial = a <= b ? [a, b] : [b, a];
    }
    options.push(o);
  }
  return { options: options.length ? options : ['ALL'], rest: args.slice(2), partial };
}

/**
 * After each command: the searches kept with RETURN (UPDATE) are run again, and what changed
 * goes out as ESEARCH ADDTO / REMOVEFROM (RFC 5267 section 4.3). Messages expunged were already
 * taken out (SelectedView.reportExpunged), before their EXPUNGE; this finds flag changes and new
 * messages. The position is 0: a SEARCH result has no order of its own beyond the numbers, and
 * positions matter only for sorted results (CONTEXT=SORT); Dovecot sends 0 too.
 */
export async function refreshSearchUpdates(session: Session): Promise<void> {
  const view = session.selected;
  if (!view || !view.searchUpdates.length) return;
  for (const update of [...view.searchUpdates]) {
    const found = (await findMatches(view, update.key)).map((m) => m.uid);
    if (session.selected !== view || !view.searchUpdates.includes(update)) return;
    const before = new Set(update.result);
    const now = new Set(found);
    const removed = update.result.filter((u) => !now.has(u));
    const added = found.filter((u) => !before.has(u));
    if (!removed.length && !added.length) continue;
    const number = (u: number) => (update.uid ? u : view.uids.indexOf(u) + 1);
    const head = `ESEARCH (TAG "${update.tag.replace(/["\\]/g, '\\$&')}")${update.uid ? ' UID' : ''}`;
    if (!update.options.includes('ALL') && update.options.length) {
      // MIN, MAX, COUNT: their new values, as a fresh answer.
      update.result = found;
      session.untagged(esearchResponse(update.tag, update.uid, update.options, found.map(number)));
      continue;
    }
    if (removed.length)
      session.untagged(`${head} REMOVEFROM (0 ${formatSet(removed.map(number).sort((a, b) => a - b))})`);
    update.result = found;
    if (added.length) session.untagged(`${head} ADDTO (0 ${formatSet(added.map(number).sort((a, b) => a - b))})`);
  }
}

/** CANCELUPDATE "tag" ... (RFC 5267 section 4.3.1): those searches are no longer kept up to date. */
export const cancelUpdateCommand: CommandHandler = async (session, cmd) => {
  if (!cmd.args.length) throw new ArgumentError('CANCELUPDATE needs the tag of a SEARCH RETURN (UPDATE), quoted.');
  const view = session.selected!;
  for (const t of cmd.args) {
    const tag = tokenText(t) ?? '';
    const i = view.searchUpdates.findIndex((u) => u.tag === tag);
    if (i < 0) return { status: 'BAD', text: `No SEARCH RETURN (UPDATE) with the tag "${tag.slice(0, 40)}" is kept.` };
    view.searchUpdates.splice(i, 1);
  }
  return { status: 'OK', text: 'CANCELUPDATE completed.' };
};

/**
 * `* ESEARCH (TAG "t") [UID] MIN a MAX b ALL set COUNT n`; no MIN/MAX/ALL when nothing matched.
 * For SORT (`inOrder`, ESORT, RFC 5267 section 3.2), MIN and MAX are the first and last in sort
 * order and ALL keeps that order, as Dovecot answers.
 */
export function esearchResponse(
  tag: string,
  uid: boolean,
  options: string[],
  hits: number[],
  inOrder = false,
  modseqs: Map<number, number> | null = null,
  partial: [number, number] | null = null,
): string {
  const sorted = inOrder ? hits : [...hits].sort((a, b) => a - b);
  const parts = [`ESEARCH (TAG "${tag.replace(/["\\]/g, '\\$&')}")`];
  if (uid) parts.push('UID');
  if (sorted.length && options.includes('MIN')) parts.push(`MIN ${sorted[0]}`);
  if (sorted.length && options.includes('MAX')) parts.push(`MAX ${sorted[sorted.length - 1]}`);
  if (sorted.length && options.includes('ALL')) parts.push(`ALL ${formatSet(sorted)}`);
  if (options.includes('COUNT')) parts.push(`COUNT ${sorted.length}`);
  // PARTIAL m:n: the m-th to n-th results, NIL when there are none (RFC 5267 section 4.4).
  if (partial) {
    const slice = sorted.slice(partial[0] - 1, partial[1]);
    parts.push(`PARTIAL (${partial[0]}:${partial[1]} ${slice.length ? formatSet(slice) : 'NIL'})`);
  }
  // With a MODSEQ key: the highest MODSEQ of the messages reported, which for MIN or MAX alone is
  // that message's, else of all that matched (RFC 4731 section 3.2, as imaptest checks it).
  if (modseqs && sorted.length) {
    const whole = options.includes('ALL') || options.includes('COUNT');
    const shown = whole
      ? sorted
      : [sorted[0], sorted[sorted.length - 1]].filter((_, i) => options.includes(['MIN', 'MAX'][i]));
    parts.push(`MODSEQ ${Math.max(...shown.map((n) => modseqs.get(n) ?? 0))}`);
  }
  return parts.join(' ');
}

/** ` (MODSEQ n)` after SEARCH or SORT numbers when a MODSEQ key was used (RFC 7162 section 3.1.5). */
export function modseqSuffix(found: SearchCandidate[], modseq: boolean): string {
  if (!modseq || !found.length) return '';
  return ` (MODSEQ ${found.reduce((n, m) => Math.max(n, m.modseq), 0)})`;
}

const ADDRESS_FIELDS = new Set(['from', 'sender', 'reply-to', 'to', 'cc', 'bcc']);

/** "Name <mailbox@host>" for each address of a header value; group markers are left out. */
function addressForms(value: string): string[] {
  return parseAddressList(value)
    .filter((a) => !a.group && a.mailbox)
    .map((a) => `${a.name ? a.name + ' ' : ''}<${a.mailbox}${a.host ? '@' + a.host : ''}>`);
}
