// The practice internet's DNS data: the zones the practice DNS server answers for, as plain
// records. Pure, so the page can show the same zones the server serves. Only names reserved for
// testing are used: `.test` (RFC 2606 section 2, RFC 6761 section 6.2) and loopback addresses
// (127.0.0.0/8, RFC 1122 section 3.2.1.3; RFC 6890), so nothing here can leak to the real DNS.

export type RecordType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'PTR' | 'NS' | 'SOA' | 'CNAME';

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export type ZoneRecord =
  | { name: string; type: 'A' | 'AAAA' | 'NS' | 'PTR' | 'CNAME'; ttl: number; data: string }
  | { name: string; type: 'MX'; ttl: number; data: { preference: number; exchange: string } }
  | { name: string; type: 'TXT'; ttl: number; data: string[] }
  | { name: string; type: 'SOA'; ttl: number; data: SoaData };

export interface Zone {
  /** The zone's apex, lower case, no trailing dot. */
  origin: string;
  /** What the zone is for, in a sentence the zone view shows. */
  purpose: string;
  records: ZoneRecord[];
}

/** Where each practice mail host listens: its own loopback address (the port is the practice SMTP port). */
export const PRACTICE_HOSTS = {
  'mail.practice.test': '127.0.0.1',
  'mx1.faraway.test': '127.0.1.1',
  'mx2.faraway.test': '127.0.1.2',
  'mx.greylist.test': '127.0.1.3',
  'mx.outage.test': '127.0.1.4',
  'mx.unreachable.test': '127.0.1.9',
} as const;

const TTL = 300;

function soa(origin: string, serial: number): ZoneRecord {
  return {
    name: origin,
    type: 'SOA',
    ttl: TTL,
    // RFC 1035 section 3.3.13; the last field is the negative-caching TTL (RFC 2308 section 4).
    data: {
      mname: `ns.${origin}`,
      rname: `hostmaster.${origin}`,
      serial,
      refresh: 3600,
      retry: 600,
      expire: 86400,
      minimum: 60,
    },
  };
}

export const PRACTICE_ZONES: Zone[] = [
  {
    origin: 'practice.test',
    purpose: 'The home domain: alice, bob and the class. Its one mail server also takes submissions.',
    records: [
      soa('practice.test', 2026120301),
      { name: 'practice.test', type: 'NS', ttl: TTL, data: 'ns.practice.test' },
      { name: 'ns.practice.test', type: 'A', ttl: TTL, data: '127.0.0.1' },
      { name: 'practice.test', type: 'MX', ttl: TTL, data: { preference: 10, exchange: 'mail.practice.test' } },
      { name: 'mail.practice.test', type: 'A', ttl: TTL, data: PRACTICE_HOSTS['mail.practice.test'] },
      { name: 'mail.practice.test', type: 'AAAA', ttl: TTL, data: '::1' },
      { name: 'practice.test', type: 'TXT', ttl: TTL, data: ['v=spf1 ip4:127.0.0.1 -all'] },
      { name: 'smtp.practice.test', type: 'CNAME', ttl: TTL, data: 'mail.practice.test' },
    ],
  },
  {
    origin: 'faraway.test',
    purpose:
      'Another organisation (account carol): reachable only through its MX hosts, the backup one at preference 20.',
    records: [
      soa('faraway.test', 2026120301),
      { name: 'faraway.test', type: 'NS', ttl: TTL, data: 'ns.practice.test' },
      { name: 'faraway.test', type: 'MX', ttl: TTL, data: { preference: 10, exchange: 'mx1.faraway.test' } },
      { name: 'faraway.test', type: 'MX', ttl: TTL, data: { preference: 20, exchange: 'mx2.faraway.test' } },
      { name: 'mx1.faraway.test', type: 'A', ttl: TTL, data: PRACTICE_HOSTS['mx1.faraway.test'] },
      { name: 'mx2.faraway.test', type: 'A', ttl: TTL, data: PRACTICE_HOSTS['mx2.faraway.test'] },
      { name: 'faraway.test', type: 'TXT', ttl: TTL, data: ['v=spf1 ip4:127.0.1.0/24 -all'] },
    ],
  },
  {
    origin: 'greylist.test',
    purpose:
      'A domain whose MX greylists (RFC 6647): the first try from a new client, sender and recipient gets 451 4.7.1, a retry a little later is taken (account dana).',
    records: [
      soa('greylist.test', 2026120401),
      { name: 'greylist.test', type: 'NS', ttl: TTL, data: 'ns.practice.test' },
      { name: 'greylist.test', type: 'MX', ttl: TTL, data: { preference: 10, exchange: 'mx.greylist.test' } },
      { name: 'mx.greylist.test', type: 'A', ttl: TTL, data: PRACTICE_HOSTS['mx.greylist.test'] },
    ],
  },
  {
    origin: 'outage.test',
    purpose:
      'A domain whose one MX can be taken down and brought back from the queue view: mail waits while it is down, the next retry after it is back delivers (account erin).',
    records: [
      soa('outage.test', 2026120401),
      { name: 'outage.test', type: 'NS', ttl: TTL, data: 'ns.practice.test' },
      { name: 'outage.test', type: 'MX', ttl: TTL, data: { preference: 10, exchange: 'mx.outage.test' } },
      { name: 'mx.outage.test', type: 'A', ttl: TTL, data: PRACTICE_HOSTS['mx.outage.test'] },
    ],
  },
  {
    origin: 'unreachable.test',
    purpose: 'A domain whose only MX host never answers: mail to it waits in the queue, then bounces.',
    records: [
      soa('unreachable.test', 2026120301),
      { name: 'unreachable.test', type: 'NS', ttl: TTL, data: 'ns.practice.test' },
      { name: 'unreachable.test', type: 'MX', ttl: TTL, data: { preference: 10, exchange: 'mx.unreachable.test' } },
      { name: 'mx.unreachable.test', type: 'A', ttl: TTL, data: PRACTICE_HOSTS['mx.unreachable.test'] },
    ],
  },
  {
    origin: '127.in-addr.arpa',
    purpose: 'Reverse DNS for the loopback addresses the practice hosts use (PTR, RFC 1035 section 3.5).',
    records: [
      soa('127.in-addr.arpa', 2026120401),
      { name: '127.in-addr.arpa', type: 'NS', ttl: TTL, data: 'ns.practice.test' },
      { name: '1.0.0.127.in-addr.arpa', type: 'PTR', ttl: TTL, data: 'mail.practice.test' },
      { name: '1.1.0.127.in-addr.arpa', type: 'PTR', ttl: TTL, data: 'mx1.faraway.test' },
      { name: '2.1.0.127.in-addr.arpa', type: 'PTR', ttl: TTL, data: 'mx2.faraway.test' },
      { name: '3.1.0.127.in-addr.arpa', type: 'PTR', ttl: TTL, data: 'mx.greylist.test' },
      { name: '4.1.0.127.in-addr.arpa', type: 'PTR', ttl: TTL, data: 'mx.outage.test' },
    ],
  },
];
