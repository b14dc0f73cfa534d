// What the DNS panel says about an answer from the practice DNS server: the question the learner
// typed, parsed; each record's fields named and explained with the RFC section they rest on; the
// response code explained (NXDOMAIN and NODATA as RFC 2308 describes them, with how long a resolver
// may remember the miss); what a sending mail server does with it (RFC 5321 section 5.1). Pure: the
// decoded message comes in as plain data (app/src/bridge/dns-query.ts decodes it with dns-packet).

export const QUESTION_TYPES = ['A', 'AAAA', 'MX', 'TXT', 'PTR', 'NS', 'SOA', 'CNAME'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export type ParsedQuestion = { ok: true; type: QuestionType; name: string } | { ok: false; message: string };

// A host name: labels of letters, digits and hyphens, at most 63 octets each, 253 in all
// (RFC 1035 section 2.3.1 and 2.3.4). Underscore is allowed too (RFC 2181 section 11: any octet).
const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/i;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * `MX faraway.test`, `faraway.test MX`, `PTR 127.0.1.1` (turned into 1.1.0.127.in-addr.arpa,
 * RFC 1035 section 3.5) or a bare name (type A, as `dig` asks).
 */
export function parseQuestion(text: string): ParsedQuestion {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { ok: false, message: 'Type a record type and a name, for example MX faraway.test.' };
  if (words.length > 2) {
    return {
      ok: false,
      message: `Type one record type and one name (e.g. MX faraway.test), not ${words.length} words.`,
    };
  }
  const isType = (w: string) => (QUESTION_TYPES as readonly string[]).includes(w.toUpperCase());
  let type: string;
  let name: string;
  if (words.length === 1) [type, name] = ['A', words[0]];
  else if (isType(words[0])) [type, name] = [words[0], words[1]];
  else if (isType(words[1])) [type, name] = [words[1], words[0]];
  else {
    return {
      ok: false,
      message: `Neither ${JSON.stringify(words[0])} nor ${JSON.stringify(words[1])} is a record type this panel asks for: use one of ${QUESTION_TYPES.join(', ')}.`,
    };
  }
  type = type.toUpperCase();
  name = name.toLowerCase().replace(/\.$/, '');
  const v4 = IPV4.exec(name);
  if (type === 'PTR' && v4 && v4.slice(1).every((o) => Number(o) <= 255)) {
    name = `${v4.slice(1).reverse().join('.')}.in-addr.arpa`;
  }
  if (isType(name) && words.length === 1) {
    return { ok: false, message: `Add the name to ask about, for example ${name.toUpperCase()} faraway.test.` };
  }
  const labels = name.split('.');
  if (name.length > 253 || labels.some((l) => !LABEL.test(l))) {
    return {
      ok: false,
      message: `${JSON.stringify(name)} is not a domain name: labels of letters, digits and hyphens, each at most 63 characters, joined by dots (RFC 1035 section 2.3.1).`,
    };
  }
  return { ok: true, type: type as QuestionType, name };
}

// ---- the decoded response, as plain data ----

export interface RecordView {
  name: string;
  type: string;
  ttl: number;
  /** As dns-packet decodes it: a string, string[] (TXT), { preference, exchange } (MX), the SOA fields. */
  data: unknown;
}

export interface ResponseView {
  question: { name: string; type: string };
  /** The RCODE's name as dns-packet gives it: NOERROR, NXDOMAIN, REFUSED... */
  rcode: string;
  authoritative: boolean;
  truncated: boolean;
  answers: RecordView[];
  authorities: RecordView[];
  /** Size of the DNS message in octets (without the two-octet TCP length). */
  size: number;
}

export interface Field {
  label: string;
  value: string;
  note: string;
  rfc: string;
}

export interface RecordNote {
  /** The record as a master-file line (RFC 1035 section 5.1). */
  line: string;
  type: string;
  fields: Field[];
}

export interface Annotation {
  /** One sentence: what the answer means. */
  headline: string;
  rcode: { name: string; note: string; rfc: string };
  answers: RecordNote[];
  authorities: RecordNote[];
  /** What a mail server does with this answer, when the question is about mail. */
  mail: { note: string; rfc: string } | null;
}

const TXT_DECODER = new TextDecoder();
const text = (v: unknown): string =>
  v instanceof Uint8Array ? TXT_DECODER.decode(v) : typeof v === 'string' ? v : String(v);
const dot = (name: string) => `${name}.`;

interface Soa {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}
interface Mx {
  preference: number;
  exchange: string;
}

function ttlField(ttl: number): Field {
  return {
    label: 'TTL',
    value: `${ttl} s`,
    note: `A resolver may keep this record in its cache for ${ttl} seconds before asking again.`,
    rfc: 'RFC 1035 section 3.2.1',
  };
}

/** The record's data as it is written in a zone file (RFC 1035 section 5.1). */
export function recordData(r: RecordView): string {
  switch (r.type) {
    case 'MX': {
      const mx = r.data as Mx;
      return `${mx.preference} ${dot(mx.exchange)}`;
    }
    case 'TXT': {
      const parts = Array.isArray(r.data) ? r.data : [r.data];
      return parts.map((p) => JSON.stringify(text(p))).join(' ');
    }
    case 'SOA': {
      const s = r.data as Soa;
      return `${dot(s.mname)} ${dot(s.rname)} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
    }
    case 'NS':
    case 'PTR':
    case 'CNAME':
      return dot(String(r.data));
    default:
      return String(r.data);
  }
}

export const recordLine = (r: RecordView) => `${dot(r.name)} ${r.ttl} IN ${r.type} ${recordData(r)}`;

export function annotateRecord(r: RecordView): RecordNote {
  const fields: Field[] = [];
  switch (r.type) {
    case 'MX': {
      const mx = r.data as Mx;
      fields.push(
        {
          label: 'preference',
          value: String(mx.preference),
          note: 'Lower is tried first; a sender falls back to a higher one when this host cannot be reached, and picks at random among equal ones.',
          rfc: 'RFC 5321 section 5.1',
        },
        {
          label: 'target',
          value: mx.exchange,
          note: `The host that takes mail for ${r.name}: a name with its own A or AAAA record, never an address and never a CNAME alias.`,
          rfc: 'RFC 5321 section 5.1, RFC 2181 section 10.3',
        },
      );
      break;
    }
    case 'A':
      fields.push({
        label: 'address',
        value: String(r.data),
        note: 'An IPv4 address of this host (here on loopback: the practice internet never leaves this computer).',
        rfc: 'RFC 1035 section 3.4.1',
      });
      break;
    case 'AAAA':
      fields.push({
        label: 'address',
        value: String(r.data),
        note: 'An IPv6 address of this host.',
        rfc: 'RFC 3596 section 2.2',
      });
      break;
    case 'TXT': {
      const value = (Array.isArray(r.data) ? r.data : [r.data]).map(text).join('');
      const spf = /^v=spf1(\s|$)/i.test(value);
      fields.push({
        label: 'text',
        value,
        note: spf
          ? 'An SPF policy: the hosts allowed to send mail from this domain; "-all" asks receivers to reject the rest.'
          : 'Free text the domain publishes.',
        rfc: spf ? 'RFC 7208 sections 3 and 5.1' : 'RFC 1035 section 3.3.14',
      });
      break;
    }
    case 'PTR':
      fields.push({
        label: 'name',
        value: String(r.data),
        note: 'Reverse DNS: the name this address belongs to. Receiving servers look it up for the Received: line and often refuse hosts without one.',
        rfc: 'RFC 1035 section 3.5, RFC 5321 section 4.4',
      });
      break;
    case 'NS':
      fields.push({
        label: 'name server',
        value: String(r.data),
        note: 'A server that answers with authority for this zone.',
        rfc: 'RFC 1035 section 3.3.11',
      });
      break;
    case 'CNAME':
      fields.push({
        label: 'canonical name',
        value: String(r.data),
        note: 'This name is an alias: the answer continues at the canonical name.',
        rfc: 'RFC 1035 section 3.3.1',
      });
      break;
    case 'SOA': {
      const s = r.data as Soa;
      fields.push(
        { label: 'primary', value: s.mname, note: "The zone's primary name server.", rfc: 'RFC 1035 section 3.3.13' },
        {
          label: 'contact',
          value: s.rname,
          note: `The mailbox of the person responsible, with its first dot standing for @ (${s.rname.replace('.', '@')}).`,
          rfc: 'RFC 1035 section 3.3.13',
        },
        {
          label: 'serial',
          value: String(s.serial),
          note: "The zone's version; secondaries copy it when it grows.",
          rfc: 'RFC 1035 section 3.3.13',
        },
        {
          label: 'minimum',
          value: `${s.minimum} s`,
          note: 'How long a resolver may remember that a name or record does not exist (negative caching).',
          rfc: 'RFC 2308 section 4',
        },
      );
      break;
    }
  }
  fields.push(ttlField(r.ttl));
  return { line: recordLine(r), type: r.type, fields };
}

/** How long a resolver caches this negative answer: min(SOA TTL, SOA MINIMUM) (RFC 2308 section 5). */
export function negativeTtl(authorities: RecordView[]): number | null {
  const soa = authorities.find((a) => a.type === 'SOA');
  if (!soa) return null;
  return Math.min(soa.ttl, (soa.data as Soa).minimum);
}

export function annotateResponse(res: ResponseView): Annotation {
  const { name, type } = res.question;
  const answers = res.answers.map(annotateRecord);
  const authorities = res.authorities.map(annotateRecord);
  const neg = negativeTtl(res.authorities);
  const cache =
    neg === null ? '' : ` A resolver may remember this for ${neg} seconds (the lesser of the SOA's TTL and MINIMUM).`;
  const isMail = type === 'MX';
  const mxs = res.answers.filter((a) => a.type === 'MX').map((a) => a.data as Mx);
  mxs.sort((a, b) => a.preference - b.preference);

  if (res.rcode === 'NXDOMAIN') {
    return {
      headline: `${name} does not exist: no record of any type has this name.`,
      rcode: {
        name: 'NXDOMAIN',
        note: `Name Error (RCODE 3): the authoritative server says the name does not exist at all, for any type.${cache}`,
        rfc: 'RFC 1035 section 4.1.1, RFC 2308 sections 2.1 and 5',
      },
      answers,
      authorities,
      mail: {
        note: `Mail to an address @${name} cannot be delivered: a sending server gives up at once and bounces it with 5.1.2 (bad destination system), it does not queue it.`,
        rfc: 'RFC 5321 section 5.1, RFC 3463 section 3.2',
      },
    };
  }
  if (res.rcode === 'REFUSED') {
    return {
      headline: `The practice DNS server refused to answer for ${name}: it answers only for the practice zones.`,
      rcode: {
        name: 'REFUSED',
        note: 'Refused (RCODE 5): the server will not answer this question, by policy. It is authoritative for the practice zones only and resolves nothing else.',
        rfc: 'RFC 1035 section 4.1.1',
      },
      answers,
      authorities,
      mail: null,
    };
  }
  if (res.rcode !== 'NOERROR') {
    return {
      headline: `The server answered ${res.rcode}.`,
      rcode: { name: res.rcode, note: 'An error response code.', rfc: 'RFC 1035 section 4.1.1' },
      answers,
      authorities,
      mail: null,
    };
  }
  const rcode = {
    name: 'NOERROR',
    note: res.authoritative
      ? 'No error (RCODE 0), from a server with authority for the zone (the AA bit).'
      : 'No error (RCODE 0).',
    rfc: 'RFC 1035 section 4.1.1',
  };
  const own = res.answers.filter((a) => a.type === type);
  if (own.length === 0) {
    // NODATA: the name exists, without records of this type (RFC 2308 section 2.2).
    return {
      headline: `${name} exists but has no ${type} record (NODATA).`,
      rcode: {
        ...rcode,
        note: `No error, and no answer: the name exists, with no record of type ${type} (NODATA).${cache}`,
        rfc: 'RFC 2308 sections 2.2 and 5',
      },
      answers,
      authorities,
      mail: isMail
        ? {
            note: `With no MX, a sender treats ${name} itself as the mail host (the implicit MX) and uses its A or AAAA record; with none of those either, the mail bounces.`,
            rfc: 'RFC 5321 section 5.1',
          }
        : null,
    };
  }
  const headline = isMail
    ? `Mail for ${name} goes to ${mxs.map((m) => `${m.exchange} (preference ${m.preference})`).join(', then ')}.`
    : `${name} has ${own.length} ${type} record${own.length === 1 ? '' : 's'}.`;
  return {
    headline,
    rcode,
    answers,
    authorities,
    mail: isMail
      ? {
          note: `A sending server tries ${mxs[0].exchange} first on port 25, and the next preference only when it cannot deliver there; with every host down it queues the mail and retries later.`,
          rfc: 'RFC 5321 sections 4.5.4.1 and 5.1',
        }
      : null,
  };
}
