// A structural MIME splitter over the raw bytes of a stored message: headers and body of every part,
// with offsets, so FETCH can send BODY[1.2], BODY[1.MIME], BODY[2.HEADER] byte-exact and
// BODYSTRUCTURE can give sizes and line counts (RFC 3501 section 6.4.5, RFC 2045/2046). Pure.

export interface HeaderField {
  /** As written, e.g. "Content-Type". */
  name: string;
  /** Unfolded value, encoded words left as they are. */
  value: string;
  /** Byte range of the whole field, folded lines and final line break included. */
  start: number;
  end: number;
}

export interface ContentType {
  type: string; // lower-case, e.g. "text"
  subtype: string; // lower-case, e.g. "plain"
  params: Array<[string, string]>;
}

export interface MimePart {
  headerStart: number;
  /** Where the body starts (after the blank line). */
  bodyStart: number;
  bodyEnd: number;
  headers: HeaderField[];
  contentType: ContentType;
  /** Sub-parts of a multipart. */
  children: MimePart[];
  /** The encapsulated message of a message/rfc822 part. */
  message: MimePart | null;
}

const decoder = new TextDecoder('utf-8', { fatal: false });
const MAX_DEPTH = 20;

export function parseMimeStructure(raw: Uint8Array): MimePart {
  return parsePart(raw, 0, raw.length, null, 0);
}

export function header(part: MimePart, name: string): string | null {
  const lower = name.toLowerCase();
  const field = part.headers.find((h) => h.name.toLowerCase() === lower);
  return field ? field.value : null;
}

function parsePart(
  raw: Uint8Array,
  start: number,
  end: number,
  parentType: ContentType | null,
  depth: number,
): MimePart {
  const bodyStart = findBodyStart(raw, start, end);
  const headers = parseHeaders(raw, start, bodyStart);
  const ctHeader = headers.find((h) => h.name.toLowerCase() === 'content-type');
  const fallback: ContentType =
    parentType?.type === 'multipart' && parentType.subtype === 'digest'
      ? { type: 'message', subtype: 'rfc822', params: [] }
      : { type: 'text', subtype: 'plain', params: [['charset', 'us-ascii']] };
  const contentType = (ctHeader && parseContentType(ctHeader.value)) || fallback;
  const part: MimePart = {
    headerStart: start,
    bodyStart,
    bodyEnd: end,
    headers,
    contentType,
    children: [],
    message: null,
  };
  if (depth >= MAX_DEPTH) return part;
  const boundary = param(contentType.params, 'boundary');
  if (contentType.type === 'multipart' && boundary) {
    part.children = splitMultipart(raw, bodyStart, end, boundary).map(([s, e]) =>
      parsePart(raw, s, e, contentType, depth + 1),
    );
  } else if (contentType.type === 'message' && contentType.subtype === 'rfc822') {
    part.message = parsePart(raw, bodyStart, end, null, depth + 1);
  }
  return part;
}

export function param(params: Array<[string, string]>, name: string): string | null {
  const hit = params.find(([k]) => k === name);
  return hit ? hit[1] : null;
}

/** Offset just past the blank line ending the header; `end` when there is none. */
function findBodyStart(raw: Uint8Array, start: number, end: number): number {
  // A part that starts with a blank line has no header at all.
  if (raw[start] === 13 && raw[start + 1] === 10) return start + 2;
  if (raw[start] === 10) return start + 1;
  for (let i = start; i < end; i++) {
    if (raw[i] !== 10) continue;
    if (raw[i + 1] === 10) return Math.min(i + 2, end);
    if (raw[i + 1] === 13 && raw[i + 2] === 10) return Math.min(i + 3, end);
  }
  return end;
}

function parseHeaders(raw: Uint8Array, start: number, end: number): HeaderField[] {
  const fields: HeaderField[] = [];
  let at = start;
  while (at < end) {
    let lineEnd = raw.indexOf(10, at);
    lineEnd = lineEnd === -1 || lineEnd >= end ? end : lineEnd + 1;
    const first = raw[at];
    if (first === 32 || first === 9) {
      const last = fields[fields.length - 1];
      if (last) {
        last.end = lineEnd;
        last.value += ' ' + decoder.decode(raw.subarray(at, lineEnd)).trim();
      }
    } else {
      const line = decoder.decode(raw.subarray(at, lineEnd));
      const colon = line.indexOf(':');
      if (colon > 0 && line.trim() !== '') {
        fields.push({
          name: line.slice(0, colon).trim(),
          value: line.slice(colon + 1).trim(),
          start: at,
          end: lineEnd,
        });
      }
    }
    at = lineEnd;
  }
  return fields;
}

/** Byte ranges of the body parts between `--boundary` delimiter lines (RFC 2046 section 5.1.1). */
function splitMultipart(raw: Uint8Array, start: number, end: number, boundary: string): Array<[number, number]> {
  const delim = new TextEncoder().encode('--' + boundary);
  const ranges: Array<[number, number]> = [];
  let partStart = -1;
  let lineStart = start;
  while (lineStart < end) {
    let lineEnd = raw.indexOf(10, lineStart);
    lineEnd = lineEnd === -1 || lineEnd >= end ? end : lineEnd + 1;
    if (startsWith(raw, lineStart, delim)) {
      const after = lineStart + delim.length;
      const closing = raw[after] === 45 && raw[after + 1] === 45;
      if (isBlankTail(raw, closing ? after + 2 : after, lineEnd)) {
        // The line break before the delimiter belongs to the delimiter.
        if (partStart >= 0) ranges.push([partStart, Math.max(partStart, lineBreakStart(raw, lineStart, partStart))]);
        if (closing) return ranges;
        partStart = lineEnd;
      }
    }
    lineStart = lineEnd;
  }
  if (partStart >= 0 && partStart < end) ranges.push([partStart, end]); // no closing delimiter: take the rest
  return ranges;
}

function lineBreakStart(raw: Uint8Array, lineStart: number, floor: number): number {
  let at = lineStart;
  if (at > floor && raw[at - 1] === 10) at--;
  if (at > floor && raw[at - 1] === 13) at--;
  return at;
}

function startsWith(raw: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > raw.length) return false;
  for (let i = 0; i < prefix.length; i++) if (raw[at + i] !== prefix[i]) return false;
  return true;
}

function isBlankTail(raw: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (![32, 9, 13, 10].includes(raw[i])) return false;
  return true;
}

/** "text/plain; charset=utf-8; name=\"a b.txt\"" -> parts; null when there is no type/subtype. */
export function parseContentType(value: string): ContentType | null {
  const [head, params] = splitParams(value);
  const m = /^\s*([^\s/;]+)\s*\/\s*([^\s;]+)\s*$/.exec(head);
  if (!m) return null;
  return { type: m[1].toLowerCase(), subtype: m[2].toLowerCase(), params };
}

/** "attachment; filename=a.png" -> ["attachment", [["filename","a.png"]]]. */
export function splitParams(value: string): [string, Array<[string, string]>] {
  const params: Array<[string, string]> = [];
  const semi = value.indexOf(';');
  const head = semi === -1 ? value : value.slice(0, semi);
  let rest = semi === -1 ? '' : value.slice(semi + 1);
  const re = /^\s*([^=\s;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))\s*;?/;
  for (;;) {
    const m = re.exec(rest);
    if (!m) break;
    params.push([m[1].toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]]);
    rest = rest.slice(m[0].length);
  }
  return [head.trim(), params];
}

/** Lines in a byte range, as BODYSTRUCTURE counts them: line breaks, plus a last unterminated line. */
export function countLines(raw: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (raw[i] === 10) n++;
  if (end > start && raw[end - 1] !== 10) n++;
  return n;
}

/** The part a section path names ("1.2" -> [1,2]); null when there is no such part. */
export function partAt(root: MimePart, path: number[]): MimePart | null {
  // `container` is a message or multipart whose numbered children the next step picks from;
  // a non-multipart message has exactly one part, its body, numbered 1 (RFC 3501 6.4.5).
  let container: MimePart | null = root;
  let part: MimePart | null = null;
  for (const n of path) {
    if (!container) return null;
    const fromMultipart = container.contentType.type === 'multipart';
    if (fromMultipart) part = container.children[n - 1] ?? null;
    else part = n === 1 ? container : null;
    if (!part) return null;
    // A leaf inside a multipart answers "1" with itself, as Dovecot does; the body of a
    // single-part message has no parts below it.
    if (part.message) container = part.message;
    else if (part.contentType.type === 'multipart' || fromMultipart) container = part;
    else container = null;
  }
  return part;
}
