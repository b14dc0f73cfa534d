// STORE and UID STORE (RFC 3501 section 6.4.6): FLAGS, +FLAGS, -FLAGS, each with .SILENT.
import { flagList } from '../encode.ts';
import { ArgumentError, expectArgs, tokenText } from '../parser.ts';
import { parseStoreModifiers } from '../condstore.ts';
import { formatSet, parseSequenceSet, resolveTargets } from '../sequence.ts';
import type { CommandHandler } from '../session.ts';

const ITEM = /^([+-]?)FLAGS(\.SILENT)?$/i;

export const storeCommand: CommandHandler = async (session, cmd) => {
  const usage = `${cmd.uid ? 'UID ' : ''}STORE sequence-set [(UNCHANGEDSINCE modseq)] +FLAGS (\\Seen)`;
  expectArgs(cmd.args, 3, 4, usage);
  const args = [...cmd.args];
  // STORE modifiers come between the set and the item (RFC 4466 section 2.5, RFC 7162 3.1.3).
  const unchangedSince = args.length === 4 ? parseStoreModifiers(args.splice(1, 1)[0]) : null;
  if (unchangedSince !== null) session.enableCondstore();
  const view = session.selected!;
  if (view.readOnly)
    return { status: 'NO', code: 'READ-ONLY', text: 'The mailbox was opened with EXAMINE; SELECT it to change flags.' };
  const targets = resolveTargets(parseSequenceSet(tokenText(args[0]) ?? ''), view.uids, cmd.uid);
  const m = ITEM.exec(tokenText(args[1]) ?? '');
  if (!m) throw new ArgumentError('STORE takes FLAGS, +FLAGS or -FLAGS, optionally with .SILENT.');
  const flagTokens = args[2].type === 'list' ? args[2].items : [args[2]];
  const flags = flagTokens.map((t) => {
    const f = t.type === 'atom' ? t.value : '';
    if (!/^\\?[^\s()"\\{%*\]]+$/.test(f) || f === '\\Recent')
      throw new ArgumentError(`"${f}" is not a flag you can store; use e.g. \\Seen or a keyword.`);
    const system = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'].find(
      (s) => s.toLowerCase() === f.toLowerCase(),
    );
    if (f.startsWith('\\') && !system) throw new ArgumentError(`Unknown system flag "${f}".`);
    return system ?? f;
  });
  const mode = m[1] === '+' ? 'add' : m[1] === '-' ? 'remove' : 'set';
  const before = view.metas();
  const { updated, modified } = await view.mailbox.storeFlags(
    targets.map((t) => t.uid),
    mode,
    flags,
    unchangedSince ?? undefined,
  );
  const seqOf = new Map(targets.map((t) => [t.uid, t.seq]));
  for (const meta of updated) {
    // Even with .SILENT the new keyword's FLAGS goes out (RFC 3501 section 7.2.6).
    view.announceNewKeywords(meta.flags, session);
    view.noteFlags(meta.uid, meta.flags);
    const uidPart = cmd.uid || session.qresync ? `UID ${meta.uid} ` : '';
    if (session.condstore) {
      // With CONDSTORE a message whose flags changed gets its new MODSEQ, even with .SILENT; one
      // whose flags stayed as they were changed nothing and is not reported (RFC 7162 3.1.3).
      if (before.get(meta.uid)?.modseq === meta.modseq) continue;
      const flagPart = m[2] ? '' : `FLAGS ${flagList(view.flagsFor(meta))} `;
      session.untagged(`${seqOf.get(meta.uid)} FETCH (${uidPart}${flagPart}MODSEQ (${meta.modseq}))`);
      continue;
    }
    if (m[2]) continue;
    session.untagged(`${seqOf.get(meta.uid)} FETCH (${uidPart}FLAGS ${flagList(view.flagsFor(meta))})`);
  }
  if (modified.length) {
    // The messages changed since UNCHANGEDSINCE were left alone: MODIFIED names them (3.1.3).
    const numbers = modified.map((uid) => (cmd.uid ? uid : seqOf.get(uid)!)).sort((a, b) => a - b);
    return {
      status: 'OK',
      code: `MODIFIED ${formatSet(numbers)}`,
      text: 'STORE completed, except for the messages named, changed since UNCHANGEDSINCE; FETCH their flags and MODSEQ.',
    };
  }
  return { status: 'OK', text: 'STORE completed.' };
};
