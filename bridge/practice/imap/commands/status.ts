// STATUS (RFC 3501 section 6.3.10): counts of a mailbox without selecting it. An IMAP4rev2 session
// has DELETED and SIZE and no RECENT (RFC 9051 section 6.3.11; revisions.ts, 'status-items').
import type { Mailbox } from '../../mailstore-types.ts';
import { type Chunk, mailboxName } from '../encode.ts';
import { mailboxArg } from '../names.ts';
import { ArgumentError, expectArgs, listOf, type Token } from '../parser.ts';
import type { CommandHandler } from '../session.ts';

export const statusCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 2, 2, 'STATUS mailbox (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)');
  const { wire, name } = mailboxArg(cmd.args[0], 'a mailbox name', session.utf8Names);
  const items = statusItemNames(listOf(cmd.args[1], 'status items'), session.rev2);
  if (items.includes('HIGHESTMODSEQ')) session.enableCondstore(); // RFC 7162 section 3.1
  const mailbox = session.accountStore?.mailbox(name);
  if (!mailbox) return { status: 'NO', code: 'NONEXISTENT', text: `There is no mailbox "${wire}".` };
  session.untagged(statusResponse(mailbox, items, session.utf8Names));
  return { status: 'OK', text: 'STATUS completed.' };
};

const ITEMS = ['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'DELETED-STORAGE', 'HIGHESTMODSEQ'];
// RFC 9051 section 6.3.11 (status-att, section 9): DELETED and SIZE are new, RECENT is gone.
const REV2_ITEMS = [
  'MESSAGES',
  'UIDNEXT',
  'UIDVALIDITY',
  'UNSEEN',
  'DELETED',
  'SIZE',
  'DELETED-STORAGE',
  'HIGHESTMODSEQ',
];

/** The item names of a STATUS list, checked; also for LIST ... RETURN (STATUS (...)) (RFC 5819). */
export function statusItemNames(list: Token[], rev2: boolean): string[] {
  const items = list.map((t) => (t.type === 'atom' ? t.value.toUpperCase() : ''));
  const known = rev2 ? REV2_ITEMS : ITEMS;
  for (const item of items) {
    if (rev2 && item === 'RECENT')
      throw new ArgumentError(
        'IMAP4rev2 has no STATUS RECENT (RFC 9051 section 6.3.11, Appendix E item 12); this session enabled IMAP4rev2.',
      );
    if (!known.includes(item))
      throw new ArgumentError(`Unknown STATUS item; use ${known.slice(0, -1).join(', ')} or ${known.at(-1)}.`);
  }
  return items;
}

/** `STATUS name (MESSAGES 3 UNSEEN 1)` for one mailbox. */
export function statusResponse(mailbox: Mailbox, items: string[], utf8: boolean): Chunk[] {
  const metas = mailbox.messages();
  const out: string[] = [];
  for (const item of items) {
    if (item === 'MESSAGES') out.push(`MESSAGES ${metas.length}`);
    else if (item === 'RECENT') out.push(`RECENT ${metas.filter((m) => m.recent).length}`);
    else if (item === 'UIDNEXT') out.push(`UIDNEXT ${mailbox.uidNext}`);
    else if (item === 'UIDVALIDITY') out.push(`UIDVALIDITY ${mailbox.uidValidity}`);
    else if (item === 'HIGHESTMODSEQ')
      out.push(`HIGHESTMODSEQ ${mailbox.highestModseq}`); // RFC 7162 section 3.1.6
    // RFC 9051 section 6.3.11: DELETED counts the messages with \Deleted, SIZE the octets of all
    // messages (the sum of their RFC822.SIZE).
    else if (item === 'DELETED') out.push(`DELETED ${metas.filter((m) => m.flags.includes('\\Deleted')).length}`);
    else if (item === 'SIZE') out.push(`SIZE ${metas.reduce((n, m) => n + m.size, 0)}`);
    else if (item === 'UNSEEN') out.push(`UNSEEN ${metas.filter((m) => !m.flags.includes('\\Seen')).length}`);
    // Octets an EXPUNGE would free (RFC 9208 section 4.1.4; required with QUOTA=RES-STORAGE, section 5.1).
    // In octets, as Cyrus reports it: the RFC allows the sum of RFC822.SIZE of the \Deleted messages.
    else if (item === 'DELETED-STORAGE')
      out.push(`DELETED-STORAGE ${metas.filter((m) => m.flags.includes('\\Deleted')).reduce((n, m) => n + m.size, 0)}`);
  }
  return ['STATUS ', ...mailboxName(mailbox.name, utf8), ` (${out.join(' ')})`];
}
