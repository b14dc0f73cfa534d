// Vitest global setup: build the app once before any browser test runs, so every e2e file
// loads the current code and no two files build into dist/ at the same time.
import { join } from 'node:path';
import { buildIfNeeded, projectRoot } from '../../bridge/build.ts';

export default async function setup(): Promise<void> {
  await buildIfNeeded(join(projectRoot, 'dist'), (line) => process.stdout.write(`${line}\n`));
}
