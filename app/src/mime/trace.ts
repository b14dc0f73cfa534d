// Reads a received message's trace: the Received: chain as the hops it took, the envelope (what
// the SMTP servers were told) beside the header (what the sender wrote), and a DSN's machine-
// readable part field by field. Structure comes from split.ts, addresses and encoded words from
// postal-mime; the Received: grammar is RFC 5321 section 4.4 (Time-stamp-line) and the `with`
// keywords RFC 3848. Pure: bytes in, plain data out.
import { addressParser, decodeWords } from 'postal-mime';
import { binaryString, headerValue, parseParams, splitEntity, type RawEntity, type RawHeader } from './split.ts';

export interface Hop {
  /** 1 for the first server the message reached (the last Received: field), and so on. */
  n: number;
  /** What the sending side called itself (its EHLO name). */
  from: string | null;
  /** What the receiving server wrote about the sender: its reverse-DNS name and address, in a comment. */
  fromComment: string | null;
  /** The address literal the receiving server saw, when it wrote one. */
  address: string | null;
  by: string | null;
  byComment: string | null;
  with: string | null;
  /** What `with` says, in words (RFC 3848). */
  withMeaning: string | null;
  id: string | null;
  for: string | null;
  date: string | null;
  /** Seconds since the hop before (null for the first, or without dates). */
  delay: number | null;
  /** The hop used TLS: ESMTPS/ESMTPSA (RFC 3848) or a "using TLS" comment (Postfix). */
  tls: boolean;
  authenticated: boolean;
  raw: string;
}

// RFC 3848 section 2 (and RFC 5321 section 4.4 for SMTP; RFC 2033 for LMTP; RFC 6531 for UTF8).
const WITH: Record<string, string> = {
  SMTP: 'SMTP after HELO (no extensions)',
  ESMTP: 'SMTP with extensions (EHLO), no TLS, no AUTH',
  ESMTPA: 'ESMTP after AUTH, without TLS',
  ESMTPS: 'ESMTP inside TLS (STARTTLS or implicit TLS), no AUTH',
  ESMTPSA: 'ESMTP inside TLS, after AUTH: a mail program submitting',
  LMTP: 'LMTP, local delivery to the mailbox store (RFC 2033)',
  LMTPA: 'LMTP after AUTH',
  LMTPS: 'LMTP inside TLS',
  LMTPSA: 'LMTP inside TLS, after AUTH',
  UTF8SMTP: 'SMTP with SMTPUTF8 (RFC 6531)',
  UTF8SMTPS: 'SMTPUTF8 inside TLS (RFC 6531)',
  UTF8SMTPA: 'SMTPUTF8 after AUTH (RFC 6531)',
  UTF8SMTPSA: 'SMTPUTF8 inside TLS, after AUTH (RFC 6531)',
  HTTP: 'handed in over HTTP (a web mail program or an API)',
};

const CLAUSES = ['from', 'by', 'via', 'with', 'id', 'for'] as const;
type Clause = (typeof CLAUSES)[number];

/** Splits "from a (b) by c ..." into clauses, keeping each clause's comments apart (RFC 5322 3.2.2). */
function clauses(text: string): Map<Clause, { value: string; comment: string }> {
  const out = new Map<Clause, { value: string; comment: string }>();
  let current: { value: string; comment: string } | null = null;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '(') {
      let depth = 0;
      let j = i;
      for (; j < text.length; j++) {
        if (text[j] === '\\') j++;
        else if (text[j] === '(') depth++;
        else if (text[j] === ')' && --depth === 0) break;
      }
      const comment = text.slice(i + 1, j).trim();
      if (current) current.comment = current.comment ? `${current.comment} ${comment}` : comment;
      i = j + 1;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const m = /^[^\s()]+/.exec(text.slice(i))!;
    const word = m[0];
    const lower = word.toLowerCase() as Clause;
    if (CLAUSES.includes(lower) && !out.has(lower)) {
      current = { value: '', comment: '' };
      out.set(lower, current);
    } else if (current) current.value = current.value ? `${current.value} ${word}` : word;
    i += word.length;
  }
  return out;
}

export function parseReceived(value: string, n = 0): Omit<Hop, 'delay'> {
  const flat = value.replace(/\s+/g, ' ').trim();
  const semi = flat.lastIndexOf(';');
  const body = semi >= 0 ? flat.slice(0, semi) : flat;
  const date = semi >= 0 ? flat.slice(semi + 1).trim() || null : null;
  const c = clauses(body);
  const fromComment = c.get('from')?.comment || null;
  const address = /\[(?:IPv6:)?[0-9a-f.:]+\]/i.exec(fromComment ?? c.get('from')?.value ?? '')?.[0] ?? null;
  const withValue = c.get('with')?.value.split(' ')[0] || null;
  const proto = withValue?.toUpperCase() ?? '';
  const comments = `${fromComment ?? ''} ${c.get('by')?.comment ?? ''} ${c.get('with')?.comment ?? ''}`;
  const tls = /^(ESMTP|LMTP|UTF8SMTP)S/.test(proto) || /\b(using TLS|TLSv1|version=TLS)/i.test(comments);
  const forValue = c.get('for')?.value ?? null;
  return {
    n,
    from: c.get('from')?.value || null,
    fromComment,
    address,
    by: c.get('by')?.value || null,
    byComment: c.get('by')?.comment || null,
    with: withValue,
    withMeaning: WITH[proto] ?? null,
    id: c.get('id')?.value || null,
    for: forValue ? forValue.replace(/^<|>$/g, '') : null,
    date,
    tls,
    authenticated: /^(ESMTP|LMTP|UTF8SMTP)S?A$/.test(proto),
    raw: flat,
  };
}

export interface Person {
  name: string;
  address: string;
}

export interface AddressSide {
  field: string;
  people: Person[];
  note: string;
  rfc: string;
}

export interface Trace {
  subject: string | null;
  /** In the order the message travelled: hops[0] is the first server it reached. */
  hops: Hop[];
  envelope: AddressSide[];
  header: AddressSide[];
  /** How the envelope sender and the header From: compare. */
  sender: { verdict: 'same' | 'differs' | 'bounce' | 'unknown'; note: string; rfc: string };
  dsn: DeliveryStatus | null;
}

export interface DsnField {
  name: string;
  value: string;
  note: string;
  rfc: string;
}

export interface DeliveryStatus {
  /** The per-message fields (RFC 3464 section 2.2). */
  message: DsnField[];
  /** One list per recipient (RFC 3464 section 2.3). */
  recipients: DsnField[][];
}

const people = (value: string | undefined): Person[] => {
  if (!value) return [];
  const out: Person[] = [];
  const walk = (list: ReturnType<typeof addressParser>) => {
    for (const a of list) {
      if ('group' in a && Array.isArray(a.group)) walk(a.group);
      else out.push({ name: decodeWords(a.name ?? ''), address: (a as { address?: string }).address ?? '' });
    }
  };
  walk(addressParser(value));
  return out;
};

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

const dateSeconds = (d: string | null): number | null => {
  if (!d) return null;
  const t = Date.parse(d.replace(/\s*\([^)]*\)\s*$/, ''));
  return Number.isNaN(t) ? null : t / 1000;
};

// ---- DSN (RFC 3464) ----

// RFC 3463 section 3: the class and the subject of a status code, and the common details.
const STATUS_CLASS: Record<string, string> = {
  '2': 'success',
  '4': 'a temporary failure: the server will try again',
  '5': 'a permanent failure: it will not be retried',
};
const STATUS_DETAIL: Record<string, string> = {
  '1.1': 'bad destination mailbox address: no such user',
  '1.2': 'bad destination system address: the domain does not exist or takes no mail',
  '1.3': 'bad destination mailbox address syntax',
  '2.1': 'mailbox disabled, not accepting messages',
  '2.2': 'mailbox full',
  '3.4': 'message too big for the system',
  '4.1': 'no answer from host',
  '4.4': 'unable to route',
  '4.7': 'delivery time expired: the server retried until it gave up',
  '7.1': 'delivery not authorized, message refused',
};

function statusNote(code: string): string {
  const [klass, subject, detail] = code.split('.');
  const what = STATUS_DETAIL[`${subject}.${detail}`];
  return `${STATUS_CLASS[klass] ?? 'an unknown class'}${what ? `; ${what}` : ''}.`;
}

const DSN_FIELDS: Record<string, { note: (v: string) => string; rfc: string }> = {
  'original-envelope-id': {
    note: () => 'The ENVID the sender gave at MAIL FROM, echoed back so its software can match the report.',
    rfc: 'RFC 3464 section 2.2.1, RFC 3461 section 4.4',
  },
  'reporting-mta': {
    note: (v) => `The server that wrote this report: ${v.replace(/^dns;\s*/i, '')}.`,
    rfc: 'RFC 3464 section 2.2.2',
  },
  'dsn-gateway': { note: () => 'A gateway that turned a foreign report into this DSN.', rfc: 'RFC 3464 section 2.2.3' },
  'received-from-mta': {
    note: () => 'The server the reporting server got the message from.',
    rfc: 'RFC 3464 section 2.2.4',
  },
  'arrival-date': { note: () => 'When the reporting server accepted the message.', rfc: 'RFC 3464 section 2.2.5' },
  'original-recipient': {
    note: () => 'The recipient as the sender first gave it (the ORCPT parameter).',
    rfc: 'RFC 3464 section 2.3.1, RFC 3461 section 4.2',
  },
  'final-recipient': {
    note: () => 'The recipient the report is about, as the reporting server knew it.',
    rfc: 'RFC 3464 section 2.3.2',
  },
  action: {
    note: (v) =>
      ({
        failed: 'failed: the message could not be delivered and will not be retried.',
        delayed: 'delayed: not delivered yet; the server keeps trying.',
        delivered: "delivered: it reached the recipient's mailbox (a report asked for with NOTIFY=SUCCESS).",
        relayed: 'relayed: handed to a server that sends no reports.',
        expanded: 'expanded: delivered to a list or alias, which sent it on.',
      })[v.toLowerCase()] ?? 'An action this page does not know.',
    rfc: 'RFC 3464 section 2.3.3',
  },
  status: { note: (v) => `Status ${v}: ${statusNote(v)}`, rfc: 'RFC 3464 section 2.3.4, RFC 3463 section 3' },
  'remote-mta': {
    note: (v) => `The server that gave the answer: ${v.replace(/^dns;\s*/i, '')}.`,
    rfc: 'RFC 3464 section 2.3.5',
  },
  'diagnostic-code': {
    note: () => "That server's own reply, word for word: the reason in its words.",
    rfc: 'RFC 3464 section 2.3.6',
  },
  'last-attempt-date': { note: () => 'When the server last tried to deliver.', rfc: 'RFC 3464 section 2.3.7' },
  'final-log-id': {
    note: () => 'The id the reporting server logged the message under.',
    rfc: 'RFC 3464 section 2.3.8',
  },
  'will-retry-until': { note: () => 'For a delayed message: when the server gives up.', rfc: 'RFC 3464 section 2.3.9' },
};

function fieldsOf(block: string): DsnField[] {
  const out: { name: string; value: string }[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length) out[out.length - 1].value += ` ${line.trim()}`;
    else {
      const i = line.indexOf(':');
      if (i > 0) out.push({ name: line.slice(0, i).trim(), value: line.slice(i + 1).trim() });
    }
  }
  return out.map(({ name, value }) => {
    const known = DSN_FIELDS[name.toLowerCase()];
    return {
      name,
      value,
      note: known ? known.note(value) : 'An extension field.',
      rfc: known?.rfc ?? 'RFC 3464 section 2.4',
    };
  });
}

/** The message/delivery-status body: per-message fields, then one block per recipient (RFC 3464 2.1). */
export function parseDeliveryStatus(body: string): DeliveryStatus {
  const blocks = body
    .split(/\r?\n(?:[ \t]*\r?\n)+/)
    .map((b) => b.trim())
    .filter(Boolean);
  return { message: blocks.length ? fieldsOf(blocks[0]) : [], recipients: blocks.slice(1).map(fieldsOf) };
}

function findPart(e: RawEntity, type: string): RawEntity | null {
  if (parseParams(headerValue(e.headers, 'content-type') ?? 'text/plain').value === type) return e;
  for (const c of e.children) {
    const hit = findPart(c, type);
    if (hit) return hit;
  }
  return null;
}

// ---- the whole message ----

const all = (headers: RawHeader[], name: string) => headers.filter((h) => h.name.toLowerCase() === name);

export function traceMessage(raw: Uint8Array | string): Trace {
  const s = typeof raw === 'string' ? raw : binaryString(raw);
  const root = splitEntity(s, 0, s.length);
  const h = root.headers;
  // Each server puts its Received: on top (RFC 5321 section 4.4), so the last one is the first hop.
  const received = all(h, 'received')
    .map((r) => r.value)
    .reverse();
  const hops: Hop[] = [];
  for (const [i, value] of received.entries()) {
    const hop = parseReceived(value, i + 1);
    const prev = hops[i - 1];
    const a = dateSeconds(prev?.date ?? null);
    const b = dateSeconds(hop.date);
    hops.push({ ...hop, delay: a !== null && b !== null ? b - a : null });
  }
  const returnPath = headerValue(h, 'return-path');
  const returnAddress = returnPath === undefined ? null : returnPath.replace(/^\s*<?|>?\s*$/g, '');
  const envelope: AddressSide[] = [];
  if (returnAddress !== null) {
    envelope.push({
      field: 'Return-Path',
      people: [{ name: '', address: returnAddress }],
      note:
        returnAddress === ''
          ? 'The null reverse-path <>: a bounce or another automatic message, which must never bounce back.'
          : 'The MAIL FROM address the last server was given; bounces go here. The final server writes it.',
      rfc: returnAddress === '' ? 'RFC 5321 sections 4.4 and 4.5.5' : 'RFC 5321 section 4.4',
    });
  }
  const deliveredTo = all(h, 'delivered-to');
  if (deliveredTo.length) {
    envelope.push({
      field: 'Delivered-To',
      people: deliveredTo.map((d) => ({ name: '', address: d.value.trim() })),
      note: 'The RCPT TO address the message was delivered to, written at delivery.',
      rfc: 'RFC 9228 section 3',
    });
  }
  const forHop = [...hops].reverse().find((x) => x.for);
  if (forHop?.for) {
    envelope.push({
      field: 'Received … for',
      people: [{ name: '', address: forHop.for }],
      note: 'The RCPT TO recipient a server wrote in its Received: line.',
      rfc: 'RFC 5321 section 4.4',
    });
  }
  const header: AddressSide[] = [];
  const headerField = (name: string, field: string, note: string, rfc: string) => {
    const value = headerValue(h, name);
    if (value !== undefined) header.push({ field, people: people(value), note, rfc });
  };
  headerField(
    'from',
    'From',
    'Who the author says wrote it. Any text: SMTP does not check it.',
    'RFC 5322 section 3.6.2',
  );
  headerField('sender', 'Sender', "Who sent it on the author's behalf.", 'RFC 5322 section 3.6.2');
  headerField('reply-to', 'Reply-To', 'Where replies should go.', 'RFC 5322 section 3.6.2');
  headerField(
    'to',
    'To',
    'The recipients the author names; the envelope may differ (Bcc, lists).',
    'RFC 5322 section 3.6.3',
  );
  headerField('cc', 'Cc', 'Copies the author names.', 'RFC 5322 section 3.6.3');

  const from = header.find((x) => x.field === 'From')?.people[0]?.address ?? null;
  let sender: Trace['sender'];
  if (returnAddress === null || from === null) {
    sender = {
      verdict: 'unknown',
      note: 'Without both a Return-Path and a From: the envelope sender and the author cannot be compared.',
      rfc: 'RFC 5321 section 4.4',
    };
  } else if (returnAddress === '') {
    sender = {
      verdict: 'bounce',
      note: `The envelope sender is empty: this is an automatic message (from ${from}), sent with the null reverse-path so that it can never cause another bounce.`,
      rfc: 'RFC 5321 section 4.5.5, RFC 3464 section 2',
    };
  } else if (returnAddress.toLowerCase() === from.toLowerCase()) {
    sender = {
      verdict: 'same',
      note: 'The envelope sender and the header From: are the same address.',
      rfc: 'RFC 5321 section 3.3, RFC 5322 section 3.6.2',
    };
  } else {
    const sameDomain = domainOf(returnAddress) === domainOf(from);
    sender = {
      verdict: 'differs',
      note: `The header says From: ${from}, but the envelope sender was ${returnAddress}${sameDomain ? '' : `, another domain`}. SMTP carries the From: as text and checks nothing in it, so it may be forged; the Received: chain shows who really handed the message in (mailing lists and forwarding also change the envelope).`,
      rfc: 'RFC 5321 section 3.3, RFC 5322 section 3.6.2',
    };
  }
  const status = findPart(root, 'message/delivery-status');
  const dsn = status ? parseDeliveryStatus(s.slice(status.bodyStart, status.end)) : null;
  const subject = headerValue(h, 'subject');
  return { subject: subject === undefined ? null : decodeWords(subject), hops, envelope, header, sender, dsn };
}
