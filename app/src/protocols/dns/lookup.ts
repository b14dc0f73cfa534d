// Answers a DNS question from the practice zones, as an authoritative server does (RFC 1034
// section 4.3.2): the records of that name and type; a CNAME in place of other types; NODATA
// (no error, no answer, the SOA in authority) when the name exists without that type; NXDOMAIN
// when it does not exist (RFC 1035 section 4.1.1, RFC 2308 section 2.1); REFUSED outside the
// zones: this server is no resolver and, by policy, answers for nothing else (RFC 1035 4.1.1).
import { PRACTICE_ZONES, type RecordType, type Zone, type ZoneRecord } from './zones.ts';

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'REFUSED';

export interface LookupResult {
  rcode: Rcode;
  /** Authoritative for the name (the AA bit): false only for REFUSED. */
  authoritative: boolean;
  answers: ZoneRecord[];
  /** The zone's SOA for NXDOMAIN and NODATA, so a resolver knows how long to cache the miss. */
  authority: ZoneRecord[];
  zone: Zone | null;
}

export const normalizeName = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** The zone a name falls in (the longest matching origin), or null. */
export function zoneOf(name: string, zones: Zone[] = PRACTICE_ZONES): Zone | null {
  const n = normalizeName(name);
  let best: Zone | null = null;
  for (const z of zones) {
    if ((n === z.origin || n.endsWith(`.${z.origin}`)) && (!best || z.origin.length > best.origin.length)) best = z;
  }
  return best;
}

export function lookup(name: string, type: RecordType | string, zones: Zone[] = PRACTICE_ZONES): LookupResult {
  const n = normalizeName(name);
  const zone = zoneOf(n, zones);
  if (!zone) return { rcode: 'REFUSED', authoritative: false, answers: [], authority: [], zone: null };
  const soa = zone.records.filter((r) => r.type === 'SOA');
  const atName = zone.records.filter((r) => r.name === n);
  // A name exists if it owns records or is an empty non-terminal above one (RFC 8020 section 2).
  const exists = atName.length > 0 || zone.records.some((r) => r.name.endsWith(`.${n}`));
  if (!exists) return { rcode: 'NXDOMAIN', authoritative: true, answers: [], authority: soa, zone };
  const t = type.toUpperCase();
  const cname = atName.find((r) => r.type === 'CNAME');
  if (cname && t !== 'CNAME') {
    const target = lookup(String(cname.data), t, zones);
    return {
      ...target,
      rcode: target.rcode === 'REFUSED' ? 'NOERROR' : target.rcode,
      answers: [cname, ...target.answers],
      zone,
    };
  }
  const answers = t === 'ANY' ? atName : atName.filter((r) => r.type === t);
  return { rcode: 'NOERROR', authoritative: true, answers, authority: answers.length ? [] : soa, zone };
}
