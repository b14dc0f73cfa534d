// One way the bridge's HTTP API answers in JSON (http.ts, queue-api.ts, outage-api.ts): never
// cached, never sniffed as another type, and with no body for HEAD.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A JSON answer with its HTTP status; errors carry {code, message}. */
export interface JsonReply {
  status: number;
  body: unknown;
}

export function sendJson(
  res: ServerResponse,
  reply: JsonReply,
  extra: Record<string, string> = {},
  req?: IncomingMessage,
): void {
  res
    .writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...extra,
    })
    .end(req?.method === 'HEAD' ? undefined : JSON.stringify(reply.body));
}
