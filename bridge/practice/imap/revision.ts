// How an IMAP4rev2 session (ENABLE IMAP4rev2, RFC 9051 Appendix A) is answered where that is more
// than a switch at one place. The differences themselves are listed once, for the console too, in
// app/src/protocols/imap/revisions.ts; each site that follows one names its row there.
import { mailboxName } from './encode.ts';
import { listAttributes } from './commands/mailboxes.ts';
import type { Session } from './session.ts';

/**
 * SELECT and EXAMINE in IMAP4rev2 send an untagged LIST for the mailbox opened, with accurate
 * attributes (RFC 9051 section 6.3.2; 'select-list'). Names are taken in NFC only (names.ts), so the
 * name is the one the client sent and no OLDNAME is needed.
 */
export function rev2SelectList(session: Session, name: string): void {
  const all = session.accountStore?.listMailboxes() ?? [];
  session.untagged([`LIST (${listAttributes(all, name).join(' ')}) "/" `, ...mailboxName(name, session.utf8Names)]);
}

/**
 * Commands IMAP4rev2 dropped that this server still answers for a rev2 session, looser on purpose
 * so a learner's rev1 habit still works; the tagged text says so (RFC 9051 Appendix E items 17-19;
 * rows 'check', 'lsub', 'rfc822-items').
 */
export function rev2LenientNote(session: Session, what: 'CHECK' | 'LSUB' | 'RFC822'): string {
  if (!session.rev2) return '';
  const instead = { CHECK: 'send NOOP', LSUB: 'use LIST (SUBSCRIBED) "" "*"', RFC822: 'ask for BODY[] items' }[what];
  return ` Note: IMAP4rev2 dropped ${what === 'RFC822' ? 'the RFC822 FETCH items' : what} (RFC 9051 Appendix E); this server still answers it, but to be portable ${instead}.`;
}
