// The HTTP side: serves the built app from dist/ (SPA fallback to index.html), answers the JSON
// API, and upgrades only /bridge to WebSocket. /bridge and every POST pass the Origin check
// (policy.ts) first; a POST must carry an Origin, since it changes something (CSRF).

import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { MailwireConfig } from './config/types.ts';
import type { Logger } from './practice/types.ts';
import { clientAddress } from './classroom/client-address.ts';
import { BridgeWebSocket } from './relay/bridge-socket.ts';
import { checkOrigin } from './relay/policy.ts';
import { chooseCoding, codingSuffix, precompressedForms } from './static.ts';
import { sendJson, type JsonReply } from './json-reply.ts';

export type { JsonReply } from './json-reply.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.eml': 'message/rfc822',
  '.wasm': 'application/wasm',
};

/**
 * Sent with every response (issue 11). The page with the reset button must not be framed
 * (clickjacking): frame-ancestors 'none' (CSP Level 3) and X-Frame-Options: DENY for older
 * browsers (RFC 7034). The CSP allows only the app's own files: no inline or eval'd script.
 * - connect-src 'self' covers ws:// to the same host (CSP Level 3 matches 'self' across ws/wss).
 * - img-src data: blob: for the page icon, the studio's inline images and attachment previews.
 * - worker-src 'self' for the studio's MIME generator worker.
 * - style-src 'unsafe-inline': not for Svelte (the app itself passes with 'self' alone: its CSS
 *   is in files and it sets styles through the CSSOM), but for the studio's HTML preview. That
 *   frame is about:srcdoc, which inherits this policy (HTML's policy container), and HTML mail
 *   styles itself inline; with 'self' alone the learner would see it unstyled (tested in
 *   test/e2e/security-headers.test.ts). Scripts stay 'self' only, so this opens no script path.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

const NO_BUILD = `<!doctype html><meta charset="utf-8"><title>mailwire</title>
<p>The app is not built yet. Run <code>npm run build</code> (or <code>npm start</code>, which builds when needed) and reload.</p>`;

const BAD_REQUEST = 'BAD_REQUEST: the request target could not be parsed as a URL. Send a path such as /index.html.\n';

/**
 * The path of a request target (origin-form "/x" or absolute-form "http://h/x", RFC 9112
 * section 3.2), or null when it is not a URL: `new URL()` throws on "http://[/" or a port of
 * 99999, and one such request must get a 400, not end the process.
 */
export function requestPath(target: string | undefined): string | null {
  try {
    return new URL(target ?? '/', 'http://x').pathname;
  } catch {
    return null;
  }
}

function fileIn(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = normalize(join(root, decoded));
  if (full !== root && !full.startsWith(root + sep)) return null; // no path traversal
  try {
    return statSync(full).isFile() ? full : null;
  } catch {
    return null;
  }
}

export interface HttpParts {
  server: Server;
  wss: WebSocketServer;
}

/** JSON endpoints by path (e.g. /api/practice), answered before static files. */
export type ApiRoutes = Record<string, () => unknown>;

/** POST endpoints by path (e.g. /api/practice/reset): same-origin only; the request body is ignored. */
export type PostRoutes = Record<string, (req: IncomingMessage) => Promise<JsonReply>>;

export function createHttp(
  config: MailwireConfig,
  log: Logger,
  onBridge: (ws: WebSocket, req: IncomingMessage) => void,
  api: ApiRoutes = {},
  posts: PostRoutes = {},
  /** Routes that answer for themselves (the classroom's /api/class/*); true when one did. */
  own: (req: IncomingMessage, res: ServerResponse) => boolean = () => false,
): HttpParts {
  const root = normalize(config.distDir);

  async function answerPost(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    req.resume(); // the body means nothing here; read it away so the connection stays usable
    if (req.method !== 'POST') {
      return sendJson(
        res,
        { status: 405, body: { code: 'METHOD_NOT_ALLOWED', message: `${path} only answers POST.` } },
        { allow: 'POST' },
      );
    }
    const origin = req.headers.origin;
    const port = (server.address() as AddressInfo).port;
    const verdict =
      origin === undefined
        ? {
            ok: false as const,
            code: 'ORIGIN_REQUIRED',
            message:
              'This request changes the practice server, so it must come from the mailwire page (which sends an Origin header). Use the button in the app.',
          }
        : checkOrigin(origin, req.headers.host, config, port);
    if (!verdict.ok) {
      log('http.refused', { code: verdict.code, path, origin, client: clientAddress(req, config.trustProxy) });
      return sendJson(res, { status: 403, body: { code: verdict.code, message: verdict.message } });
    }
    let reply: JsonReply;
    try {
      reply = await posts[path]!(req);
    } catch (err) {
      log('http.error', { path, error: err instanceof Error ? err.message : String(err) });
      reply = {
        status: 500,
        body: { code: 'INTERNAL', message: 'The server failed on this request; see its log, then try again.' },
      };
    }
    sendJson(res, reply);
  }

  function answer(req: IncomingMessage, res: ServerResponse): void {
    const path = requestPath(req.url);
    if (path === null) {
      req.resume();
      res
        .writeHead(400, {
          'content-type': 'text/plain; charset=utf-8',
          'x-content-type-options': 'nosniff',
          connection: 'close',
        })
        .end(BAD_REQUEST);
      return;
    }
    // The classroom's own routes (bridge/classroom/http-*.ts) answer first.
    if (own(req, res)) return;
    if (Object.hasOwn(posts, path)) {
      answerPost(req, res, path).catch((err: unknown) => {
        log('http.error', { code: 'INTERNAL', path, error: err instanceof Error ? err.message : String(err) });
        if (!res.headersSent)
          sendJson(res, {
            status: 500,
            body: { code: 'INTERNAL', message: 'The server failed on this request; see its log, then try again.' },
          });
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
        .end('Only GET and HEAD are served here.\n');
      return;
    }
    const route = Object.hasOwn(api, path) ? api[path] : undefined;
    if (route) {
      const body = JSON.stringify(route());
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      return void res.end(req.method === 'HEAD' ? undefined : body);
    }
    let file = fileIn(root, path);
    // SPA fallback: a path without an extension is a client-side route.
    if (!file && (path.endsWith('/') || extname(path) === '')) file = fileIn(root, '/index.html');
    const headers: Record<string, string> = { 'x-content-type-options': 'nosniff' };
    if (!file) {
      if (extname(path) === '' || path === '/') {
        res.writeHead(503, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(NO_BUILD);
      } else res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('Not found.\n');
      return;
    }
    headers['content-type'] = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    headers['cache-control'] = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    // Precompressed at build time (bridge/static.ts): the browser's choice, and Vary for caches.
    const forms = precompressedForms(file);
    const coding = chooseCoding(req.headers['accept-encoding'], forms);
    if (forms.length > 0) headers['vary'] = 'Accept-Encoding';
    if (coding) {
      headers['content-encoding'] = coding;
      file += codingSuffix(coding);
    }
    try {
      headers['content-length'] = String(statSync(file).size);
    } catch {
      // gone since fileIn(): the stream below fails and ends the response
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    try {
      answer(req, res);
    } catch (err) {
      // A bug in one answer must cost that request only (issue 11): 500 and a log line.
      log('http.error', {
        code: 'INTERNAL',
        path: req.url?.slice(0, 200),
        error: err instanceof Error ? err.message : String(err),
      });
      if (!res.headersSent)
        res
          .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
          .end('INTERNAL: the server failed on this request; see its log, then try again.\n');
      else res.destroy();
    }
  });

  // maxPayload is a hard cap well above the configured frame limit so that an oversize frame
  // normally reaches the session, which answers FRAME_TOO_LARGE in words before closing.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.limits.maxFrameBytes * 4,
    perMessageDeflate: false,
    WebSocket: BridgeWebSocket, // sends FRAME_TOO_LARGE in words before ws's 1009 close
  });

  const REASONS: Record<number, string> = {
    400: 'Bad Request',
    403: 'Forbidden',
    404: 'Not Found',
    500: 'Internal Server Error',
  };
  function upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const refuse = (status: number, text: string) => {
      socket.end(
        `HTTP/1.1 ${status} ${REASONS[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
      );
    };
    const path = requestPath(req.url);
    if (path === null) return refuse(400, BAD_REQUEST);
    if (path !== '/bridge') return refuse(404, 'Only /bridge accepts WebSocket connections.\n');
    const port = (server.address() as AddressInfo).port;
    const verdict = checkOrigin(req.headers.origin, req.headers.host, config, port);
    if (!verdict.ok) {
      log('http.refused', {
        code: verdict.code,
        origin: req.headers.origin,
        client: clientAddress(req, config.trustProxy),
      });
      return refuse(403, `${verdict.code}: ${verdict.message}\n`);
    }
    wss.handleUpgrade(req, socket, head, (ws) => onBridge(ws, req));
  }

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      upgrade(req, socket, head);
    } catch (err) {
      log('http.error', {
        code: 'INTERNAL',
        path: req.url?.slice(0, 200),
        error: err instanceof Error ? err.message : String(err),
      });
      socket.destroy();
    }
  });

  return { server, wss };
}
