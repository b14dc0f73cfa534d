import { describe, expect, it } from 'vitest';
import {
  annotateResponse,
  negativeTtl,
  parseQuestion,
  recordLine,
  type ResponseView,
} from '../../../../app/src/protocols/dns/annotate.ts';
import { lookup } from '../../../../app/src/protocols/dns/lookup.ts';
import { PRACTICE_ZONES } from '../../../../app/src/protocols/dns/zones.ts';

/** The practice server's answer as plain data (what dns-packet decodes from its bytes). */
function view(name: string, type: string): ResponseView {
  const r = lookup(name, type);
  return {
    question: { name, type },
    rcode: r.rcode,
    authoritative: r.authoritative,
    truncated: false,
    answers: r.answers,
    authorities: r.authority,
    size: 0,
  };
}

describe('parseQuestion', () => {
  it('reads TYPE NAME, NAME TYPE and a bare name (type A)', () => {
    expect(parseQuestion('MX faraway.test')).toEqual({ ok: true, type: 'MX', name: 'faraway.test' });
    expect(parseQuestion('  faraway.test.  mx ')).toEqual({ ok: true, type: 'MX', name: 'faraway.test' });
    expect(parseQuestion('mail.practice.test')).toEqual({ ok: true, type: 'A', name: 'mail.practice.test' });
  });
  it('turns PTR of an IPv4 address into its in-addr.arpa name (RFC 1035 section 3.5)', () => {
    expect(parseQuestion('PTR 127.0.1.1')).toEqual({ ok: true, type: 'PTR', name: '1.1.0.127.in-addr.arpa' });
  });
  it('refuses what is not a question, saying what to type', () => {
    expect(parseQuestion('')).toMatchObject({ ok: false, message: expect.stringContaining('MX faraway.test') });
    expect(parseQuestion('MX')).toMatchObject({ ok: false, message: expect.stringContaining('MX faraway.test') });
    expect(parseQuestion('HINFO faraway.test')).toMatchObject({
      ok: false,
      message: expect.stringContaining('A, AAAA, MX'),
    });
    expect(parseQuestion('MX bad_name!.test')).toMatchObject({
      ok: false,
      message: expect.stringContaining('RFC 1035'),
    });
    expect(parseQuestion(`MX ${'a'.repeat(64)}.test`)).toMatchObject({ ok: false });
    expect(parseQuestion('MX a b')).toMatchObject({ ok: false });
  });
});

describe('annotateResponse', () => {
  it('MX: preference and target explained by RFC 5321 section 5.1, TTL by RFC 1035', () => {
    const a = annotateResponse(view('faraway.test', 'MX'));
    expect(a.headline).toContain('mx1.faraway.test (preference 10), then mx2.faraway.test (preference 20)');
    const fields = a.answers[0].fields;
    expect(fields.map((f) => f.label)).toEqual(['preference', 'target', 'TTL']);
    expect(fields[0]).toMatchObject({ value: '10', rfc: 'RFC 5321 section 5.1' });
    expect(fields[1].value).toBe('mx1.faraway.test');
    expect(fields[2]).toMatchObject({ value: '300 s', rfc: 'RFC 1035 section 3.2.1' });
    expect(a.mail?.note).toContain('tries mx1.faraway.test first on port 25');
    expect(a.rcode.name).toBe('NOERROR');
  });
  it('MX answers out of order still name the lowest preference first', () => {
    const v = view('faraway.test', 'MX');
    v.answers.reverse();
    expect(annotateResponse(v).mail?.note).toContain('tries mx1.faraway.test first');
  });
  it('NXDOMAIN: RFC 1035 and RFC 2308, with the negative-caching time from the SOA', () => {
    const v = view('nobody.faraway.test', 'MX');
    expect(v.rcode).toBe('NXDOMAIN');
    const a = annotateResponse(v);
    expect(a.headline).toBe('nobody.faraway.test does not exist: no record of any type has this name.');
    expect(a.rcode.rfc).toBe('RFC 1035 section 4.1.1, RFC 2308 sections 2.1 and 5');
    expect(a.rcode.note).toContain('remember this for 60 seconds');
    expect(a.mail?.note).toContain('5.1.2');
    expect(negativeTtl(v.authorities)).toBe(60);
    expect(a.authorities[0].fields.find((f) => f.label === 'minimum')?.rfc).toBe('RFC 2308 section 4');
  });
  it('NODATA: the name exists without the type; an MX miss means the implicit MX', () => {
    const a = annotateResponse(view('mx1.faraway.test', 'MX'));
    expect(a.headline).toContain('no MX record (NODATA)');
    expect(a.rcode.rfc).toContain('RFC 2308 sections 2.2');
    expect(a.mail?.note).toContain('implicit MX');
  });
  it('REFUSED outside the practice zones', () => {
    const a = annotateResponse(view('example.com', 'A'));
    expect(a.rcode.name).toBe('REFUSED');
    expect(a.mail).toBeNull();
  });
  it('TXT: an SPF policy is named as such (RFC 7208)', () => {
    const a = annotateResponse(view('practice.test', 'TXT'));
    expect(a.answers[0].fields[0]).toMatchObject({
      value: 'v=spf1 ip4:127.0.0.1 -all',
      rfc: expect.stringContaining('RFC 7208'),
    });
  });
  it('PTR, A, SOA carry their own sections', () => {
    expect(annotateResponse(view('1.1.0.127.in-addr.arpa', 'PTR')).answers[0].fields[0].rfc).toContain(
      'RFC 1035 section 3.5',
    );
    expect(annotateResponse(view('mx1.faraway.test', 'A')).answers[0].fields[0]).toMatchObject({ value: '127.0.1.1' });
    const soa = annotateResponse(view('faraway.test', 'SOA')).answers[0];
    expect(soa.fields.find((f) => f.label === 'contact')?.note).toContain('hostmaster@faraway.test');
  });
});

describe('recordLine (the zone view)', () => {
  it('writes each practice record as a master-file line (RFC 1035 section 5.1)', () => {
    const lines = PRACTICE_ZONES.find((z) => z.origin === 'faraway.test')!.records.map(recordLine);
    expect(lines).toContain('faraway.test. 300 IN MX 20 mx2.faraway.test.');
    expect(lines).toContain('faraway.test. 300 IN TXT "v=spf1 ip4:127.0.1.0/24 -all"');
    expect(lines[0]).toBe(
      'faraway.test. 300 IN SOA ns.faraway.test. hostmaster.faraway.test. 2026120301 3600 600 86400 60',
    );
  });
});
