// The lessons screen's part of the URL hash: "#/lessons" (the index) or "#/lesson/<id>/<step>".
// The step number is where the learner was; the runner itself resumes from the stored progress.

export type LessonRoute = { kind: 'index' } | { kind: 'lesson'; id: string; step: number };

export function parseLessonRoute(hash: string): LessonRoute {
  const parts = hash.replace(/^#\/?/, '').split('?')[0].split('/');
  if (parts[0] !== 'lesson' || !parts[1]) return { kind: 'index' };
  let id: string;
  try {
    id = decodeURIComponent(parts[1]);
  } catch {
    return { kind: 'index' };
  }
  const step = Number.parseInt(parts[2] ?? '0', 10);
  return { kind: 'lesson', id, step: Number.isFinite(step) && step >= 0 ? step : 0 };
}

export function lessonHash(id: string, step = 0): string {
  return `#/lesson/${encodeURIComponent(id)}/${step}`;
}
