// The per-mailbox journal: one JSON line per change, appended and fsynced before a change is
// visible. Lines queued while a sync runs are written together with one fsync (group commit), which
// keeps many concurrent deliveries fast without giving up durability.
import { open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { writeDurably } from './fsutil.ts';

// `modseq`, `highestModseq` and the `vanished` fields came with CONDSTORE/QRESYNC (RFC 7162); they
// are optional so journals written before them load as they are (every message then has MODSEQ 1).
export type JournalRecord =
  | {
      t: 'init';
      uidValidity: number;
      uidNext: number;
      highestModseq?: number;
      /** Expunged UIDs with the MODSEQ of their expunge, the newest ones (VANISHED, RFC 7162 3.2.10). */
      vanished?: Array<[number, number]>;
      /** Expunges older than this MODSEQ are no longer listed one by one. */
      vanishedFloor?: number;
    }
  | { t: 'add'; uid: number; file: string; flags: string[]; date: number; size: number; modseq?: number }
  | { t: 'flags'; set: Array<[number, string[]]>; modseq?: number }
  | { t: 'expunge'; uids: number[]; modseq?: number };

export const JOURNAL_FILE = 'mailwire.jsonl';

export class Journal {
  private handle: FileHandle | null = null;
  private queue: Array<{ line: string; resolve: () => void; reject: (e: unknown) => void }> = [];
  private flushing = false;

  private constructor(private file: string) {}

  /** Reads every whole record; a torn last line (crash mid-write) is ignored. */
  static async read(dir: string): Promise<JournalRecord[]> {
    let text: string;
    try {
      text = await readFile(path.join(dir, JOURNAL_FILE), 'utf8');
    } catch {
      return [];
    }
    const records: JournalRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        records.push(JSON.parse(line) as JournalRecord);
      } catch {
        // a half-written line from a crash: the change it described never became visible
      }
    }
    return records;
  }

  /** Replaces the journal with `records` atomically and opens it for appending. */
  static async rewrite(dir: string, records: JournalRecord[]): Promise<Journal> {
    const file = path.join(dir, JOURNAL_FILE);
    const text = records.map((r) => JSON.stringify(r) + '\n').join('');
    await writeDurably(path.join(dir, 'tmp', `${JOURNAL_FILE}.compact`), file, text);
    const journal = new Journal(file);
    journal.handle = await open(file, 'a');
    return journal;
  }

  /** Dir moved (RENAME): later appends go to the same open file, nothing to do but remember it. */
  moved(dir: string): void {
    this.file = path.join(dir, JOURNAL_FILE);
  }

  append(...records: JournalRecord[]): Promise<void> {
    const line = records.map((r) => JSON.stringify(r) + '\n').join('');
    return new Promise((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      try {
        if (!this.handle) throw new Error(`The journal ${this.file} is closed.`);
        await this.handle.write(batch.map((b) => b.line).join(''));
        await this.handle.datasync();
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.flushing = false;
  }

  async close(): Promise<void> {
    while (this.flushing || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}
