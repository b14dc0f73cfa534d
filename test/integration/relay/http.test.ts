// The HTTP side of the bridge: the built app with the right content types, the SPA fallback,
// no path traversal, WebSocket upgrades only on /bridge, and POST only from the page's own origin.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBridge, type TestBridge } from './helpers.ts';

let bridge: TestBridge;
let empty: TestBridge;
beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'mw-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>mailwire test page</title>');
  writeFileSync(join(dist, 'assets', 'app-123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'app-123.css'), 'body{}');
  bridge = await startBridge({ distDir: dist });
  empty = await startBridge({ distDir: join(dist, 'nothing-here') });
});
afterAll(async () => {
  await bridge.close();
  await empty.close();
});

function get(
  base: string,
  path: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; body: string; headers: Record<string, unknown> }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () =>
        resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body, headers: res.headers }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP server', () => {
  it('serves index.html and assets with their content types', async () => {
    const index = await get(bridge.url, '/');
    expect(index).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(index.body).toContain('mailwire test page');
    const js = await get(bridge.url, '/assets/app-123.js');
    expect(js).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8', body: 'console.log(1)' });
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await get(bridge.url, '/assets/app-123.css')).type).toBe('text/css; charset=utf-8');
  });

  it('falls back to index.html for client routes, 404 for missing files', async () => {
    const route = await get(bridge.url, '/lessons/smtp-first-mail');
    expect(route.status).toBe(200);
    expect(route.body).toContain('mailwire test page');
    expect((await get(bridge.url, '/assets/missing.js')).status).toBe(404);
  });

  it('never serves files outside dist/', async () => {
    for (const path of [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2f..%2fetc%2fpasswd',
    ]) {
      const res = await get(bridge.url, path);
      expect(res.body).not.toContain('root:');
    }
  });

  it('answers 405 to other methods and explains a missing build', async () => {
    expect((await get(bridge.url, '/', 'POST')).status).toBe(405);
    const res = await get(empty.url, '/');
    expect(res.status).toBe(503);
    expect(res.body).toContain('npm run build');
  });

  it('answers GET /api/practice with JSON (no practice server here: no targets)', async () => {
    const res = await get(bridge.url, '/api/practice');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.body)).toMatchObject({ targets: [], accounts: [], allowed: [] });
  });

  it('answers POST /api/practice/reset only from its own origin, and in JSON (here: no practice server)', async () => {
    const own = new URL(bridge.url).origin;
    const missing = await get(bridge.url, '/api/practice/reset', 'POST');
    expect(missing).toMatchObject({ status: 403, type: 'application/json; charset=utf-8' });
    expect(JSON.parse(missing.body).code).toBe('ORIGIN_REQUIRED');
    const foreign = await get(bridge.url, '/api/practice/reset', 'POST', { origin: 'http://localhost:5173' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({
      code: 'ORIGIN_NOT_ALLOWED',
      message: expect.stringContaining('--allowed-origins http://localhost:5173'),
    });
    const off = await get(bridge.url, '/api/practice/reset', 'POST', { origin: own });
    expect(off.status).toBe(409);
    expect(JSON.parse(off.body)).toMatchObject({
      code: 'PRACTICE_OFF',
      message: expect.stringContaining('--no-practice'),
    });
    const wrongMethod = await get(bridge.url, '/api/practice/reset', 'GET', { origin: own });
    expect(wrongMethod).toMatchObject({ status: 405, headers: expect.objectContaining({ allow: 'POST' }) });
    expect((await get(bridge.url, '/api/practice', 'POST', { origin: own })).status).toBe(405); // GET-only stays GET-only
  });

  it('upgrades only /bridge', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(bridge.wsUrl.replace('/bridge', '/other'));
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(status).toBe(404);
    const ok = new WebSocket(bridge.wsUrl);
    await new Promise((r) => ok.once('open', r));
    ok.close();
  });
});
