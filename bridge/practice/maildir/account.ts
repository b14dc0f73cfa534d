// One account's mailboxes: a directory per mailbox under `${dataDir}/mail/<username>/`, its name
// percent-encoded so hierarchy ("Archive/2026") never collides with tmp/new/cur. Subscriptions and
// the last UIDVALIDITY handed out live in @mailwire/account.json (written atomically): a directory
// name the encoding never writes, so no mailbox can collide with the store's own files.
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  MailstoreError,
  OverQuotaError,
  type QuotaUsage,
  type Account,
  type AccountEvent,
  type AccountStore,
  type AppendOptions,
  type Mailbox,
  type MailboxClosedReason,
} from '../mailstore-types.ts';
import { fsyncDir, writeDurably } from './fsutil.ts';
import { ACCOUNT_FILE, migrateAccountDir, readAccountFile, type AccountFile } from './layout.ts';
import { MaildirMailbox } from './mailbox.ts';
import { checkMailboxName, checkNoCaseTwin, mailboxDirName, mailboxOfDir, STORE_DIR } from './names.ts';

export const DEFAULT_MAILBOXES = ['INBOX', 'Drafts', 'Sent', 'Trash'];
export { checkMailboxName, mailboxDirName } from './names.ts';

export class MaildirAccount implements AccountStore {
  private boxes = new Map<string, MaildirMailbox>();
  private file: AccountFile = { subscriptions: [], lastUidValidity: 0 };
  /** Octets promised to writes under way: checked and counted before their bytes land. */
  private reserved = 0;
  private listeners = new Set<(event: AccountEvent) => void>();

  private constructor(
    readonly account: Account,
    private dir: string,
    private maxMessageSize: number,
    private quotaLimit: number,
  ) {}

  static async open(
    account: Account,
    dir: string,
    limits: { maxMessageSize: number; quota: number },
    welcome: () => Buffer,
  ): Promise<MaildirAccount> {
    const store = new MaildirAccount(account, dir, limits.maxMessageSize, limits.quota);
    await mkdir(dir, { recursive: true });
    await migrateAccountDir(dir); // a data dir from before @mailwire/ (account.json beside the mailboxes)
    store.file = { ...store.file, ...(await readAccountFile(dir)) };
    const entries = (await readdir(dir, { withFileTypes: true })).filter(
      (e) => e.isDirectory() && e.name !== STORE_DIR,
    );
    const fresh = entries.length === 0;
    for (const e of entries) {
      const name = mailboxOfDir(e.name);
      if (name === null) continue; // not written by this store: left alone
      store.boxes.set(
        name,
        store.heard(await MaildirMailbox.open(name, path.join(dir, e.name), () => store.nextUidValidity())),
      );
    }
    if (fresh) {
      for (const name of DEFAULT_MAILBOXES) await store.createMailbox(name);
      store.file.subscriptions = [...DEFAULT_MAILBOXES];
      await store.append('INBOX', welcome(), {}, true); // never refused: a quota below it must not stop the start
    } else if (!store.boxes.has('INBOX')) {
      await store.createMailbox('INBOX');
    }
    await store.save();
    return store;
  }

  subscribe(listener: (event: AccountEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: AccountEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // one session's bug must not stop the others hearing about the change
      }
    }
  }

  /** The account hears every message event of its mailboxes (the one source NOTIFY reads). */
  private heard(box: MaildirMailbox): MaildirMailbox {
    box.forward = (name, event) => this.emit({ kind: 'message', mailbox: name, event });
    return box;
  }

  /** Strictly increasing per account, so a re-created name never reuses an old UIDVALIDITY. */
  private nextUidValidity(): number {
    const used = Math.max(this.file.lastUidValidity, ...[...this.boxes.values()].map((b) => b.uidValidity));
    this.file.lastUidValidity = Math.max(used + 1, Math.floor(Date.now() / 1000));
    return this.file.lastUidValidity;
  }

  private async save(): Promise<void> {
    const file = path.join(this.dir, STORE_DIR, ACCOUNT_FILE);
    await writeDurably(`${file}.tmp`, file, JSON.stringify(this.file));
  }

  /** A single account is never reset on its own: the whole store is (mailstore.ts). */
  resetting(): null {
    return null;
  }

  listMailboxes(): string[] {
    const names = [...this.boxes.keys()].filter((n) => n !== 'INBOX').sort();
    return ['INBOX', ...names];
  }

  subscriptions(): string[] {
    return [...this.file.subscriptions];
  }

  async setSubscribed(name: string, subscribed: boolean): Promise<void> {
    const canonical = /^inbox$/i.test(name) ? 'INBOX' : name;
    const rest = this.file.subscriptions.filter((n) => n !== canonical);
    const was = this.file.subscriptions.includes(canonical);
    this.file.subscriptions = subscribed ? [...rest, canonical] : rest;
    await this.save();
    if (was !== subscribed) this.emit({ kind: 'subscribed', name: canonical, subscribed });
  }

  mailbox(name: string): Mailbox | null {
    return this.box(name);
  }

  private box(name: string): MaildirMailbox | null {
    return this.boxes.get(/^inbox$/i.test(name) ? 'INBOX' : name) ?? null;
  }

  private need(name: string): MaildirMailbox {
    const box = this.box(name);
    if (!box)
      throw new MailstoreError(
        'NO_SUCH_MAILBOX',
        `There is no mailbox named "${name.slice(0, 60)}". LIST shows the ones that exist.`,
      );
    return box;
  }

  async createMailbox(name: string): Promise<Mailbox> {
    const canonical = checkMailboxName(name);
    if (this.boxes.has(canonical))
      throw new MailstoreError('ALREADY_EXISTS', `The mailbox "${canonical}" already exists.`);
    for (const part of superiors(canonical)) if (!this.boxes.has(part)) checkNoCaseTwin(part, this.boxes.keys());
    checkNoCaseTwin(canonical, this.boxes.keys());
    // Superiors come into being too, as most servers do (RFC 3501 6.3.3).
    const parts = canonical.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!this.boxes.has(parent)) await this.openBox(parent);
    }
    const box = await this.openBox(canonical);
    await this.save();
    return box;
  }

  private async openBox(name: string): Promise<MaildirMailbox> {
    const box = this.heard(
      await MaildirMailbox.open(name, path.join(this.dir, mailboxDirName(name)), () => this.nextUidValidity()),
    );
    this.boxes.set(name, box);
    await fsyncDir(this.dir);
    this.emit({ kind: 'created', name });
    return box;
  }

  async deleteMailbox(name: string): Promise<void> {
    if (/^inbox$/i.test(name))
      throw new MailstoreError(
        'CANNOT_DELETE_INBOX',
        'INBOX cannot be deleted (RFC 3501 6.3.4); expunge its messages instead.',
      );
    const box = this.need(name);
    this.boxes.delete(box.name);
    await box.close('deleted');
    await rm(box.dir, { recursive: true, force: true });
    await fsyncDir(this.dir);
    this.emit({ kind: 'deleted', name: box.name });
    // The subscription stays: "the server MUST NOT unilaterally remove an existing mailbox name
    // from the subscription list even if a mailbox by that name no longer exists" (RFC 3501
    // section 6.3.6); LSUB shows it \Noselect, LIST (SUBSCRIBED) \NonExistent, as Dovecot does.
  }

  async renameMailbox(from: string, to: string): Promise<void> {
    const source = this.need(from);
    const target = checkMailboxName(to);
    if (this.boxes.has(target))
      throw new MailstoreError('ALREADY_EXISTS', `The mailbox "${target}" already exists; pick another new name.`);
    if (source.name === 'INBOX') {
      // RFC 3501 6.3.5: renaming INBOX moves its messages into the new mailbox; INBOX stays, empty.
      const uids = source.messages().map((m) => m.uid);
      await this.createMailbox(target);
      await this.copy('INBOX', uids, target, { moving: true }); // a move: the quota total does not change
      await source.expunge(uids);
      return;
    }
    // Inferiors move with their superior ("Archive" -> "Old" takes "Archive/2026" to "Old/2026").
    const root = source.name; // `source` itself is renamed inside the loop below
    if (target.startsWith(`${root}/`))
      throw new MailstoreError('BAD_NAME', `"${root}" cannot be moved inside itself; pick a name outside it.`);
    const moving = [...this.boxes.keys()].filter((n) => n === root || n.startsWith(`${root}/`));
    const staying = (n: string) => moving.includes(n);
    for (const oldName of moving) {
      const newName = checkMailboxName(target + oldName.slice(root.length)); // inferiors must fit on disk too
      if (this.boxes.has(newName))
        throw new MailstoreError('ALREADY_EXISTS', `Renaming would overwrite "${newName}", which already exists.`);
      checkNoCaseTwin(newName, this.boxes.keys(), staying);
    }
    for (const part of superiors(target)) if (!this.boxes.has(part)) checkNoCaseTwin(part, this.boxes.keys(), staying);
    const parts = target.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!this.boxes.has(parent) && !moving.includes(parent)) await this.openBox(parent);
    }
    for (const oldName of moving) {
      const box = this.boxes.get(oldName)!;
      const newName = target + oldName.slice(root.length);
      const newDir = path.join(this.dir, mailboxDirName(newName));
      await box.settle(); // an append writing into the old directory finishes there first
      await rename(box.dir, newDir);
      this.boxes.delete(oldName);
      box.moved(newName, newDir);
      this.boxes.set(newName, box);
      this.file.subscriptions = this.file.subscriptions.map((n) => (n === oldName ? newName : n));
    }
    await fsyncDir(this.dir);
    await this.save();
    // One event for the mailbox renamed; its inferiors moved with it (RFC 5465 section 5.4).
    this.emit({ kind: 'renamed', from: root, to: target });
  }

  /** The whole account counts against one quota root (RFC 9208 section 3.2): every mailbox. */
  quota(): QuotaUsage {
    let used = 0;
    for (const box of this.boxes.values()) used += box.storedOctets();
    return { used, limit: this.quotaLimit };
  }

  /**
   * Promises `octets` to a write about to happen, or throws OVER_QUOTA if they do not fit beside
   * what is stored and what other writes under way were promised. Returns the release.
   */
  reserve(octets: number): () => void {
    if (this.quotaLimit > 0 && octets > 0) {
      const usage = this.quota();
      if (usage.used + this.reserved + octets > this.quotaLimit) {
        throw new OverQuotaError(
          this.account.address,
          { used: usage.used + this.reserved, limit: this.quotaLimit },
          octets,
        );
      }
    }
    this.reserved += octets;
    let released = false;
    return () => {
      if (!released) this.reserved -= octets;
      released = true;
    };
  }

  checkSize(raw: Buffer): void {
    if (raw.length > this.maxMessageSize) {
      throw new MailstoreError(
        'QUOTA_EXCEEDED',
        `The message is ${raw.length} octets; this server stores at most ${this.maxMessageSize} octets per message.`,
      );
    }
  }

  /** `reserved`: the caller already holds a reservation for these octets (SMTP delivery). */
  async append(
    mailbox: string,
    raw: Buffer,
    options: AppendOptions = {},
    reserved = false,
  ): Promise<{ uid: number; uidValidity: number }> {
    const box = this.need(mailbox);
    this.checkSize(raw);
    const release = reserved ? () => {} : this.reserve(raw.length);
    try {
      const uid = await box.append(raw, options.flags ?? [], options.internalDate ?? new Date());
      return { uid, uidValidity: box.uidValidity };
    } finally {
      release();
    }
  }

  async copy(
    from: string,
    uids: number[],
    to: string,
    options: { moving?: boolean } = {},
  ): Promise<{ uidValidity: number; pairs: Array<[number, number]> }> {
    const source = this.need(from);
    const target = this.need(to);
    const metas = new Map(source.messages().map((m) => [m.uid, m]));
    const wanted = [...new Set(uids)].sort((a, b) => a - b).filter((uid) => metas.has(uid));
    // All or nothing (RFC 9208 section 4.3.1): the copies must fit before the first is written. A
    // MOVE inside the account changes nothing in the total, so it is never refused for quota.
    const octets = options.moving ? 0 : wanted.reduce((n, uid) => n + metas.get(uid)!.size, 0);
    const release = this.reserve(octets);
    try {
      const pairs: Array<[number, number]> = [];
      for (const uid of wanted) {
        const meta = metas.get(uid)!;
        const raw = await source.read(uid);
        if (!raw) continue;
        pairs.push([uid, await target.append(raw, meta.flags, meta.internalDate)]);
      }
      return { uidValidity: target.uidValidity, pairs };
    } finally {
      release();
    }
  }

  /** Closes every mailbox; after a reset, sessions are pointed to the default ones it re-creates. */
  async close(reason: MailboxClosedReason = 'shutdown'): Promise<void> {
    for (const box of this.boxes.values()) {
      const kept = reason === 'reset' && DEFAULT_MAILBOXES.includes(box.name);
      await box.close(reason, kept ? box.name : null);
      if (reason === 'reset' && !kept) this.emit({ kind: 'deleted', name: box.name });
    }
    this.boxes.clear();
    this.listeners.clear();
  }
}

/** "a/b/c" -> ["a", "a/b"]: the superiors CREATE and RENAME bring into being (RFC 3501 6.3.3). */
function superiors(name: string): string[] {
  const parts = name.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}
