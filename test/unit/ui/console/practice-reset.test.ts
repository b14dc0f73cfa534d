// The sentence the page shows after a reset: pure, from the bridge's JSON answer.
import { describe, expect, it } from 'vitest';
import { describeReset } from '../../../../app/src/ui/console/practice-reset.ts';

const account = (username: string, messages: number, mailboxes: string[] = []) => ({
  username,
  address: `${username}@practice.test`,
  messages,
  mailboxes,
});

describe('describeReset', () => {
  it('names the accounts that lost something, with counts, and says a welcome came back', () => {
    const text = describeReset({
      reset: true,
      messages: 5,
      accounts: [account('alice', 4, ['Projects']), account('bob', 1), account('carol', 0)],
    });
    expect(text).toBe('Removed 5 messages: alice 4 (and 1 mailbox), bob 1. Each INBOX has a fresh welcome message.');
  });

  it('keeps a class of many accounts to one short line', () => {
    const accounts = Array.from({ length: 30 }, (_, i) => account(`student${String(i + 1).padStart(2, '0')}`, 1));
    const text = describeReset({ reset: true, messages: 30, accounts });
    expect(text).toContain('student08 1, 22 more accounts.');
    expect(text).not.toContain('student09');
  });

  it('says so when there was nothing to remove', () => {
    expect(describeReset({ reset: true, messages: 0, accounts: [account('alice', 0)] })).toBe(
      'Removed 0 messages. Each INBOX has a fresh welcome message.',
    );
  });
});
