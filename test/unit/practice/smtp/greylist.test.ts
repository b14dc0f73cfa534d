// The practice greylist (bridge/practice/smtp/greylist.ts): RFC 6647 triplets and a minimum delay.
import { describe, expect, it } from 'vitest';
import { createGreylist } from '../../../../bridge/practice/smtp/greylist.ts';

describe('greylist', () => {
  const delay = 5000;
  it('refuses a new triplet, then a retry sooner than the delay, then lets it through for good', () => {
    const g = createGreylist();
    expect(g.check('127.0.0.1', 'a@x.test', 'b@y.test', delay, 1000)).toEqual({
      pass: false,
      retryInMs: 5000,
      first: true,
    });
    expect(g.check('127.0.0.1', 'a@x.test', 'b@y.test', delay, 3000)).toEqual({
      pass: false,
      retryInMs: 3000,
      first: false,
    });
    expect(g.check('127.0.0.1', 'A@X.test', 'b@Y.test', delay, 6000)).toEqual({ pass: true, known: false });
    // Passed once: known from now on, no further wait.
    expect(g.check('127.0.0.1', 'a@x.test', 'b@y.test', delay, 6001)).toEqual({ pass: true, known: true });
  });

  it('keys on client address, sender and recipient: changing any one is a new triplet', () => {
    const g = createGreylist();
    g.check('127.0.0.1', 'a@x.test', 'b@y.test', delay, 0);
    g.check('127.0.0.1', 'a@x.test', 'b@y.test', delay, 6000);
    expect(g.check('127.0.0.2', 'a@x.test', 'b@y.test', delay, 6001).pass).toBe(false);
    expect(g.check('127.0.0.1', 'c@x.test', 'b@y.test', delay, 6001).pass).toBe(false);
    expect(g.check('127.0.0.1', 'a@x.test', 'd@y.test', delay, 6001).pass).toBe(false);
  });

  it('takes the delay at each check (it is configurable, 5 s by default), and stays bounded', () => {
    const g = createGreylist();
    g.check('h', 's', 'r', 1000, 0);
    expect(g.check('h', 's', 'r', 0, 1).pass).toBe(true);
    expect(g.check('h', 'new', 'r', undefined, 0)).toEqual({ pass: false, retryInMs: 5000, first: true });
    for (let i = 0; i < 10_050; i++) g.check('h', `s${i}`, 'r', 1000, 2);
    // The oldest records went first: the first triplet is new again.
    expect(g.check('h', 's', 'r', 1000, 3).pass).toBe(false);
  });
});
