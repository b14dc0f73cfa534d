// What a session tells its client when the selected mailbox closes under it: what happened and
// what to type next. The notice is an untagged OK with the CLOSED code, which marks the point
// after which no response refers to the old mailbox (RFC 9051 section 7.1, RFC 7162 section
// 3.2.11); clients that do not know the code ignore it (RFC 3501 section 7.1) and then hear
// "no mailbox selected" from their next FETCH or STORE.
import type { MailboxClosedEvent } from '../mailstore-types.ts';
import { wireName } from './names.ts';

/** A mailbox name as a learner would type it after SELECT: INBOX bare, any other quoted. */
function typed(name: string): string {
  return name === 'INBOX' ? 'INBOX' : `"${wireName(name)}"`;
}

/** Two sentences: what happened to the mailbox, and the command that goes on from here. */
export function closedAdvice(event: MailboxClosedEvent): { what: string; next: string } {
  const name = typed(event.name);
  switch (event.reason) {
    case 'reset':
      return event.successor
        ? {
            what: `the practice server was reset: ${name} was emptied and made anew with a new UIDVALIDITY`,
            next: `SELECT ${typed(event.successor)} again to see what it holds`,
          }
        : {
            what: `the practice server was reset: ${name} was removed, as a reset keeps only INBOX, Drafts, Sent and Trash`,
            next: 'SELECT INBOX to go on',
          };
    case 'deleted':
      return {
        what: `${name} was deleted by another session`,
        next: 'SELECT INBOX (or another mailbox LIST shows) to go on',
      };
    case 'renamed':
      return {
        what: `${name} was renamed to ${typed(event.successor ?? '')}`,
        next: `SELECT ${typed(event.successor ?? 'INBOX')} to go on with it`,
      };
    case 'shutdown':
      return { what: 'the practice mail store was shut down', next: 'log in again once the server is back' };
  }
}

/** The untagged notice, without "* ". */
export function closedNotice(event: MailboxClosedEvent): string {
  const { what, next } = closedAdvice(event);
  return `OK [CLOSED] ${capitalise(what)}, so no mailbox is selected now. ${capitalise(next)}.`;
}

/** The tagged BAD for a selected-state command sent after the notice. */
export function closedRefusal(command: string, event: MailboxClosedEvent): string {
  const { what, next } = closedAdvice(event);
  return `${command} needs a selected mailbox, and none is selected since ${what}. ${capitalise(next)}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
