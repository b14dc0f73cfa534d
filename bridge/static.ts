// Precompressed static files (issue 18). `vite build` writes FILE.br and FILE.gz beside each
// compressible file (bridge/precompress.ts); the server picks the one the browser accepts, by
// Accept-Encoding (RFC 9110 section 12.5.3), and says so with Content-Encoding and
// Vary: Accept-Encoding (section 12.5.5), so a cache never hands brotli to a client that did not ask.
import { statSync } from 'node:fs';

export type Coding = 'br' | 'gzip';
const SUFFIX: Record<Coding, string> = { br: '.br', gzip: '.gz' };

/** The q-value of each coding named in an Accept-Encoding header ("*" included). */
function qualities(header: string): Map<string, number> {
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let value = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) value = Math.min(1, Number(m[1]) || 0);
    }
    q.set(name, value);
  }
  return q;
}

/**
 * The precompressed form to send, or null for the file itself. Brotli before gzip at equal
 * quality (smaller); a coding with q=0 is refused, and "*" stands for any coding not named.
 */
export function chooseCoding(acceptEncoding: string | undefined, available: readonly Coding[]): Coding | null {
  if (!acceptEncoding || available.length === 0) return null;
  const q = qualities(acceptEncoding);
  const of = (c: Coding) => q.get(c) ?? (c === 'gzip' ? q.get('x-gzip') : undefined) ?? q.get('*') ?? 0;
  let best: Coding | null = null;
  let bestQ = 0;
  for (const c of ['br', 'gzip'] as const) {
    if (!available.includes(c)) continue;
    if (of(c) > bestQ) {
      best = c;
      bestQ = of(c);
    }
  }
  return best;
}

/** The precompressed siblings of `file` that exist (and are not older than it). */
export function precompressedForms(file: string): Coding[] {
  let mtime: number;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const out: Coding[] = [];
  for (const c of ['br', 'gzip'] as const) {
    try {
      const st = statSync(file + SUFFIX[c]);
      if (st.isFile() && st.mtimeMs >= mtime - 1000) out.push(c);
    } catch {
      // not there: serve the plain file
    }
  }
  return out;
}

export const codingSuffix = (c: Coding): string => SUFFIX[c];
