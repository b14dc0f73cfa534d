// CATENATE (RFC 4469): an APPEND whose message is built from TEXT literals and IMAP URLs naming
// parts of messages already in this account ("/INBOX;UIDVALIDITY=3/;UID=7/;SECTION=HEADER",
// RFC 5092 sections 3-6). A URL that names nothing is NO [BADURL url] (RFC 4469 section 5).
import type { AccountStore } from '../mailstore-types.ts';
import { parseFetchAttribute, sectionBytes } from './fetch.ts';
import { parseMimeStructure } from './mime-structure.ts';
import { decodeMailboxName } from '../../../app/src/protocols/imap/mutf7.ts';
import { CommandRefusal } from './parser.ts';

export type CatPart = { text: Uint8Array } | { url: string };

const URL = new RegExp(
  String.raw`^\/([^;/]+)(?:;UIDVALIDITY=([1-9]\d{0,9}))?\/;UID=([1-9]\d{0,9})` +
    String.raw`(?:\/;SECTION=([^/]*))?(?:\/;PARTIAL=(\d{1,10})(?:\.([1-9]\d{0,9}))?)?$`,
  'i',
);

/** The bytes one URL names in `store`; throws NO [BADURL] when it names nothing. */
export async function urlBytes(store: AccountStore, url: string): Promise<Uint8Array> {
  const code = `BADURL ${url.replace(/[\]\r\n]/g, '')}`;
  const bad = (why: string) => new CommandRefusal(code, `${why} (RFC 4469 section 5); nothing was stored.`);
  const m = URL.exec(url);
  if (!m)
    throw bad('The URL must be relative to this server and account, like "/INBOX;UIDVALIDITY=1/;UID=2/;SECTION=TEXT"');
  let name: string;
  try {
    name = decodeURIComponent(m[1]);
  } catch {
    throw bad('The mailbox in the URL is not valid percent-encoding');
  }
  const decoded = decodeMailboxName(name);
  const mailbox = store.mailbox(decoded.ok ? decoded.name : name);
  if (!mailbox) throw bad(`There is no mailbox "${name}"`);
  if (m[2] && Number(m[2]) !== mailbox.uidValidity)
    throw bad(`The mailbox's UIDVALIDITY is ${mailbox.uidValidity}, not ${m[2]}`);
  const raw = await mailbox.read(Number(m[3]));
  if (!raw) throw bad(`There is no message with UID ${m[3]}`);
  let bytes: Uint8Array = raw;
  if (m[4] !== undefined) {
    let section: string;
    try {
      section = decodeURIComponent(m[4]);
    } catch {
      throw bad('The section in the URL is not valid percent-encoding');
    }
    let attr;
    try {
      attr = parseFetchAttribute(`BODY.PEEK[${section}]`);
    } catch {
      throw bad(`"${section}" is not a section`);
    }
    if (attr.kind !== 'section') throw bad(`"${section}" is not a section`);
    bytes = sectionBytes(raw, parseMimeStructure(raw), attr.path, attr.spec);
  }
  if (m[5] !== undefined) {
    const origin = Math.min(Number(m[5]), bytes.length);
    bytes = bytes.subarray(origin, m[6] ? Math.min(origin + Number(m[6]), bytes.length) : bytes.length);
  }
  return bytes;
}

/** Joins the parts into one message; the URLs are resolved first, so a bad one stores nothing. */
export async function catenate(store: AccountStore, parts: CatPart[], maxSize: number): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  let size = 0;
  for (const p of parts) {
    const piece = 'text' in p ? p.text : await urlBytes(store, p.url);
    size += piece.length;
    // Checked as it grows: many URLs to one large message must not fill the memory.
    if (size > maxSize) {
      throw new CommandRefusal(
        'TOOBIG',
        `The joined message is over the limit of ${maxSize} octets; nothing was stored.`,
      );
    }
    pieces.push(piece);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
