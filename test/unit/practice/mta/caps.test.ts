// bridge/practice/mta/caps.ts: the queue's caps per sender account and in all.
import { describe, expect, it } from 'vitest';
import { queueRefusal, type QueueCaps } from '../../../../bridge/practice/mta/caps.ts';

const caps: QueueCaps = { perSenderMessages: 2, perSenderOctets: 1000, messages: 4, octets: 3000 };
const w = (account: string, octets = 100) => ({ account, octets });

describe('queueRefusal', () => {
  it('lets a sender under both caps in', () => {
    expect(queueRefusal(caps, [w('alice')], { account: 'alice', entries: 1, octets: 100 })).toBeNull();
  });
  it('counts one entry per destination domain against the sender', () => {
    const r = queueRefusal(caps, [w('alice')], { account: 'alice', entries: 2, octets: 100 });
    expect(r).toMatchObject({ scope: 'sender' });
    expect(r!.message).toMatch(/^Too much of your mail is waiting in the queue \(1 message, 100 octets/);
  });
  it("refuses by octets as well as by messages, and one sender's share does not touch another's", () => {
    expect(queueRefusal(caps, [w('alice', 900)], { account: 'alice', entries: 1, octets: 200 })?.scope).toBe('sender');
    expect(queueRefusal(caps, [w('alice', 900)], { account: 'bob', entries: 1, octets: 200 })).toBeNull();
  });
  it('refuses everyone once the queue as a whole is full', () => {
    const full = [w('a'), w('b'), w('c'), w('d')];
    expect(queueRefusal(caps, full, { account: 'e', entries: 1, octets: 1 })).toMatchObject({ scope: 'all' });
    expect(queueRefusal(caps, [w('a', 2950)], { account: 'e', entries: 1, octets: 100 })?.scope).toBe('all');
  });
});
