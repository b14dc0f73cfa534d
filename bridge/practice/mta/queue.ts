// The outbound queue on disk: one JSON file per message and destination domain in DATA_DIR/queue.
// Each is written to tmp/, fsynced and renamed (maildir/fsutil.ts) before the 250 that accepts it
// (RFC 5321 section 6.1: once the server says 250 it has taken responsibility for the message), and
// rewritten after each attempt, so a kill -9 at any moment loses neither the message nor its count.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { QueueMessage } from '../../../app/src/wire/queue.ts';
import { fsyncDir, writeDurably } from '../maildir/fsutil.ts';

/** A queue file: the fields the queue view shows (app/src/wire/queue.ts, whose comments say what
 *  each holds; `recipients` are those still to deliver, all at `domain`), with the envelope's
 *  sender as given at MAIL FROM and what a later delivery or DSN needs. */
export interface QueueEntry extends Omit<QueueMessage, 'from' | 'transcripts'> {
  /** The reverse-path; '' for a bounce, which is never bounced in turn (RFC 5321 section 4.5.5). */
  mailFrom: string;
  /** The signed-in account that submitted it ('' for a bounce): the queue's caps and the queue view count by it. */
  account?: string;
  /** RFC 3461 section 4.3 RET (FULL or HDRS) and 4.4 ENVID from MAIL FROM, for a later DSN. */
  ret?: 'FULL' | 'HDRS' | null;
  envid?: string | null;
  /** RFC 3461 sections 4.1 NOTIFY and 4.2 ORCPT of each recipient, from its RCPT TO. */
  rcptDsn?: Record<string, { notify?: string[]; orcpt?: string }>;
  /** The message, base64 (a queue file stays one self-contained JSON document). */
  message: string;
}

export interface OutboundQueue {
  dir: string;
  /** Writes the entry durably; resolves once it would survive a kill -9. */
  put(entry: QueueEntry): Promise<void>;
  remove(id: string): Promise<void>;
  /** Every entry on disk (at start-up: what an earlier run left); unreadable files are skipped and named. */
  load(): Promise<{ entries: QueueEntry[]; unreadable: string[] }>;
}

export function newQueueId(): string {
  return `${Date.now().toString(36).toUpperCase()}${randomBytes(5).toString('hex').toUpperCase()}`;
}

const ID = /^[A-Za-z0-9]{1,64}$/;

export async function openQueue(dataDir: string): Promise<OutboundQueue> {
  const dir = path.join(dataDir, 'queue');
  const tmp = path.join(dir, 'tmp');
  await mkdir(tmp, { recursive: true, mode: 0o700 });
  // What a kill -9 left half written: never acknowledged (the 250 follows the rename), so it goes,
  // and crashes cannot pile up files on the disk.
  for (const name of await readdir(tmp)) await rm(path.join(tmp, name), { force: true });
  const file = (id: string) => {
    if (!ID.test(id)) throw new Error(`Not a queue id: ${id}`);
    return path.join(dir, `${id}.json`);
  };
  return {
    dir,
    async put(entry) {
      await writeDurably(
        path.join(tmp, `${entry.id}.${randomBytes(4).toString('hex')}`),
        file(entry.id),
        JSON.stringify(entry),
      );
    },
    async remove(id) {
      await rm(file(id), { force: true });
      await fsyncDir(dir);
    },
    async load() {
      const entries: QueueEntry[] = [];
      const unreadable: string[] = [];
      for (const name of (await readdir(dir)).sort()) {
        if (!name.endsWith('.json')) continue;
        try {
          const e = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as QueueEntry;
          if (!ID.test(e.id) || !Array.isArray(e.recipients) || typeof e.message !== 'string')
            throw new Error('bad shape');
          entries.push(e);
        } catch {
          unreadable.push(name);
        }
      }
      return { entries, unreadable };
    },
  };
}
