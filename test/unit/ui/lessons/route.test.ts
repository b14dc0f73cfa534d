import { describe, expect, it } from 'vitest';
import { lessonHash, parseLessonRoute } from '../../../../app/src/ui/lessons/route.ts';

describe('parseLessonRoute', () => {
  it('reads the lesson id and step', () => {
    // Steps in the address count from 1 (the README's link names the third step); the index from 0.
    expect(parseLessonRoute('#/lesson/smtp-first-conversation/3')).toEqual({ kind: 'lesson', id: 'smtp-first-conversation', step: 2 });
  });
  it('gives no step (resume from progress) for a missing or bad step', () => {
    expect(parseLessonRoute('#/lesson/imap-select')).toEqual({ kind: 'lesson', id: 'imap-select', step: null });
    expect(parseLessonRoute('#/lesson/imap-select/x')).toEqual({ kind: 'lesson', id: 'imap-select', step: null });
    expect(parseLessonRoute('#/lesson/imap-select/-1')).toEqual({ kind: 'lesson', id: 'imap-select', step: null });
    expect(parseLessonRoute('#/lesson/imap-select/0')).toEqual({ kind: 'lesson', id: 'imap-select', step: null });
    expect(parseLessonRoute('#/lesson/imap-select/1')).toEqual({ kind: 'lesson', id: 'imap-select', step: 0 });
  });
  it('links without a step resume; with one they name it', () => {
    expect(lessonHash('imap-select')).toBe('#/lesson/imap-select');
    expect(lessonHash('imap-select', 0)).toBe('#/lesson/imap-select/1');
  });
  it('gives the index for #/lessons, an empty hash, or a lesson route without an id', () => {
    expect(parseLessonRoute('#/lessons')).toEqual({ kind: 'index' });
    expect(parseLessonRoute('')).toEqual({ kind: 'index' });
    expect(parseLessonRoute('#/lesson/')).toEqual({ kind: 'index' });
  });
  it('round-trips with lessonHash, including characters that need encoding', () => {
    expect(parseLessonRoute(lessonHash('a b', 2))).toEqual({ kind: 'lesson', id: 'a b', step: 2 });
    expect(parseLessonRoute('#/lesson/%E0%A4%A/1')).toEqual({ kind: 'index' });
  });
});
