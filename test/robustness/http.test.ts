// Issue 11, HTTP side: a request the server cannot parse gets 400 and the process goes on.
// Each case runs against mailwire in its own process (as `npm start` runs it); after each, a
// well-formed session from another address must still get its greeting within 2 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet, rawExchange, startMailwireProcess, wellFormedSession, type Mailwire } from './harness.ts';

let mw: Mailwire;
beforeAll(async () => {
  mw = await startMailwireProcess();
}, 60_000);
afterAll(async () => mw?.stop());

const UNPARSABLE_TARGETS = ['http://[/', 'http://a:99999/', 'http://a:b@[::1/x', 'http://%zz/'];
const upgrade = (target: string) =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
  'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';

describe('requests the server cannot parse', () => {
  for (const target of UNPARSABLE_TARGETS) {
    it(`GET ${target} as a plain request: 400, and the bridge keeps serving`, async () => {
      const reply = await rawExchange(
        mw.port,
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      expect(reply).toMatch(/^HTTP\/1\.1 400 /);
      expect(reply).toContain('BAD_REQUEST');
      expect(mw.alive()).toBe(true);
      expect(await wellFormedSession(mw)).toMatch(/^220 /);
    });

    it(`GET ${target} as a WebSocket upgrade: 400, and the bridge keeps serving`, async () => {
      const reply = await rawExchange(mw.port, upgrade(target));
      expect(reply).toMatch(/^HTTP\/1\.1 400 /);
      expect(mw.alive()).toBe(true);
      expect(await wellFormedSession(mw)).toMatch(/^220 /);
    });
  }

  it('a POST to an unparsable target: 400, and the bridge keeps serving', async () => {
    const reply = await rawExchange(
      mw.port,
      'POST http://[/api/practice/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
    );
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(await wellFormedSession(mw)).toMatch(/^220 /);
  });

  it('an absolute-form target that parses is served by its path (RFC 9112 section 3.2.2)', async () => {
    const reply = await rawExchange(
      mw.port,
      'GET http://127.0.0.1/api/practice HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    );
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(reply).toContain('"accounts"');
  });

  it('every response carries the security headers: the page, a missing file, the API', async () => {
    for (const path of ['/', '/lessons/x', '/assets/missing.js', '/api/practice']) {
      const { headers } = await httpGet(mw, path);
      expect(headers['content-security-policy'], path).toMatch(/frame-ancestors 'none'/);
      expect(headers['x-frame-options'], path).toBe('DENY');
      expect(headers['referrer-policy'], path).toBe('no-referrer');
      expect(headers['x-content-type-options'], path).toBe('nosniff');
    }
  });

  it('the page still answers afterwards', async () => {
    expect((await httpGet(mw, '/')).status).toBe(200);
    expect(mw.err()).not.toMatch(/\n\s+at /);
  });
});
