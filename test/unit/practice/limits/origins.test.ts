// The connection-origin registry the bridge fills and the practice server reads.
import { describe, expect, it } from 'vitest';
import { createConnectionOrigins } from '../../../../bridge/practice/limits/origins.ts';

describe('createConnectionOrigins', () => {
  it('gives the registered address and scenarios of a port, else the socket address and the global ones', () => {
    const o = createConnectionOrigins({ greylist: true });
    o.register(40000, { mailboxFull: true }, '192.0.2.7');
    expect(o.address(40000, '127.0.0.1')).toBe('192.0.2.7');
    expect(o.lookup(40000)).toEqual({ greylist: true, mailboxFull: true });
    expect(o.address(40001, '127.0.0.1')).toBe('127.0.0.1');
    expect(o.lookup(40001)).toEqual({ greylist: true });
    o.register(40002, { slowRepliesMs: 5 }); // the scenario-only form of older callers
    expect(o.address(40002, '127.0.0.1')).toBe('127.0.0.1');
    o.unregister(40000);
    expect(o.address(40000, '127.0.0.1')).toBe('127.0.0.1');
  });

  it('whenRegistered resolves as soon as the bridge registers, or after the wait', async () => {
    const o = createConnectionOrigins();
    let early = false;
    const waiting = o.whenRegistered(40010, 5000).then(() => (early = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(early).toBe(false);
    o.register(40010, {}, '192.0.2.8');
    await waiting;
    expect(early).toBe(true);
    const started = Date.now();
    await o.whenRegistered(40011, 30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    await o.whenRegistered(40010, 5000); // already known: at once
  });
});
