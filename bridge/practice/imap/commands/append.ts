// APPEND (RFC 3501 section 6.3.11) with APPENDUID (RFC 4315). The message arrives as a literal,
// whole, before this runs: a client that vanishes mid-literal never reaches the store.
import { parseImapDateTime } from '../encode.ts';
import { mailboxArg } from '../names.ts';
import { binaryPartsToBase64 } from '../transfer.ts';
import { ArgumentError, expectArgs, type Token } from '../parser.ts';
import type { CommandHandler } from '../session.ts';

export const appendCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 2, 4, 'APPEND mailbox [(flags)] ["date-time"] {size}');
  const { wire, name } = mailboxArg(cmd.args[0], 'a mailbox name');
  const message = cmd.args[cmd.args.length - 1];
  if (message.type !== 'string') throw new ArgumentError('The message goes last, as a literal such as {310}.');
  let flags: string[] = [];
  let internalDate: Date | undefined;
  for (const t of cmd.args.slice(1, -1)) {
    if (t.type === 'list') flags = t.items.map(flagOf);
    else if (t.type === 'string' && !t.literal) {
      const text = new TextDecoder().decode(t.value);
      const date = parseImapDateTime(text);
      if (!date) throw new ArgumentError(`"${text}" is not a date-time; write it like "17-Jul-2026 02:44:25 +0000".`);
      internalDate = date;
    } else throw new ArgumentError('APPEND takes an optional flag list and date-time before the message literal.');
  }
  if (message.value.length === 0) return { status: 'NO', text: 'The message is empty; send its bytes in the literal.' };
  if (session.io.scenarios().mailboxFull) {
    return { status: 'NO', code: 'OVERQUOTA', text: 'The mailbox is full (practice scenario "mailbox full"); nothing was stored.' };
  }
  const store = session.accountStore!;
  if (!store.mailbox(name)) return { status: 'NO', code: 'TRYCREATE', text: `There is no mailbox "${wire}"; CREATE it first.` };
  const bytes = message.literal8 ? binaryPartsToBase64(message.value) : message.value;
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { uid, uidValidity } = await store.append(name, raw, { flags, internalDate });
  return { status: 'OK', code: `APPENDUID ${uidValidity} ${uid}`, text: 'APPEND completed.' };
};

function flagOf(t: Token): string {
  if (t.type !== 'atom' || t.value === '\\Recent') throw new ArgumentError('Flags are atoms such as \\Seen or $Label.');
  return t.value;
}
