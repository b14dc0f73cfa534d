// The one seam between a running lesson and the classroom: the signed-in student's placeholder
// values (instead of alice -> bob) and a report after every change of step or failed check, which
// class-session.svelte.ts sends to the server. Both empty outside a class.
import type { Progress } from '../../lessons/index.ts';

export interface LessonReport {
  lesson: string;
  step: number;
  steps: number;
  failures: number;
  progress: Progress;
}

export const lessonLink: {
  values: { user: string; password: string; domain: string; peer: string } | null;
  report: ((r: LessonReport) => void) | null;
} = { values: null, report: null };
