// The login throttle with an injected clock: Dovecot's schedule (2 s, doubling, 15 s cap), per
// address and per account, reset by a success, forgotten after a quiet while, bounded in memory.
import { describe, expect, it } from 'vitest';
import { AuthThrottle, throttleNote } from '../../../../bridge/practice/limits/throttle.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('AuthThrottle', () => {
  it('waits 2 s after the first failure, doubling to a 15 s cap', () => {
    const c = clock();
    const th = new AuthThrottle({ baseDelayMs: 2000, maxDelayMs: 15_000 }, c.now);
    const delays = Array.from({ length: 6 }, () => th.failed('192.0.2.1', null));
    expect(delays).toEqual([2000, 4000, 8000, 15_000, 15_000, 15_000]);
  });

  it('counts an account across addresses, and an address across accounts', () => {
    const th = new AuthThrottle({ baseDelayMs: 100, maxDelayMs: 10_000 }, clock().now);
    expect(th.failed('192.0.2.1', 'alice')).toBe(100);
    expect(th.failed('192.0.2.2', 'alice')).toBe(200); // same account, new address
    expect(th.failed('192.0.2.2', 'bob')).toBe(200); // that address has failed twice now
    expect(th.failed('192.0.2.3', null)).toBe(100); // a stranger starts at the bottom
  });

  it('a success clears the address and the account; another address was never slowed', () => {
    const th = new AuthThrottle({ baseDelayMs: 100, maxDelayMs: 10_000 }, clock().now);
    th.failed('192.0.2.1', 'alice');
    th.failed('192.0.2.1', 'alice');
    th.succeeded('192.0.2.1', 'alice');
    expect(th.failed('192.0.2.1', 'alice')).toBe(100);
    expect(th.failed('192.0.2.9', 'bob')).toBe(100);
  });

  it('forgets a count nobody refreshed for a while', () => {
    const c = clock();
    const th = new AuthThrottle({ baseDelayMs: 100, maxDelayMs: 10_000, forgetAfterMs: 60_000 }, c.now);
    th.failed('192.0.2.1', null);
    th.failed('192.0.2.1', null);
    c.advance(60_001);
    expect(th.failed('192.0.2.1', null)).toBe(100);
  });

  it('keeps at most maxEntries counts, dropping the oldest', () => {
    const th = new AuthThrottle({ baseDelayMs: 100, maxDelayMs: 10_000, maxEntries: 3 }, clock().now);
    th.failed('a', null);
    th.failed('a', null);
    for (const x of ['b', 'c', 'd']) th.failed(x, null);
    expect(th.failed('a', null)).toBe(100); // 'a' was evicted
  });

  it('0 turns it off', () => {
    const th = new AuthThrottle({ baseDelayMs: 0, maxDelayMs: 0 }, clock().now);
    expect(th.failed('a', 'alice')).toBe(0);
    expect(throttleNote(0)).toBe('');
  });

  it('says why the reply was slow', () => {
    expect(throttleNote(4000)).toMatch(
      /^ This answer waited 4 s on purpose: after each failed login the server waits longer/,
    );
    expect(throttleNote(250)).toMatch(/waited 0\.3 s/);
  });
});
