import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { precompress } from './bridge/precompress.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The app lives in app/; the bridge serves the build from dist/.
// `npm run dev` proxies /bridge to a running `npm start` on 7025.
export default defineConfig({
  root: here('./app'),
  plugins: [svelte(), precompress()], // dist/ gets FILE.br and FILE.gz beside each text file
  build: { outDir: here('./dist'), emptyOutDir: true },
  server: {
    proxy: { '/bridge': { target: 'ws://127.0.0.1:7025', ws: true } },
  },
  test: {
    root: here('.'),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Three projects: unit tests need no build and no sockets; integration tests run real
    // servers and clients on loopback; integration and browser tests build the app first (once,
    // skipped when dist/ is current).
    projects: [
      {
        extends: true,
        // Pure-module tests share worker threads (no per-file isolation): 15 s instead of 45 s here.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], pool: 'threads', isolate: false },
      },
      {
        extends: true,
        // A few integration tests serve the built page (behind nginx, after hostile requests).
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/robustness/**/*.test.ts'],
          globalSetup: ['test/setup/build-app.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/setup/build-app.ts'] },
      },
    ],
  },
});
