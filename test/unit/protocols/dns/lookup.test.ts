import { describe, expect, it } from 'vitest';
import { lookup, zoneOf } from '../../../../app/src/protocols/dns/lookup.ts';
import { PRACTICE_ZONES } from '../../../../app/src/protocols/dns/zones.ts';

describe('practice zones', () => {
  it('use only names reserved for testing and loopback addresses', () => {
    for (const z of PRACTICE_ZONES) {
      expect(z.origin).toMatch(/(\.test|^127\.in-addr\.arpa)$/);
      for (const r of z.records) {
        expect(r.name === z.origin || r.name.endsWith(`.${z.origin}`)).toBe(true);
        if (r.type === 'A') expect(r.data).toMatch(/^127\./);
        if (r.type === 'AAAA') expect(r.data).toBe('::1');
      }
      expect(z.records.filter((r) => r.type === 'SOA')).toHaveLength(1);
    }
  });
});

describe('lookup (an authoritative answer, RFC 1034 section 4.3.2)', () => {
  it('gives faraway.test two MX hosts with their preferences', () => {
    const r = lookup('FARAWAY.test.', 'MX');
    expect(r.rcode).toBe('NOERROR');
    expect(r.authoritative).toBe(true);
    expect(r.answers.map((a) => a.data)).toEqual([
      { preference: 10, exchange: 'mx1.faraway.test' },
      { preference: 20, exchange: 'mx2.faraway.test' },
    ]);
  });

  it('says NXDOMAIN with the SOA for a name that does not exist', () => {
    const r = lookup('nobody.faraway.test', 'A');
    expect(r.rcode).toBe('NXDOMAIN');
    expect(r.authority.map((a) => a.type)).toEqual(['SOA']);
  });

  it('answers NODATA (NOERROR, no answer, SOA) for a name without that type', () => {
    const r = lookup('mx1.faraway.test', 'MX');
    expect(r.rcode).toBe('NOERROR');
    expect(r.answers).toEqual([]);
    expect(r.authority.map((a) => a.type)).toEqual(['SOA']);
  });

  it('follows a CNAME inside the zones', () => {
    const r = lookup('smtp.practice.test', 'A');
    expect(r.answers.map((a) => a.type)).toEqual(['CNAME', 'A']);
  });

  it('refuses names outside the practice zones instead of pretending they do not exist', () => {
    expect(lookup('example.com', 'A').rcode).toBe('REFUSED');
    expect(zoneOf('example.com')).toBeNull();
  });

  it('answers PTR for the practice hosts', () => {
    expect(lookup('1.1.0.127.in-addr.arpa', 'PTR').answers[0]?.data).toBe('mx1.faraway.test');
  });
});
