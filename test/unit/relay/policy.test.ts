import { describe, expect, it } from 'vitest';
import { configWithDefaults } from '../../../bridge/config/load.ts';
import {
  addressRestriction,
  checkOrigin,
  resolveRemoteTarget,
  SessionLimiter,
  type LookupAll,
} from '../../../bridge/relay/policy.ts';

describe('addressRestriction', () => {
  it('refuses loopback, private, link-local, CGNAT, unspecified and their IPv6 forms', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'loopback'],
      ['127.255.1.2', 'loopback'],
      ['::1', 'loopback'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['fc00::1', 'private (unique local)'],
      ['fd12:3456::1', 'private (unique local)'],
      ['169.254.169.254', 'link-local'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['100.64.0.1', 'shared (CGNAT)'],
      ['100.127.255.255', 'shared (CGNAT)'],
      ['0.0.0.0', 'unspecified'],
      ['::', 'unspecified'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['::ffff:10.0.0.1', 'private'],
      ['::ffff:169.254.1.1', 'link-local'],
      ['64:ff9b::a00:1', 'private'],
      ['2002:c0a8:101::1', 'private'],
      ['224.0.0.1', 'multicast or reserved'],
    ];
    for (const [address, why] of cases) expect([address, addressRestriction(address)]).toEqual([address, why]);
  });
  it('lets public addresses through', () => {
    for (const a of [
      '8.8.8.8',
      '172.32.0.1',
      '172.15.255.255',
      '100.63.255.255',
      '100.128.0.1',
      '192.169.0.1',
      '2a00:1450:4001::1b',
      '::ffff:8.8.8.8',
    ]) {
      expect([a, addressRestriction(a)]).toEqual([a, null]);
    }
  });
  // Every block of the IANA IPv4 and IPv6 special-purpose registries that is not globally
  // reachable: its first and last address are refused, the addresses just outside are not.
  it('refuses every special-purpose block, at both ends, and not one address beyond', () => {
    const blocks: [string, string, string, string | null, string | null][] = [
      // [first, last, why, just below (public or null), just above (public or null)]
      ['192.0.0.0', '192.0.0.255', 'IETF protocol assignments', '191.255.255.255', '192.0.1.0'],
      ['192.0.2.0', '192.0.2.255', 'documentation (TEST-NET-1)', '192.0.1.255', '192.0.3.0'],
      ['192.88.99.0', '192.88.99.255', '6to4 relay anycast (deprecated)', '192.88.98.255', '192.88.100.0'],
      ['198.18.0.0', '198.19.255.255', 'benchmarking', '198.17.255.255', '198.20.0.0'],
      ['198.51.100.0', '198.51.100.255', 'documentation (TEST-NET-2)', '198.51.99.255', '198.51.101.0'],
      ['203.0.113.0', '203.0.113.255', 'documentation (TEST-NET-3)', '203.0.112.255', '203.0.114.0'],
      ['240.0.0.0', '255.255.255.255', 'multicast or reserved', null, null],
      ['0.0.0.0', '0.255.255.255', 'unspecified', null, '1.0.0.0'],
      ['2001:db8::', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'documentation', '2001:db7:ffff::1', '2001:db9::'],
      ['3fff::', '3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff', 'documentation', '3ffe:ffff::1', '3fff:1000::'],
      ['2001:2::', '2001:2:0:ffff:ffff:ffff:ffff:ffff', 'benchmarking', null, null],
      ['64:ff9b:1::', '64:ff9b:1:ffff:ffff:ffff:ffff:ffff', 'local-use IPv4/IPv6 translation', null, null],
      ['100::', '100::ffff:ffff:ffff:ffff', 'discard-only', null, null],
      ['2001:10::', '2001:1f:ffff:ffff:ffff:ffff:ffff:ffff', 'ORCHID (not routed)', null, null],
      ['2001:20::', '2001:2f:ffff:ffff:ffff:ffff:ffff:ffff', 'ORCHIDv2 (not routed)', null, null],
      ['5f00::', '5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'SRv6 SIDs', null, null],
      ['fec0::', 'feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'site-local (deprecated)', null, null],
      ['2001:100::', '2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff', 'IETF protocol assignments', null, '2001:200::1'],
    ];
    for (const [first, last, why, below, above] of blocks) {
      expect([first, addressRestriction(first)]).toEqual([first, why]);
      expect([last, addressRestriction(last)]).toEqual([last, why]);
      if (below) expect([below, addressRestriction(below)]).toEqual([below, null]);
      if (above) expect([above, addressRestriction(above)]).toEqual([above, null]);
    }
  });

  it('judges the IPv4 address inside NAT64, 6to4, Teredo, mapped and compatible forms', () => {
    const cases: [string, string | null][] = [
      ['64:ff9b::127.0.0.1', 'loopback'],
      ['64:ff9b::198.18.0.1', 'benchmarking'],
      ['64:ff9b::8.8.8.8', null],
      ['64:ff9b::1:0:0:808:808', 'reserved'], // outside the /96: not NAT64, and 0064::/16 is not global unicast
      ['2002:7f00:1::', 'loopback'],
      ['2002:c000:201::1', 'documentation (TEST-NET-1)'],
      ['2002:808:808::1', null],
      ['2002:a9fe:a9fe::1', 'link-local'],
      // Teredo: server 65.54.227.120 (public), client 192.168.1.1 stored inverted (3f57:fefe).
      ['2001:0:4136:e378:8000:63bf:3f57:fefe', 'Teredo to a private client'],
      ['2001:0:7f00:1::1', 'Teredo via a loopback server'],
      ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', null], // client 8.8.8.8
      ['::ffff:192.0.2.1', 'documentation (TEST-NET-1)'],
      ['::198.18.0.1', 'benchmarking'],
      ['::8.8.8.8', null],
      ['::ffff:0:127.0.0.1', 'reserved'], // the SIIT form ::ffff:0:0/96 is not a socket address; ::/8 is reserved
    ];
    for (const [address, why] of cases) expect([address, addressRestriction(address)]).toEqual([address, why]);
  });

  it('refuses IPv6 outside global unicast 2000::/3 and keeps real public addresses', () => {
    for (const a of ['4000::1', 'e000::1', '1::1', '::2:3:4:5'])
      expect([a, addressRestriction(a)]).toEqual([a, 'reserved']);
    for (const a of [
      '2a00:1450:4001:82b::1b',
      '2606:4700::6810:84e5',
      '2001:4860:4860::8888',
      '2620:fe::fe',
      '2c0f:fb50:4003::1',
    ]) {
      expect([a, addressRestriction(a)]).toEqual([a, null]);
    }
  });

  it('treats garbage as not an address', () => {
    expect(addressRestriction('localhost')).toBe('not an IP address');
  });
});

describe('checkOrigin', () => {
  const config = configWithDefaults({
    dataDir: '/tmp/x',
    host: '127.0.0.1',
    allowedOrigins: ['http://localhost:5173'],
  });
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
    if (host === 'public.test') return [{ address: '9.9.9.10', family: 4 }]; // public, and never dialled here (TEST-NET ranges are refused)
    if (host === 'mixed.test')
      return [
        { address: '10.0.0.5', family: 4 },
        { address: '9.9.9.11', family: 4 },
      ];
    if (host === 'rebind.test') return [{ address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  };
  const config = configWithDefaults({
    dataDir: '/tmp/x',
    allow: ['public.test', 'mixed.test', 'rebind.test', 'gone.test', 'weird.test']
      .map((host) => ({ host, port: 465 }))
      .concat([{ host: 'public.test', port: 8080 }]),
  });
  it('refuses targets off the allow list and non-mail ports before resolving', async () => {
    calls.length = 0;
    expect(await resolveRemoteTarget('other.test', 465, config, lookup)).toMatchObject({
      ok: false,
      code: 'TARGET_NOT_ALLOWED',
    });
    expect(await resolveRemoteTarget('public.test', 8080, config, lookup)).toMatchObject({
      ok: false,
      code: 'PORT_NOT_ALLOWED',
    });
    expect(calls).toEqual([]);
  });
  it('checks the resolved address and picks an allowed one to dial', async () => {
    expect(await resolveRemoteTarget('PUBLIC.test.', 465, config, lookup)).toEqual({
      ok: true,
      host: 'public.test',
      port: 465,
      address: '9.9.9.10',
      family: 'IPv4',
    });
    expect(await resolveRemoteTarget('mixed.test', 465, config, lookup)).toMatchObject({
      ok: true,
      address: '9.9.9.11',
    });
    expect(await resolveRemoteTarget('rebind.test', 465, config, lookup)).toMatchObject({
      ok: false,
      code: 'ADDRESS_NOT_ALLOWED',
    });
    expect(await resolveRemoteTarget('gone.test', 465, config, lookup)).toMatchObject({
      ok: false,
      code: 'DNS_FAILED',
    });
    const lab = { ...config, allowPrivate: true };
    expect(await resolveRemoteTarget('rebind.test', 465, lab, lookup)).toMatchObject({
      ok: true,
      address: '127.0.0.1',
    });
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
    expect(typeof a2).toBe('function');
    expect(typeof b1).toBe('function');
  });
});
