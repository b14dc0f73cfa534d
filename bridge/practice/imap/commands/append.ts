// APPEND (RFC 3501 section 6.3.11) with APPENDUID (RFC 4315), and several messages at once
// (MULTIAPPEND, RFC 3502), each a literal or built by CATENATE (RFC 4469). Literals arrive whole
// before this runs: a client that vanishes mid-literal never reaches the store.
import { parseImapDateTime } from '../encode.ts';
import { mailboxArg } from '../names.ts';
import { binaryPartsToBase64 } from '../transfer.ts';
import { catenate, type CatPart } from '../catenate.ts';
import { ArgumentError, type Token, tokenText } from '../parser.ts';
import { formatSet } from '../sequence.ts';
import type { CommandHandler, Session, Tagged } from '../session.ts';

interface Upload {
  /** The message; for CATENATE, built from `parts` once the URLs are resolved. */
  bytes: Uint8Array;
  /** Sent in the UTF8 data extension, "UTF8 (~{n}...)" (RFC 6855 section 4). */
  utf8?: boolean;
  parts?: CatPart[];
  flags: string[];
  internalDate?: Date;
}

export const appendCommand: CommandHandler = async (session, cmd) => {
  if (cmd.args.length < 2)
    throw new ArgumentError('Wrong number of arguments. Usage: APPEND mailbox [(flags)] ["date-time"] {size}');
  const { wire, name } = mailboxArg(cmd.args[0], 'a mailbox name', session.utf8Names);
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
  const built = utf8HeaderRefusal(session, uploads);
  if (built) return built;
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
    const utf8 = utf8Literal(t, args);
    if (utf8) {
      uploads.push({
        bytes: utf8.literal8 ? binaryPartsToBase64(utf8.value) : utf8.value,
        utf8: true,
        flags,
        internalDate,
      });
      flags = [];
      internalDate = undefined;
      seen = 0;
      continue;
    }
    if (t.type === 'atom' && t.value.toUpperCase() === 'UTF8') continue; // its list follows
    if (t.type === 'atom' && t.value.toUpperCase() === 'CATENATE') {
      catenating = true;
      continue;
    }
    if (catenating) {
      if (t.type !== 'list')
        throw new ArgumentError('CATENATE takes a list: CATENATE (TEXT {n} URL "/INBOX/;UID=1/;SECTION=TEXT").');
      const parts = catParts(t.items);
      uploads.push({ bytes: new Uint8Array(0), parts, utf8: parts.some((p) => p.utf8), flags, internalDate });
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

/**
 * utf8-literal = "UTF8" SP "(" literal8 ")" (RFC 6855 section 4): the list after a UTF8 atom, holding
 * one literal. A plain {n} literal inside is taken too (Python 3.11's imaplib writes the words
 * "UTF8 (" into its literal instead, which no server can tell from message text).
 */
function utf8Literal(t: Token, args: Token[]): (Token & { type: 'string' }) | null {
  const before = args[args.indexOf(t) - 1];
  if (t.type !== 'list' || before?.type !== 'atom' || before.value.toUpperCase() !== 'UTF8') return null;
  const [only] = t.items;
  if (t.items.length !== 1 || only.type !== 'string' || !only.literal)
    throw new ArgumentError('UTF8 takes one literal in parentheses: UTF8 (~{310}) (RFC 6855 section 4).');
  return only;
}

/**
 * A client that did not send ENABLE UTF8=ACCEPT (or IMAP4rev2, which allows UTF-8 headers, RFC 9051
 * Appendix E item 16) gets NO for a message with 8-bit octets in its header fields, and for the
 * UTF8 form itself (RFC 6855 section 4).
 */
function utf8HeaderRefusal(session: Session, uploads: Upload[]): Tagged | null {
  if (session.utf8Names) return null;
  if (uploads.some((u) => u.utf8))
    return { status: 'NO', text: 'APPEND UTF8 (...) needs ENABLE UTF8=ACCEPT first (RFC 6855 section 4).' };
  if (!uploads.some((u) => eightBitHeader(u.bytes))) return null;
  return {
    status: 'NO',
    text: 'The message has 8-bit characters in its header fields; send ENABLE UTF8=ACCEPT first, then APPEND it in the UTF8 (~{n}) form, or encode the header as RFC 2047 encoded-words (RFC 6855 section 4).',
  };
}

/** Whether the header section (up to the first empty line) holds an octet above 0x7F. */
export function eightBitHeader(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b >= 0x80) return true;
    // CRLF CRLF (or a bare LF LF) ends the header section.
    if (b === 0x0a && (bytes[i + 1] === 0x0a || (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a))) return false;
  }
  return false;
}

/** cat-part = "TEXT" SP literal / "URL" SP astring (RFC 4469 section 5). */
/**
 * cat-part = "TEXT" SP literal / "URL" SP url (RFC 4469 section 5), and with UTF8=ACCEPT also
 * utf8-literal, "UTF8" SP "(" literal8 ")" (RFC 6855 section 4).
 */
function catParts(items: Token[]): Array<CatPart & { utf8?: boolean }> {
  const parts: Array<CatPart & { utf8?: boolean }> = [];
  for (let i = 0; i < items.length; i += 2) {
    const kind = items[i].type === 'atom' ? (items[i] as { value: string }).value.toUpperCase() : '';
    const value = items[i + 1];
    if (kind === 'TEXT' && value?.type === 'string' && value.literal) parts.push({ text: value.value });
    else if (kind === 'URL' && value && value.type !== 'list') parts.push({ url: tokenText(value)! });
    else if (kind === 'UTF8' && value?.type === 'list') {
      const [only] = value.items;
      if (value.items.length !== 1 || only.type !== 'string' || !only.literal)
        throw new ArgumentError('A UTF8 part takes one literal in parentheses: UTF8 (~{310}) (RFC 6855 section 4).');
      parts.push({ text: only.value, utf8: true });
    } else throw new ArgumentError('Each CATENATE part is TEXT {n} with a literal, URL "imap-url", or UTF8 (~{n}).');
  }
  if (!parts.length) throw new ArgumentError('CATENATE needs at least one part.');
  return parts;
}

function flagOf(t: Token): string {
  if (t.type !== 'atom' || t.value === '\\Recent') throw new ArgumentError('Flags are atoms such as \\Seen or $Label.');
  return t.value;
}
