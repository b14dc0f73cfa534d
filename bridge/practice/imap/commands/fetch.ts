// FETCH and UID FETCH (RFC 3501 sections 6.4.5, 6.4.8): one `* n FETCH (...)` per message.
import { needsBody, parseFetchAttributes, renderFetchItems, setsSeen, type FetchAttr } from '../fetch.ts';
import { expectArgs, tokenText } from '../parser.ts';
import { parseSequenceSet, resolveTargets } from '../sequence.ts';
import type { CommandHandler } from '../session.ts';

export const fetchCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 2, 2, `${cmd.uid ? 'UID ' : ''}FETCH sequence-set (items)`);
  const view = session.selected!;
  const targets = resolveTargets(parseSequenceSet(tokenText(cmd.args[0]) ?? ''), view.uids, cmd.uid);
  const attrs = parseFetchAttributes(cmd.args[1]);
  const wantsBody = needsBody(attrs);
  const marksSeen = setsSeen(attrs) && !view.readOnly;
  const withFlags: FetchAttr[] = attrs.some((a) => a.kind === 'FLAGS') ? attrs : [...attrs, { kind: 'FLAGS' }];
  const metas = view.metas();
  let missing = 0;
  for (const { seq, uid } of targets) {
    let meta = metas.get(uid);
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
    const flags = view.flagsFor(meta);
    if (items.some((a) => a.kind === 'FLAGS')) {
      view.announceNewKeywords(meta.flags, session); // a keyword another session added (RFC 3501 7.2.6)
      view.noteFlags(uid, meta.flags);
    }
    const body = renderFetchItems(
      { uid, flags, internalDate: meta.internalDate, size: meta.size, raw },
      items,
      cmd.uid,
    );
    session.io.write([`* ${seq} FETCH `, ...body, '\r\n']);
  }
  if (missing) return { status: 'OK', text: `FETCH completed; ${missing} message(s) were expunged meanwhile.` };
  return { status: 'OK', text: 'FETCH completed.' };
};
