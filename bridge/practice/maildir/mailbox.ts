// One mailbox: a Maildir directory (tmp/new/cur) plus its journal, with the metadata kept in memory.
// Open = replay the journal, drop files of expunged messages, adopt files the journal never
// recorded (a crash between rename and journal line), forget tmp/ leftovers, then compact.
import { mkdir, readFile, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import {
  MailstoreError,
  type Mailbox,
  type MailboxClosedEvent,
  type MailboxClosedReason,
  type MailboxEvent,
  type MessageMeta,
} from '../mailstore-types.ts';
import { fsyncDir, uniqueName, writeDurably } from './fsutil.ts';
import { Journal, type JournalRecord } from './journal.ts';

interface Entry {
  uid: number;
  file: string; // name inside cur/
  flags: string[];
  date: number;
  size: number;
  recent: boolean;
  /** The MODSEQ of its last change (RFC 7162 section 3.1): its append or its last flag change. */
  modseq: number;
  /**
   * Its metadata as last handed out, frozen and shared until flags, MODSEQ or \Recent change
   * (then cleared): FETCH and SEARCH ask for every message's on each command (issue 18).
   */
  meta?: MessageMeta;
}

/**
 * Expunged UIDs remembered one by one with their MODSEQ, for VANISHED (EARLIER) (RFC 7162
 * section 3.2.5.1). Beyond this many the oldest are forgotten and `vanishedFloor` rises: a client
 * that synced before the floor is told every missing UID of its range, a superset the RFC allows.
 */
export const MAX_VANISHED = 10_000;

const SYSTEM_FLAGS = new Map(
  ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'].map((f) => [f.toLowerCase(), f]),
);
/** Maildir info letters (cr.yp.to/proto/maildir.html) for files dropped in by hand. */
/** A base name usable as a POP3 UIDL as it is. */
const USABLE_NAME = /^[\x21-\x7e]{1,70}$/;
const INFO_FLAGS: Record<string, string> = {
  S: '\\Seen',
  R: '\\Answered',
  F: '\\Flagged',
  T: '\\Deleted',
  D: '\\Draft',
};

/** System flags get their canonical case; \Recent is never stored (RFC 3501 2.3.2). */
export function normalizeFlags(flags: string[]): string[] {
  const out: string[] = [];
  for (const raw of flags) {
    const flag = SYSTEM_FLAGS.get(raw.toLowerCase()) ?? raw;
    if (flag.toLowerCase() === '\\recent' || !flag) continue;
    if (!out.some((f) => f.toLowerCase() === flag.toLowerCase())) out.push(flag);
  }
  return out;
}

export class MaildirMailbox implements Mailbox {
  uidValidity = 0;
  uidNext = 1;
  /**
   * HIGHESTMODSEQ (RFC 7162 section 3.1.2): the MODSEQ of the latest change that is on disk. A
   * mailbox starts at 1, as Dovecot's does; every append, flag change and expunge takes the next.
   */
  highestModseq = 1;
  /** The last MODSEQ handed out; ahead of highestModseq while a change is being journalled. */
  private lastModseq = 1;
  /** Expunged UID -> MODSEQ of the expunge, the newest MAX_VANISHED of them. */
  private vanishedUids = new Map<number, number>();
  private vanishedFloor = 0;
  /** Flag changes run one at a time, so UNCHANGEDSINCE is checked against the state it changes. */
  private flagQueue: Promise<unknown> = Promise.resolve();
  private entries: Entry[] = [];
  /** The sum of entries' sizes, kept as they change: the quota asks at every write. */
  private octets = 0;
  private byUid = new Map<number, Entry>();
  private listeners = new Set<(event: MailboxEvent) => void>();
  /**
   * The account's own ear (maildir/account.ts): every message event, with the mailbox's name at
   * the time, goes on to the account's listeners (IMAP NOTIFY). Unlike the listeners it outlives
   * a RENAME, since the messages live on under the new name.
   */
  forward: ((name: string, event: Exclude<MailboxEvent, MailboxClosedEvent>) => void) | null = null;
  private journal!: Journal;
  private closed = false;
  /** Set when close() begins: new writes are refused, appends under way may finish. */
  private closing = false;
  private appending = new Set<Promise<number>>();

  private constructor(
    public name: string,
    public dir: string,
  ) {}

  /** Opens (creating if needed) the mailbox in `dir`; `uidValidity` is used for a new one. */
  static async open(name: string, dir: string, newUidValidity: () => number): Promise<MaildirMailbox> {
    const box = new MaildirMailbox(name, dir);
    await Promise.all(['tmp', 'new', 'cur'].map((sub) => mkdir(path.join(dir, sub), { recursive: true })));
    await box.recover(await Journal.read(dir), newUidValidity);
    return box;
  }

  private async recover(records: JournalRecord[], newUidValidity: () => number): Promise<void> {
    const gone = new Set<string>();
    for (const rec of records) {
      // Journals written before MODSEQ existed have none: their messages count as MODSEQ 1.
      const modseq = positive(rec.t === 'init' ? rec.highestModseq : rec.modseq) ?? 1;
      this.highestModseq = Math.max(this.highestModseq, modseq);
      if (rec.t === 'init') {
        this.uidValidity = rec.uidValidity;
        this.uidNext = Math.max(this.uidNext, rec.uidNext);
        this.vanishedFloor = Math.max(this.vanishedFloor, positive(rec.vanishedFloor) ?? 0);
        if (Array.isArray(rec.vanished))
          for (const [uid, m] of rec.vanished) if (positive(uid) && positive(m)) this.vanishedUids.set(uid, m);
      } else if (rec.t === 'add') {
        const entry: Entry = {
          uid: rec.uid,
          file: rec.file,
          flags: rec.flags,
          date: rec.date,
          size: rec.size,
          recent: false,
          modseq,
        };
        this.byUid.set(rec.uid, entry);
        this.uidNext = Math.max(this.uidNext, rec.uid + 1);
      } else if (rec.t === 'flags') {
        for (const [uid, flags] of rec.set) {
          const e = this.byUid.get(uid);
          if (e) {
            e.flags = flags;
            e.modseq = modseq;
            e.meta = undefined;
          }
        }
      } else if (rec.t === 'expunge') {
        for (const uid of rec.uids) {
          const e = this.byUid.get(uid);
          if (e) gone.add(e.file);
          this.byUid.delete(uid);
          if (rec.modseq !== undefined) this.vanishedUids.set(uid, modseq);
        }
      }
    }
    if (!this.uidValidity) this.uidValidity = newUidValidity();
    const cur = path.join(this.dir, 'cur');
    const known = new Set([...this.byUid.values()].map((e) => e.file));
    // Journalled messages whose file vanished cannot be served: drop them.
    const present = new Set(await readdir(cur));
    for (const [uid, e] of this.byUid) if (!present.has(e.file)) this.byUid.delete(uid);
    for (const file of present) {
      if (gone.has(file) && !known.has(file)) await unlink(path.join(cur, file)).catch(() => {});
    }
    // Orphans: in new/ (delivered by hand or by another MDA) or in cur/ without a journal line.
    const orphans: string[] = [];
    for (const file of await readdir(path.join(this.dir, 'new'))) {
      if (file.startsWith('.') || !(await stat(path.join(this.dir, 'new', file))).isFile()) continue;
      await rename(path.join(this.dir, 'new', file), path.join(cur, file));
      orphans.push(file);
    }
    for (const file of present) if (!known.has(file) && !gone.has(file) && !file.startsWith('.')) orphans.push(file);
    orphans.sort();
    for (let file of orphans) {
      const st = await stat(path.join(cur, file));
      if (!st.isFile()) continue;
      const info = /:2,([A-Za-z]*)$/.exec(file)?.[1] ?? '';
      if (!USABLE_NAME.test(file.replace(/:2,.*$/, ''))) {
        // Its name will be the POP3 UIDL: give it one of ours if it is too long or unprintable.
        const fresh = `${uniqueName()}:2,${info}`;
        await rename(path.join(cur, file), path.join(cur, fresh));
        file = fresh;
      }
      const flags = normalizeFlags([...info].map((c) => INFO_FLAGS[c]).filter(Boolean) as string[]);
      const entry: Entry = {
        uid: this.uidNext++,
        file,
        flags,
        date: st.mtimeMs,
        size: st.size,
        recent: true,
        modseq: ++this.highestModseq,
      };
      this.byUid.set(entry.uid, entry);
    }
    // tmp/ holds only writes that never finished: they were never visible, remove them.
    await rm(path.join(this.dir, 'tmp'), { recursive: true, force: true });
    await mkdir(path.join(this.dir, 'tmp'));
    await fsyncDir(cur);
    this.entries = [...this.byUid.values()].sort((a, b) => a.uid - b.uid);
    this.octets = this.entries.reduce((n, e) => n + e.size, 0);
    this.trimVanished();
    this.lastModseq = this.highestModseq;
    this.journal = await Journal.rewrite(this.dir, this.compacted());
  }

  private compacted(): JournalRecord[] {
    return [
      {
        t: 'init',
        uidValidity: this.uidValidity,
        uidNext: this.uidNext,
        highestModseq: this.highestModseq,
        vanished: [...this.vanishedUids],
        vanishedFloor: this.vanishedFloor,
      },
      ...this.entries.map((e): JournalRecord => ({
        t: 'add',
        uid: e.uid,
        file: e.file,
        flags: e.flags,
        date: e.date,
        size: e.size,
        modseq: e.modseq,
      })),
    ];
  }

  /** Forgets the oldest expunges beyond MAX_VANISHED, raising the floor to the last forgotten. */
  private trimVanished(): void {
    if (this.vanishedUids.size <= MAX_VANISHED) return;
    const byAge = [...this.vanishedUids].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    for (const [uid, modseq] of byAge.slice(0, byAge.length - MAX_VANISHED)) {
      this.vanishedUids.delete(uid);
      this.vanishedFloor = Math.max(this.vanishedFloor, modseq);
    }
  }

  /** Takes the next MODSEQ; it becomes HIGHESTMODSEQ once its change is journalled (see settled). */
  private nextModseq(): number {
    return ++this.lastModseq;
  }

  private settled(modseq: number): void {
    this.highestModseq = Math.max(this.highestModseq, modseq);
  }

  /**
   * UIDs expunged after `modseq`, as ranges (RFC 7162 section 3.2.5.1, VANISHED (EARLIER)). When
   * `modseq` is older than what is remembered, every missing UID below UIDNEXT is in it.
   */
  vanishedSince(modseq: number): Array<[number, number]> {
    if (modseq >= this.vanishedFloor) {
      const uids = [...this.vanishedUids].filter(([, m]) => m > modseq).map(([uid]) => uid);
      return toRanges(uids.sort((a, b) => a - b));
    }
    const out: Array<[number, number]> = [];
    let next = 1;
    for (const e of this.entries) {
      if (e.uid > next) out.push([next, e.uid - 1]);
      next = e.uid + 1;
    }
    if (next < this.uidNext) out.push([next, this.uidNext - 1]);
    return out;
  }

  /** Octets of the messages in this mailbox (its share of the account's quota). */
  storedOctets(): number {
    return this.octets;
  }

  messages(): MessageMeta[] {
    return this.entries.map((e) => this.meta(e));
  }

  message(uid: number): MessageMeta | null {
    const e = this.byUid.get(uid);
    return e ? this.meta(e) : null;
  }

  /** Frozen, so a caller that changed one by mistake would throw instead of changing the store. */
  private meta(e: Entry): MessageMeta {
    return (e.meta ??= Object.freeze({
      uid: e.uid,
      flags: Object.freeze([...e.flags]) as string[],
      internalDate: new Date(e.date),
      size: e.size,
      uniqueId: e.file.replace(/:2,.*$/, ''),
      recent: e.recent,
      modseq: e.modseq,
    }));
  }

  async read(uid: number): Promise<Buffer | null> {
    const e = this.byUid.get(uid);
    if (!e || this.closed) return null;
    try {
      return await readFile(path.join(this.dir, 'cur', e.file));
    } catch {
      return null; // expunged meanwhile
    }
  }

  /** tmp -> fsync -> cur -> fsync dir -> journal (fsync) -> visible. Returns the new UID. */
  async append(raw: Buffer, flags: string[], internalDate: Date): Promise<number> {
    this.assertOpen();
    const work = this.appendNow(raw, flags, internalDate);
    this.appending.add(work);
    try {
      return await work;
    } finally {
      this.appending.delete(work);
    }
  }

  private async appendNow(raw: Buffer, flags: string[], internalDate: Date): Promise<number> {
    const file = `${uniqueName()}:2,`;
    await writeDurably(path.join(this.dir, 'tmp', file), path.join(this.dir, 'cur', file), raw);
    const uid = this.uidNext++;
    const entry: Entry = {
      uid,
      file,
      flags: normalizeFlags(flags),
      date: internalDate.getTime(),
      size: raw.length,
      recent: true,
      modseq: this.nextModseq(),
    };
    const { modseq } = entry;
    await this.journal.append({ t: 'add', uid, file, flags: entry.flags, date: entry.date, size: entry.size, modseq });
    this.settled(modseq);
    this.byUid.set(uid, entry);
    // Group commits resolve in order, so this is nearly always a push.
    const last = this.entries[this.entries.length - 1];
    this.entries.push(entry);
    this.octets += entry.size;
    if (last && last.uid > uid) this.entries.sort((a, b) => a.uid - b.uid);
    this.emit({ kind: 'exists', uid });
    return uid;
  }

  async setFlags(uids: number[], mode: 'set' | 'add' | 'remove', flags: string[]): Promise<MessageMeta[]> {
    return (await this.storeFlags(uids, mode, flags)).updated;
  }

  /**
   * STORE: changes the flags of `uids`, but with `unchangedSince` only of those whose MODSEQ is
   * not above it; the others are `modified` (RFC 7162 section 3.1.3, UNCHANGEDSINCE). The messages
   * whose flags change share one new MODSEQ; the rest keep theirs. Persisted before resolving.
   */
  storeFlags(
    uids: number[],
    mode: 'set' | 'add' | 'remove',
    flags: string[],
    unchangedSince?: number,
  ): Promise<{ updated: MessageMeta[]; modified: number[] }> {
    this.assertOpen();
    const run = this.flagQueue.then(() => this.storeFlagsNow(uids, mode, flags, unchangedSince));
    this.flagQueue = run.catch(() => undefined);
    return run;
  }

  private async storeFlagsNow(
    uids: number[],
    mode: 'set' | 'add' | 'remove',
    flags: string[],
    unchangedSince: number | undefined,
  ): Promise<{ updated: MessageMeta[]; modified: number[] }> {
    this.assertOpen();
    const given = normalizeFlags(flags);
    const lower = new Set(given.map((f) => f.toLowerCase()));
    const changes: Array<[number, string[]]> = [];
    const same: number[] = [];
    const modified: number[] = [];
    for (const uid of uids) {
      const e = this.byUid.get(uid);
      if (!e) continue;
      if (unchangedSince !== undefined && e.modseq > unchangedSince) {
        modified.push(uid);
        continue;
      }
      let next: string[];
      if (mode === 'set') next = given;
      else if (mode === 'add') next = normalizeFlags([...e.flags, ...given]);
      else next = e.flags.filter((f) => !lower.has(f.toLowerCase()));
      const changed = next.length !== e.flags.length || next.some((f, i) => f !== e.flags[i]);
      if (changed) changes.push([uid, next]);
      else same.push(uid);
    }
    const modseq = changes.length ? this.nextModseq() : 0;
    if (changes.length) {
      await this.journal.append({ t: 'flags', set: changes, modseq });
      this.settled(modseq);
    }
    const out: MessageMeta[] = [];
    for (const [uid, next] of changes) {
      const e = this.byUid.get(uid);
      if (!e) continue;
      e.flags = next;
      e.modseq = modseq;
      e.meta = undefined;
      out.push(this.meta(e));
      this.emit({ kind: 'flags', uid, flags: [...next], modseq });
    }
    for (const uid of same) {
      const e = this.byUid.get(uid);
      if (e) out.push(this.meta(e));
    }
    out.sort((a, b) => a.uid - b.uid);
    return { updated: out, modified };
  }

  async expunge(uids: number[]): Promise<number[]> {
    this.assertOpen();
    const wanted = [...new Set(uids)].filter((uid) => this.byUid.has(uid)).sort((a, b) => a - b);
    if (!wanted.length) return [];
    const modseq = this.nextModseq();
    await this.journal.append({ t: 'expunge', uids: wanted, modseq });
    this.settled(modseq);
    const files: string[] = [];
    for (const uid of wanted) {
      const e = this.byUid.get(uid);
      if (e) files.push(e.file);
      if (this.byUid.delete(uid)) this.vanishedUids.set(uid, modseq);
    }
    this.trimVanished();
    this.entries = this.entries.filter((e) => this.byUid.has(e.uid));
    this.octets = this.entries.reduce((n, e) => n + e.size, 0);
    this.emit({ kind: 'expunge', uids: wanted });
    // The journal already says they are gone; a crash here only leaves files recovery deletes.
    await Promise.all(files.map((f) => unlink(path.join(this.dir, 'cur', f)).catch(() => {})));
    return wanted;
  }

  claimRecent(): number[] {
    const claimed: number[] = [];
    for (const e of this.entries) {
      if (e.recent) {
        e.recent = false;
        e.meta = undefined;
        claimed.push(e.uid);
      }
    }
    return claimed;
  }

  subscribe(listener: (event: MailboxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: MailboxEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // one session's bug must not stop the others hearing about the change
      }
    }
    if (event.kind !== 'closed') this.forward?.(this.name, event);
  }

  /** Resolves once the appends under way have finished (before its directory is renamed). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.appending]);
  }

  /**
   * Moved by RENAME: later reads and writes use the new directory. Sessions that selected the old
   * name are told it closed (they learn the new name) and hear nothing more from this object.
   */
  moved(name: string, dir: string): void {
    const oldName = this.name;
    this.name = name;
    this.dir = dir;
    this.journal.moved(dir);
    this.emit({ kind: 'closed', reason: 'renamed', name: oldName, successor: name });
    this.listeners.clear();
  }

  /**
   * Closes the mailbox for good: a DELETE, a reset, or the store shutting down. Sessions holding
   * this object hear EXPUNGE for what was still in it (not on shutdown: the messages stay on
   * disk), then `closed`; afterwards it reads empty, reads give null and writes fail with
   * MAILBOX_CLOSED. `successor` is the name to select instead, if any.
   */
  async close(reason: MailboxClosedReason = 'shutdown', successor: string | null = null): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    // Appends already writing finish first, so each is either announced and then expunged here,
    // or refused; none lands in a directory being removed.
    await this.settle();
    if (reason !== 'shutdown' && this.entries.length)
      this.emit({ kind: 'expunge', uids: this.entries.map((e) => e.uid) });
    this.closed = true;
    this.entries = [];
    this.octets = 0;
    this.byUid.clear();
    this.emit({ kind: 'closed', reason, name: this.name, successor });
    this.listeners.clear();
    await this.journal.close();
  }

  private assertOpen(): void {
    if (this.closing) {
      throw new MailstoreError(
        'MAILBOX_CLOSED',
        `The mailbox "${this.name}" was closed (deleted, or emptied by a practice reset), so nothing was changed. SELECT a mailbox again.`,
      );
    }
  }
}

function positive(n: unknown): number | undefined {
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Ascending numbers as inclusive ranges: [1,2,3,7] -> [[1,3],[7,7]]. */
function toRanges(sorted: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}
