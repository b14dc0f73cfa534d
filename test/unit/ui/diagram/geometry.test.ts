// The sequence diagram's virtualization arithmetic: which steps are drawn for a scroll position,
// the TLS bands cut to that window, and where to scroll to show a step.
import { describe, expect, it } from 'vitest';
import {
  diagramHeight,
  ROW,
  rowY,
  scrollToStep,
  stepInView,
  stepWindow,
  tlsBands,
} from '../../../../app/src/ui/diagram/geometry.ts';
import { splitSteps, type Step } from '../../../../app/src/transcript/steps.ts';
import { loadFixture } from '../../transcript/load-fixture.ts';

describe('stepWindow', () => {
  it('draws every step of a short diagram', () => {
    expect(stepWindow(40, 0, 300, 1, 100, true)).toEqual({ start: 0, end: 40 });
  });

  it('draws only the rows within the margin of the viewport, wherever it is scrolled', () => {
    const count = 10_000;
    const scale = 1.2; // px per unit
    const viewport = 600;
    const margin = 200;
    for (const scrollTop of [0, 12_345, (diagramHeight(count) * scale) / 2, diagramHeight(count) * scale - viewport]) {
      const { start, end } = stepWindow(count, scrollTop, viewport, scale, margin, false);
      // Few rows: the viewport plus both margins, in rows, plus a partial row at each end.
      expect(end - start).toBeLessThanOrEqual(Math.ceil((viewport + 2 * margin) / (ROW * scale)) + 2);
      expect(end - start).toBeGreaterThan(0);
      // Every row that shows in the viewport is drawn.
      for (let i = 0; i < count; i++) {
        const top = (rowY(i) - ROW / 2) * scale;
        const visible = top + ROW * scale > scrollTop && top < scrollTop + viewport;
        if (visible) expect(i >= start && i < end, `row ${i} at ${scrollTop}`).toBe(true);
      }
    }
  });

  it('the last row is drawn when scrolled to the bottom, and nothing past the count', () => {
    const count = 5002;
    const scale = 413 / 360;
    const viewport = 459;
    const bottom = diagramHeight(count) * scale - viewport;
    expect(stepWindow(count, bottom, viewport, scale, 400, false).end).toBe(count);
    expect(stepWindow(0, 0, viewport, scale, 400, false)).toEqual({ start: 0, end: 0 });
  });
});

describe('tlsBands', () => {
  const steps = splitSteps(loadFixture('smtp-submission.json'));
  const firstTls = steps.findIndex((s) => s.tls);

  it('one band from the TLS step to the end, labelled where it starts', () => {
    expect(firstTls).toBeGreaterThan(0);
    expect(tlsBands(steps, { start: 0, end: steps.length })).toEqual([
      { from: firstTls, to: steps.length - 1, starts: true },
    ]);
  });

  it('cut by the window: the band continues from above without a second label', () => {
    expect(tlsBands(steps, { start: firstTls + 2, end: steps.length - 1 })).toEqual([
      { from: firstTls + 2, to: steps.length - 2, starts: false },
    ]);
    expect(tlsBands(steps, { start: 0, end: firstTls })).toEqual([]);
  });

  it('separate runs are separate bands', () => {
    const s = (tls: boolean) => ({ tls }) as Step;
    expect(tlsBands([s(true), s(false), s(true), s(true)], { start: 0, end: 4 })).toEqual([
      { from: 0, to: 0, starts: true },
      { from: 2, to: 3, starts: true },
    ]);
  });
});

describe('scrolling to a step', () => {
  it('centres the step, and a centred step is in view', () => {
    const viewport = 500;
    const scale = 1.1;
    for (const i of [0, 1, 37, 4999]) {
      const top = scrollToStep(i, viewport, scale);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(stepInView(i, top, viewport, scale)).toBe(true);
      expect(stepInView(i + 20, top, viewport, scale)).toBe(false);
    }
  });
});
