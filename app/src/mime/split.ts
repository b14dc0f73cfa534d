// A minimal structural splitter: finds each entity's header block and body, and the body
// parts of a multipart by its boundary (RFC 2046 5.1.1), with byte offsets. It decodes
// nothing; decoding is postal-mime's job (see parse.ts for why both are needed).

export type RawHeader = { name: string; value: string };
export type RawEntity = {
  start: number;
  headerEnd: number;
  bodyStart: number;
  end: number;
  /** Unfolded header lines; values are binary strings (one char per byte). */
  headers: RawHeader[];
  children: RawEntity[];
};

/** One char per byte, so string offsets are byte offsets. */
export function binaryString(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return s;
}

export function headerValue(headers: RawHeader[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name)?.value;
}

/** The value and lower-cased parameters of a Content-Type-like header (plain and quoted values). */
export function parseParams(value: string): { value: string; params: Record<string, string> } {
  const [head, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  const re = /;\s*([^=\s;]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^;\s]*)/g;
  for (const m of value.matchAll(re))
    params[m[1].toLowerCase()] = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[2];
  void rest;
  return { value: head.trim().toLowerCase(), params };
}

function parseHeaderBlock(block: string): RawHeader[] {
  const out: RawHeader[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length) {
      out[out.length - 1].value += line; // RFC 5322 2.2.3: unfolding removes only the CRLF
    } else {
      const i = line.indexOf(':');
      if (i > 0) out.push({ name: line.slice(0, i).trim(), value: line.slice(i + 1).replace(/^[ \t]+/, '') });
    }
  }
  for (const h of out) h.value = h.value.replace(/[ \t]+$/, '');
  return out;
}

/** Splits the entity in s[start, end); `depth` guards against absurd nesting. */
export function splitEntity(s: string, start: number, end: number, depth = 0): RawEntity {
  if (depth > 64) throw new Error('MIME nesting deeper than 64 levels');
  let headerEnd: number;
  let bodyStart: number;
  if (s.startsWith('\r\n', start) || s.startsWith('\n', start)) {
    headerEnd = start; // no headers: defaults apply (RFC 2045 5.2)
    bodyStart = start + (s[start] === '\r' ? 2 : 1);
  } else {
    const m = /\r?\n\r?\n/g;
    m.lastIndex = start;
    const hit = m.exec(s);
    if (!hit || hit.index >= end) {
      headerEnd = end;
      bodyStart = end;
    } else {
      headerEnd = hit.index + (s[hit.index] === '\r' ? 2 : 1);
      bodyStart = hit.index + hit[0].length;
    }
  }
  const headers = parseHeaderBlock(s.slice(start, headerEnd));
  const entity: RawEntity = { start, headerEnd, bodyStart, end, headers, children: [] };
  const ct = parseParams(headerValue(headers, 'content-type') ?? 'text/plain');
  const boundary = ct.params.boundary;
  if (ct.value.startsWith('multipart/') && boundary) {
    entity.children = splitMultipart(s, bodyStart, end, boundary).map(([a, b]) => splitEntity(s, a, b, depth + 1));
  }
  return entity;
}

// Returns [start, end) of each body part. A delimiter is CRLF "--" boundary at a line start;
// the CRLF before it belongs to the delimiter (RFC 2046 5.1.1), so it is not in the part.
function splitMultipart(s: string, bodyStart: number, end: number, boundary: string): [number, number][] {
  const dash = '--' + boundary;
  const parts: [number, number][] = [];
  let partStart = -1;
  let pos = bodyStart;
  while (pos < end) {
    const at = s.indexOf(dash, pos);
    if (at < 0 || at >= end) break;
    const atLineStart = at === bodyStart || s[at - 1] === '\n';
    const after = s.slice(at + dash.length, at + dash.length + 2);
    const closing = after === '--';
    const lineEnd = s.indexOf('\n', at);
    const rest = s.slice(at + dash.length + (closing ? 2 : 0), lineEnd < 0 ? end : lineEnd).replace(/\r$/, '');
    if (!atLineStart || /[^ \t]/.test(rest)) {
      pos = at + dash.length;
      continue;
    }
    if (partStart >= 0) {
      let partEnd = at;
      if (partEnd > partStart && s[partEnd - 1] === '\n') partEnd--;
      if (partEnd > partStart && s[partEnd - 1] === '\r') partEnd--;
      parts.push([partStart, Math.max(partStart, partEnd)]);
    }
    if (closing) return parts;
    partStart = lineEnd < 0 ? end : lineEnd + 1;
    pos = partStart;
  }
  if (partStart >= 0 && partStart < end) parts.push([partStart, end]); // missing close delimiter
  return parts;
}
