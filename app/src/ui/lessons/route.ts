// The lessons screen's part of the URL hash: "#/lessons" (the index) or "#/lesson/<id>[/<step>]".
// A step (from 0) is where a link lands: the runner replays the steps before it against the server.
// Without one the lesson resumes where the stored progress left off.

export type LessonRoute = { kind: 'index' } | { kind: 'lesson'; id: string; step: number | null };

export function parseLessonRoute(hash: string): LessonRoute {
  const parts = hash.replace(/^#\/?/, '').split('?')[0].split('/');
  if (parts[0] !== 'lesson' || !parts[1]) return { kind: 'index' };
  let id: string;
  try {
    id = decodeURIComponent(parts[1]);
  } catch {
    return { kind: 'index' };
  }
  const step = /^\d{1,4}$/.test(parts[2] ?? '') ? Number(parts[2]) : null;
  return { kind: 'lesson', id, step };
}

/** The link to a lesson: at `step`, or (without one) wherever the learner's progress is. */
export function lessonHash(id: string, step?: number): string {
  return `#/lesson/${encodeURIComponent(id)}${step === undefined ? '' : `/${step}`}`;
}
