// FETCH data items (RFC 9051 section 7.5.2) into typed trees: ENVELOPE, BODYSTRUCTURE, body sections.

import { decodeEncodedWords } from '../common/encoded-words.ts';
import type { ImapValue } from './parse.ts';

export interface ImapAddress {
  name: string | null;
  adl: string | null;
  mailbox: string | null;
  host: string | null;
  address: string;
}

export interface Envelope {
  date: string | null;
  subject: string | null;
  /** The subject with RFC 2047 encoded-words decoded. */
  subjectDecoded: string | null;
  from: ImapAddress[];
  sender: ImapAddress[];
  replyTo: ImapAddress[];
  to: ImapAddress[];
  cc: ImapAddress[];
  bcc: ImapAddress[];
  inReplyTo: string | null;
  messageId: string | null;
}

export interface BodyPartCommon {
  /** The IMAP part number (1, 1.2, ...) used in BODY[1.2]; "" for the message itself when it is single-part. */
  part: string;
  disposition?: { type: string; params: Record<string, string> } | null;
}

export interface MultipartStructure extends BodyPartCommon {
  kind: 'multipart';
  subtype: string;
  parts: BodyStructure[];
  params: Record<string, string>;
}

export interface SinglePartStructure extends BodyPartCommon {
  kind: 'single';
  type: string;
  subtype: string;
  params: Record<string, string>;
  id: string | null;
  description: string | null;
  encoding: string;
  size: number;
  /** Lines of text, for text/* and message/rfc822 parts. */
  lines?: number;
  /** For message/rfc822: the attached message's envelope and structure. */
  envelope?: Envelope;
  body?: BodyStructure;
  md5?: string | null;
}

export type BodyStructure = MultipartStructure | SinglePartStructure;

export interface FetchSection {
  item: string;
  section: string;
  origin?: number;
  text: string;
  bytes?: Uint8Array;
}

export interface FetchData {
  seq: number;
  /** Every item as sent, in order (name upper-cased). */
  items: Array<{ name: string; value: ImapValue }>;
  uid?: number;
  flags?: string[];
  size?: number;
  internalDate?: string;
  modseq?: number;
  envelope?: Envelope;
  bodyStructure?: BodyStructure;
  sections: FetchSection[];
}

const str = (v: ImapValue | undefined): string | null =>
  v && (v.type === 'string' || v.type === 'atom') ? v.value : v?.type === 'number' ? String(v.value) : null;
const num = (v: ImapValue | undefined): number => (v?.type === 'number' ? v.value : Number(str(v) ?? 0));
const items = (v: ImapValue | undefined): ImapValue[] => (v?.type === 'list' ? v.items : []);

function params(v: ImapValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const l = items(v);
  for (let i = 0; i + 1 < l.length; i += 2) out[(str(l[i]) ?? '').toLowerCase()] = str(l[i + 1]) ?? '';
  return out;
}

function addresses(v: ImapValue | undefined): ImapAddress[] {
  return items(v).map((a) => {
    const [name, adl, mailbox, host] = items(a).map(str);
    const decoded = name ? decodeEncodedWords(name) : null;
    return { name: decoded, adl, mailbox, host, address: mailbox && host ? `${mailbox}@${host}` : (mailbox ?? '') };
  });
}

export function parseEnvelope(v: ImapValue): Envelope {
  const e = items(v);
  const subject = str(e[1]);
  return {
    date: str(e[0]),
    subject,
    subjectDecoded: subject === null ? null : decodeEncodedWords(subject),
    from: addresses(e[2]),
    sender: addresses(e[3]),
    replyTo: addresses(e[4]),
    to: addresses(e[5]),
    cc: addresses(e[6]),
    bcc: addresses(e[7]),
    inReplyTo: str(e[8]),
    messageId: str(e[9]),
  };
}

function disposition(v: ImapValue | undefined): BodyPartCommon['disposition'] {
  const d = items(v);
  return d.length ? { type: (str(d[0]) ?? '').toLowerCase(), params: params(d[1]) } : null;
}

/** BODYSTRUCTURE or BODY (RFC 9051 section 7.5.2, "body" in section 9). */
export function parseBodyStructure(v: ImapValue, part = ''): BodyStructure {
  const l = items(v);
  if (l[0]?.type === 'list') {
    let i = 0;
    const parts: BodyStructure[] = [];
    for (; l[i]?.type === 'list'; i++) parts.push(parseBodyStructure(l[i], part ? `${part}.${i + 1}` : String(i + 1)));
    const subtype = (str(l[i]) ?? '').toLowerCase();
    return { kind: 'multipart', part, subtype, parts, params: params(l[i + 1]), disposition: disposition(l[i + 2]) };
  }
  const type = (str(l[0]) ?? '').toLowerCase();
  const subtype = (str(l[1]) ?? '').toLowerCase();
  const node: SinglePartStructure = {
    kind: 'single',
    part: part || '1',
    type,
    subtype,
    params: params(l[2]),
    id: str(l[3]),
    description: str(l[4]),
    encoding: (str(l[5]) ?? '7bit').toUpperCase(),
    size: num(l[6]),
  };
  let ext = 7;
  if (type === 'message' && (subtype === 'rfc822' || subtype === 'global') && l[7]?.type === 'list') {
    node.envelope = parseEnvelope(l[7]);
    node.body = parseBodyStructure(l[8], node.part);
    node.lines = num(l[9]);
    ext = 10;
  } else if (type === 'text') {
    node.lines = num(l[7]);
    ext = 8;
  }
  if (l.length > ext) {
    node.md5 = str(l[ext]);
    node.disposition = disposition(l[ext + 1]);
  }
  return node;
}

export function parseFetch(seq: number, list: ImapValue): FetchData {
  const l = items(list);
  const data: FetchData = { seq, items: [], sections: [] };
  for (let i = 0; i + 1 < l.length; i += 2) {
    const name = (str(l[i]) ?? '').toUpperCase();
    const value = l[i + 1];
    data.items.push({ name, value });
    const base = name.replace(/[[<].*$/, '');
    if (base === 'UID') data.uid = num(value);
    else if (base === 'FLAGS') data.flags = items(value).map((f) => str(f) ?? '');
    else if (base === 'RFC822.SIZE') data.size = num(value);
    else if (base === 'INTERNALDATE') data.internalDate = str(value) ?? undefined;
    else if (base === 'MODSEQ') data.modseq = num(items(value)[0]);
    else if (base === 'ENVELOPE') data.envelope = parseEnvelope(value);
    else if (base === 'BODYSTRUCTURE' || (base === 'BODY' && !name.includes('[')))
      data.bodyStructure = parseBodyStructure(value);
    else if (name.includes('[') || base === 'RFC822' || base === 'RFC822.HEADER' || base === 'RFC822.TEXT') {
      const m = /\[(.*)\](?:<(\d+)>)?$/.exec(name);
      const section: FetchSection = { item: name, section: m ? m[1] : base, text: str(value) ?? '' };
      if (m?.[2]) section.origin = Number(m[2]);
      if (value.type === 'string' && value.bytes) section.bytes = value.bytes;
      data.sections.push(section);
    }
  }
  return data;
}

/** A generic tree for rendering: every FETCH result, envelope and body part as labelled nodes. */
export interface TreeNode {
  label: string;
  value?: string;
  children?: TreeNode[];
}

function addrText(a: ImapAddress[]): string {
  return a.map((x) => (x.name ? `${x.name} <${x.address}>` : x.address)).join(', ');
}

export function envelopeTree(e: Envelope): TreeNode[] {
  const rows: Array<[string, string | null]> = [
    ['date', e.date],
    ['subject', e.subjectDecoded],
    ['from', addrText(e.from)],
    ['sender', addrText(e.sender)],
    ['reply-to', addrText(e.replyTo)],
    ['to', addrText(e.to)],
    ['cc', addrText(e.cc)],
    ['bcc', addrText(e.bcc)],
    ['in-reply-to', e.inReplyTo],
    ['message-id', e.messageId],
  ];
  return rows.filter(([, v]) => v).map(([label, v]) => ({ label, value: v as string }));
}

export function bodyStructureTree(b: BodyStructure): TreeNode {
  if (b.kind === 'multipart') {
    return { label: `${b.part || 'message'}: multipart/${b.subtype}`, children: b.parts.map(bodyStructureTree) };
  }
  const name = b.params.name ?? b.disposition?.params.filename;
  const bits = [`${b.size} octets`, b.encoding.toLowerCase()];
  if (b.params.charset) bits.push(`charset ${b.params.charset}`);
  if (b.disposition) bits.push(b.disposition.type);
  if (name) bits.push(`"${name}"`);
  const node: TreeNode = { label: `${b.part}: ${b.type}/${b.subtype}`, value: bits.join(', ') };
  if (b.envelope && b.body)
    node.children = [{ label: 'envelope', children: envelopeTree(b.envelope) }, bodyStructureTree(b.body)];
  return node;
}

export function valueTree(label: string, v: ImapValue): TreeNode {
  if (v.type === 'list') return { label, children: v.items.map((x, i) => valueTree(String(i + 1), x)) };
  if (v.type === 'nil') return { label, value: 'NIL' };
  if (v.type === 'string' && v.literal)
    return { label, value: `{${v.bytes?.length ?? 0} octets} ${v.value.slice(0, 200)}` };
  return { label, value: String(v.value) };
}

export function fetchTree(f: FetchData): TreeNode {
  const children = f.items.map(({ name, value }): TreeNode => {
    if (name === 'ENVELOPE' && f.envelope) return { label: name, children: envelopeTree(f.envelope) };
    if ((name === 'BODYSTRUCTURE' || name === 'BODY') && f.bodyStructure)
      return { label: name, children: [bodyStructureTree(f.bodyStructure)] };
    if (name === 'FLAGS') return { label: name, value: (f.flags ?? []).join(' ') || '(none)' };
    return valueTree(name, value);
  });
  return { label: `message ${f.seq}`, children };
}
