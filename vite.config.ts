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
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/build-app.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
