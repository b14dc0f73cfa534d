// The trace of messages the practice server really produced (test/fixtures/trace/capture.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { traceMessage } from '../../../app/src/mime/trace.ts';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/trace/${name}`, import.meta.url)));

describe('traceMessage: a message that took two hops', () => {
  const t = traceMessage(fixture('two-hop.eml'));
  it('lists the hops in travel order: submission first, then the MX', () => {
    expect(t.hops.map((h) => [h.n, h.from, h.by, h.with])).toEqual([
      [1, 'laptop.practice.test', 'mail.practice.test', 'ESMTPSA'],
      [2, 'mail.practice.test', 'mx1.faraway.test', 'ESMTPS'],
    ]);
    expect(t.hops[0]).toMatchObject({
      tls: true,
      authenticated: true,
      address: '[127.0.0.1]',
      for: 'carol@faraway.test',
    });
    expect(t.hops[1]).toMatchObject({ tls: true, authenticated: false });
    expect(t.hops[0].id).toMatch(/^[a-z0-9]+$/);
    expect(t.hops[0].withMeaning).toContain('after AUTH');
    expect(t.hops[1].date).toMatch(/^\w{3}, \d\d \w{3} 2026 /);
    expect(t.hops[1].delay).toBeGreaterThanOrEqual(0);
    expect(t.subject).toBe('two hops');
  });
  it('envelope and header agree', () => {
    expect(t.envelope.map((e) => [e.field, e.people[0].address])).toEqual([
      ['Return-Path', 'alice@practice.test'],
      ['Received … for', 'carol@faraway.test'],
    ]);
    expect(t.sender.verdict).toBe('same');
    expect(t.dsn).toBeNull();
  });
});

describe('traceMessage: a forged From:', () => {
  const t = traceMessage(fixture('forged.eml'));
  it('shows the header From: and the envelope sender apart, and says they differ', () => {
    expect(t.header.find((h) => h.field === 'From')?.people).toEqual([
      { name: 'The Director', address: 'director@faraway.test' },
    ]);
    expect(t.envelope[0].people[0].address).toBe('alice@practice.test');
    expect(t.sender.verdict).toBe('differs');
    expect(t.sender.note).toContain('director@faraway.test');
    expect(t.sender.note).toContain('alice@practice.test');
    // The first hop is alice's authenticated submission: the trace tells the truth.
    expect(t.hops[0]).toMatchObject({ with: 'ESMTPSA', by: 'mail.practice.test' });
  });
});

describe('traceMessage: a DSN (RFC 3464)', () => {
  const t = traceMessage(fixture('dsn.eml'));
  it('is a bounce: null reverse-path', () => {
    expect(t.envelope[0]).toMatchObject({ field: 'Return-Path', people: [{ address: '' }] });
    expect(t.sender.verdict).toBe('bounce');
    expect(t.hops).toEqual([]); // stored as written by the server itself: no Received: line of its own
  });
  it('explains the delivery-status fields, per message and per recipient', () => {
    const d = t.dsn!;
    expect(d.message.map((f) => f.name)).toEqual(['Reporting-MTA', 'Arrival-Date']);
    expect(d.message[0]).toMatchObject({ value: 'dns; mail.practice.test', rfc: 'RFC 3464 section 2.2.2' });
    expect(d.recipients).toHaveLength(1);
    const r = Object.fromEntries(d.recipients[0].map((f) => [f.name, f]));
    expect(r['Final-Recipient'].value).toBe('rfc822; nobody@faraway.test');
    expect(r.Action.note).toContain('will not be retried');
    expect(r.Status).toMatchObject({ value: '5.1.1', rfc: 'RFC 3464 section 2.3.4, RFC 3463 section 3' });
    expect(r.Status.note).toContain('no such user');
    expect(r['Remote-MTA'].note).toContain('mx1.faraway.test');
    expect(r['Diagnostic-Code'].value).toMatch(/^smtp; 550 5\.1\.1 /);
  });
});
