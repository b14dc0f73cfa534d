// STATUS (RFC 3501 section 6.3.10): counts of a mailbox without selecting it.
import { mailboxName } from '../encode.ts';
import { mailboxArg } from '../names.ts';
import { ArgumentError, expectArgs, listOf } from '../parser.ts';
import type { CommandHandler } from '../session.ts';

export const statusCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 2, 2, 'STATUS mailbox (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)');
  const { wire, name } = mailboxArg(cmd.args[0], 'a mailbox name');
  const items = listOf(cmd.args[1], 'status items').map((t) => (t.type === 'atom' ? t.value.toUpperCase() : ''));
  const mailbox = session.accountStore?.mailbox(name);
  if (!mailbox) return { status: 'NO', code: 'NONEXISTENT', text: `There is no mailbox "${wire}".` };
  const metas = mailbox.messages();
  const out: string[] = [];
  for (const item of items) {
    if (item === 'MESSAGES') out.push(`MESSAGES ${metas.length}`);
    else if (item === 'RECENT') out.push(`RECENT ${metas.filter((m) => m.recent).length}`);
    else if (item === 'UIDNEXT') out.push(`UIDNEXT ${mailbox.uidNext}`);
    else if (item === 'UIDVALIDITY') out.push(`UIDVALIDITY ${mailbox.uidValidity}`);
    else if (item === 'UNSEEN') out.push(`UNSEEN ${metas.filter((m) => !m.flags.includes('\\Seen')).length}`);
    // Octets an EXPUNGE would free (RFC 9208 section 4.1.4; required with QUOTA=RES-STORAGE, section 5.1).
    // In octets, as Cyrus reports it: the RFC allows the sum of RFC822.SIZE of the \Deleted messages.
    else if (item === 'DELETED-STORAGE') out.push(`DELETED-STORAGE ${metas.filter((m) => m.flags.includes('\\Deleted')).reduce((n, m) => n + m.size, 0)}`);
    else throw new ArgumentError(`Unknown STATUS item; use MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN or DELETED-STORAGE.`);
  }
  session.untagged(['STATUS ', ...mailboxName(mailbox.name), ` (${out.join(' ')})`]);
  return { status: 'OK', text: 'STATUS completed.' };
};
