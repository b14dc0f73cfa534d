import { describe, expect, it } from 'vitest';
import { configWithDefaults } from '../../../bridge/config.ts';
import { addressRestriction, checkOrigin, resolveRemoteTarget, SessionLimiter, type LookupAll } from '../../../bridge/relay/policy.ts';

describe('addressRestriction', () => {
  it('refuses loopback, private, link-local, CGNAT, unspecified and their IPv6 forms', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'loopback'], ['127.255.1.2', 'loopback'], ['::1', 'loopback'],
      ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
      ['fc00::1', 'private (unique local)'], ['fd12:3456::1', 'private (unique local)'],
      ['169.254.169.254', 'link-local'], ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'],
      ['100.64.0.1', 'shared (CGNAT)'], ['100.127.255.255', 'shared (CGNAT)'],
      ['0.0.0.0', 'unspecified'], ['::', 'unspecified'],
      ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['::ffff:10.0.0.1', 'private'], ['::ffff:169.254.1.1', 'link-local'],
      ['64:ff9b::a00:1', 'private'], ['2002:c0a8:101::1', 'private'], ['224.0.0.1', 'multicast or reserved'],
    ];
    for (const [address, why] of cases) expect([address, addressRestriction(address)]).toEqual([address, why]);
  });
  it('lets public addresses through', () => {
    for (const a of ['8.8.8.8', '172.32.0.1', '172.15.255.255', '100.63.255.255', '100.128.0.1', '192.169.0.1', '2a00:1450:4001::1b', '::ffff:8.8.8.8']) {
      expect([a, addressRestriction(a)]).toEqual([a, null]);
    }
  });
  it('treats garbage as not an address', () => {
    expect(addressRestriction('localhost')).toBe('not an IP address');
  });
});

describe('checkOrigin', () => {
  const config = configWithDefaults({ dataDir: '/tmp/x', host: '127.0.0.1', allowedOrigins: ['http://localhost:5173'] });
  const ok = (origin: string | undefined, host = '127.0.0.1:7025') => checkOrigin(origin, host, config, 7025).ok;
  it('accepts the bridge origin, its loopback aliases and configured origins', () => {
    expect(ok('http://127.0.0.1:7025')).toBe(true);
    expect(ok('http://localhost:7025')).toBe(true);
    expect(ok('http://[::1]:7025')).toBe(true);
    expect(ok('http://localhost:5173')).toBe(true);
    expect(ok(undefined)).toBe(true); // not a browser page
  });
  it('refuses other origins, other ports, and rebinding names that agree with Host', () => {
    expect(ok('http://evil.example')).toBe(false);
    expect(ok('http://127.0.0.1:8080')).toBe(false);
    expect(ok('https://127.0.0.1:7025')).toBe(false);
    expect(ok('http://rebind.example:7025', 'rebind.example:7025')).toBe(false);
    const r = checkOrigin('http://evil.example', undefined, config, 7025);
    expect(r).toMatchObject({ ok: false, code: 'ORIGIN_NOT_ALLOWED' });
  });
  it('mirrors an IP-literal Host (a LAN address when listening on 0.0.0.0)', () => {
    const lan = configWithDefaults({ dataDir: '/tmp/x', host: '0.0.0.0' });
    expect(checkOrigin('http://192.0.2.7:7025', '192.0.2.7:7025', lan, 7025).ok).toBe(true);
    expect(checkOrigin('http://192.0.2.7:7025', '192.0.2.8:7025', lan, 7025).ok).toBe(false);
  });
});

describe('resolveRemoteTarget', () => {
  const calls: string[] = [];
  const lookup: LookupAll = async (host) => {
    calls.push(host);
    if (host === 'public.test') return [{ address: '192.0.2.10', family: 4 }]; // TEST-NET-1, never dialled here
    if (host === 'mixed.test') return [{ address: '10.0.0.5', family: 4 }, { address: '192.0.2.11', family: 4 }];
    if (host === 'rebind.test') return [{ address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  };
  const config = configWithDefaults({
    dataDir: '/tmp/x',
    allow: ['public.test', 'mixed.test', 'rebind.test', 'gone.test', 'weird.test'].map((host) => ({ host, port: 465 })).concat([{ host: 'public.test', port: 8080 }]),
  });
  it('refuses targets off the allow list and non-mail ports before resolving', async () => {
    calls.length = 0;
    expect(await resolveRemoteTarget('other.test', 465, config, lookup)).toMatchObject({ ok: false, code: 'TARGET_NOT_ALLOWED' });
    expect(await resolveRemoteTarget('public.test', 8080, config, lookup)).toMatchObject({ ok: false, code: 'PORT_NOT_ALLOWED' });
    expect(calls).toEqual([]);
  });
  it('checks the resolved address and picks an allowed one to dial', async () => {
    expect(await resolveRemoteTarget('PUBLIC.test.', 465, config, lookup)).toEqual({ ok: true, host: 'public.test', port: 465, address: '192.0.2.10', family: 'IPv4' });
    expect(await resolveRemoteTarget('mixed.test', 465, config, lookup)).toMatchObject({ ok: true, address: '192.0.2.11' });
    expect(await resolveRemoteTarget('rebind.test', 465, config, lookup)).toMatchObject({ ok: false, code: 'ADDRESS_NOT_ALLOWED' });
    expect(await resolveRemoteTarget('gone.test', 465, config, lookup)).toMatchObject({ ok: false, code: 'DNS_FAILED' });
    const lab = { ...config, allowPrivate: true };
    expect(await resolveRemoteTarget('rebind.test', 465, lab, lookup)).toMatchObject({ ok: true, address: '127.0.0.1' });
  });
});

describe('SessionLimiter', () => {
  it('caps per client and in total, and gives slots back once', () => {
    const l = new SessionLimiter({ sessionsPerClient: 2, maxSessions: 3 });
    const a1 = l.acquire('a');
    const a2 = l.acquire('a');
    expect(typeof a1).toBe('function');
    expect(l.acquire('a')).toMatchObject({ ok: false, code: 'LIMIT_REACHED' });
    const b1 = l.acquire('b');
    expect(l.acquire('c')).toMatchObject({ ok: false, code: 'LIMIT_REACHED' });
    (a1 as () => void)();
    (a1 as () => void)();
    expect(l.active).toBe(2);
    expect(typeof l.acquire('a')).toBe('function');
    expect(typeof a2 && typeof b1).toBe('function');
  });
});
