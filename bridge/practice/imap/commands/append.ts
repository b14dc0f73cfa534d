// APPEND (RFC 3501 section 6.3.11) with APPENDUID (RFC 4315), and several messages at once
// (MULTIAPPEND, RFC 3502), each a literal or built by CATENATE (RFC 4469). Literals arrive whole
// before this runs: a client that vanishes mid-literal never reaches the store.
import { parseImapDateTime } from '../encode.ts';
import { mailboxArg } from '../names.ts';
import { binaryPartsToBase64 } from '../transfer.ts';
import { catenate, type CatPart } from '../catenate.ts';
import { ArgumentError, type Token, tokenText } from '../parser.ts';
import { formatSet } from '../sequence.ts';
import type { CommandHandler } from '../session.ts';

interface Upload {
  /** The message; for CATENATE, built from `parts` once the URLs are resolved. */
  bytes: Uint8Array;
  parts?: CatPart[];
  flags: string[];
  internalDate?: Date;
}

export const appendCommand: CommandHandler = async (session, cmd) => {
  if (cmd.args.length < 2)
    throw new ArgumentError('Wrong number of arguments. Usage: APPEND mailbox [(flags)] ["date-time"] {size}');
  const { wire, name } = mailboxArg(cmd.args[0], 'a mailbox name');
  const uploads = readUploads(cmd.args.slice(1));
  if (session.io.scenarios().mailboxFull) {
    return {
      status: 'NO',
      code: 'OVERQUOTA',
      text: 'The mailbox is full (practice scenario "mailbox full"); nothing was stored.',
    };
  }
  const store = session.accountStore!;
  const mailbox = store.mailbox(name);
  if (!mailbox) return { status: 'NO', code: 'TRYCREATE', text: `There is no mailbox "${wire}"; CREATE it first.` };
  for (const u of uploads) if (u.parts) u.bytes = await catenate(store, u.parts, session.env.limits.maxMessageSize);
  if (uploads.some((u) => u.bytes.length === 0))
    return { status: 'NO', text: 'The message is empty; send its bytes in the literal.' };
  // MULTIAPPEND stores all the messages or none (RFC 3502 section 6.3.11): a failure takes back
  // the ones already stored.
  const uids: number[] = [];
  let uidValidity = mailbox.uidValidity;
  try {
    for (const u of uploads) {
      const raw = Buffer.from(u.bytes.buffer, u.bytes.byteOffset, u.bytes.byteLength);
      const stored = await store.append(name, raw, { flags: u.flags, internalDate: u.internalDate });
      uids.push(stored.uid);
      uidValidity = stored.uidValidity;
    }
  } catch (err) {
    if (uids.length) await store.mailbox(name)?.expunge(uids);
    throw err;
  }
  const n = uids.length;
  const text = n > 1 ? `APPEND completed; ${n} messages stored.` : 'APPEND completed.';
  return { status: 'OK', code: `APPENDUID ${uidValidity} ${formatSet(uids)}`, text };
};

/**
 * One or more messages, each "[(flags)] ["date-time"] literal" (RFC 3501 section 6.3.11; several
 * in one APPEND: MULTIAPPEND, RFC 3502 section 6.3.11).
 */
function readUploads(args: Token[]): Upload[] {
  const uploads: Upload[] = [];
  let flags: string[] = [];
  let internalDate: Date | undefined;
  let seen = 0; // options read for the message now being described
  let catenating = false;
  for (const t of args) {
    if (t.type === 'atom' && t.value.toUpperCase() === 'CATENATE') {
      catenating = true;
      continue;
    }
    if (catenating) {
      if (t.type !== 'list')
        throw new ArgumentError('CATENATE takes a list: CATENATE (TEXT {n} URL "/INBOX/;UID=1/;SECTION=TEXT").');
      uploads.push({ bytes: new Uint8Array(0), parts: catParts(t.items), flags, internalDate });
      flags = [];
      internalDate = undefined;
      seen = 0;
      catenating = false;
    } else if (t.type === 'string' && t.literal) {
      // A literal8 message keeps its binary parts as base64 (RFC 3516 section 4.3).
      uploads.push({ bytes: t.literal8 ? binaryPartsToBase64(t.value) : t.value, flags, internalDate });
      flags = [];
      internalDate = undefined;
      seen = 0;
    } else if (t.type === 'list' && seen === 0) {
      flags = t.items.map(flagOf);
      seen = 1;
    } else if (t.type === 'string' && seen < 2 && !internalDate) {
      const text = new TextDecoder().decode(t.value);
      const date = parseImapDateTime(text);
      if (!date) throw new ArgumentError(`"${text}" is not a date-time; write it like "17-Jul-2026 02:44:25 +0000".`);
      internalDate = date;
      seen = 2;
    } else
      throw new ArgumentError(
        'Each message is an optional flag list and date-time, then the message as a literal such as {310}.',
      );
  }
  if (seen > 0 || catenating || !uploads.length)
    throw new ArgumentError('The message goes last, as a literal such as {310}.');
  return uploads;
}

/** cat-part = "TEXT" SP literal / "URL" SP astring (RFC 4469 section 5). */
function catParts(items: Token[]): CatPart[] {
  const parts: CatPart[] = [];
  for (let i = 0; i < items.length; i += 2) {
    const kind = items[i].type === 'atom' ? (items[i] as { value: string }).value.toUpperCase() : '';
    const value = items[i + 1];
    if (kind === 'TEXT' && value?.type === 'string' && value.literal) parts.push({ text: value.value });
    else if (kind === 'URL' && value && value.type !== 'list') parts.push({ url: tokenText(value)! });
    else throw new ArgumentError('Each CATENATE part is TEXT {n} with a literal, or URL "imap-url".');
  }
  if (!parts.length) throw new ArgumentError('CATENATE needs at least one part.');
  return parts;
}

function flagOf(t: Token): string {
  if (t.type !== 'atom' || t.value === '\\Recent') throw new ArgumentError('Flags are atoms such as \\Seen or $Label.');
  return t.value;
}
