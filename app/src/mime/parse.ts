// The parser adapter: raw message bytes -> the same tree model the generator takes.
//
// Why two pieces: postal-mime (the decoder) returns a flattened result (text, html and a list
// of attachments); its part tree is internal and undocumented. The studio needs the tree, so
// split.ts finds the structure (header blocks, boundaries, offsets) and postal-mime decodes
// each part: headers (RFC 2047 words, addresses), filenames (RFC 2231), Content-ID,
// disposition, base64 and charsets. Two places take bytes without postal-mime, each because
// its line-based reader turns CRLF into LF: identity-encoded (7bit/8bit/binary) files, which
// need no decoding, and quoted-printable files, decoded by encode/quoted-printable.ts.
import PostalMime, { decodeWords } from 'postal-mime';
import { decodeQuotedPrintable } from './encode/quoted-printable.ts';
import { MimeError } from './errors.ts';
import type { ByteRange } from './generate.ts';
import { formatAddressList, isAddressHeader, parseAddressList } from './headers.ts';
import { binaryString, headerValue, parseParams, splitEntity, type RawEntity } from './split.ts';
import type { Header, MimeMessage, MimeNode, MultipartSubtype, TransferEncoding } from './tree.ts';

export type Parsed = { message: MimeMessage; ranges: Record<string, ByteRange> };

// Headers the model derives from node fields; they are not kept in `headers`.
const DERIVED = new Set([
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-id',
  'mime-version',
]);
const utf8 = new TextDecoder();

function fromBinary(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** A header value for the tree: encoded words decoded, addresses in canonical form. */
function decodeHeader(name: string, raw: string): string {
  const text = utf8.decode(fromBinary(raw)); // raw UTF-8 headers (RFC 6532) read as UTF-8
  if (isAddressHeader(name)) return formatAddressList(parseAddressList(text));
  return decodeWords(text);
}

type Ctx = { s: string; bytes: Uint8Array; ids: number; ranges: Record<string, ByteRange> };

function rangeOf(e: RawEntity): ByteRange {
  return { start: e.start, headerEnd: e.headerEnd, bodyStart: e.bodyStart, end: e.end };
}

async function decodeEntity(e: RawEntity, ctx: Ctx, mapRanges: boolean): Promise<MimeNode> {
  const id = `p${++ctx.ids}`;
  if (mapRanges) ctx.ranges[id] = rangeOf(e);
  const ct = parseParams(headerValue(e.headers, 'content-type') ?? 'text/plain; charset=us-ascii');
  const cte = (headerValue(e.headers, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  const encoding: TransferEncoding = cte === 'base64' || cte === 'quoted-printable' || cte === '8bit' ? cte : '7bit';
  const headers: Header[] = e.headers
    .filter((h) => !DERIVED.has(h.name.toLowerCase()))
    .map((h) => ({ name: h.name, value: decodeHeader(h.name, h.value) }));

  if (ct.value.startsWith('multipart/')) {
    const sub = ct.value.slice(10);
    const subtype: MultipartSubtype = sub === 'alternative' || sub === 'related' ? sub : 'mixed';
    const children: MimeNode[] = [];
    for (const c of e.children) children.push(await decodeEntity(c, ctx, mapRanges));
    return {
      id,
      kind: 'multipart',
      contentType: `multipart/${subtype}`,
      children,
      headers,
      encoding: encoding === '8bit' ? '8bit' : 'auto',
    };
  }

  const entityBytes = ctx.bytes.subarray(e.start, e.end);
  const rawBody = ctx.bytes.subarray(e.bodyStart, e.end);
  const identity = encoding === '7bit' || encoding === '8bit';

  if (ct.value === 'message/rfc822') {
    if (identity) {
      const inner = splitEntity(ctx.s, e.bodyStart, e.end);
      return {
        id,
        kind: 'message',
        contentType: 'message/rfc822',
        headers,
        encoding,
        message: await toMessage(inner, ctx, mapRanges),
      };
    }
    // Not allowed (RFC 2046 5.2.1) but seen: let postal-mime undo the encoding, then parse apart.
    const email = await PostalMime.parse(entityBytes, { forceRfc822Attachments: true });
    const inner = new Uint8Array((email.attachments[0]?.content as ArrayBuffer) ?? new ArrayBuffer(0));
    const parsed = await parseMessage(inner);
    return { id, kind: 'message', contentType: 'message/rfc822', headers, encoding: 'auto', message: parsed.message };
  }

  const email = await PostalMime.parse(entityBytes, { attachmentEncoding: 'arraybuffer' });
  const att = email.attachments[0];
  const isText = (ct.value === 'text/plain' || ct.value === 'text/html') && !att;
  if (isText) {
    let value = (ct.value === 'text/html' ? email.html : email.text) ?? '';
    value = value.replace(/\r\n?/g, '\n');
    // postal-mime reads line by line and ends the last line with "\n" even when the part has
    // no final line break; the raw body tells whether it had one.
    const endsWithBreak =
      encoding === 'base64'
        ? true
        : /(^|[^=])\r?\n$/.test(binaryString(rawBody.subarray(Math.max(0, rawBody.length - 3))));
    if (!endsWithBreak && value.endsWith('\n')) value = value.slice(0, -1);
    return {
      id,
      kind: 'text',
      contentType: ct.value as 'text/plain' | 'text/html',
      charset: (ct.params.charset ?? 'us-ascii').toLowerCase(),
      text: value,
      headers,
      encoding,
    };
  }
  let data: Uint8Array;
  if (identity) data = rawBody.slice();
  else if (encoding === 'quoted-printable') data = decodeQuotedPrintable(binaryString(rawBody));
  else data = new Uint8Array((att?.content as ArrayBuffer | undefined) ?? new ArrayBuffer(0));
  const contentId = (att?.contentId ?? headerValue(e.headers, 'content-id'))?.trim().replace(/^<|>$/g, '');
  // postal-mime reports no attachment for an empty part; read its plain filename directly.
  const filename = att
    ? att.filename
    : parseParams(headerValue(e.headers, 'content-disposition') ?? '').params.filename;
  const disposition = att ? att.disposition : parseParams(headerValue(e.headers, 'content-disposition') ?? '').value;
  return {
    id,
    kind: 'attachment',
    contentType: ct.value,
    data,
    headers,
    encoding,
    disposition: disposition === 'inline' || (!disposition && contentId) ? 'inline' : 'attachment',
    ...(filename ? { filename } : {}),
    ...(contentId ? { contentId } : {}),
  };
}

async function toMessage(e: RawEntity, ctx: Ctx, mapRanges: boolean): Promise<MimeMessage> {
  // Top-level Content-* headers describe the body; the rest belong to the message.
  const own = e.headers.filter(
    (h) => !h.name.toLowerCase().startsWith('content-') && h.name.toLowerCase() !== 'mime-version',
  );
  const bodyEntity: RawEntity = { ...e, headers: e.headers.filter((h) => h.name.toLowerCase().startsWith('content-')) };
  const body = await decodeEntity(bodyEntity, ctx, mapRanges);
  return { headers: own.map((h) => ({ name: h.name, value: decodeHeader(h.name, h.value) })), body };
}

/** Parses raw message bytes into the tree; ranges give each node's bytes in `raw`. */
export async function parseMessage(raw: Uint8Array | string): Promise<Parsed> {
  const bytes = typeof raw === 'string' ? new TextEncoder().encode(raw) : raw;
  const s = binaryString(bytes);
  if (!/^[\x21-\x39\x3b-\x7e]+:|^\r?\n/.test(s)) {
    throw new MimeError(
      'NOT_A_MESSAGE',
      'This does not start with a header line ("Name: value"); paste the whole message, headers included.',
    );
  }
  const ctx: Ctx = { s, bytes, ids: 0, ranges: {} };
  try {
    const message = await toMessage(splitEntity(s, 0, s.length), ctx, true);
    return { message, ranges: ctx.ranges };
  } catch (err) {
    if (err instanceof MimeError) throw err;
    throw new MimeError(
      'PARSE_FAILED',
      `The message could not be taken apart (${(err as Error).message}); check that it is a complete RFC 5322 message.`,
    );
  }
}
