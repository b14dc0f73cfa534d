// The message/delivery-status body read field by field (app/src/mime/delivery-status.ts, RFC 3464).
import { describe, expect, it } from 'vitest';
import { parseDeliveryStatus } from '../../../app/src/mime/delivery-status.ts';

const body = [
  'Reporting-MTA: dns; mail.practice.test',
  'X-Vendor-Field: kept',
  '',
  'Final-Recipient: rfc822; nobody@faraway.test',
  'Action: delayed',
  'Status: 4.4.1',
  'Diagnostic-Code: smtp; 451 4.4.1 no answer',
  '  from the host',
  '',
  '',
  'Final-Recipient: rfc822; dave@faraway.test',
  'Action: Exploded',
  'Status: 5.9.9',
  '',
].join('\r\n');

describe('parseDeliveryStatus', () => {
  const d = parseDeliveryStatus(body);
  it('splits the per-message block from one block per recipient (RFC 3464 section 2.1)', () => {
    expect(d.message.map((f) => f.name)).toEqual(['Reporting-MTA', 'X-Vendor-Field']);
    expect(d.recipients.map((r) => r.map((f) => f.name))).toEqual([
      ['Final-Recipient', 'Action', 'Status', 'Diagnostic-Code'],
      ['Final-Recipient', 'Action', 'Status'],
    ]);
  });
  it('explains each field with its section; an unknown one is an extension field (section 2.4)', () => {
    expect(d.message[0]).toMatchObject({ rfc: 'RFC 3464 section 2.2.2' });
    expect(d.message[0].note).toContain('mail.practice.test');
    expect(d.message[1]).toMatchObject({ value: 'kept', note: 'An extension field.', rfc: 'RFC 3464 section 2.4' });
  });
  it('unfolds continuation lines, and reads a status code by RFC 3463 section 3', () => {
    const [first, second] = d.recipients;
    expect(first[3].value).toBe('smtp; 451 4.4.1 no answer from the host');
    expect(first[1].note).toMatch(/^delayed:/);
    expect(first[2].note).toBe('Status 4.4.1: a temporary failure: the server will try again; no answer from host.');
    expect(second[1].note).toBe('An action this page does not know.');
    expect(second[2].note).toBe('Status 5.9.9: a permanent failure: it will not be retried.');
  });
  it('survives junk', () => {
    expect(parseDeliveryStatus('')).toEqual({ message: [], recipients: [] });
    // Lines without a field name are dropped; the block they stood in stays (empty).
    expect(parseDeliveryStatus(':::\n\n\t\n(((')).toEqual({ message: [], recipients: [[]] });
  });
});
