// STATUS (RFC 3501 section 6.3.10): counts of a mailbox without selecting it.
import type { Mailbox } from '../../mailstore-types.ts';
import { type Chunk, mailboxName } from '../encode.ts';
import { mailboxArg } from '../names.ts';
import { ArgumentError, expectArgs, listOf, type Token } from '../parser.ts';
import type { CommandHandler } from '../session.ts';

export const statusCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 2, 2, 'STATUS mailbox (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)');
  const { wire, name } = mailboxArg(cmd.args[0], 'a mailbox name');
  const items = statusItemNames(listOf(cmd.args[1], 'status items'));
  if (items.includes('HIGHESTMODSEQ')) session.enableCondstore(); // RFC 7162 section 3.1
  const mailbox = session.accountStore?.mailbox(name);
  if (!mailbox) return { status: 'NO', code: 'NONEXISTENT', text: `There is no mailbox "${wire}".` };
  session.untagged(statusResponse(mailbox, items));
  return { status: 'OK', text: 'STATUS completed.' };
};

const ITEMS = ['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'DELETED-STORAGE', 'HIGHESTMODSEQ'];

/** The item names of a STATUS list, checked; also for LIST ... RETURN (STATUS (...)) (RFC 5819). */
export function statusItemNames(list: Token[]): string[] {
  const items = list.map((t) => (t.type === 'atom' ? t.value.toUpperCase() : ''));
  for (const item of items) {
    if (!ITEMS.includes(item))
      throw new ArgumentError(
        'Unknown STATUS item; use MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN, DELETED-STORAGE or HIGHESTMODSEQ.',
      );
  }
  return items;
}

/** `STATUS name (MESSAGES 3 UNSEEN 1)` for one mailbox. */
export function statusResponse(mailbox: Mailbox, items: string[]): Chunk[] {
  const metas = mailbox.messages();
  const out: string[] = [];
  for (const item of items) {
    if (item === 'MESSAGES') out.push(`MESSAGES ${metas.length}`);
    else if (item === 'RECENT') out.push(`RECENT ${metas.filter((m) => m.recent).length}`);
    else if (item === 'UIDNEXT') out.push(`UIDNEXT ${mailbox.uidNext}`);
    else if (item === 'UIDVALIDITY') out.push(`UIDVALIDITY ${mailbox.uidValidity}`);
    else if (item === 'HIGHESTMODSEQ')
      out.push(`HIGHESTMODSEQ ${mailbox.highestModseq}`); // RFC 7162 section 3.1.6
    else if (item === 'UNSEEN') out.push(`UNSEEN ${metas.filter((m) => !m.flags.includes('\\Seen')).length}`);
    // Octets an EXPUNGE would free (RFC 9208 section 4.1.4; required with QUOTA=RES-STORAGE, section 5.1).
    // In octets, as Cyrus reports it: the RFC allows the sum of RFC822.SIZE of the \Deleted messages.
    else if (item === 'DELETED-STORAGE')
      out.push(`DELETED-STORAGE ${metas.filter((m) => m.flags.includes('\\Deleted')).reduce((n, m) => n + m.size, 0)}`);
  }
  return ['STATUS ', ...mailboxName(mailbox.name), ` (${out.join(' ')})`];
}
