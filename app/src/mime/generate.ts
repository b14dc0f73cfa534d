// The generator: a MimeMessage -> RFC 5322 + RFC 2045-2049 bytes, plus where each node's
// headers and body lie in the output and each part's size before and after encoding.
// Works on Uint8Array chunks joined once at the end, so large attachments are not copied
// through strings; pure (no DOM, no Node APIs), usable in a Web Worker.
import { encodeAttachment, encodeText, lineStats, type EncodedBody } from './body.ts';
import { encodedWordParamPieces, paramHeader, paramPieces } from './encode/rfc2231.ts';
import { MimeError } from './errors.ts';
import { cryptoRandom, formatDate, makeMessageId, randomHex, renderHeader, type RandomSource } from './headers.ts';
import { validate, type Header, type MimeMessage, type MimeNode, type TransferEncoding } from './tree.ts';

export type GenerateOptions = {
  /** Clock for the Date and Message-ID headers when the message has none. */
  now?: () => Date;
  /** Random bytes for boundaries and Message-ID. */
  random?: RandomSource;
  /** Domain part of a generated Message-ID. */
  domain?: string;
  /**
   * Also write a non-ASCII filename as name="=?UTF-8?...?=" on Content-Type, the RFC 2047
   * fallback many clients send and read (default true). RFC 2047 5 does not allow encoded words
   * in quoted strings, so strict parsers (Python's email) note a defect; false writes name*=
   * in RFC 2231 form instead.
   */
  legacyNameParam?: boolean;
};

/** Offsets into the output: [start, headerEnd) are the header lines, [bodyStart, end) the body. */
export type ByteRange = { start: number; headerEnd: number; bodyStart: number; end: number };
export type PartSize = { decoded: number; encoded: number; encoding: TransferEncoding };

export type Generated = {
  bytes: Uint8Array;
  ranges: Record<string, ByteRange>;
  sizes: Record<string, PartSize>;
  /** The top-level headers as written, including any Date and Message-ID added. */
  headers: Header[];
};

const enc = new TextEncoder();
const CRLF = enc.encode('\r\n');

// Output under construction. `safe` chunks are base64 or quoted-printable bodies, which can
// never contain "=_" (nor "-" next to it in base64), so never a boundary of ours; only the
// other chunks are searched. Base64 chunks stay unwritten until join() (see EncodedBody).
type Chunk = { b: Uint8Array | null; body: EncodedBody; safe: boolean };

class Out {
  chunks: Chunk[] = [];
  length = 0;
  ranges: Record<string, ByteRange> = {};
  sizes: Record<string, PartSize> = {};
  push(body: EncodedBody, safe = false): void {
    if (body.length === 0) return;
    this.chunks.push({ b: body instanceof Uint8Array ? body : null, body, safe });
    this.length += body.length;
  }
  text(s: string): void {
    this.push(enc.encode(s));
  }
  append(o: Out): void {
    const base = this.length;
    for (const c of o.chunks) this.push(c.body, c.safe);
    for (const [id, r] of Object.entries(o.ranges)) {
      this.ranges[id] = {
        start: r.start + base,
        headerEnd: r.headerEnd + base,
        bodyStart: r.bodyStart + base,
        end: r.end + base,
      };
    }
    Object.assign(this.sizes, o.sizes);
  }
  contains(needle: Uint8Array): boolean {
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (c.safe || !c.b) continue;
      if (indexOf(c.b, needle) >= 0) return true;
      const next = this.chunks[i + 1];
      if (next && !next.safe && next.b) {
        // A match could straddle two chunks; look at the seam.
        const seam = new Uint8Array(2 * needle.length);
        const tail = c.b.subarray(Math.max(0, c.b.length - needle.length));
        seam.set(tail);
        seam.set(next.b.subarray(0, needle.length), tail.length);
        if (indexOf(seam.subarray(0, tail.length + Math.min(needle.length, next.b.length)), needle) >= 0) return true;
      }
    }
    return false;
  }
  join(): Uint8Array {
    const all = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      if (c.body instanceof Uint8Array) all.set(c.body, o);
      else c.body.writeTo(all, o);
      o += c.body.length;
    }
    return all;
  }
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  outer: for (let i = hay.indexOf(first); i >= 0 && i <= hay.length - needle.length; i = hay.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

type Ctx = { now: () => Date; random: RandomSource; domain: string; legacyNameParam: boolean };

// RFC 2046 5.1.1: the boundary must not occur in any encapsulated part. "=_" keeps it out of
// base64 and quoted-printable text; other content is searched, and a clash draws again.
function chooseBoundary(children: Out[], ctx: Ctx): string {
  for (let attempt = 0; attempt < 16; attempt++) {
    const b = '=_mw_' + randomHex(ctx.random, 12);
    const needle = enc.encode('--' + b);
    if (!children.some((c) => c.contains(needle))) return b;
  }
  throw new MimeError(
    'BOUNDARY_CLASH',
    'No boundary could be found that is absent from the content; check the random source.',
  );
}

// Content-* header lines of a node; `extra` are parameters already decided (boundary).
function contentHeaders(node: MimeNode, ctx: Ctx, encoding: TransferEncoding | null, boundary?: string): string[] {
  const lines: string[] = [];
  if (node.kind === 'multipart') {
    lines.push(paramHeader('Content-Type', node.contentType, [paramPieces('boundary', boundary as string, true)]));
  } else if (node.kind === 'text') {
    lines.push(paramHeader('Content-Type', node.contentType, [paramPieces('charset', node.charset.toLowerCase())]));
  } else if (node.kind === 'attachment') {
    const params: string[][] = [];
    if (node.filename) {
      const legacy = ctx.legacyNameParam ? encodedWordParamPieces('name', node.filename) : null;
      params.push(legacy ?? paramPieces('name', node.filename, true));
    }
    lines.push(paramHeader('Content-Type', node.contentType, params));
  } else {
    lines.push(`Content-Type: ${node.contentType}`);
  }
  if (encoding) lines.push(`Content-Transfer-Encoding: ${encoding}`);
  if (node.kind === 'attachment') {
    lines.push(
      paramHeader(
        'Content-Disposition',
        node.disposition,
        node.filename ? [paramPieces('filename', node.filename, true)] : [],
      ),
    );
    if (node.contentId) lines.push(`Content-ID: <${node.contentId}>`);
  }
  for (const h of node.headers) lines.push(renderHeader(h.name, h.value));
  return lines;
}

// Writes one node (its header block, blank line and body) into a fresh Out.
// `leading` are header lines that come first in the same block (the message headers).
function writeNode(node: MimeNode, ctx: Ctx, leading: string[] = []): Out {
  const out = new Out();
  let bodyOut: Out;
  let headerLines: string[];
  if (node.kind === 'multipart') {
    const children = node.children.map((c) => writeNode(c, ctx));
    const boundary = chooseBoundary(children, ctx);
    headerLines = contentHeaders(node, ctx, node.encoding === '8bit' ? '8bit' : null, boundary);
    bodyOut = new Out();
    for (const c of children) {
      bodyOut.text(`--${boundary}\r\n`);
      bodyOut.append(c);
      bodyOut.push(CRLF);
    }
    bodyOut.text(`--${boundary}--\r\n`);
    out.sizes[node.id] = {
      decoded: bodyOut.length,
      encoded: bodyOut.length,
      encoding: node.encoding === '8bit' ? '8bit' : '7bit',
    };
  } else if (node.kind === 'message') {
    bodyOut = node.message instanceof Uint8Array ? rawOut(node.message) : writeMessage(node.message, ctx);
    const raw = bodyOut.join();
    const s = lineStats(raw);
    if (s.nul || s.bareEol || s.longest > 998) {
      throw new MimeError(
        'NOT_LINE_SAFE',
        'The forwarded message has NUL bytes, bare line ends or lines over 998 octets; message/rfc822 cannot be encoded (RFC 2046 5.2.1), so attach it as application/octet-stream.',
      );
    }
    const encoding: TransferEncoding = node.encoding === '8bit' || s.nonAscii > 0 ? '8bit' : '7bit';
    headerLines = contentHeaders(node, ctx, encoding);
    out.sizes[node.id] = { decoded: raw.length, encoded: raw.length, encoding };
  } else {
    const e = node.kind === 'text' ? encodeText(node) : encodeAttachment(node);
    headerLines = contentHeaders(node, ctx, e.encoding);
    bodyOut = new Out();
    bodyOut.push(e.body, e.encoding === 'base64' || e.encoding === 'quoted-printable');
    out.sizes[node.id] = { decoded: e.raw.length, encoded: e.body.length, encoding: e.encoding };
  }
  const header = [...leading, ...headerLines].map((l) => l + '\r\n').join('');
  out.text(header);
  const headerEnd = out.length;
  out.push(CRLF);
  const bodyStart = out.length;
  out.append(bodyOut);
  out.ranges[node.id] = { start: 0, headerEnd, bodyStart, end: out.length };
  return out;
}

function rawOut(b: Uint8Array): Out {
  const o = new Out();
  o.push(b);
  return o;
}

function writeMessage(msg: MimeMessage, ctx: Ctx): Out {
  return writeNode(
    msg.body,
    ctx,
    messageHeaders(msg, ctx).map((h) => renderHeader(h.name, h.value)),
  );
}

// The message's own headers plus Date, Message-ID (RFC 5322 3.6.1, 3.6.4) and MIME-Version.
function messageHeaders(msg: MimeMessage, ctx: Ctx): Header[] {
  const has = (n: string) => msg.headers.some((h) => h.name.toLowerCase() === n);
  const headers = msg.headers.filter((h) => h.name.toLowerCase() !== 'mime-version');
  const now = ctx.now();
  if (!has('date')) headers.push({ name: 'Date', value: formatDate(now) });
  if (!has('message-id')) headers.push({ name: 'Message-ID', value: makeMessageId(now, ctx.random, ctx.domain) });
  headers.push({ name: 'MIME-Version', value: '1.0' });
  return headers;
}

/** Writes the message. Throws MimeError (with a code) when the tree has errors. */
export function generate(msg: MimeMessage, opts: GenerateOptions = {}): Generated {
  const errors = validate(msg.body).filter((p) => p.severity === 'error');
  if (errors.length) throw new MimeError(errors[0].code, errors[0].message);
  const ctx: Ctx = {
    now: opts.now ?? (() => new Date()),
    random: opts.random ?? cryptoRandom,
    domain: opts.domain ?? 'mailwire.invalid',
    legacyNameParam: opts.legacyNameParam ?? true,
  };
  const headers = messageHeaders(msg, ctx);
  const out = writeNode(
    msg.body,
    ctx,
    headers.map((h) => renderHeader(h.name, h.value)),
  );
  return { bytes: out.join(), ranges: out.ranges, sizes: out.sizes, headers };
}

/** The deepest node whose bytes contain `offset` (for mapping a click in the raw text to a node). */
export function nodeAtOffset(ranges: Record<string, ByteRange>, offset: number): string | null {
  let best: string | null = null;
  let bestLen = Infinity;
  for (const [id, r] of Object.entries(ranges)) {
    if (offset >= r.start && offset < Math.max(r.end, r.bodyStart) && r.end - r.start < bestLen) {
      best = id;
      bestLen = r.end - r.start;
    }
  }
  return best;
}
