// Builds the app into dist/ when it is missing or older than its sources. Used by `npm start`
// (--build-if-needed) and by the test run's global setup, so browser tests see the current app.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

function newestMtime(path: string): number {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** True when dist/index.html is missing or older than any app source, lesson, or the wire contract. */
export function buildIsStale(distDir: string): boolean {
  const built = newestMtime(join(distDir, 'index.html'));
  if (built === 0) return true;
  const sources = ['app', 'lessons', 'vite.config.ts', 'app/src/wire/messages.ts', 'bridge/practice/types.ts'].map(
    (p) => join(projectRoot, p),
  );
  return sources.some((p) => newestMtime(p) > built);
}

export async function buildApp(distDir: string, say: (line: string) => void = () => {}): Promise<void> {
  say('Building the app (vite build)...');
  const { build } = await import('vite');
  await build({
    configFile: join(projectRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: distDir, emptyOutDir: true },
  });
}

export async function buildIfNeeded(distDir: string, say?: (line: string) => void): Promise<boolean> {
  if (!buildIsStale(distDir)) return false;
  await buildApp(distDir, say);
  return true;
}
