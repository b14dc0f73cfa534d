// ENVELOPE (RFC 3501 section 7.4.2) from a parsed header: date, subject, from, sender, reply-to,
// to, cc, bcc, in-reply-to, message-id. Values are sent as written (encoded words stay encoded,
// as Dovecot does); addresses are split into (name adl mailbox host). Pure.
import { type Chunk, join, nstr, paren } from './encode.ts';
import { header, type MimePart } from './mime-structure.ts';

export interface EnvelopeAddress {
  name: string | null;
  /** The obsolete source route ("@a,@b"), sent as the address's adl (RFC 3501 7.4.2, RFC 5322 4.4). */
  adl?: string | null;
  mailbox: string | null;
  host: string | null;
  /** Group start (mailbox = group name, host null) and end (all null) markers, RFC 3501 7.4.2. */
  group?: 'start' | 'end';
}

export interface Envelope {
  date: string | null;
  subject: string | null;
  from: EnvelopeAddress[];
  sender: EnvelopeAddress[];
  replyTo: EnvelopeAddress[];
  to: EnvelopeAddress[];
  cc: EnvelopeAddress[];
  bcc: EnvelopeAddress[];
  inReplyTo: string | null;
  messageId: string | null;
}

export function buildEnvelope(message: MimePart): Envelope {
  const from = parseAddressList(header(message, 'from'));
  const sender = parseAddressList(header(message, 'sender'));
  const replyTo = parseAddressList(header(message, 'reply-to'));
  return {
    date: header(message, 'date'),
    subject: header(message, 'subject'),
    from,
    // Sender and Reply-To default to From when absent (RFC 3501 section 7.4.2).
    sender: sender.length ? sender : from,
    replyTo: replyTo.length ? replyTo : from,
    to: parseAddressList(header(message, 'to')),
    cc: parseAddressList(header(message, 'cc')),
    bcc: parseAddressList(header(message, 'bcc')),
    inReplyTo: header(message, 'in-reply-to'),
    messageId: header(message, 'message-id'),
  };
}

export function envelopeChunks(env: Envelope): Chunk[] {
  return paren(
    join([
      nstr(env.date),
      nstr(env.subject),
      addresses(env.from),
      addresses(env.sender),
      addresses(env.replyTo),
      addresses(env.to),
      addresses(env.cc),
      addresses(env.bcc),
      nstr(env.inReplyTo),
      nstr(env.messageId),
    ]),
  );
}

function addresses(list: EnvelopeAddress[]): Chunk[] {
  if (!list.length) return ['NIL'];
  return paren(
    join(
      list.map((a) => paren(join([nstr(a.name), nstr(a.adl ?? null), nstr(a.mailbox), nstr(a.host)]))),
      '',
    ),
  );
}

/** RFC 5322 address-list, leniently: names, quoted names, <addr>, groups, comments. */
export function parseAddressList(value: string | null): EnvelopeAddress[] {
  if (!value) return [];
  const out: EnvelopeAddress[] = [];
  for (const item of splitTop(value, ',')) {
    const colon = topIndex(item, ':');
    if (colon >= 0 && !item.trim().startsWith('<')) {
      const name = item.slice(0, colon).trim();
      let members = item.slice(colon + 1).trim();
      if (members.endsWith(';')) members = members.slice(0, -1);
      out.push({ name: null, mailbox: unquote(name), host: null, group: 'start' });
      for (const m of splitTop(members, ',')) {
        const a = parseMailbox(m);
        if (a) out.push(a);
      }
      out.push({ name: null, mailbox: null, host: null, group: 'end' });
      continue;
    }
    const a = parseMailbox(item.replace(/;\s*$/, ''));
    if (a) out.push(a);
  }
  return out;
}

function parseMailbox(text: string): EnvelopeAddress | null {
  const t = text.trim();
  if (!t) return null;
  const lt = topIndex(t, '<');
  let name: string | null = null;
  let adl: string | null = null;
  let spec: string;
  if (lt >= 0) {
    const gt = t.indexOf('>', lt);
    // Comments and folding white space may sit between the parts of an addr-spec (RFC 5322 3.4.1).
    spec = squeeze(stripComments(t.slice(lt + 1, gt === -1 ? undefined : gt)));
    const route = /^(@[^:]*):/.exec(spec);
    if (route) {
      adl = route[1];
      spec = spec.slice(route[0].length);
    }
    const n = stripComments(t.slice(0, lt)).trim();
    name = n ? unquote(n) : null;
  } else {
    const comment = /\(([^)]*)\)/.exec(t);
    spec = squeeze(stripComments(t));
    // A group member that is only a comment, as in "group: (foo) ;", is no address.
    if (!spec) return null;
    if (comment && comment[1].trim()) name = comment[1].trim();
  }
  const at = spec.lastIndexOf('@');
  const mailbox = at >= 0 ? spec.slice(0, at) : spec;
  const host = at >= 0 ? spec.slice(at + 1) : null;
  return { name, ...(adl ? { adl } : {}), mailbox: unquoteLocal(mailbox) || null, host: host || null };
}

/** Drops white space outside quoted strings. */
function squeeze(s: string): string {
  return s.replace(/("(?:[^"\\]|\\.)*")|\s+/g, (_, quoted: string | undefined) => quoted ?? '');
}

function stripComments(s: string): string {
  return s.replace(/\([^)]*\)/g, ' ');
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/\\(.)/g, '$1');
  return t.replace(/\s+/g, ' ');
}

function unquoteLocal(s: string): string {
  return s.startsWith('"') && s.endsWith('"') && s.length >= 2 ? s.slice(1, -1) : s;
}

/** Splits at `sep` outside quotes, angle brackets and comments. */
function splitTop(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let angle = false;
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '"' && depth === 0) quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '<') angle = true;
    else if (c === '>') angle = false;
    else if (c === ':' && sep === ',' && depth === 0 && !angle) {
      // inside a group, commas separate members: skip to the group's end
      const semi = s.indexOf(';', i);
      if (semi !== -1) i = semi;
    } else if (c === sep && depth === 0 && !angle) {
      parts.push(s.slice(last, i));
      last = i + 1;
    }
  }
  parts.push(s.slice(last));
  return parts.filter((p) => p.trim() !== '');
}

function topIndex(s: string, ch: string): number {
  let quoted = false;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ch && depth === 0) return i;
  }
  return -1;
}
