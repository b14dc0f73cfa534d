// Turns the bundler's glob result (keys such as "../../../../lessons/smtp-first.md") into the
// "/lessons/<file>.md" keys loadLessons reports errors with; the teachers' README is not a lesson.

export function normalizeLessonFiles(globbed: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, text] of Object.entries(globbed)) {
    const name = path.split('/').pop() ?? path;
    if (!name.endsWith('.md') || name.toLowerCase() === 'readme.md') continue;
    out[`/lessons/${name}`] = text;
  }
  return out;
}
