// The vendor knowledge base (app/src/protocols/vendors): every entry cites an https page of its vendor
// and says what to do; a reply gets a vendor's meaning only when it is that vendor's reply.
import { describe, expect, it } from 'vitest';
import { VENDOR_ENTRIES, vendorEntry } from '../../../app/src/protocols/vendors/index.ts';

/** Each vendor's own documentation hosts: an entry may cite only these (never a forum or a blog). */
const VENDOR_DOC_HOSTS: Record<string, string[]> = {
  Gmail: ['support.google.com', 'developers.google.com'],
  'Microsoft 365': ['learn.microsoft.com'],
  Yahoo: ['senders.yahooinc.com', 'help.yahoo.com'],
  Postfix: ['www.postfix.org'],
  Exim: ['www.exim.org'],
  Dovecot: ['doc.dovecot.org'],
  Cyrus: ['www.cyrusimap.org'],
  Courier: ['www.courier-mta.org'],
};

describe('vendor knowledge base', () => {
  it("cites, for every entry, an https page on the vendor's own documentation host", () => {
    for (const e of VENDOR_ENTRIES) {
      const url = new URL(e.doc.url);
      expect(url.protocol, e.doc.url).toBe('https:');
      expect(VENDOR_DOC_HOSTS[e.vendor], `${e.vendor}: ${e.doc.url}`).toContain(url.hostname);
      expect(e.doc.title.length, e.doc.url).toBeGreaterThan(10);
    }
  });

  it('covers the eight vendors, each entry with a meaning, a thing to do and an https documentation page', () => {
    const vendors = new Set(VENDOR_ENTRIES.map((e) => e.vendor));
    expect([...vendors].sort()).toEqual([
      'Courier',
      'Cyrus',
      'Dovecot',
      'Exim',
      'Gmail',
      'Microsoft 365',
      'Postfix',
      'Yahoo',
    ]);
    for (const e of VENDOR_ENTRIES) {
      expect(e.meaning.length, e.meaning).toBeGreaterThan(20);
      expect(e.todo.length, e.meaning).toBeGreaterThan(5);
      expect(e.doc.url, e.meaning).toMatch(/^https:\/\//);
      // Identifying: never a bare reply code alone.
      expect(!!(e.text || e.signature || e.enhanced || e.respCode), e.meaning).toBe(true);
    }
  });

  it("gives Gmail's meaning to Gmail's 534 5.7.9 only, not to another server's", () => {
    const gmail = vendorEntry({
      protocol: 'smtp',
      code: 534,
      enhanced: '5.7.9',
      text: 'Application-specific password required. https://support.google.com/mail/?p=InvalidSecondFactor x - gsmtp',
    });
    expect(gmail?.vendor).toBe('Gmail');
    expect(
      vendorEntry({ protocol: 'smtp', code: 534, enhanced: '5.7.9', text: 'Authentication mechanism is too weak' }),
    ).toBeUndefined();
    expect(
      vendorEntry({ protocol: 'smtp', code: 452, enhanced: '4.2.2', text: 'Mailbox full (practice scenario).' }),
    ).toBeUndefined();
  });

  it('picks the most specific Microsoft 5.7.139 entry by its text, and matches code families', () => {
    const tenant = vendorEntry({
      protocol: 'smtp',
      code: 535,
      enhanced: '5.7.139',
      text: 'Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.',
    });
    const defaults = vendorEntry({
      protocol: 'smtp',
      code: 535,
      enhanced: '5.7.139',
      text: "Authentication unsuccessful, user is locked by your organization's security defaults policy.",
    });
    expect(tenant?.meaning).toMatch(/switched off/);
    expect(defaults?.meaning).toMatch(/security defaults/);
    expect(
      vendorEntry({ protocol: 'smtp', code: 550, enhanced: '5.7.612', text: 'Access denied, banned sending IP' })
        ?.vendor,
    ).toBe('Microsoft 365');
    expect(
      vendorEntry({
        protocol: 'smtp',
        code: 451,
        enhanced: '4.7.650',
        text: 'The mail server has been temporarily rate limited',
      })?.vendor,
    ).toBe('Microsoft 365');
  });
});

describe("Yahoo's deferrals, as Yahoo documents them", () => {
  it('reads [TSS04] (and the older [TS02]) as a deferral to retry, [TS03] as one that retrying will not fix', () => {
    const q = (text: string) => vendorEntry({ protocol: 'smtp', code: 421, enhanced: '4.7.0', text });
    const tss04 = q(
      '[TSS04] Messages from 198.51.100.7 temporarily deferred due to unexpected volume or user complaints',
    );
    expect(tss04?.vendor).toBe('Yahoo');
    expect(tss04?.todo).toMatch(/retry later/);
    expect(q('[TS02] Messages from 198.51.100.7 temporarily deferred')?.todo).toMatch(/retry later/);
    const ts03 = vendorEntry({
      protocol: 'smtp',
      code: 421,
      enhanced: '4.7.1',
      text: '[TS03] All messages from 198.51.100.7 will be permanently deferred',
    });
    expect(ts03?.meaning).toMatch(/retrying will not help/);
    expect(ts03?.doc.url).toMatch(/^https:\/\/help\.yahoo\.com\//);
  });
});
