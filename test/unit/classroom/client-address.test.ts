import { describe, expect, it } from 'vitest';
import { clientAddress, normalizeAddress, viaProxy } from '../../../bridge/classroom/client-address.ts';

const req = (remoteAddress: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress }, headers }) as never;

describe('clientAddress', () => {
  it('ignores forwarding headers unless --trust-proxy, and from untrusted peers always', () => {
    expect(clientAddress(req('127.0.0.1', { 'x-forwarded-for': '10.1.2.3' }), null)).toBe('127.0.0.1');
    expect(clientAddress(req('127.0.0.1', { 'x-forwarded-for': '10.1.2.3' }), [])).toBe('10.1.2.3');
    expect(clientAddress(req('::ffff:10.9.9.9', { 'x-forwarded-for': '127.0.0.1' }), [])).toBe('10.9.9.9');
    expect(clientAddress(req('10.0.0.5', { 'x-forwarded-for': '10.1.2.3' }), ['10.0.0.5'])).toBe('10.1.2.3');
  });
  it('reads from the right past trusted proxies, and stops at the first untrusted hop', () => {
    // A student forges "127.0.0.1"; the proxy appends the real address: the forgery is not believed.
    expect(clientAddress(req('127.0.0.1', { 'x-forwarded-for': '127.0.0.1, 10.1.2.3' }), [])).toBe('10.1.2.3');
    expect(clientAddress(req('127.0.0.1', { 'x-forwarded-for': '10.1.2.3, 10.0.0.6' }), ['10.0.0.6'])).toBe('10.1.2.3');
    expect(clientAddress(req('127.0.0.1', { 'x-forwarded-for': 'garbage, 10.1.2.3' }), [])).toBe('10.1.2.3');
  });
  it('reads the Forwarded header of RFC 7239 (quoted IPv6 with a port, obfuscated names)', () => {
    expect(clientAddress(req('::1', { forwarded: 'for="[2001:db8:cafe::17]:4711";proto=https' }), [])).toBe(
      '2001:db8:cafe::17',
    );
    expect(clientAddress(req('::1', { forwarded: 'for=192.0.2.60;proto=http;by=203.0.113.43' }), [])).toBe(
      '192.0.2.60',
    );
    expect(clientAddress(req('::1', { forwarded: 'for=_hidden' }), [])).toBe('::1');
    expect(clientAddress(req('::1', { forwarded: 'for=192.0.2.60', 'x-forwarded-for': '10.1.1.1' }), [])).toBe(
      '192.0.2.60',
    );
  });
  it('knows a proxied request from a local one', () => {
    expect(viaProxy(req('127.0.0.1', { 'x-forwarded-for': '127.0.0.1' }), [])).toBe(true);
    expect(viaProxy(req('127.0.0.1'), [])).toBe(false);
    expect(viaProxy(req('127.0.0.1', { 'x-forwarded-for': '10.1.1.1' }), null)).toBe(false);
    expect(normalizeAddress('[::1]:80')).toBe('::1');
    expect(normalizeAddress('192.0.2.1:8080')).toBe('192.0.2.1');
    expect(normalizeAddress('unknown')).toBeNull();
  });
});
