import { describe, expect, it } from 'vitest';
import { mergeProgress } from '../../../../app/src/ui/classroom/class-session.svelte.ts';

describe("merging this machine's progress with the server's", () => {
  it('keeps every step passed on either, and the earliest finish', () => {
    const a = {
      version: 1 as const,
      lessons: {
        l1: { completed: ['x', 'y'], finishedAt: null },
        l2: { completed: ['p'], finishedAt: '2026-12-03T10:00:00Z' },
      },
    };
    const b = {
      version: 1 as const,
      lessons: {
        l1: { completed: ['y', 'z'], finishedAt: '2026-12-03T12:00:00Z' },
        l3: { completed: ['q'], finishedAt: null },
      },
    };
    expect(mergeProgress(a, b)).toEqual({
      version: 1,
      lessons: {
        l1: { completed: ['x', 'y', 'z'], finishedAt: '2026-12-03T12:00:00Z' },
        l2: { completed: ['p'], finishedAt: '2026-12-03T10:00:00Z' },
        l3: { completed: ['q'], finishedAt: null },
      },
    });
  });
});
