// One account's mailboxes: a directory per mailbox under `${dataDir}/mail/<username>/`, its name
// percent-encoded so hierarchy ("Archive/2026") never collides with tmp/new/cur. Subscriptions and
// the last UIDVALIDITY handed out live in account.json (written atomically).
import { mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { MailstoreError, type Account, type AccountStore, type AppendOptions, type Mailbox, type MailboxClosedReason } from '../mailstore-types.ts';
import { fsyncDir, writeDurably } from './fsutil.ts';
import { MaildirMailbox } from './mailbox.ts';

interface AccountFile {
  subscriptions: string[];
  lastUidValidity: number;
}

export const DEFAULT_MAILBOXES = ['INBOX', 'Drafts', 'Sent', 'Trash'];
const MAX_NAME = 200;
const NAME_MAX = 255;

/** Mailbox names as a learner may type them: no wildcards, no empty or dot segments (RFC 3501 5.1). */
export function checkMailboxName(name: string): string {
  if (/^inbox$/i.test(name)) return 'INBOX';
  const bad =
    !name ||
    name.length > MAX_NAME ||
    /[\x00-\x1f\x7f*%]/.test(name) ||
    /\p{Cs}/u.test(name) || // a lone UTF-16 surrogate names no character
    name.split('/').some((seg) => seg === '' || seg === '.' || seg === '..');
  if (bad) {
    throw new MailstoreError(
      'BAD_NAME',
      `"${name.slice(0, 60)}" is not a usable mailbox name: use 1-${MAX_NAME} characters without * % or control characters, and "/" only between non-empty parts.`,
    );
  }
  // The directory name is the percent-encoded UTF-8 of the whole name: up to 12 bytes for one
  // character, and file systems allow 255 (NAME_MAX). Refuse before the file system does.
  const onDisk = mailboxDirName(name).length;
  if (onDisk > NAME_MAX) {
    throw new MailstoreError(
      'BAD_NAME',
      `"${name.slice(0, 60)}" is too long to store: it needs ${onDisk} bytes on disk and at most ${NAME_MAX} fit (a non-ASCII character takes 6 to 12). Use a shorter name.`,
    );
  }
  return name;
}

/**
 * The directory of a mailbox: its name percent-encoded (encodeURIComponent), so "/" and non-ASCII
 * never reach the file system as such: no hierarchy clash with tmp/new/cur, no Unicode
 * normalisation by the file system, and the same bytes on every platform.
 */
export function mailboxDirName(name: string): string {
  return encodeURIComponent(name);
}

export class MaildirAccount implements AccountStore {
  private boxes = new Map<string, MaildirMailbox>();
  private file: AccountFile = { subscriptions: [], lastUidValidity: 0 };

  private constructor(
    readonly account: Account,
    private dir: string,
    private maxMessageSize: number,
  ) {}

  static async open(account: Account, dir: string, maxMessageSize: number, welcome: () => Buffer): Promise<MaildirAccount> {
    const store = new MaildirAccount(account, dir, maxMessageSize);
    await mkdir(dir, { recursive: true });
    try {
      store.file = { ...store.file, ...(JSON.parse(await readFile(path.join(dir, 'account.json'), 'utf8')) as AccountFile) };
    } catch {
      // first start (or a torn file): defaults below
    }
    const entries = await readdir(dir, { withFileTypes: true });
    const fresh = !entries.some((e) => e.isDirectory());
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      let name: string;
      try {
        name = decodeURIComponent(e.name);
      } catch {
        continue; // not ours
      }
      store.boxes.set(name, await MaildirMailbox.open(name, path.join(dir, e.name), () => store.nextUidValidity()));
    }
    if (fresh) {
      for (const name of DEFAULT_MAILBOXES) await store.createMailbox(name);
      store.file.subscriptions = [...DEFAULT_MAILBOXES];
      await store.append('INBOX', welcome(), {});
    } else if (!store.boxes.has('INBOX')) {
      await store.createMailbox('INBOX');
    }
    await store.save();
    return store;
  }

  /** Strictly increasing per account, so a re-created name never reuses an old UIDVALIDITY. */
  private nextUidValidity(): number {
    const used = Math.max(this.file.lastUidValidity, ...[...this.boxes.values()].map((b) => b.uidValidity));
    this.file.lastUidValidity = Math.max(used + 1, Math.floor(Date.now() / 1000));
    return this.file.lastUidValidity;
  }

  private async save(): Promise<void> {
    await writeDurably(path.join(this.dir, '.account.json.tmp'), path.join(this.dir, 'account.json'), JSON.stringify(this.file));
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
    this.file.subscriptions = subscribed ? [...rest, canonical] : rest;
    await this.save();
  }

  mailbox(name: string): Mailbox | null {
    return this.box(name);
  }

  private box(name: string): MaildirMailbox | null {
    return this.boxes.get(/^inbox$/i.test(name) ? 'INBOX' : name) ?? null;
  }

  private need(name: string): MaildirMailbox {
    const box = this.box(name);
    if (!box) throw new MailstoreError('NO_SUCH_MAILBOX', `There is no mailbox named "${name.slice(0, 60)}". LIST shows the ones that exist.`);
    return box;
  }

  async createMailbox(name: string): Promise<Mailbox> {
    const canonical = checkMailboxName(name);
    if (this.boxes.has(canonical)) throw new MailstoreError('ALREADY_EXISTS', `The mailbox "${canonical}" already exists.`);
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
    const box = await MaildirMailbox.open(name, path.join(this.dir, mailboxDirName(name)), () => this.nextUidValidity());
    this.boxes.set(name, box);
    await fsyncDir(this.dir);
    return box;
  }

  async deleteMailbox(name: string): Promise<void> {
    if (/^inbox$/i.test(name)) throw new MailstoreError('CANNOT_DELETE_INBOX', 'INBOX cannot be deleted (RFC 3501 6.3.4); expunge its messages instead.');
    const box = this.need(name);
    this.boxes.delete(box.name);
    await box.close('deleted');
    await rm(box.dir, { recursive: true, force: true });
    await fsyncDir(this.dir);
    // The subscription stays: "the server MUST NOT unilaterally remove an existing mailbox name
    // from the subscription list even if a mailbox by that name no longer exists" (RFC 3501
    // section 6.3.6); LSUB shows it \Noselect, LIST (SUBSCRIBED) \NonExistent, as Dovecot does.
  }

  async renameMailbox(from: string, to: string): Promise<void> {
    const source = this.need(from);
    const target = checkMailboxName(to);
    if (this.boxes.has(target)) throw new MailstoreError('ALREADY_EXISTS', `The mailbox "${target}" already exists; pick another new name.`);
    if (source.name === 'INBOX') {
      // RFC 3501 6.3.5: renaming INBOX moves its messages into the new mailbox; INBOX stays, empty.
      const uids = source.messages().map((m) => m.uid);
      await this.createMailbox(target);
      await this.copy('INBOX', uids, target);
      await source.expunge(uids);
      return;
    }
    // Inferiors move with their superior ("Archive" -> "Old" takes "Archive/2026" to "Old/2026").
    const root = source.name; // `source` itself is renamed inside the loop below
    if (target.startsWith(`${root}/`)) throw new MailstoreError('BAD_NAME', `"${root}" cannot be moved inside itself; pick a name outside it.`);
    const moving = [...this.boxes.keys()].filter((n) => n === root || n.startsWith(`${root}/`));
    for (const oldName of moving) {
      const newName = checkMailboxName(target + oldName.slice(root.length)); // inferiors must fit on disk too
      if (this.boxes.has(newName)) throw new MailstoreError('ALREADY_EXISTS', `Renaming would overwrite "${newName}", which already exists.`);
    }
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
  }

  async append(mailbox: string, raw: Buffer, options: AppendOptions = {}): Promise<{ uid: number; uidValidity: number }> {
    const box = this.need(mailbox);
    if (raw.length > this.maxMessageSize) {
      throw new MailstoreError('QUOTA_EXCEEDED', `The message is ${raw.length} octets; this server stores at most ${this.maxMessageSize} octets per message.`);
    }
    const uid = await box.append(raw, options.flags ?? [], options.internalDate ?? new Date());
    return { uid, uidValidity: box.uidValidity };
  }

  async copy(from: string, uids: number[], to: string): Promise<{ uidValidity: number; pairs: Array<[number, number]> }> {
    const source = this.need(from);
    const target = this.need(to);
    const metas = new Map(source.messages().map((m) => [m.uid, m]));
    const pairs: Array<[number, number]> = [];
    for (const uid of [...new Set(uids)].sort((a, b) => a - b)) {
      const meta = metas.get(uid);
      const raw = meta ? await source.read(uid) : null;
      if (!meta || !raw) continue;
      pairs.push([uid, await target.append(raw, meta.flags, meta.internalDate)]);
    }
    return { uidValidity: target.uidValidity, pairs };
  }

  /** Closes every mailbox; after a reset, sessions are pointed to the default ones it re-creates. */
  async close(reason: MailboxClosedReason = 'shutdown'): Promise<void> {
    for (const box of this.boxes.values()) {
      await box.close(reason, reason === 'reset' && DEFAULT_MAILBOXES.includes(box.name) ? box.name : null);
    }
    this.boxes.clear();
  }
}
