// What one cell of the teacher's grid says, from a student's stored progress and live activity
// (bridge/classroom/progress.ts). Pure, so the states and the "stuck" rule are tested alone.
import type { Lesson } from '../../lessons/index.ts';
import type { Activity, GridRow } from '../../wire/classroom.ts';

export type { Activity, GridRow };

/** A student on the same step this long is marked stuck. */
export const STUCK_MS = 5 * 60_000;

export type Cell =
  | { kind: 'not-started'; text: string }
  | { kind: 'step'; text: string; step: number; of: number; failures: number; stuck: boolean; current: boolean }
  | { kind: 'done'; text: string };

export function cellOf(row: GridRow, lesson: Lesson, now: number): Cell {
  const lp = row.progress.lessons[lesson.id];
  const passed = lp ? lesson.steps.filter((s) => lp.completed.includes(s.id)).length : 0;
  const n = lesson.steps.length;
  if (n > 0 && passed === n) return { kind: 'done', text: 'done' };
  const a = row.activity && row.activity.lesson === lesson.id ? row.activity : null;
  if (!a && passed === 0) return { kind: 'not-started', text: 'not started' };
  const step = Math.min((a ? a.step : passed) + 1, n);
  const failures = a?.failures ?? 0;
  const stuck = !!a && a.step < a.steps && now - Date.parse(a.stepSince) >= STUCK_MS;
  return { kind: 'step', text: `step ${step} of ${n}`, step, of: n, failures, stuck, current: !!a };
}

/** "just now", "4 min ago", "2 h ago". */
export function ago(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}
