// The learner's progress: completed steps per lesson (by step id, so editing a lesson's wording
// does not lose progress), serialised to one string for localStorage, and the lesson index.
// Every function returns a new Progress; none mutates its argument.

import type { Lesson, LessonLevel, LessonProtocol } from './types.ts';
import { LESSON_LEVELS, LESSON_PROTOCOLS } from './types.ts';

export interface LessonProgress {
  /** Ids of the steps passed, in the order they were passed. */
  completed: string[];
  /** ISO time the last step passed (for "finished on"). */
  finishedAt: string | null;
}

export interface Progress {
  version: 1;
  lessons: Record<string, LessonProgress>;
}

export const PROGRESS_STORAGE_KEY = 'mailwire.lessons.progress';

export function emptyProgress(): Progress {
  return { version: 1, lessons: {} };
}

function of(p: Progress, lessonId: string): LessonProgress {
  return p.lessons[lessonId] ?? { completed: [], finishedAt: null };
}

/** Records that a step passed. Steps are done in order, so completing step n opens step n+1. */
export function completeStep(p: Progress, lesson: Lesson, stepIndex: number, now: Date = new Date()): Progress {
  const step = lesson.steps[stepIndex];
  if (!step) return p;
  const lp = of(p, lesson.id);
  const completed = lp.completed.includes(step.id) ? lp.completed : [...lp.completed, step.id];
  const done = lesson.steps.every((s) => completed.includes(s.id));
  return { ...p, lessons: { ...p.lessons, [lesson.id]: { completed, finishedAt: done ? (lp.finishedAt ?? now.toISOString()) : null } } };
}

/** Starts a lesson over (a lesson is replayed from its first step, with a fresh connection). */
export function resetLesson(p: Progress, lessonId: string): Progress {
  const lessons = { ...p.lessons };
  delete lessons[lessonId];
  return { ...p, lessons };
}

/** Index of the step to do next: the first step not yet passed; steps.length when all are done. */
export function currentStep(p: Progress, lesson: Lesson): number {
  const done = of(p, lesson.id).completed;
  const i = lesson.steps.findIndex((s) => !done.includes(s.id));
  return i === -1 ? lesson.steps.length : i;
}

export function stepsDone(p: Progress, lesson: Lesson): number {
  const done = of(p, lesson.id).completed;
  return lesson.steps.filter((s) => done.includes(s.id)).length;
}

export function isLessonComplete(p: Progress, lesson: Lesson): boolean {
  return lesson.steps.length > 0 && stepsDone(p, lesson) === lesson.steps.length;
}

export function serializeProgress(p: Progress): string {
  return JSON.stringify(p);
}

/**
 * Reads a stored progress string. Anything unreadable (absent, corrupted, from a future version)
 * gives an empty progress rather than an error: a learner should never be locked out by storage.
 */
export function deserializeProgress(text: string | null | undefined): Progress {
  if (!text) return emptyProgress();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return emptyProgress();
  }
  if (typeof data !== 'object' || data === null || (data as { version?: unknown }).version !== 1) return emptyProgress();
  const lessons = (data as { lessons?: unknown }).lessons;
  const out = emptyProgress();
  if (typeof lessons !== 'object' || lessons === null) return out;
  for (const [id, v] of Object.entries(lessons as Record<string, unknown>)) {
    if (typeof v !== 'object' || v === null) continue;
    const completed = (v as { completed?: unknown }).completed;
    const finishedAt = (v as { finishedAt?: unknown }).finishedAt;
    if (!Array.isArray(completed)) continue;
    out.lessons[id] = {
      completed: completed.filter((s): s is string => typeof s === 'string'),
      finishedAt: typeof finishedAt === 'string' ? finishedAt : null,
    };
  }
  return out;
}

// ---- the lesson index ----

export type LessonStatus = 'not-started' | 'in-progress' | 'done';

export interface LessonIndexEntry {
  id: string;
  title: string;
  minutes: number;
  level: LessonLevel;
  protocol: LessonProtocol;
  stepsDone: number;
  stepsTotal: number;
  status: LessonStatus;
  /** Prerequisites not done yet (the UI may suggest them first; it need not block). */
  missingPrerequisites: string[];
}

export interface LessonIndexGroup {
  protocol: LessonProtocol;
  levels: { level: LessonLevel; lessons: LessonIndexEntry[]; minutes: number }[];
}

/** Lessons grouped by protocol (smtp, imap, pop3, mime) then level (beginner first), with progress. */
export function buildLessonIndex(lessons: Lesson[], p: Progress): LessonIndexGroup[] {
  const byId = new Map(lessons.map((l) => [l.id, l]));
  const entry = (l: Lesson): LessonIndexEntry => {
    const done = stepsDone(p, l);
    return {
      id: l.id,
      title: l.title,
      minutes: l.minutes,
      level: l.level,
      protocol: l.protocol,
      stepsDone: done,
      stepsTotal: l.steps.length,
      status: done === 0 ? 'not-started' : done === l.steps.length ? 'done' : 'in-progress',
      missingPrerequisites: l.prerequisites.filter((id) => {
        const pre = byId.get(id);
        return !pre || !isLessonComplete(p, pre);
      }),
    };
  };
  const groups: LessonIndexGroup[] = [];
  for (const protocol of LESSON_PROTOCOLS) {
    const levels = LESSON_LEVELS.map((level) => {
      const entries = lessons.filter((l) => l.protocol === protocol && l.level === level).map(entry);
      return { level, lessons: entries, minutes: entries.reduce((n, e) => n + e.minutes, 0) };
    }).filter((g) => g.lessons.length > 0);
    if (levels.length > 0) groups.push({ protocol, levels });
  }
  return groups;
}
