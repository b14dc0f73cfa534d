// The replay cursor: where a replay stands among the steps of a transcript. Immutable values; each
// move returns a new cursor, so the UI can keep history or compare cursors without surprises.

import type { Step, StepPart } from './steps.ts';

export interface ReplayCursor {
  readonly steps: readonly Step[];
  /** The selected step, 0-based; -1 only when there are no steps. */
  readonly index: number;
}

const clamp = (steps: readonly Step[], i: number) =>
  steps.length === 0 ? -1 : Math.min(Math.max(Math.trunc(i), 0), steps.length - 1);

export const createCursor = (steps: readonly Step[], at = 0): ReplayCursor => ({ steps, index: clamp(steps, at) });
export const goTo = (c: ReplayCursor, i: number): ReplayCursor => createCursor(c.steps, Number.isFinite(i) ? i : 0);
export const next = (c: ReplayCursor): ReplayCursor => goTo(c, c.index + 1);
export const previous = (c: ReplayCursor): ReplayCursor => goTo(c, c.index - 1);
export const first = (c: ReplayCursor): ReplayCursor => goTo(c, 0);
export const last = (c: ReplayCursor): ReplayCursor => goTo(c, c.steps.length - 1);

export const atStart = (c: ReplayCursor): boolean => c.index <= 0;
export const atEnd = (c: ReplayCursor): boolean => c.index === c.steps.length - 1;
export const selectedStep = (c: ReplayCursor): Step | null => c.steps[c.index] ?? null;

export interface Visible {
  /** Steps 0..index: what the console and the diagram show. */
  steps: readonly Step[];
  /** Every event index touched by a visible step, ascending. */
  events: number[];
  /** The byte ranges shown, in stream order (a chunk may be split between steps). */
  parts: StepPart[];
}

/** What is on screen at the cursor: everything up to and including the selected step. */
export function visibleAt(c: ReplayCursor): Visible {
  const steps = c.steps.slice(0, c.index + 1);
  const events = [...new Set(steps.flatMap((s) => s.events))].sort((a, b) => a - b);
  const parts = steps.flatMap((s) => [...s.sent, ...s.received]).sort((a, b) => a.event - b.event || a.start - b.start);
  return { steps, events, parts };
}

/** The step that shows a given event byte (to select a step from a click on a console line). */
export function stepOfEvent(steps: readonly Step[], event: number, offset = 0): number {
  const hit = steps.find((s) =>
    [...s.sent, ...s.received].some(
      (p) => p.event === event && offset >= p.start && offset < Math.max(p.end, p.start + 1),
    ),
  );
  if (hit) return hit.index;
  const meta = steps.find((s) => s.sent.length === 0 && s.received.length === 0 && s.events.includes(event));
  return meta ? meta.index : -1;
}

export type CursorMove = 'next' | 'previous' | 'first' | 'last';

/** The keyboard of the replay screen: arrows and j/k step, Home/End jump. Null for other keys. */
export function moveForKey(key: string): CursorMove | null {
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
    case 'j':
    case ' ':
      return 'next';
    case 'ArrowLeft':
    case 'ArrowUp':
    case 'k':
      return 'previous';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    default:
      return null;
  }
}

export function move(c: ReplayCursor, m: CursorMove): ReplayCursor {
  return { next, previous, first, last }[m](c);
}
