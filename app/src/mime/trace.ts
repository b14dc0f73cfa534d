// Reads a received message's trace: the Received: chain as the hops it took (received.ts reads
// each field), the envelope (what the SMTP servers were told) beside the header (what the sender
// wrote), and a DSN's machine-readable part (delivery-status.ts). Structure comes from split.ts,
// addresses and encoded words from postal-mime. Pure: bytes in, plain data out.
import { addressParser, decodeWords } from 'postal-mime';
import { parseDeliveryStatus, type DeliveryStatus } from './delivery-status.ts';
import { parseReceived, type Hop } from './received.ts';
import { binaryString, headerValue, parseParams, splitEntity, type RawEntity, type RawHeader } from './split.ts';

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
