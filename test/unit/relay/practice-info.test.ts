// Who may reset the practice mailboxes over HTTP: only loopback clients (bridge/practice-info.ts).
// Addresses here are strings handed to the pure check; no traffic goes anywhere.
import { describe, expect, it } from 'vitest';
import { resetRefusal } from '../../../bridge/practice-info.ts';

describe('resetRefusal', () => {
  it('allows the machine mailwire runs on, over IPv4, IPv6 and IPv4-mapped IPv6', () => {
    for (const a of ['127.0.0.1', '127.5.6.7', '::1', '::ffff:127.0.0.1']) expect(resetRefusal(a)).toBeNull();
  });

  it('refuses classmates on the LAN and anywhere else, naming the address and what to do', () => {
    for (const a of ['192.168.1.20', '10.0.0.5', '::ffff:172.16.0.9', 'fe80::1', '203.0.113.7', '2001:db8::1']) {
      const r = resetRefusal(a);
      expect(r?.code).toBe('RESET_LOCAL_ONLY');
      expect(r?.message).toContain(a);
      expect(r?.message).toContain('--reset-practice');
    }
    expect(resetRefusal(undefined)?.code).toBe('RESET_LOCAL_ONLY');
  });
});
