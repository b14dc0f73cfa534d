/// <reference types="vite/client" />
// Every lesson in the repository's lessons/ folder, bundled into the app at build time and parsed
// once. Broken files are left out; their errors are shown to teachers on the index.
import { loadLessons, type LoadedLessons } from '../../lessons/index.ts';
import { normalizeLessonFiles } from './lesson-files.ts';

const globbed = import.meta.glob('../../../../lessons/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const catalog: LoadedLessons = loadLessons(normalizeLessonFiles(globbed));
