// COPY (RFC 3501 section 6.4.7) and MOVE (RFC 6851), with COPYUID from UIDPLUS (RFC 4315).
import { mailboxArg } from '../names.ts';
import { expectArgs, tokenText } from '../parser.ts';
import { formatSet, parseSequenceSet, resolveTargets } from '../sequence.ts';
import type { CommandHandler, Session, Tagged } from '../session.ts';

export const copyCommand: CommandHandler = async (session, cmd) => transfer(session, cmd, false);
export const moveCommand: CommandHandler = async (session, cmd) => transfer(session, cmd, true);

async function transfer(session: Session, cmd: Parameters<CommandHandler>[1], move: boolean): Promise<Tagged> {
  const verb = `${cmd.uid ? 'UID ' : ''}${move ? 'MOVE' : 'COPY'}`;
  expectArgs(cmd.args, 2, 2, `${verb} sequence-set mailbox`);
  const view = session.selected!;
  const store = session.accountStore!;
  const targets = resolveTargets(parseSequenceSet(tokenText(cmd.args[0]) ?? ''), view.uids, cmd.uid);
  const { wire, name: dest } = mailboxArg(cmd.args[1], 'a destination mailbox', session.utf8Names);
  // TRYCREATE tells the client it may CREATE the mailbox and retry (RFC 3501 section 6.4.7).
  if (!store.mailbox(dest))
    return { status: 'NO', code: 'TRYCREATE', text: `There is no mailbox "${wire}"; CREATE it first.` };
  if (move && view.readOnly)
    return {
      status: 'NO',
      code: 'READ-ONLY',
      text: 'The mailbox was opened with EXAMINE; SELECT it to move messages out.',
    };
  const present = new Set(view.mailbox.messages().map((m) => m.uid));
  const uids = targets.map((t) => t.uid).filter((u) => present.has(u));
  if (!uids.length) return { status: 'OK', text: `${verb} completed; no messages matched.` };
  const { uidValidity, pairs } = await store.copy(view.mailbox.name, uids, dest, { moving: move });
  const code = `COPYUID ${uidValidity} ${formatSet(pairs.map((p) => p[0]))} ${formatSet(pairs.map((p) => p[1]))}`;
  if (!move) return { status: 'OK', code, text: `${verb} completed.` };
  session.untagged(`OK [${code}] Moved.`);
  const removed = await view.mailbox.expunge(pairs.map((p) => p[0]));
  view.reportExpunged(removed, session);
  return { status: 'OK', text: `${verb} completed.` };
}
