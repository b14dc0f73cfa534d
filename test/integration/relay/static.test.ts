// Precompressed static files (issue 18): precompressDir() writes real brotli and gzip siblings,
// and the server sends the one the browser accepts, with Content-Encoding and Vary, byte-exact
// once decoded; q=0 and missing forms fall back to the plain file.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../../../bridge/precompress.ts';
import { chooseCoding } from '../../../bridge/static.ts';
import { startBridge, type TestBridge } from './helpers.ts';

const JS = `export const lines = [${Array.from({ length: 400 }, (_, i) => `"line ${i}: the quick brown fox"`).join(',')}];\n`;
let bridge: TestBridge;
let dist: string;
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'mw-static-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(
    join(dist, 'index.html'),
    `<!doctype html><title>precompressed</title>${'<p>mailwire</p>'.repeat(100)}`,
  );
  writeFileSync(join(dist, 'assets', 'app-1.js'), JS);
  writeFileSync(join(dist, 'assets', 'tiny.js'), 'console.log(1)');
  precompressDir(dist);
  bridge = await startBridge({ distDir: dist });
});
afterAll(async () => bridge.close());

function get(
  path: string,
  acceptEncoding?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const u = new URL(bridge.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path,
        headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('precompressed static files', () => {
  it('the build step writes brotli and gzip forms only where they are worth it', () => {
    expect(brotliDecompressSync(readFileSync(join(dist, 'assets', 'app-1.js.br'))).toString()).toBe(JS);
    expect(gunzipSync(readFileSync(join(dist, 'assets', 'app-1.js.gz'))).toString()).toBe(JS);
    expect(existsSync(join(dist, 'index.html.br'))).toBe(true);
    expect(existsSync(join(dist, 'assets', 'tiny.js.br'))).toBe(false); // under 1 KiB
  });

  it('sends brotli to a browser that accepts it, gzip to one that accepts only gzip, byte-exact', async () => {
    const br = await get('/assets/app-1.js', 'gzip, deflate, br, zstd');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(JS.length / 5);
    expect(brotliDecompressSync(br.body).toString()).toBe(JS);
    const gz = await get('/assets/app-1.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(JS);
  });

  it('sends the plain file with Vary when nothing acceptable is offered, and for client routes the page', async () => {
    for (const ae of [undefined, 'identity', 'br;q=0, gzip;q=0', 'deflate']) {
      const r = await get('/assets/app-1.js', ae);
      expect([ae, r.headers['content-encoding']]).toEqual([ae, undefined]);
      expect(r.headers.vary).toBe('Accept-Encoding');
      expect(r.body.toString()).toBe(JS);
    }
    const route = await get('/lessons/x', 'br');
    expect(route.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(route.body).toString()).toContain('precompressed');
    const tiny = await get('/assets/tiny.js', 'br');
    expect([tiny.headers['content-encoding'], tiny.headers.vary, tiny.body.toString()]).toEqual([
      undefined,
      undefined,
      'console.log(1)',
    ]);
  });

  it('reads Accept-Encoding as RFC 9110 section 12.5.3 says', () => {
    const both = ['br', 'gzip'] as const;
    expect(chooseCoding('gzip;q=1, br;q=0.5', both)).toBe('gzip');
    expect(chooseCoding('*', both)).toBe('br');
    expect(chooseCoding('*;q=0.1, br;q=0', both)).toBe('gzip');
    expect(chooseCoding('x-gzip', both)).toBe('gzip');
    expect(chooseCoding('BR', ['gzip'])).toBe(null);
    expect(chooseCoding('br;q=0.000', both)).toBe(null);
  });
});
