// STORE and UID STORE (RFC 3501 section 6.4.6): FLAGS, +FLAGS, -FLAGS, each with .SILENT.
import { flagList } from '../encode.ts';
import { ArgumentError, expectArgs, tokenText } from '../parser.ts';
import { parseSequenceSet, resolveTargets } from '../sequence.ts';
import type { CommandHandler } from '../session.ts';

const ITEM = /^([+-]?)FLAGS(\.SILENT)?$/i;

export const storeCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 3, 3, `${cmd.uid ? 'UID ' : ''}STORE sequence-set +FLAGS (\\Seen)`);
  const view = session.selected!;
  if (view.readOnly)
    return { status: 'NO', code: 'READ-ONLY', text: 'The mailbox was opened with EXAMINE; SELECT it to change flags.' };
  const targets = resolveTargets(parseSequenceSet(tokenText(cmd.args[0]) ?? ''), view.uids, cmd.uid);
  const m = ITEM.exec(tokenText(cmd.args[1]) ?? '');
  if (!m) throw new ArgumentError('STORE takes FLAGS, +FLAGS or -FLAGS, optionally with .SILENT.');
  const flagTokens = cmd.args[2].type === 'list' ? cmd.args[2].items : [cmd.args[2]];
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
  const updated = await view.mailbox.setFlags(
    targets.map((t) => t.uid),
    mode,
    flags,
  );
  const seqOf = new Map(targets.map((t) => [t.uid, t.seq]));
  for (const meta of updated) {
    // Even with .SILENT the new keyword's FLAGS goes out (RFC 3501 section 7.2.6).
    view.announceNewKeywords(meta.flags, session);
    view.noteFlags(meta.uid, meta.flags);
    if (m[2]) continue;
    const uidPart = cmd.uid ? `UID ${meta.uid} ` : '';
    session.untagged(`${seqOf.get(meta.uid)} FETCH (${uidPart}FLAGS ${flagList(view.flagsFor(meta))})`);
  }
  return { status: 'OK', text: 'STORE completed.' };
};
