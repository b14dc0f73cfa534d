import { describe, expect, it } from 'vitest';
import type { Lesson } from '../../../../app/src/lessons/index.ts';
import { ago, cellOf, STUCK_MS, type GridRow } from '../../../../app/src/ui/teacher/grid.ts';

const lesson = { id: 'l1', steps: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] } as unknown as Lesson;
const now = Date.parse('2026-12-03T14:00:00Z');
const row = (completed: string[], activity: GridRow['activity'] = null): GridRow => ({
  account: 'student01',
  name: 'Ada',
  progress: { version: 1, lessons: completed.length ? { l1: { completed, finishedAt: null } } : {} },
  activity,
  at: null,
  online: 1,
});
const act = (step: number, sinceMs: number, failures = 0) => ({
  lesson: 'l1',
  step,
  steps: 3,
  failures,
  stepSince: new Date(now - sinceMs).toISOString(),
});

describe('a cell of the teacher grid', () => {
  it('says not started, step k of n with failures, or done', () => {
    expect(cellOf(row([]), lesson, now)).toMatchObject({ kind: 'not-started' });
    expect(cellOf(row(['a'], act(1, 1000, 2)), lesson, now)).toMatchObject({
      kind: 'step',
      text: 'step 2 of 3',
      failures: 2,
      stuck: false,
      current: true,
    });
    expect(cellOf(row(['a']), lesson, now)).toMatchObject({ kind: 'step', text: 'step 2 of 3', current: false });
    expect(cellOf(row(['a', 'b', 'c'], act(3, 1000)), lesson, now)).toMatchObject({ kind: 'done' });
  });
  it('marks a student on one step for STUCK_MS as stuck, and only on the lesson they are in', () => {
    expect(cellOf(row(['a'], act(1, STUCK_MS - 1000)), lesson, now)).toMatchObject({ stuck: false });
    expect(cellOf(row(['a'], act(1, STUCK_MS)), lesson, now)).toMatchObject({ stuck: true });
    const elsewhere = { ...act(1, STUCK_MS * 2), lesson: 'other' };
    expect(cellOf(row(['a'], elsewhere), lesson, now)).toMatchObject({ stuck: false, current: false });
  });
  it('says how long ago', () => {
    expect(ago(null, now)).toBe('never');
    expect(ago(new Date(now - 10_000).toISOString(), now)).toBe('just now');
    expect(ago(new Date(now - 4 * 60_000).toISOString(), now)).toBe('4 min ago');
    expect(ago(new Date(now - 2 * 3600_000).toISOString(), now)).toBe('2 h ago');
  });
});
