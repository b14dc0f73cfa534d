// The words a session uses when its selected mailbox closes under it: what happened, and the
// command that goes on from there, in 7-bit text with mailbox names in modified UTF-7.
import { describe, expect, it } from 'vitest';
import { closedAdvice, closedNotice, closedRefusal } from '../../../../bridge/practice/imap/closed.ts';
import type { MailboxClosedEvent } from '../../../../bridge/practice/mailstore-types.ts';

const event = (reason: MailboxClosedEvent['reason'], name: string, successor: string | null): MailboxClosedEvent => ({
  kind: 'closed',
  reason,
  name,
  successor,
});

describe('closed-mailbox notice', () => {
  it('after a reset that re-creates the mailbox: SELECT it again', () => {
    const notice = closedNotice(event('reset', 'INBOX', 'INBOX'));
    expect(notice).toBe(
      'OK [CLOSED] The practice server was reset: INBOX was emptied and made anew with a new UIDVALIDITY, so no mailbox is selected now. SELECT INBOX again to see what it holds.',
    );
  });

  it('after a reset that removed the mailbox, or a DELETE: go to INBOX', () => {
    expect(closedAdvice(event('reset', 'Projects', null)).next).toBe('SELECT INBOX to go on');
    expect(closedAdvice(event('reset', 'Projects', null)).what).toContain('"Projects" was removed');
    expect(closedAdvice(event('deleted', 'Projects', null))).toEqual({
      what: '"Projects" was deleted by another session',
      next: 'SELECT INBOX (or another mailbox LIST shows) to go on',
    });
  });

  it('after a RENAME: the new name, as the client must type it (modified UTF-7, RFC 3501 section 5.1.3)', () => {
    const text = closedNotice(event('renamed', 'Entwürfe', 'Alte Entwürfe'));
    expect(text).toContain(
      '"Entw&APw-rfe" was renamed to "Alte Entw&APw-rfe", so no mailbox is selected now. SELECT "Alte Entw&APw-rfe" to go on with it.',
    );
    expect(text).toMatch(/^[\x20-\x7e]+$/); // TEXT-CHAR only: no CR, LF or 8-bit
  });

  it('the refusal of a selected-state command names the command and repeats the reason', () => {
    expect(closedRefusal('UID STORE', event('deleted', 'Work', null))).toBe(
      'UID STORE needs a selected mailbox, and none is selected since "Work" was deleted by another session. SELECT INBOX (or another mailbox LIST shows) to go on.',
    );
    expect(closedRefusal('FETCH', event('shutdown', 'INBOX', null))).toMatch(/shut down\. Log in again/);
  });
});
