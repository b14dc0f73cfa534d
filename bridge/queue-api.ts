// GET /api/queue: the practice MTA's queue as the queue view shows it (app/src/wire/queue.ts), and
// GET /api/queue/transcript?id=ID&n=N: one recorded outbound SMTP session of a message, in the
// transcript's JSON export format, which Replay opens. In a class a student sees only the mail of
// their own account and the teacher all of it (the class session's cookie, bridge/classroom/);
// outside a class every account is a public demo account, so everything is shown.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toJsonValue } from '../app/src/transcript/export-json.ts';
import type { QueueBody, QueueErrorCode } from '../app/src/wire/queue.ts';
import type { Classroom } from './classroom/classroom.ts';
import { cookieToken } from './classroom/http-class.ts';
import type { RunningPractice } from './practice/index.ts';
import { sendJson } from './json-reply.ts';

interface Reply {
  status: number;
  body: unknown;
}

const refuse = (status: number, code: QueueErrorCode, message: string): Reply => ({ status, body: { code, message } });

/** Whose messages this request may see: null for everyone's, a string for one account's, or a refusal. */
function scopeOf(req: IncomingMessage, classroom: Classroom | null): { account: string | null } | Reply {
  if (!classroom) return { account: null };
  const who = classroom.whoIs(cookieToken(req));
  if (!who)
    return refuse(401, 'QUEUE_SIGN_IN', 'Sign in with your class account first: the queue shows your own mail.');
  return { account: who.role === 'teacher' ? null : who.account };
}

function answer(req: IncomingMessage, url: URL, practice: RunningPractice | null, classroom: Classroom | null): Reply {
  const scope = scopeOf(req, classroom);
  if ('status' in scope) return scope;
  const relay = practice?.relay ?? null;
  const mine = (account: string) => scope.account === null || account === scope.account;
  if (url.pathname === '/api/queue') {
    const body: QueueBody = {
      now: new Date().toISOString(),
      relay: relay !== null,
      retrySeconds: practice?.config.relay?.retrySeconds ?? [],
      scope: scope.account === null ? 'all' : 'account',
      account: scope.account,
      messages: (relay?.queue() ?? [])
        .filter((m) => mine(m.account))
        .map(({ account: _a, ...m }) => ({ ...m, recipients: [...m.recipients] })),
      recent: (relay?.mta.recent() ?? []).filter((r) => mine(r.account)).map(({ account: _a, ...r }) => r),
    };
    return { status: 200, body };
  }
  const id = url.searchParams.get('id') ?? '';
  const n = Number(url.searchParams.get('n'));
  if (!/^[A-Za-z0-9]{1,64}$/.test(id) || !Number.isInteger(n) || n < 1)
    return refuse(400, 'QUEUE_BAD_REQUEST', 'Ask for /api/queue/transcript?id=QUEUE_ID&n=SESSION_NUMBER.');
  const owner =
    relay?.queue().find((m) => m.id === id)?.account ?? relay?.mta.recent().find((r) => r.id === id)?.account;
  const hop = owner !== undefined && mine(owner) ? relay!.mta.transcript(id, n) : null;
  // Another student's message answers as a missing one: its id tells nothing.
  if (!hop)
    return refuse(
      404,
      'QUEUE_NOT_FOUND',
      `No recorded session ${n} of message ${id}: the last 12 sessions are kept for each message in the queue and for the 50 that left it last.`,
    );
  return { status: 200, body: toJsonValue(hop.transcript) };
}

/** The handler bridge/http.ts calls first; true when it answered. */
export function queueRoutes(practice: RunningPractice | null, classroom: Classroom | null) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://mailwire.invalid');
    if (url.pathname !== '/api/queue' && url.pathname !== '/api/queue/transcript') return false;
    const reply: Reply =
      req.method === 'GET' || req.method === 'HEAD'
        ? answer(req, url, practice, classroom)
        : refuse(400, 'QUEUE_BAD_REQUEST', 'The queue is read with GET.');
    sendJson(res, reply, {}, req);
    return true;
  };
}
