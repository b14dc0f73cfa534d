// The contract of the practice mailstore: one store shared by SMTP (delivery), IMAP and POP3.
// The implementation lives in mailstore.ts; protocol servers depend only on these types.

export interface AccountConfig {
  /** Local part, e.g. "alice"; the address is `${username}@${domain}`. */
  username: string;
  password: string;
}

export interface Account {
  username: string;
  address: string; // alice@practice.test
}

/** One message as a mailbox sees it. Sequence numbers are positions in `Mailbox.messages()`. */
export interface MessageMeta {
  uid: number;
  /** System flags (\Seen, \Answered, \Flagged, \Deleted, \Draft) and keywords. Never \Recent. */
  flags: string[];
  internalDate: Date;
  /** RFC822.SIZE: exact octet count of the stored message (CRLF line ends). */
  size: number;
  /** A stable id for POP3 UIDL (RFC 1939 section 7): unique and never reused within the account. */
  uniqueId: string;
  /** True until the first IMAP session that selects (not examines) the mailbox claims it. */
  recent: boolean;
  /** MODSEQ: when its flags last changed, or it was added (RFC 7162 section 3.1). */
  modseq: number;
}

/** Change events, so other sessions on the same mailbox get untagged updates (RFC 3501 section 7). */
export type MailboxEvent =
  | { kind: 'exists'; uid: number } // a message was appended or delivered
  | { kind: 'expunge'; uids: number[] }
  | { kind: 'flags'; uid: number; flags: string[]; modseq: number }
  | MailboxClosedEvent;

/** Why a mailbox object stopped serving the name it was opened under. */
export type MailboxClosedReason = 'reset' | 'deleted' | 'renamed' | 'shutdown';

/**
 * The last event a mailbox object sends: its name no longer leads to it. Messages that went with
 * it were announced by an `expunge` event first (a reset, a DELETE); after a RENAME they live on
 * under `successor`. Sessions that had it selected must leave it (RFC 2180 section 3).
 */
export interface MailboxClosedEvent {
  kind: 'closed';
  reason: MailboxClosedReason;
  /** The mailbox's name when it closed. */
  name: string;
  /** Where to go on: the new name after a RENAME, the same name when a reset re-creates it, else null. */
  successor: string | null;
}

export interface Mailbox {
  readonly name: string; // e.g. "INBOX", "Sent", "Archive/2026"
  readonly uidValidity: number;
  readonly uidNext: number;
  /** HIGHESTMODSEQ (RFC 7162 section 3.1.2): the MODSEQ of the last change, expunges included. */
  readonly highestModseq: number;
  /** The messages in ascending UID order (sequence number = index + 1). A fresh array each call. */
  messages(): MessageMeta[];
  /** One message's metadata as it is now, or null once expunged. */
  message(uid: number): MessageMeta | null;
  /** The exact stored bytes of one message (CRLF line ends), or null if it was expunged. */
  read(uid: number): Promise<Buffer | null>;
  /** Replaces the flags of the given messages; returns the updated metas. Persisted before resolving. */
  setFlags(uids: number[], mode: 'set' | 'add' | 'remove', flags: string[]): Promise<MessageMeta[]>;
  /**
   * The same with UNCHANGEDSINCE (RFC 7162 section 3.1.3): messages whose MODSEQ is above it are
   * left alone and returned in `modified`.
   */
  storeFlags(
    uids: number[],
    mode: 'set' | 'add' | 'remove',
    flags: string[],
    unchangedSince?: number,
  ): Promise<{ updated: MessageMeta[]; modified: number[] }>;
  /** UIDs expunged after `modseq`, as inclusive ranges; may hold more (RFC 7162 section 3.2.5.1). */
  vanishedSince(modseq: number): Array<[number, number]>;
  /** Removes the given messages for good; returns the UIDs that were removed. */
  expunge(uids: number[]): Promise<number[]>;
  /** Marks the given messages as no longer recent (IMAP: the session that SELECTed claims them). */
  claimRecent(): number[];
  /**
   * Subscribe to changes made through any session; returns an unsubscribe function. A `closed`
   * event is the last one; after it, writes reject with MailstoreError('MAILBOX_CLOSED').
   */
  subscribe(listener: (event: MailboxEvent) => void): () => void;
}

/**
 * A change anywhere in one account, for sessions that watch more than their selected mailbox (IMAP
 * NOTIFY, RFC 5465 section 5): every message event of every mailbox, by the mailbox's name at the
 * time, and changes to the mailbox list and the subscriptions. An account's events never reach a
 * listener of another account.
 */
export type AccountEvent =
  | { kind: 'message'; mailbox: string; event: Exclude<MailboxEvent, MailboxClosedEvent> }
  | { kind: 'created'; name: string }
  | { kind: 'deleted'; name: string }
  | { kind: 'renamed'; from: string; to: string }
  | { kind: 'subscribed'; name: string; subscribed: boolean }
  /** A practice reset put a new, empty mailbox under this name: a new UIDVALIDITY (RFC 3501 2.3.1.1). */
  | { kind: 'recreated'; name: string };

export interface AppendOptions {
  flags?: string[];
  internalDate?: Date;
}

export interface AccountStore {
  readonly account: Account;
  /**
   * While a reset of the store runs (or waits to run): a promise that resolves once no reset is
   * under way; otherwise null. The reads below are synchronous and would see a half-reset store
   * (mailboxes emptied or closed, the new ones not there yet), so protocol commands that read
   * mailboxes wait on this first. Null keeps the usual path free of any await.
   */
  resetting(): Promise<void> | null;
  /** Mailbox names, INBOX first. Hierarchy separator is "/". */
  listMailboxes(): string[];
  subscriptions(): string[];
  setSubscribed(name: string, subscribed: boolean): Promise<void>;
  /** Case-insensitive for INBOX only (RFC 3501 section 5.1). Null if there is no such mailbox. */
  mailbox(name: string): Mailbox | null;
  createMailbox(name: string): Promise<Mailbox>; // throws MailstoreError('ALREADY_EXISTS' | 'BAD_NAME')
  deleteMailbox(name: string): Promise<void>; // throws MailstoreError('NO_SUCH_MAILBOX' | 'CANNOT_DELETE_INBOX')
  renameMailbox(from: string, to: string): Promise<void>;
  /** Stores a message durably (tmp, fsync, rename) before resolving; returns its UID. */
  append(mailbox: string, raw: Buffer, options?: AppendOptions): Promise<{ uid: number; uidValidity: number }>;
  /**
   * Copies messages (flags kept, new UIDs); returns pairs of source and destination UIDs (UIDPLUS).
   * With `moving`, the caller expunges the sources next (MOVE): the quota counts only the net change.
   * Throws MailstoreError('OVER_QUOTA') before copying anything if the copies do not fit.
   */
  copy(
    from: string,
    uids: number[],
    to: string,
    options?: { moving?: boolean },
  ): Promise<{ uidValidity: number; pairs: Array<[number, number]> }>;
  /** Octets stored over all mailboxes, and the account's limit (0: none). RFC 9208 STORAGE. */
  quota(): QuotaUsage;
  /**
   * Subscribe to every change in the account, whichever session or delivery made it; returns the
   * unsubscribe function. Listeners stay subscribed across a practice reset.
   */
  subscribe(listener: (event: AccountEvent) => void): () => void;
}

export interface QuotaUsage {
  used: number;
  limit: number;
}

export type MailstoreErrorCode =
  | 'NO_SUCH_MAILBOX'
  | 'ALREADY_EXISTS'
  | 'BAD_NAME'
  | 'CANNOT_DELETE_INBOX'
  | 'QUOTA_EXCEEDED' // one message over the size limit
  | 'OVER_QUOTA' // the account's quota (--quota) has no room for it
  | 'NO_SUCH_ACCOUNT'
  | 'MAILBOX_CLOSED';

export class MailstoreError extends Error {
  constructor(
    readonly code: MailstoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MailstoreError';
  }
}

/** An account's quota has no room for a write: which account, how full, and how much was asked. */
export class OverQuotaError extends MailstoreError {
  constructor(
    readonly address: string,
    readonly usage: QuotaUsage,
    readonly octets: number,
  ) {
    super(
      'OVER_QUOTA',
      `Over quota: ${address} stores ${usage.used} of ${usage.limit} octets, and ${octets} more do not fit. Delete messages (then EXPUNGE) to make room; nothing was stored.`,
    );
    this.name = 'OverQuotaError';
  }
}

export interface MailstoreApi {
  readonly domain: string; // "practice.test"
  /** Accepts "alice" or "alice@practice.test" (case-insensitive). Null on a wrong password. */
  authenticate(login: string, password: string): Account | null;
  /** The account for an address at the local domain, or null. */
  findAccount(addressOrUsername: string): Account | null;
  accounts(): Account[];
  /** The store of one account (mailboxes, append, copy). */
  forAccount(username: string): AccountStore;
  /**
   * SMTP delivery: append to each recipient's INBOX, durably, before the 250 is sent. All or none:
   * if one recipient's quota has no room, nothing is stored (MailstoreError 'OVER_QUOTA').
   * `copyFor` gives each recipient's own copy (its Delivered-To:, RFC 9228); without it all get `raw`.
   */
  deliver(recipients: string[], raw: Buffer, copyFor?: (recipient: string) => Buffer): Promise<void>;
  /** Restores the default accounts and their welcome messages; every mailbox is emptied. */
  reset(): Promise<void>;
  close(): Promise<void>;
}
