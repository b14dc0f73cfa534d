import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLessons } from '../../../../app/src/lessons/index.ts';
import { normalizeLessonFiles } from '../../../../app/src/ui/lessons/lesson-files.ts';

describe('normalizeLessonFiles', () => {
  it('keys each file as /lessons/<name>.md and leaves the README out', () => {
    const out = normalizeLessonFiles({ '../../../../lessons/a.md': 'A', '../../../../lessons/README.md': 'guide', '../../../../lessons/notes.txt': 'x' });
    expect(out).toEqual({ '/lessons/a.md': 'A' });
  });

  it('gives loadLessons every lesson in the repository without errors (what the app bundles)', () => {
    const dir = new URL('../../../../lessons/', import.meta.url);
    const names = readdirSync(dir).filter((f) => f.endsWith('.md'));
    const globbed = Object.fromEntries(names.map((f) => [`../../../../lessons/${f}`, readFileSync(new URL(f, dir), 'utf8')]));
    const { lessons, errors } = loadLessons(normalizeLessonFiles(globbed));
    expect(errors).toEqual([]);
    expect(lessons.length).toBe(names.length - 1);
    expect(lessons.map((l) => l.fileName)).toContain('lessons/smtp-first-conversation.md');
  });
});
