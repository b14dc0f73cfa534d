import { describe, expect, it } from 'vitest';
import {
  atEnd,
  atStart,
  createCursor,
  first,
  goTo,
  last,
  move,
  moveForKey,
  next,
  previous,
  selectedStep,
  stepOfEvent,
  visibleAt,
} from '../../../app/src/transcript/cursor.ts';
import { splitSteps } from '../../../app/src/transcript/steps.ts';
import { loadFixture } from './load-fixture.ts';

const t = loadFixture('smtp-submission.json');
const steps = splitSteps(t);

describe('replay cursor', () => {
  it('moves forward and back and stops at both ends', () => {
    let c = createCursor(steps);
    expect(c.index).toBe(0);
    expect(atStart(c)).toBe(true);
    c = previous(c);
    expect(c.index).toBe(0);
    c = next(next(c));
    expect(selectedStep(c)!.label).toBe('STARTTLS');
    c = last(c);
    expect(c.index).toBe(steps.length - 1);
    expect(atEnd(c)).toBe(true);
    expect(next(c).index).toBe(steps.length - 1);
    expect(first(c).index).toBe(0);
    expect(goTo(c, 5).index).toBe(5);
    expect(goTo(c, 999).index).toBe(steps.length - 1);
    expect(goTo(c, -3).index).toBe(0);
    expect(goTo(c, Number.NaN).index).toBe(0);
  });

  it('is immutable: moving returns a new cursor', () => {
    const c = createCursor(steps, 3);
    const d = next(c);
    expect(c.index).toBe(3);
    expect(d.index).toBe(4);
  });

  it('shows the events up to the selected step only', () => {
    const c = goTo(createCursor(steps), 2); // STARTTLS
    const v = visibleAt(c);
    expect(v.steps.map((s) => s.label)).toEqual(['connect practice/submission', 'EHLO learner.example', 'STARTTLS']);
    const lastVisible = Math.max(...v.events);
    expect(t.events[lastVisible + 1]!.kind).toBe('tls'); // the TLS step is not shown yet
    expect(v.events).toEqual([...Array(lastVisible + 1).keys()]);
    expect(visibleAt(last(c)).events).toHaveLength(t.events.length);
  });

  it('finds the step of a console line and maps keys to moves', () => {
    const auth = steps.find((s) => s.label.startsWith('AUTH'))!;
    expect(stepOfEvent(steps, auth.sent[0]!.event)).toBe(auth.index);
    const tls = steps.find((s) => s.kind === 'tls')!;
    expect(stepOfEvent(steps, tls.events[0]!)).toBe(tls.index);
    expect(moveForKey('ArrowRight')).toBe('next');
    expect(moveForKey('Home')).toBe('first');
    expect(moveForKey('x')).toBeNull();
    expect(move(createCursor(steps), 'last').index).toBe(steps.length - 1);
  });

  it('an empty transcript has no selection', () => {
    const c = createCursor([]);
    expect(c.index).toBe(-1);
    expect(selectedStep(next(c))).toBeNull();
    expect(visibleAt(c).events).toEqual([]);
  });
});
