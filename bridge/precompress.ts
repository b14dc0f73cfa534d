// The build's last step (a Vite plugin, see vite.config.ts): FILE.br (brotli, quality 11) and
// FILE.gz (gzip, level 9) beside each compressible file of dist/, so the server compresses
// nothing at request time (bridge/static.ts). A form is kept only when it is smaller.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.md', '.map', '.eml', '.wasm']);
export const MIN_BYTES = 1024; // below this, the header costs more than compression saves

export function precompressDir(dir: string): { files: number; bytes: number; br: number; gzip: number } {
  const totals = { files: 0, bytes: 0, br: 0, gzip: 0 };
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (COMPRESSIBLE.has(extname(name).toLowerCase()) && st.size >= MIN_BYTES) {
        const data = readFileSync(path);
        const br = brotliCompressSync(data, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
        });
        const gz = gzipSync(data, { level: 9 });
        totals.files++;
        totals.bytes += data.length;
        if (br.length < data.length) {
          writeFileSync(`${path}.br`, br);
          totals.br += br.length;
        }
        if (gz.length < data.length) {
          writeFileSync(`${path}.gz`, gz);
          totals.gzip += gz.length;
        }
      }
    }
  };
  walk(dir);
  return totals;
}

/** The Vite plugin: runs after the bundle is written. */
export function precompress(): { name: string; apply: 'build'; writeBundle(options: { dir?: string }): void } {
  return {
    name: 'mailwire-precompress',
    apply: 'build',
    writeBundle(options) {
      if (options.dir) precompressDir(options.dir);
    },
  };
}
