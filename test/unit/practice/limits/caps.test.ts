// Connection caps and the memory budget: counts in, refusals that count nothing, counts out.
import { describe, expect, it } from 'vitest';
import { MemoryBudget } from '../../../../bridge/practice/limits/budget.ts';
import { ConnectionCaps } from '../../../../bridge/practice/limits/caps.ts';

describe('ConnectionCaps', () => {
  it('refuses over the cap per address (over all ports) and per port, and frees places on release', () => {
    const caps = new ConnectionCaps({ maxPerAddress: 2, maxPerPort: 3 });
    expect(caps.admit(143, 'a')).toBeNull();
    expect(caps.admit(110, 'a')).toBeNull();
    expect(caps.admit(25, 'a')).toBe('address');
    expect(caps.admit(143, 'b')).toBeNull();
    expect(caps.admit(143, 'c')).toBeNull();
    expect(caps.admit(143, 'd')).toBe('port');
    expect(caps.open(143)).toBe(3); // refusals were not counted
    caps.release(143, 'a');
    expect(caps.admit(143, 'd')).toBeNull();
    expect(caps.admit(25, 'a')).toBeNull();
  });
});

describe('MemoryBudget', () => {
  it('reserves up to the total and no further', () => {
    const b = new MemoryBudget(100);
    expect(b.reserve(60)).toBe(true);
    expect(b.reserve(50)).toBe(false);
    expect(b.inUse).toBe(60);
    b.release(60);
    expect(b.reserve(100)).toBe(true);
    b.release(500);
    expect(b.inUse).toBe(0);
  });
});
