// SELECT and EXAMINE (RFC 3501 sections 6.3.1-6.3.2), and the selected-state housekeeping: CHECK,
// CLOSE, EXPUNGE (6.4.1-6.4.3), UNSELECT (RFC 3691), UID EXPUNGE (RFC 4315).
import { formatRanges, intersectRanges, parseSelectParams, type QresyncParams } from '../condstore.ts';
import { flagList } from '../encode.ts';
import { mailboxFromWire } from '../names.ts';
import { astring, expectArgs, tokenText } from '../parser.ts';
import { inRanges, parseSequenceSet } from '../sequence.ts';
import type { CommandHandler, Session, Tagged } from '../session.ts';
import { SelectedView } from '../view.ts';
import { rev2LenientNote, rev2SelectList } from '../revision.ts';

export { SYSTEM_FLAGS } from '../view.ts';

export const selectCommand: CommandHandler = async (session, cmd) => open(session, cmd.args, false);
export const examineCommand: CommandHandler = async (session, cmd) => open(session, cmd.args, true);

async function open(session: Session, args: Parameters<CommandHandler>[1]['args'], readOnly: boolean): Promise<Tagged> {
  expectArgs(args, 1, 2, readOnly ? 'EXAMINE mailbox' : 'SELECT mailbox');
  const wire = astring(args[0], 'a mailbox name');
  const params = parseSelectParams(args[1], session.qresync);
  // A SELECT that fails leaves no mailbox selected (RFC 3501 section 6.3.1), a bad name included.
  // A server with QRESYNC says so whenever SELECT or EXAMINE closes a mailbox (RFC 7162 3.2.11).
  if (session.selected) session.untagged('OK [CLOSED] Previous mailbox closed.');
  deselect(session);
  if (params.condstore) session.enableCondstore();
  const name = mailboxFromWire(wire, session.utf8Names);
  const mailbox = session.accountStore?.mailbox(name);
  if (!mailbox)
    return { status: 'NO', code: 'NONEXISTENT', text: `There is no mailbox "${wire}"; LIST shows the ones there are.` };
  const view = new SelectedView(mailbox, readOnly, session);
  session.selected = view;
  session.enter('select');
  const metas = mailbox.messages();
  const known = new Set(view.uids);
  view.announceFlags(session);
  session.untagged(`${view.uids.length} EXISTS`);
  if (session.rev2) rev2SelectList(session, mailbox.name);
  else {
    // IMAP4rev1 only; an IMAP4rev2 session gets neither (RFC 9051 section 6.3.2, Appendix E 11-12).
    session.untagged(`${readOnly ? metas.filter((m) => m.recent).length : view.recent.size} RECENT`);
    const firstUnseen = metas.findIndex((m) => known.has(m.uid) && !m.flags.includes('\\Seen'));
    if (firstUnseen >= 0) session.untagged(`OK [UNSEEN ${firstUnseen + 1}] First unseen message.`);
  }
  session.untagged(`OK [UIDVALIDITY ${mailbox.uidValidity}] UIDs valid.`);
  session.untagged(`OK [UIDNEXT ${mailbox.uidNext}] Predicted next UID.`);
  if (session.condstore) session.untagged(`OK [HIGHESTMODSEQ ${mailbox.highestModseq}] Highest mod-sequence.`);
  if (params.qresync && params.qresync.uidValidity === mailbox.uidValidity) resync(session, view, params.qresync);
  return {
    status: 'OK',
    code: readOnly ? 'READ-ONLY' : 'READ-WRITE',
    text: `${readOnly ? 'EXAMINE' : 'SELECT'} completed.`,
  };
}

/**
 * QRESYNC (RFC 7162 section 3.2.5.1): what changed since the client's MODSEQ, among the UIDs it
 * knows: VANISHED (EARLIER) for the expunged ones, then a FETCH of UID, FLAGS and MODSEQ for each
 * message changed or added since.
 */
function resync(session: Session, view: SelectedView, q: QresyncParams): void {
  const maxUid = view.mailbox.uidNext - 1;
  const vanished = intersectRanges(view.mailbox.vanishedSince(q.modseq), q.knownUids, maxUid);
  if (vanished.length) session.untagged(`VANISHED (EARLIER) ${formatRanges(vanished)}`);
  const metas = view.metas();
  view.uids.forEach((uid, i) => {
    const meta = metas.get(uid);
    if (!meta || meta.modseq <= q.modseq || (q.knownUids && !inRanges(q.knownUids, uid, maxUid))) return;
    view.noteFlags(uid, meta.flags);
    session.untagged(`${i + 1} FETCH (UID ${uid} FLAGS ${flagList(view.flagsFor(meta))} MODSEQ (${meta.modseq}))`);
  });
}

export function deselect(session: Session): void {
  if (!session.selected) return;
  session.selected.close();
  session.selected = null;
  if (session.state === 'selected') session.enter('deselect');
}

export const checkCommand: CommandHandler = async (session) => ({
  status: 'OK',
  text: `CHECK completed; everything is already on disk.${rev2LenientNote(session, 'CHECK')}`,
});

export const closeCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 0, 0, 'CLOSE');
  const view = session.selected;
  // CLOSE removes \Deleted messages silently, unless the mailbox was EXAMINEd (RFC 3501 6.4.2).
  if (view && !view.readOnly) {
    const deleted = view.mailbox
      .messages()
      .filter((m) => m.flags.includes('\\Deleted'))
      .map((m) => m.uid);
    if (deleted.length) await view.mailbox.expunge(deleted);
  }
  deselect(session);
  return { status: 'OK', text: 'CLOSE completed.' };
};

export const unselectCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 0, 0, 'UNSELECT');
  deselect(session);
  return { status: 'OK', text: 'UNSELECT completed; nothing was expunged.' };
};

export const expungeCommand: CommandHandler = async (session, cmd) => {
  const view = session.selected!;
  expectArgs(cmd.args, cmd.uid ? 1 : 0, cmd.uid ? 1 : 0, cmd.uid ? 'UID EXPUNGE uid-set' : 'EXPUNGE');
  if (view.readOnly)
    return { status: 'NO', code: 'READ-ONLY', text: 'The mailbox was opened with EXAMINE; SELECT it to expunge.' };
  let deleted = view.mailbox
    .messages()
    .filter((m) => m.flags.includes('\\Deleted'))
    .map((m) => m.uid);
  if (cmd.uid) {
    const set = parseSequenceSet(tokenText(cmd.args[0]) ?? '');
    const maxUid = view.uids[view.uids.length - 1] ?? 0;
    deleted = deleted.filter((u) => inRanges(set, u, maxUid));
  }
  const removed = deleted.length ? await view.mailbox.expunge(deleted) : [];
  view.reportExpunged(removed, session);
  return {
    status: 'OK',
    // With QRESYNC the client learns the MODSEQ its VANISHED brought it to (as Dovecot answers).
    code: session.qresync ? `HIGHESTMODSEQ ${view.mailbox.highestModseq}` : undefined,
    text: `EXPUNGE completed; ${removed.length} message${removed.length === 1 ? '' : 's'} removed.`,
  };
};
