// The classroom's part of the wire contract: what /api/class/events tells the teacher's page about
// each student (bridge/classroom/ writes it, app/src/ui/teacher/ reads it). Pure types.
import type { Progress } from '../lessons/progress.ts';

/** Where a student is right now: the lesson and step open on their page. */
export interface Activity {
  lesson: string;
  /** Index of the step being worked on; equal to `steps` when the lesson is done. */
  step: number;
  steps: number;
  /** Failed checks on this step so far. */
  failures: number;
  /** ISO time this step became the current one (the grid's "stuck" marker reads it). */
  stepSince: string;
}

/** One student's row of the teacher's grid. */
export interface GridRow {
  account: string;
  name: string;
  progress: Progress;
  activity: Activity | null;
  at: string | null;
  /** Pages open for this account right now. */
  online: number;
}
