// Lesson progress per account on the server: DATA_DIR/class/progress/<account>.json, written
// durably (durable.ts) before the browser is told it is saved, so a restart or another machine
// resumes where the student was. The record holds the app's own Progress (app/src/lessons/
// progress.ts, validated by its deserializer) and the live "activity" the teacher's grid shows.
import { mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { deserializeProgress, type Progress } from '../../app/src/lessons/progress.ts';
import type { Activity } from '../../app/src/wire/classroom.ts';
import { writeFileDurably } from './durable.ts';

export type { Activity };

export interface ProgressRecord {
  progress: Progress;
  activity: Activity | null;
  /** ISO time of the last report from the student's page. */
  at: string | null;
}

const LESSON_ID = /^[a-z0-9][a-z0-9-]{0,80}$/;

export function emptyRecord(): ProgressRecord {
  return { progress: { version: 1, lessons: {} }, activity: null, at: null };
}

/** Validates what a page sent: the app's Progress, and an activity of the right shape or null. */
export function parseReport(body: unknown): { progress: Progress; activity: Activity | null } | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as { progress?: unknown; activity?: unknown };
  const progress = deserializeProgress(JSON.stringify(b.progress ?? null));
  for (const id of Object.keys(progress.lessons)) if (!LESSON_ID.test(id)) delete progress.lessons[id];
  let activity: Activity | null = null;
  const a = b.activity as Partial<Activity> | null | undefined;
  if (a && typeof a === 'object') {
    const int = (v: unknown, max: number) =>
      Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max ? (v as number) : null;
    const step = int(a.step, 1000);
    const steps = int(a.steps, 1000);
    const failures = int(a.failures, 1_000_000);
    const since =
      typeof a.stepSince === 'string' && !Number.isNaN(Date.parse(a.stepSince))
        ? new Date(a.stepSince).toISOString()
        : null;
    if (
      typeof a.lesson !== 'string' ||
      !LESSON_ID.test(a.lesson) ||
      step === null ||
      steps === null ||
      failures === null ||
      !since
    )
      return null;
    activity = { lesson: a.lesson, step: Math.min(step, steps), steps, failures, stepSince: since };
  } else if (a !== null && a !== undefined) return null;
  return { progress, activity };
}

export interface ProgressStore {
  get(account: string): ProgressRecord;
  all(): Map<string, ProgressRecord>;
  save(account: string, report: { progress: Progress; activity: Activity | null }, now?: Date): Promise<ProgressRecord>;
  /** Forgets a student's progress (not used by the mailbox reset: progress outlives mail). */
  clear(account: string): Promise<void>;
}

export async function openProgressStore(dataDir: string, accounts: string[]): Promise<ProgressStore> {
  const dir = path.join(dataDir, 'class', 'progress');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const known = new Set(accounts);
  const records = new Map<string, ProgressRecord>();
  for (const name of await readdir(dir)) {
    const account = name.replace(/\.json$/, '');
    if (!name.endsWith('.json') || !known.has(account)) continue;
    try {
      const data = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as { at?: unknown };
      const parsed = parseReport(data);
      if (parsed) records.set(account, { ...parsed, at: typeof data.at === 'string' ? data.at : null });
    } catch {
      // A damaged file is a lost record, not a server that will not start; the page re-sends its copy.
    }
  }
  // One write at a time per account, and at most one more waiting, which writes whatever is the
  // latest record when it starts: a page that floods reports costs two fsyncs, not one per report.
  const writers = new Map<string, { running: Promise<void> | null; next: Promise<void> | null }>();
  const writeNow = (account: string) =>
    writeFileDurably(path.join(dir, `${account}.json`), JSON.stringify(records.get(account) ?? emptyRecord()));
  const write = (account: string): Promise<void> => {
    let w = writers.get(account);
    if (!w) writers.set(account, (w = { running: null, next: null }));
    const state = w;
    if (!state.running) {
      state.running = writeNow(account).finally(() => (state.running = null));
      return state.running;
    }
    state.next ??= state.running
      .catch(() => undefined)
      .then(() => {
        state.next = null;
        return write(account);
      });
    return state.next;
  };
  return {
    get: (account) => records.get(account) ?? emptyRecord(),
    all: () => new Map(accounts.map((a) => [a, records.get(a) ?? emptyRecord()])),
    async save(account, report, now = new Date()) {
      if (!known.has(account)) throw new Error(`no class account ${account}`);
      const record = { ...report, at: now.toISOString() };
      records.set(account, record);
      await write(account);
      return record;
    },
    async clear(account) {
      records.delete(account);
      await write(account);
    },
  };
}
