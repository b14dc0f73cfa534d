// FETCH and UID FETCH (RFC 3501 sections 6.4.5, 6.4.8): one `* n FETCH (...)` per message.
import {
  fetchMessage,
  hasItem,
  needsBody,
  parseFetchAttributes,
  renderFetchItems,
  setsSeen,
  type FetchAttr,
} from '../fetch.ts';
import { formatRanges, intersectRanges, parseFetchModifiers } from '../condstore.ts';
import type { Chunk } from '../encode.ts';
import { cachedMessage, heldMessage } from '../message-cache.ts';
import { expectArgs, tokenText } from '../parser.ts';
import { rev2LenientNote } from '../revision.ts';
import { parseSequenceSet, resolveTargets } from '../sequence.ts';
import type { CommandHandler } from '../session.ts';

const BATCH_BYTES = 64 * 1024;

export const fetchCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 2, 3, `${cmd.uid ? 'UID ' : ''}FETCH sequence-set (items) [(CHANGEDSINCE modseq)]`);
  const view = session.selected!;
  const set = parseSequenceSet(tokenText(cmd.args[0]) ?? '');
  const targets = resolveTargets(set, view.uids, cmd.uid);
  let attrs = parseFetchAttributes(cmd.args[1]);
  const { changedSince, vanished } = parseFetchModifiers(cmd.args[2], cmd.uid, session.qresync);
  // MODSEQ and CHANGEDSINCE enable CONDSTORE; CHANGEDSINCE implies MODSEQ (RFC 7162 3.1, 3.1.4.1).
  const hasModseq = () => attrs.some((a) => a.kind === 'MODSEQ');
  if (hasModseq() || changedSince !== null) session.enableCondstore();
  if (changedSince !== null && !hasModseq()) attrs = [...attrs, { kind: 'MODSEQ' }];
  if (vanished) {
    // UID FETCH ... (CHANGEDSINCE m VANISHED): the UIDs of the set expunged since m come first (3.2.6).
    const maxUid = view.mailbox.uidNext - 1;
    const gone = intersectRanges(view.mailbox.vanishedSince(changedSince!), set, maxUid);
    if (gone.length) session.untagged(`VANISHED (EARLIER) ${formatRanges(gone)}`);
  }
  const wantsBody = needsBody(attrs);
  const wantsEnvelope = attrs.some((a) => a.kind === 'ENVELOPE');
  const marksSeen = setsSeen(attrs) && !view.readOnly;
  // A \Seen set by this FETCH is a change: its new FLAGS go out, and with CONDSTORE its MODSEQ.
  const attrsHaveFlags = hasItem(attrs, 'FLAGS');
  let withFlags: FetchAttr[] = attrsHaveFlags ? attrs : [...attrs, { kind: 'FLAGS' }];
  if (session.condstore && !withFlags.some((a) => a.kind === 'MODSEQ')) withFlags = [...withFlags, { kind: 'MODSEQ' }];
  const metas = view.metas();
  let missing = 0;
  // Responses go out in batches, not one socket write per message (issue 18: 5,000 writes were
  // a third of FETCH 1:*'s time). Anything else written meanwhile goes after the batch so far.
  let batch: Chunk[] = [];
  let batchBytes = 0;
  const flush = () => {
    if (batch.length) session.io.write(batch);
    batch = [];
    batchBytes = 0;
  };
  const sink = { untagged: (text: string) => (flush(), session.untagged(text)) };
  for (const { seq, uid } of targets) {
    let meta = metas.get(uid);
    if (meta && changedSince !== null && meta.modseq <= changedSince) continue;
    const cached =
      meta && wantsBody ? (heldMessage(view.mailbox, uid) ?? (await cachedMessage(view.mailbox, uid))) : null;
    if (!meta || (wantsBody && !cached)) {
      missing++; // expunged by another session; its EXPUNGE comes at the next safe point
      continue;
    }
    let items = attrs;
    if (marksSeen && !meta.flags.includes('\\Seen')) {
      // Fetching body data sets \Seen, and the new flags are reported with it (RFC 3501 6.4.5).
      meta = (await view.mailbox.setFlags([uid], 'add', ['\\Seen']))[0] ?? meta;
      items = withFlags;
    }
    // Flags and MODSEQ as they are now: another session may have changed them while this FETCH
    // read the bytes, and a MODSEQ older than one already reported must not follow it (RFC 7162 3.1.1).
    meta = view.mailbox.message(uid) ?? meta;
    const flags = view.flagsFor(meta);
    if (items === withFlags || attrsHaveFlags) {
      view.announceNewKeywords(meta.flags, sink); // a keyword another session added (RFC 3501 7.2.6)
      view.noteFlags(uid, meta.flags);
    }
    const body = renderFetchItems(fetchMessage(meta, flags, cached, wantsEnvelope), items, cmd.uid);
    batch.push(`* ${seq} FETCH `, ...body, '\r\n');
    for (const c of body) batchBytes += c.length;
    if (batchBytes >= BATCH_BYTES) flush();
  }
  flush();
  // RFC822.SIZE stays in IMAP4rev2; RFC822, RFC822.HEADER and RFC822.TEXT are deprecated there.
  const note = attrs.some((a) => /^RFC822(\.HEADER|\.TEXT)?$/.test(a.kind)) ? rev2LenientNote(session, 'RFC822') : '';
  if (missing) return { status: 'OK', text: `FETCH completed; ${missing} message(s) were expunged meanwhile.${note}` };
  return { status: 'OK', text: `FETCH completed.${note}` };
};
