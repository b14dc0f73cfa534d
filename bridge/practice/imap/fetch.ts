// FETCH data items (RFC 3501 section 6.4.5): parsing the attribute list and rendering one
// message's response items from its metadata and raw bytes. Pure: raw bytes are a Uint8Array.
import { bodyStructureChunks } from './bodystructure.ts';
import { type Chunk, flagList, imapDateTime, literal, merged } from './encode.ts';
import { buildEnvelope, envelopeChunks } from './envelope.ts';
import { header, type MimePart, parseMimeStructure, partAt } from './mime-structure.ts';
import { decodeTransfer } from './transfer.ts';
import type { MessageMeta } from '../mailstore-types.ts';
import type { CachedMessage } from './message-cache.ts';
import { ArgumentError, CommandRefusal, type Token } from './parser.ts';

export type SectionSpec =
  | { kind: 'all' }
  | { kind: 'header' }
  | { kind: 'text' }
  | { kind: 'mime' }
  | { kind: 'fields'; not: boolean; fields: string[] };

export type FetchAttr =
  | { kind: 'FLAGS' | 'UID' | 'INTERNALDATE' | 'RFC822.SIZE' | 'ENVELOPE' | 'BODY' | 'BODYSTRUCTURE' }
  /** MODSEQ (RFC 7162 section 3.1.4.1). */
  | { kind: 'MODSEQ' }
  | { kind: 'RFC822' | 'RFC822.HEADER' | 'RFC822.TEXT' }
  | {
      kind: 'section';
      peek: boolean;
      path: number[];
      spec: SectionSpec;
      partial: [number, number] | null;
      label: string;
    }
  /** BINARY[path], BINARY.PEEK[path], BINARY.SIZE[path]: a part with its transfer encoding undone (RFC 3516). */
  | { kind: 'binary'; peek: boolean; size: boolean; path: number[]; partial: [number, number] | null };

const SIMPLE = new Set([
  'FLAGS',
  'UID',
  'INTERNALDATE',
  'RFC822.SIZE',
  'ENVELOPE',
  'BODY',
  'BODYSTRUCTURE',
  'RFC822',
  'RFC822.HEADER',
  'RFC822.TEXT',
  'MODSEQ',
]);
const MACROS: Record<string, string[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};
const SECTION_ATOM = /^BODY(\.PEEK)?\[([^\]]*)\](?:<(\d{1,10})\.(\d{1,10})>)?$/i;
// section-binary = "[" [section-part] "]" (RFC 3516 section 7): part numbers only.
const BINARY_ATOM =
  /^BINARY(\.PEEK|\.SIZE)?\[((?:[1-9][0-9]{0,8})(?:\.[1-9][0-9]{0,8})*)?\](?:<(\d{1,10})\.(\d{1,10})>)?$/i;

/** The attribute argument of FETCH: a macro, one item or a parenthesised list. */
export function parseFetchAttributes(token: Token | undefined): FetchAttr[] {
  if (!token) throw new ArgumentError('FETCH needs data items, e.g. FETCH 1:* (FLAGS ENVELOPE).');
  if (token.type === 'atom' && MACROS[token.value.toUpperCase()]) {
    return MACROS[token.value.toUpperCase()].map((k) => parseFetchAttribute(k));
  }
  const items = token.type === 'list' ? token.items : [token];
  if (!items.length) throw new ArgumentError('The FETCH item list is empty.');
  return items.map((t) => {
    if (t.type !== 'atom') throw new ArgumentError('FETCH items are names such as FLAGS or BODY.PEEK[HEADER].');
    return parseFetchAttribute(t.value);
  });
}

export function parseFetchAttribute(text: string): FetchAttr {
  const upper = text.toUpperCase();
  if (SIMPLE.has(upper)) return { kind: upper } as FetchAttr;
  const b = BINARY_ATOM.exec(text);
  if (b) {
    const size = b[1]?.toUpperCase() === '.SIZE';
    const partial: [number, number] | null = b[3] !== undefined ? [Number(b[3]), Number(b[4])] : null;
    if (size && partial) {
      throw new ArgumentError(
        'BINARY.SIZE takes no <origin.length> (RFC 3516 section 7); stricter than Dovecot, which ignores it.',
      );
    }
    if (partial && partial[1] === 0) throw new ArgumentError('A partial fetch <origin.length> needs a length above 0.');
    return {
      kind: 'binary',
      peek: size || b[1]?.toUpperCase() === '.PEEK',
      size,
      path: b[2] ? b[2].split('.').map(Number) : [],
      partial,
    };
  }
  if (/^BINARY/i.test(text)) {
    throw new ArgumentError(
      `"${text.slice(0, 60)}" is not a BINARY item: a BINARY section is part numbers only (RFC 3516 section 7), ` +
        'as in BINARY[1.2], BINARY.PEEK[1]<0.100> or BINARY.SIZE[1]; stricter than Dovecot, which also takes BINARY[HEADER].',
    );
  }
  const m = SECTION_ATOM.exec(text);
  if (!m)
    throw new ArgumentError(
      `Unknown FETCH item "${text}". Try FLAGS, UID, ENVELOPE, BODYSTRUCTURE, BODY[] or BODY.PEEK[HEADER].`,
    );
  const { path, spec, label } = parseSection(m[2]);
  const partial: [number, number] | null = m[3] !== undefined ? [Number(m[3]), Number(m[4])] : null;
  if (partial && partial[1] === 0) throw new ArgumentError('A partial fetch <origin.length> needs a length above 0.');
  return { kind: 'section', peek: Boolean(m[1]), path, spec, partial, label };
}

function parseSection(text: string): { path: number[]; spec: SectionSpec; label: string } {
  const m = /^((?:[1-9][0-9]*\.)*[1-9][0-9]*)?\.?(.*)$/s.exec(text.trim());
  const path = m && m[1] ? m[1].split('.').map(Number) : [];
  const rest = (m ? m[2] : text).trim();
  const upper = rest.toUpperCase();
  const prefix = path.length ? path.join('.') + (rest ? '.' : '') : '';
  if (upper === '') return { path, spec: { kind: 'all' }, label: prefix };
  if (upper === 'HEADER' || upper === 'TEXT')
    return { path, spec: { kind: upper === 'HEADER' ? 'header' : 'text' }, label: prefix + upper };
  if (upper === 'MIME') {
    if (!path.length) throw new ArgumentError('MIME needs a part number, e.g. BODY[1.MIME].');
    return { path, spec: { kind: 'mime' }, label: prefix + upper };
  }
  const f = /^HEADER\.FIELDS(\.NOT)?\s*\(([^)]*)\)$/i.exec(rest);
  if (f) {
    const fields = f[2]
      .split(/\s+/)
      .map((s) => s.replace(/^"|"$/g, ''))
      .filter(Boolean);
    if (!fields.length) throw new ArgumentError('HEADER.FIELDS needs at least one field name.');
    const label = `${prefix}HEADER.FIELDS${f[1] ? '.NOT' : ''} (${fields.map((x) => x.toUpperCase()).join(' ')})`;
    return { path, spec: { kind: 'fields', not: Boolean(f[1]), fields }, label };
  }
  throw new ArgumentError(
    `Unknown section "${text}". Use HEADER, TEXT, MIME, HEADER.FIELDS (...) or part numbers like 1.2.`,
  );
}

/** True when an item needs the stored bytes (not only the metadata). */
export function needsBody(attrs: FetchAttr[]): boolean {
  return attrs.some((a) => !['FLAGS', 'UID', 'INTERNALDATE', 'RFC822.SIZE', 'MODSEQ'].includes(a.kind));
}

/** True when fetching these items marks the message \Seen (RFC 3501 section 6.4.5). */
export function setsSeen(attrs: FetchAttr[]): boolean {
  return attrs.some(
    (a) =>
      a.kind === 'RFC822' || a.kind === 'RFC822.TEXT' || ((a.kind === 'section' || a.kind === 'binary') && !a.peek),
  );
}

export interface FetchMessage {
  uid: number;
  flags: string[]; // \Recent included when the session holds it
  internalDate: Date;
  size: number;
  raw: Uint8Array | null;
  modseq: number;
  /** The MIME tree of `raw` when the caller has it already (message-cache.ts). */
  tree?: MimePart;
  /** ENVELOPE's chunks when the caller has them already. */
  envelope?: Chunk[];
}

/**
 * One message as renderFetchItems reads it: its flags and metadata as they are now, the cached
 * bytes and MIME tree when the attributes need them, and ENVELOPE rendered once per cached message.
 */
export function fetchMessage(
  meta: MessageMeta,
  flags: string[],
  cached: CachedMessage | null,
  wantsEnvelope: boolean,
): FetchMessage {
  return {
    uid: meta.uid,
    flags,
    internalDate: meta.internalDate,
    size: meta.size,
    modseq: meta.modseq,
    raw: cached?.raw ?? null,
    tree: cached?.root,
    envelope: cached && wantsEnvelope ? (cached.envelope ??= envelopeChunks(buildEnvelope(cached.root))) : undefined,
  };
}

/** The parenthesised items of one `* n FETCH (...)` response. */
export function renderFetchItems(msg: FetchMessage, attrs: FetchAttr[], withUid: boolean): Chunk[] {
  // Called once per message of a FETCH 1:*: no closure is made per call, and the items go into
  // one list whose adjacent strings are merged once at the end (issue 18).
  let root: MimePart | null = msg.tree ?? null;
  const raw = msg.raw ?? EMPTY;
  const out: Chunk[] = ['('];
  // UID FETCH always reports the UID (RFC 3501 section 6.4.8).
  if (withUid && !hasItem(attrs, 'UID')) out.push(`UID ${msg.uid}`);
  for (const a of attrs) {
    if (out.length > 1) out.push(' ');
    switch (a.kind) {
      case 'FLAGS':
        out.push(`FLAGS ${flagList(msg.flags)}`);
        break;
      case 'UID':
        out.push(`UID ${msg.uid}`);
        break;
      case 'MODSEQ':
        out.push(`MODSEQ (${msg.modseq})`);
        break;
      case 'INTERNALDATE':
        out.push(`INTERNALDATE "${imapDateTime(msg.internalDate)}"`);
        break;
      case 'RFC822.SIZE':
        out.push(`RFC822.SIZE ${msg.size}`);
        break;
      case 'ENVELOPE':
        out.push('ENVELOPE ', ...(msg.envelope ?? envelopeChunks(buildEnvelope((root ??= parseMimeStructure(raw))))));
        break;
      case 'BODY':
      case 'BODYSTRUCTURE':
        root ??= parseMimeStructure(raw);
        out.push(`${a.kind} `, ...bodyStructureChunks(raw, root, a.kind === 'BODYSTRUCTURE'));
        break;
      case 'RFC822':
        out.push('RFC822 ', ...literal(raw));
        break;
      case 'RFC822.HEADER':
        root ??= parseMimeStructure(raw);
        out.push('RFC822.HEADER ', ...literal(raw.subarray(0, root.bodyStart)));
        break;
      case 'RFC822.TEXT':
        root ??= parseMimeStructure(raw);
        out.push('RFC822.TEXT ', ...literal(raw.subarray(root.bodyStart)));
        break;
      case 'section': {
        root ??= parseMimeStructure(raw);
        let bytes = sectionBytes(raw, root, a.path, a.spec);
        let label = `BODY[${a.label}]`;
        if (a.partial) {
          const [origin, length] = a.partial;
          bytes = bytes.subarray(Math.min(origin, bytes.length), Math.min(origin + length, bytes.length));
          label += `<${origin}>`;
        }
        out.push(label + ' ', ...literal(bytes));
        break;
      }
      case 'binary': {
        root ??= parseMimeStructure(raw);
        let bytes = binaryBytes(raw, root, a.path);
        const label = `BINARY${a.size ? '.SIZE' : ''}[${a.path.join('.')}]`;
        if (a.size) {
          out.push(`${label} ${bytes.length}`);
          break;
        }
        let suffix = '';
        if (a.partial) {
          const [origin, length] = a.partial;
          bytes = bytes.subarray(Math.min(origin, bytes.length), Math.min(origin + length, bytes.length));
          suffix = `<${origin}>`;
        }
        // Decoded content with NUL in it goes as a literal8 (RFC 3516 sections 4.2, 5).
        out.push(`${label}${suffix} `, ...(bytes.includes(0) ? ['~'] : []), ...literal(bytes));
        break;
      }
    }
  }
  out.push(')');
  return merged(out);
}

const EMPTY = new Uint8Array(0);

/** True when the items name `kind` (a loop, not a closure: it runs once per message). */
export function hasItem(attrs: readonly FetchAttr[], kind: FetchAttr['kind']): boolean {
  for (const a of attrs) if (a.kind === kind) return true;
  return false;
}

/** The bytes a section names; empty when the part does not exist (as Dovecot answers). */
export function sectionBytes(raw: Uint8Array, root: MimePart, path: number[], spec: SectionSpec): Uint8Array {
  const part = path.length ? partAt(root, path) : root;
  if (!part) return new Uint8Array(0);
  if (spec.kind === 'all') return path.length ? raw.subarray(part.bodyStart, part.bodyEnd) : raw;
  if (spec.kind === 'mime') return raw.subarray(part.headerStart, part.bodyStart);
  // HEADER, TEXT and HEADER.FIELDS of a part apply to its encapsulated message (message/rfc822).
  const message = path.length ? part.message : root;
  if (!message) return new Uint8Array(0);
  if (spec.kind === 'header') return raw.subarray(message.headerStart, message.bodyStart);
  if (spec.kind === 'text') return raw.subarray(message.bodyStart, message.bodyEnd);
  const wanted = new Set(spec.fields.map((f) => f.toLowerCase()));
  const pieces = message.headers
    .filter((h) => wanted.has(h.name.toLowerCase()) !== spec.not)
    .map((h) => raw.subarray(h.start, h.end));
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0) + 2);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  out.set([13, 10], at); // the blank line that ends a header (RFC 3501: it is included)
  return out;
}

/**
 * BINARY content: the whole message as stored for BINARY[], else the part's body with its
 * Content-Transfer-Encoding undone; an encoding the server cannot undo is NO [UNKNOWN-CTE]
 * (RFC 3516 section 4.2). A part that does not exist is empty, as for BODY[].
 */
export function binaryBytes(raw: Uint8Array, root: MimePart, path: number[]): Uint8Array {
  if (!path.length) return raw;
  const part = partAt(root, path);
  if (!part) return new Uint8Array(0);
  const body = raw.subarray(part.bodyStart, part.bodyEnd);
  const cte = (header(part, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  const decoded = decodeTransfer(body, cte);
  if (!decoded) {
    const text = `Part ${path.join('.')} has Content-Transfer-Encoding "${cte.slice(0, 40)}", which this server cannot decode.`;
    throw new CommandRefusal('UNKNOWN-CTE', text);
  }
  return decoded;
}
