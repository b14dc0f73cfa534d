// FETCH and UID FETCH (RFC 3501 sections 6.4.5, 6.4.8): one `* n FETCH (...)` per message.
import { needsBody, parseFetchAttributes, renderFetchItems, setsSeen, type FetchAttr } from '../fetch.ts';
import type { Chunk } from '../encode.ts';
import { buildEnvelope, envelopeChunks } from '../envelope.ts';
import { cachedMessage, heldMessage } from '../message-cache.ts';
import { expectArgs, tokenText } from '../parser.ts';
import { parseSequenceSet, resolveTargets } from '../sequence.ts';
import type { CommandHandler } from '../session.ts';

const BATCH_BYTES = 64 * 1024;

export const fetchCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 2, 2, `${cmd.uid ? 'UID ' : ''}FETCH sequence-set (items)`);
  const view = session.selected!;
  const targets = resolveTargets(parseSequenceSet(tokenText(cmd.args[0]) ?? ''), view.uids, cmd.uid);
  const attrs = parseFetchAttributes(cmd.args[1]);
  const wantsBody = needsBody(attrs);
  const wantsEnvelope = attrs.some((a) => a.kind === 'ENVELOPE');
  const marksSeen = setsSeen(attrs) && !view.readOnly;
  const withFlags: FetchAttr[] = attrs.some((a) => a.kind === 'FLAGS') ? attrs : [...attrs, { kind: 'FLAGS' }];
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
    const flags = view.flagsFor(meta);
    if (items.some((a) => a.kind === 'FLAGS')) {
      view.announceNewKeywords(meta.flags, sink); // a keyword another session added (RFC 3501 7.2.6)
      view.noteFlags(uid, meta.flags);
    }
    const body = renderFetchItems(
      {
        uid,
        flags,
        internalDate: meta.internalDate,
        size: meta.size,
        raw: cached?.raw ?? null,
        tree: cached?.root,
        envelope:
          cached && wantsEnvelope ? (cached.envelope ??= envelopeChunks(buildEnvelope(cached.root))) : undefined,
      },
      items,
      cmd.uid,
    );
    batch.push(`* ${seq} FETCH `, ...body, '\r\n');
    for (const c of body) batchBytes += c.length;
    if (batchBytes >= BATCH_BYTES) flush();
  }
  flush();
  if (missing) return { status: 'OK', text: `FETCH completed; ${missing} message(s) were expunged meanwhile.` };
  return { status: 'OK', text: 'FETCH completed.' };
};
