// The lessons screen's part of the URL hash: "#/lessons" (the index) or "#/lesson/<id>[/<step>]".
// A step is where a link lands: the runner replays the steps before it against the server. In the
// address steps count from 1, as people count (and as app/src/transcript/link.ts documents);
// `step` here is the index, from 0. Without a step the lesson resumes where the progress left off.

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
  const step = /^[1-9]\d{0,3}$/.test(parts[2] ?? '') ? Number(parts[2]) - 1 : null;
  return { kind: 'lesson', id, step };
}

/** The link to a lesson: at step index `step` (shown from 1), or (without one) wherever the learner's progress is. */
export function lessonHash(id: string, step?: number): string {
  return `#/lesson/${encodeURIComponent(id)}${step === undefined ? '' : `/${step + 1}`}`;
}
