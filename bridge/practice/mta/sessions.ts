// The recorded outbound SMTP sessions of each message, on disk beside its queue file, so that Replay
// still opens them after a restart (or a kill -9). One file per message, DATA_DIR/queue/<ID>.sessions
// (not .json: the queue's own loader reads only those), holding its last sessions in the
// transcript's JSON export format and, once it has left the queue, where it went. Written to tmp/,
// fsynced and renamed like the queue files (maildir/fsutil.ts), so a file is whole or absent.
// Bounded: KEEP_SESSIONS sessions per message and MAX_FILE_OCTETS per file (the oldest go first);
// files are kept for the messages in the queue and the KEEP_RECENT that left it last, the rest are
// removed. The outbound MTA never sends AUTH; the secrets detector runs at record time anyway
// (attempt.ts) and the export format masks whatever it found.
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { toJsonValue } from '../../../app/src/transcript/export-json.ts';
import { importJsonValue } from '../../../app/src/transcript/import-json.ts';
import { fsyncDir, writeDurably } from '../maildir/fsutil.ts';
import type { HopTranscript } from './attempt.ts';
import type { QueueGone } from '../../../app/src/wire/queue.ts';

/** Sessions kept per message, and messages remembered after they leave: disk and memory stay bounded. */
export const KEEP_SESSIONS = 12;
export const KEEP_RECENT = 50;
/** One message's file at most: a practice MX's replies are short, so this is reached only by junk. */
export const MAX_FILE_OCTETS = 256 * 1024;

/** A message that left the queue (the wire's QueueGone; one per outcome: a message may have both),
 *  with the sender account that decides who may see it. */
export type QueueOutcome = QueueGone & { account: string };

export type NumberedHop = HopTranscript & { n: number };

export interface MessageSessions {
  /** The number the next recorded session gets (numbers are never reused, so links stay right). */
  next: number;
  list: NumberedHop[];
  /** Set once the message has left the queue. */
  outcomes: QueueOutcome[];
}

interface SessionsFile {
  id: string;
  next: number;
  list: Array<{ n: number; host: string; startedAt: string; transcript: unknown }>;
  outcomes: QueueOutcome[];
}

const ID = /^[A-Za-z0-9]{1,64}$/;
const SUFFIX = '.sessions';

export interface SessionStore {
  /** Writes the message's sessions (and outcomes) durably, trimmed to the bounds. */
  put(id: string, sessions: MessageSessions): Promise<void>;
  remove(id: string): Promise<void>;
  /** Every readable file; unreadable ones are removed and named. */
  load(): Promise<{ byId: Map<string, MessageSessions>; unreadable: string[] }>;
}

/** The file's text, the oldest sessions dropped until it fits in MAX_FILE_OCTETS. */
export function encodeSessions(id: string, s: MessageSessions): string {
  const list = s.list.slice(-KEEP_SESSIONS).map((h) => ({
    n: h.n,
    host: h.host,
    startedAt: h.startedAt,
    transcript: toJsonValue(h.transcript),
  }));
  for (;;) {
    const text = JSON.stringify({ id, next: s.next, list, outcomes: s.outcomes } satisfies SessionsFile);
    if (Buffer.byteLength(text) <= MAX_FILE_OCTETS || list.length === 0) return text;
    list.shift();
  }
}

function decodeSessions(text: string): { id: string; sessions: MessageSessions } {
  const f = JSON.parse(text) as SessionsFile;
  if (!ID.test(f.id) || !Number.isInteger(f.next) || !Array.isArray(f.list) || !Array.isArray(f.outcomes))
    throw new Error('bad shape');
  const list: NumberedHop[] = f.list.map((h) => {
    const imported = importJsonValue(h.transcript);
    if (!imported.ok) throw new Error(imported.error.message);
    if (!Number.isInteger(h.n) || typeof h.host !== 'string' || typeof h.startedAt !== 'string')
      throw new Error('bad session');
    return { n: h.n, host: h.host, startedAt: h.startedAt, transcript: imported.transcript };
  });
  return { id: f.id, sessions: { next: f.next, list, outcomes: f.outcomes } };
}

/** The sessions files in the queue directory `dir` (mta/queue.ts made it and its tmp/). */
export function openSessionStore(dir: string): SessionStore {
  const tmp = path.join(dir, 'tmp');
  const file = (id: string) => {
    if (!ID.test(id)) throw new Error(`Not a queue id: ${id}`);
    return path.join(dir, `${id}${SUFFIX}`);
  };
  return {
    async put(id, sessions) {
      await writeDurably(
        path.join(tmp, `${id}.sessions.${randomBytes(4).toString('hex')}`),
        file(id),
        encodeSessions(id, sessions),
      );
    },
    async remove(id) {
      await rm(file(id), { force: true });
      await fsyncDir(dir);
    },
    async load() {
      const byId = new Map<string, MessageSessions>();
      const unreadable: string[] = [];
      for (const name of (await readdir(dir)).sort()) {
        if (!name.endsWith(SUFFIX)) continue;
        try {
          const { id, sessions } = decodeSessions(await readFile(path.join(dir, name), 'utf8'));
          if (`${id}${SUFFIX}` !== name) throw new Error('named for another message');
          byId.set(id, sessions);
        } catch {
          // A recording is a convenience, never the message: one that cannot be read goes.
          unreadable.push(name);
          await rm(path.join(dir, name), { force: true });
        }
      }
      return { byId, unreadable };
    },
  };
}
