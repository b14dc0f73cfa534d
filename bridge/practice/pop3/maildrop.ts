// The maildrop of one POP3 session: the INBOX as it was at login (RFC 1939 section 8: messages
// that arrive later are not shown until the next session), plus the session's deletion marks.
import type { Mailbox, MessageMeta } from '../mailstore-types.ts';

export interface MaildropEntry {
  /** Message number, 1-based, fixed for the whole session (RFC 1939 section 4). */
  number: number;
  meta: MessageMeta;
  deleted: boolean;
}

export type Lookup = { ok: true; entry: MaildropEntry } | { ok: false; reason: 'no-such-message' | 'deleted' };

export class Maildrop {
  private readonly entries: MaildropEntry[];

  constructor(readonly mailbox: Mailbox) {
    this.entries = mailbox.messages().map((meta, i) => ({ number: i + 1, meta, deleted: false }));
  }

  lookup(number: number): Lookup {
    const entry = this.entries[number - 1];
    if (!entry) return { ok: false, reason: 'no-such-message' };
    if (entry.deleted) return { ok: false, reason: 'deleted' };
    return { ok: true, entry };
  }

  /** Messages not marked as deleted. */
  live(): MaildropEntry[] {
    return this.entries.filter((e) => !e.deleted);
  }

  /** STAT: count and total octets of the messages not marked as deleted. */
  stat(): { count: number; octets: number } {
    const live = this.live();
    return { count: live.length, octets: live.reduce((sum, e) => sum + e.meta.size, 0) };
  }

  markDeleted(number: number): void {
    const entry = this.entries[number - 1];
    if (entry) entry.deleted = true;
  }

  /** RSET: unmark every message. */
  unmarkAll(): void {
    for (const entry of this.entries) entry.deleted = false;
  }

  deletedUids(): number[] {
    return this.entries.filter((e) => e.deleted).map((e) => e.meta.uid);
  }
}

/**
 * Exclusive access to a maildrop (RFC 1939 section 8), shared by every POP3 server on the same
 * store (the STLS port and the implicit-TLS port) through a WeakMap keyed by the store.
 */
const heldByStore = new WeakMap<object, Set<string>>();

export function tryLockMaildrop(store: object, username: string): (() => void) | null {
  let held = heldByStore.get(store);
  if (!held) heldByStore.set(store, (held = new Set()));
  if (held.has(username)) return null;
  held.add(username);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.delete(username);
  };
}
