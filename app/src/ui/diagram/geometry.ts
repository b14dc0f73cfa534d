// The sequence diagram's geometry: pure arithmetic on fixed-height rows, unit-tested without a
// browser. Rows have one height, so the steps in view come from the scroll position directly.

import type { Step } from '../../transcript/steps.ts';

/** SVG user units: one step per row, the client's lifeline at CX, the server's at SX. */
export const ROW = 50;
export const W = 360;
export const CX = 50;
export const SX = W - 50;
/** Above the first row: the actors' names. */
export const HEAD = 25;

/** The centre line of step i. */
export const rowY = (i: number) => HEAD + ROW / 2 + i * ROW;
export const diagramHeight = (count: number) => 2 * HEAD + 10 + count * ROW;

export interface StepWindow {
  start: number;
  end: number;
}

/**
 * The steps [start, end) to draw: those within `margin` px of the viewport. `scale` is rendered
 * px per user unit. With `all` (a short diagram), every step.
 */
export function stepWindow(
  count: number,
  scrollTop: number,
  viewport: number,
  scale: number,
  margin: number,
  all: boolean,
): StepWindow {
  if (all || !(scale > 0)) return { start: 0, end: count };
  const top = (scrollTop - margin) / scale - HEAD;
  const bottom = (scrollTop + viewport + margin) / scale - HEAD;
  const start = Math.max(0, Math.min(count, Math.floor(top / ROW)));
  const end = Math.max(start, Math.min(count, Math.ceil(bottom / ROW)));
  return { start, end };
}

export interface Band {
  from: number;
  to: number;
  /** The band starts here (not cut by the window's top): it carries the "TLS" label. */
  starts: boolean;
}

/** Runs of consecutive steps inside TLS, cut to the window. */
export function tlsBands(steps: readonly Step[], { start, end }: StepWindow): Band[] {
  const out: Band[] = [];
  for (let i = start; i < end; i++) {
    if (!steps[i]?.tls) continue;
    const last = out.at(-1);
    if (last && last.to === i - 1) last.to = i;
    else out.push({ from: i, to: i, starts: i === 0 || !steps[i - 1]?.tls });
  }
  return out;
}

/** The scrollTop that puts step i in the middle of a viewport. */
export function scrollToStep(i: number, viewport: number, scale: number): number {
  return Math.max(0, rowY(i) * scale - viewport / 2);
}

/** Whether step i is wholly inside the viewport. */
export function stepInView(i: number, scrollTop: number, viewport: number, scale: number): boolean {
  const top = (rowY(i) - ROW / 2) * scale;
  return top >= scrollTop && top + ROW * scale <= scrollTop + viewport;
}

export const statusClass = (s: Pick<Step, 'status'>) => {
  const st = s.status ?? '';
  if (/^[45]\d\d$|^NO$|^BAD$|^-ERR$|^BYE$/.test(st)) return 'bad';
  if (/^[23]\d\d$|^OK$|^\+OK$|^PREAUTH$|^\+$/.test(st)) return 'ok';
  return '';
};

export const short = (t: string, n = 34) => (t.length > n ? `${t.slice(0, n - 1)}…` : t);
