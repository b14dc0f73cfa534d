// GET /api/practice/outage: whether outage.test's one MX (mx.outage.test) is down; POST with
// {"down": true} takes it down (its SMTP listener closed, so the MTA's connect is refused) and
// {"down": false} brings it back. The queue view's outage control (app/src/ui/queue/OutageControl.svelte)
// and the lesson smtp-queue-mx-outage use it. In a class only the teacher may switch it, since every
// student's mail to outage.test waits on the same MX; alone anyone may. Switching is idempotent
// (asking for the state it is in changes nothing) and taken one request at a time (domains/server.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OutageBody, OutageErrorCode } from '../app/src/wire/queue.ts';
import type { Classroom } from './classroom/classroom.ts';
import { clientAddress } from './classroom/client-address.ts';
import { cookieToken, readJson } from './classroom/http-class.ts';
import type { MailwireConfig } from './config/types.ts';
import { outageSwitch } from './practice/domains/relay.ts';
import type { RunningPractice } from './practice/index.ts';
import type { Logger } from './practice/types.ts';
import { sendJson } from './json-reply.ts';
import { checkOrigin } from './relay/policy.ts';

export const OUTAGE_PATH = '/api/practice/outage';

interface Reply {
  status: number;
  body: unknown;
}

const refuse = (status: number, code: OutageErrorCode | string, message: string): Reply => ({
  status,
  body: { code, message },
});

function state(practice: RunningPractice | null): OutageBody | null {
  const relay = practice?.relay ?? null;
  const mx = outageSwitch(relay);
  const domain = relay?.domains.find((d) => d.config.domain === 'outage.test');
  if (!mx || !domain) return null;
  return { host: 'mx.outage.test', address: domain.config.addresses[0]!, port: domain.smtpPort, down: mx.isDown() };
}

const OFF =
  'outage.test is not served here (mailwire runs with --no-relay or --no-practice, or this machine has no 127.0.1.4): there is no MX to take down.';

async function answer(
  req: IncomingMessage,
  config: MailwireConfig,
  practice: RunningPractice | null,
  classroom: Classroom | null,
  log: Logger,
): Promise<Reply> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    const body = state(practice);
    return body ? { status: 200, body } : refuse(404, 'OUTAGE_OFF', OFF);
  }
  if (req.method !== 'POST') {
    req.resume();
    return refuse(
      400,
      'OUTAGE_BAD_REQUEST',
      `${OUTAGE_PATH} is read with GET and switched with POST {"down": true|false}.`,
    );
  }
  const client = clientAddress(req, config.trustProxy);
  // Same-origin only, as every request that changes the practice server (bridge/http.ts).
  const origin = req.headers.origin;
  const port = (req.socket.localPort ?? (req.socket.address() as AddressInfo).port) as number;
  const verdict =
    origin === undefined
      ? {
          ok: false as const,
          code: 'ORIGIN_REQUIRED',
          message:
            'This request changes the practice server, so it must come from the mailwire page (which sends an Origin header). Use the buttons in the queue view.',
        }
      : checkOrigin(origin, req.headers.host, config, port);
  if (!verdict.ok) {
    req.resume();
    log('http.refused', { code: verdict.code, path: OUTAGE_PATH, origin, client });
    return refuse(403, verdict.code, verdict.message);
  }
  if (classroom) {
    const who = classroom.whoIs(cookieToken(req));
    if (!who || who.role !== 'teacher') {
      req.resume();
      log('http.refused', { code: who ? 'OUTAGE_TEACHER_ONLY' : 'OUTAGE_SIGN_IN', path: OUTAGE_PATH, client });
      return who
        ? refuse(
            403,
            'OUTAGE_TEACHER_ONLY',
            `Only the teacher can take mx.outage.test down or bring it back, since the whole class's mail to outage.test waits on it; you are signed in as ${who.account}. Ask your teacher.`,
          )
        : refuse(
            401,
            'OUTAGE_SIGN_IN',
            'Sign in with the teacher account first: only the teacher can switch mx.outage.test.',
          );
    }
  }
  let parsed: unknown;
  try {
    parsed = await readJson(req);
  } catch (err) {
    const tooLarge = (err as { code?: string }).code === 'BODY_TOO_LARGE';
    return tooLarge
      ? refuse(413, 'BODY_TOO_LARGE', 'The request body is too large: send {"down": true} or {"down": false}.')
      : refuse(400, 'BAD_JSON', 'The request body must be JSON: {"down": true} or {"down": false}.');
  }
  const down = (parsed as { down?: unknown } | null)?.down;
  if (typeof down !== 'boolean')
    return refuse(
      400,
      'OUTAGE_BAD_REQUEST',
      'Send {"down": true} to take mx.outage.test down, {"down": false} to bring it back.',
    );
  const mx = outageSwitch(practice?.relay ?? null);
  if (!mx) return refuse(404, 'OUTAGE_OFF', OFF);
  try {
    await mx.setDown(down);
  } catch (err) {
    log('outage.failed', { down, error: err instanceof Error ? err.message : String(err) });
    return refuse(
      500,
      'OUTAGE_FAILED',
      `mx.outage.test could not listen again (${err instanceof Error ? err.message : String(err)}); try again in a moment.`,
    );
  }
  log('outage.switched', { down, client });
  return { status: 200, body: state(practice) };
}

/** The handler bridge/start.ts puts before the classroom's; true when it answered. */
export function outageRoutes(
  config: MailwireConfig,
  practice: RunningPractice | null,
  classroom: Classroom | null,
  log: Logger,
) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = new URL(req.url ?? '/', 'http://mailwire.invalid').pathname;
    if (path !== OUTAGE_PATH) return false;
    void answer(req, config, practice, classroom, log)
      .catch((err: unknown): Reply => {
        log('http.error', { path, error: err instanceof Error ? err.message : String(err) });
        return refuse(500, 'INTERNAL', 'The server failed on this request; see its log, then try again.');
      })
      .then((reply) => {
        if (res.headersSent) return;
        sendJson(res, reply, {}, req);
      });
    return true;
  };
}
