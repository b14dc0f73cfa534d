// FETCH and UID FETCH (RFC 3501 sections 6.4.5, 6.4.8): one `* n FETCH (...)` per message.
import { needsBody, parseFetchAttributes, renderFetchItems, setsSeen, type FetchAttr } from '../fetch.ts';
import { formatRanges, intersectRanges, parseFetchModifiers } from '../condstore.ts';
import { expectArgs, tokenText } from '../parser.ts';
import { parseSequenceSet, resolveTargets } from '../sequence.ts';
import type { CommandHandler } from '../session.ts';

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
  const marksSeen = setsSeen(attrs) && !view.readOnly;
  // A \Seen set by this FETCH is a change: its new FLAGS go out, and with CONDSTORE its MODSEQ.
  let withFlags: FetchAttr[] = attrs.some((a) => a.kind === 'FLAGS') ? attrs : [...attrs, { kind: 'FLAGS' }];
  if (session.condstore && !withFlags.some((a) => a.kind === 'MODSEQ')) withFlags = [...withFlags, { kind: 'MODSEQ' }];
  const metas = view.metas();
  let missing = 0;
  for (const { seq, uid } of targets) {
    let meta = metas.get(uid);
    if (meta && changedSince !== null && meta.modseq <= changedSince) continue;
    const raw = meta && wantsBody ? await view.mailbox.read(uid) : null;
    if (!meta || (wantsBody && !raw)) {
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
    if (items.some((a) => a.kind === 'FLAGS')) {
      view.announceNewKeywords(meta.flags, session); // a keyword another session added (RFC 3501 7.2.6)
      view.noteFlags(uid, meta.flags);
    }
    const body = renderFetchItems(
      { uid, flags, internalDate: meta.internalDate, size: meta.size, raw, modseq: meta.modseq },
      items,
      cmd.uid,
    );
    session.io.write([`* ${seq} FETCH `, ...body, '\r\n']);
  }
  if (missing) return { status: 'OK', text: `FETCH completed; ${missing} message(s) were expunged meanwhile.` };
  return { status: 'OK', text: 'FETCH completed.' };
};
