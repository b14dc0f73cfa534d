// The classroom's HTTP routes, all under /api/class (wired into bridge/http.ts in one line):
//   GET  /api/class             whether there is a class, and who is on the roster (names, no passwords)
//   POST /api/class/sign-in     {account, password} -> HttpOnly cookie; POST /api/class/sign-out
//   GET  /api/class/me          who this page is signed in as, with the note and "follow me" in force
//   GET  /api/class/progress    this student's stored progress; POST it {progress, activity}
//   GET  /api/class/events      server-sent events (note, follow; the teacher also gets every student)
// Teacher only: GET /api/class/grid, GET /api/class/progress.csv, POST /api/class/note {text},
//   POST /api/class/follow {lesson, step} | {}, POST /api/class/reset {account} | {all: true, confirm: "reset"}.
// Every POST passes the Origin check (a page of another site must not sign anyone in or out) and
// has a JSON body of at most 256 KiB. Errors are {code, message} with a sentence that says what to do.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MailwireConfig } from '../config/types.ts';
import type { Logger } from '../practice/types.ts';
import { checkOrigin } from '../relay/policy.ts';
import { clientAddress } from './client-address.ts';
import type { Classroom, SignedIn } from './classroom.ts';
import { formatCsv } from './csv.ts';
import { parseReport } from './progress.ts';

const COOKIE = 'mailwire_class';
const MAX_BODY = 256 * 1024;
/** Wrong passwords per client address in a minute before sign-in pauses (a class guesses by hand). */
const MAX_FAILURES = 10;

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const refuse = (status: number, code: string, message: string): Reply => ({ status, body: { code, message } });

/** The class session's token from the request's cookie (also read by bridge/queue-api.ts). */
export function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return undefined;
}

/** A JSON request body of at most MAX_BODY bytes ({} when empty); throws with code BODY_TOO_LARGE or BAD_JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw Object.assign(new Error('too large'), { code: 'BODY_TOO_LARGE' });
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw Object.assign(new Error('bad json'), { code: 'BAD_JSON' });
  }
}

export function classRoutes(config: MailwireConfig, classroom: Classroom | null, log: Logger, domain: string) {
  const failures = new Map<string, { count: number; since: number }>();

  function tooManyFailures(client: string): boolean {
    const f = failures.get(client);
    if (!f || Date.now() - f.since > 60_000) return false;
    return f.count >= MAX_FAILURES;
  }
  function failed(client: string): void {
    const f = failures.get(client);
    if (!f || Date.now() - f.since > 60_000) {
      if (failures.size > 10_000) failures.clear();
      failures.set(client, { count: 1, since: Date.now() });
    } else f.count++;
  }

  function needTeacher(who: SignedIn | null): Reply | null {
    if (!who)
      return refuse(
        401,
        'CLASS_SIGN_IN',
        'Sign in first: the teacher page needs the teacher account and its password (printed when mailwire started).',
      );
    if (who.role !== 'teacher')
      return refuse(403, 'CLASS_TEACHER_ONLY', `Only the teacher can do this; you are signed in as ${who.account}.`);
    return null;
  }

  async function answer(req: IncomingMessage, res: ServerResponse, path: string): Promise<Reply | null> {
    const client = clientAddress(req, config.trustProxy);
    if (path === '/api/class' && req.method === 'GET') {
      if (!classroom) return { status: 200, body: { class: false } };
      const students = classroom.roster.students.map((s) => ({ account: s.account, name: s.name }));
      return { status: 200, body: { class: true, domain, students } };
    }
    if (!classroom)
      return refuse(404, 'CLASS_OFF', 'There is no class: start mailwire with --class N or --roster FILE.');
    const token = cookieToken(req);
    const who = classroom.whoIs(token);

    if (req.method === 'POST') {
      const port = (req.socket.localPort ?? (req.socket.address() as AddressInfo).port) as number;
      const origin = req.headers.origin;
      const verdict =
        origin === undefined
          ? {
              ok: false as const,
              code: 'ORIGIN_REQUIRED',
              message: 'Use the mailwire page: this request must carry its Origin.',
            }
          : checkOrigin(origin, req.headers.host, config, port);
      if (!verdict.ok) {
        req.resume();
        log('http.refused', { code: verdict.code, path, origin, client });
        return refuse(403, verdict.code, verdict.message);
      }
      let body: Record<string, unknown>;
      try {
        const parsed = await readJson(req);
        body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
      } catch (err) {
        const code = (err as { code?: string }).code === 'BODY_TOO_LARGE' ? 'BODY_TOO_LARGE' : 'BAD_JSON';
        return refuse(
          code === 'BODY_TOO_LARGE' ? 413 : 400,
          code,
          code === 'BAD_JSON' ? 'The request body must be JSON.' : `The request body is over ${MAX_BODY} bytes.`,
        );
      }
      switch (path) {
        case '/api/class/sign-in': {
          if (tooManyFailures(client)) {
            log('class.sign-in.refused', { client, code: 'CLASS_TOO_MANY_FAILURES' });
            return refuse(
              429,
              'CLASS_TOO_MANY_FAILURES',
              'Too many wrong passwords from this computer: wait a minute, then type the one on your slip.',
            );
          }
          const account = typeof body.account === 'string' ? body.account.slice(0, 100) : '';
          const password = typeof body.password === 'string' ? body.password.slice(0, 200) : '';
          const done = classroom.signIn(account, password);
          if (!done) {
            failed(client);
            log('class.sign-in', { ok: false, account: account.slice(0, 64), client });
            return refuse(
              401,
              'CLASS_WRONG_PASSWORD',
              'That account and password do not match: check both against your slip (passwords have no 0, O, 1 or l).',
            );
          }
          log('class.sign-in', { ok: true, account: done.who.account, client });
          const secure =
            (req.headers['x-forwarded-proto'] === 'https' && config.trustProxy !== null) ||
            config.publicUrl?.startsWith('https:');
          const cookie = `${COOKIE}=${done.token}; Path=/api; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
          return {
            status: 200,
            body: { ...done.who, domain, ...classroom.current() },
            headers: { 'set-cookie': cookie },
          };
        }
        case '/api/class/sign-out':
          classroom.signOut(token);
          return {
            status: 200,
            body: { signedOut: true },
            headers: { 'set-cookie': `${COOKIE}=; Path=/api; HttpOnly; SameSite=Strict; Max-Age=0` },
          };
        case '/api/class/progress': {
          if (!who) return refuse(401, 'CLASS_SIGN_IN', 'Sign in with your account to save progress on the server.');
          if (who.role !== 'student')
            return refuse(403, 'CLASS_STUDENTS_ONLY', 'The teacher account keeps no lesson progress.');
          const report = parseReport(body);
          if (!report)
            return refuse(
              400,
              'CLASS_BAD_PROGRESS',
              'The progress report is not of the expected shape; reload the page.',
            );
          const record = await classroom.report(who, report);
          return { status: 200, body: record };
        }
        case '/api/class/note': {
          const denied = needTeacher(who);
          if (denied) return denied;
          const text = typeof body.text === 'string' ? body.text.trim().slice(0, 500) : '';
          classroom.setNote(text);
          return { status: 200, body: { note: classroom.current().note } };
        }
        case '/api/class/follow': {
          const denied = needTeacher(who);
          if (denied) return denied;
          const lesson =
            typeof body.lesson === 'string' && /^[a-z0-9][a-z0-9-]{0,80}$/.test(body.lesson) ? body.lesson : null;
          const step =
            Number.isInteger(body.step) && (body.step as number) >= 0 && (body.step as number) < 1000
              ? (body.step as number)
              : 0;
          classroom.setFollow(lesson ? { lesson, step } : null);
          return { status: 200, body: { follow: classroom.current().follow } };
        }
        case '/api/class/reset': {
          const denied = needTeacher(who);
          if (denied) return denied;
          if (body.all === true) {
            if (body.confirm !== 'reset') {
              return refuse(
                400,
                'CLASS_RESET_CONFIRM',
                'Emptying every student\'s mailboxes needs the confirm step: send {"all": true, "confirm": "reset"}.',
              );
            }
            const report = await classroom.reset(who!, null);
            return { status: 200, body: { reset: true, messages: report.messages, accounts: report.accounts.length } };
          }
          const account = typeof body.account === 'string' ? body.account.toLowerCase() : '';
          if (!classroom.roster.students.some((s) => s.account === account)) {
            return refuse(
              404,
              'CLASS_NO_SUCH_STUDENT',
              `There is no student account "${account.slice(0, 64)}" on the roster.`,
            );
          }
          const report = await classroom.reset(who!, account);
          return { status: 200, body: { reset: true, account, messages: report.messages } };
        }
      }
      return null;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return null;
    switch (path) {
      case '/api/class/me':
        if (!who)
          return refuse(401, 'CLASS_SIGN_IN', 'Not signed in: pick your account and type the password on your slip.');
        return { status: 200, body: { ...who, domain, ...classroom.current() } };
      case '/api/class/progress':
        if (!who) return refuse(401, 'CLASS_SIGN_IN', 'Sign in with your account to read your progress.');
        return { status: 200, body: classroom.record(who.account) };
      case '/api/class/events':
        if (!who) return refuse(401, 'CLASS_SIGN_IN', 'Sign in first; the class events are for signed-in pages.');
        if (!classroom.subscribe(res, who))
          return refuse(
            429,
            'CLASS_TOO_MANY_PAGES',
            'Too many mailwire pages are open for this account (or for the class): close some tabs and reload.',
          );
        return { status: 0, body: null }; // the stream is open; nothing more to send now
      case '/api/class/grid': {
        const denied = needTeacher(who);
        if (denied) return denied;
        return {
          status: 200,
          body: { students: classroom.grid(), now: new Date().toISOString(), ...classroom.current() },
        };
      }
      case '/api/class/progress.csv': {
        const denied = needTeacher(who);
        if (denied) return denied;
        const rows = [
          [
            'account',
            'name',
            'lesson',
            'steps_passed',
            'finished_at',
            'current_lesson',
            'current_step',
            'failures',
            'last_activity',
          ],
        ];
        for (const r of classroom.grid()) {
          const current = r.activity
            ? [
                r.activity.lesson,
                `${r.activity.step + 1 > r.activity.steps ? r.activity.steps : r.activity.step + 1}/${r.activity.steps}`,
                String(r.activity.failures),
              ]
            : ['', '', ''];
          const lessons = Object.entries(r.progress.lessons);
          if (lessons.length === 0) rows.push([r.account, r.name, '', '0', '', ...current, r.at ?? '']);
          for (const [id, lp] of lessons)
            rows.push([
              r.account,
              r.name,
              id,
              String(lp.completed.length),
              lp.finishedAt ?? '',
              ...current,
              r.at ?? '',
            ]);
        }
        return {
          status: 200,
          body: formatCsv(rows, true),
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': 'attachment; filename="class-progress.csv"',
          },
        };
      }
    }
    return null;
  }

  /** Answers a request under /api/class; false when the path is not one of these routes. */
  return function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/api/class' && !path.startsWith('/api/class/')) return false;
    void answer(req, res, path).then(
      (reply) => {
        if (reply?.status === 0) return; // an event stream
        const r = reply ?? refuse(404, 'CLASS_NO_SUCH_ROUTE', `${req.method} ${path} is not a classroom route.`);
        const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
        res.writeHead(r.status, {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          ...r.headers,
        });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (err: Error) => {
        log('http.error', { path, error: err.message });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(
          JSON.stringify({
            code: 'INTERNAL',
            message: 'The server failed on this request; see its log, then try again.',
          }),
        );
      },
    );
    return true;
  };
}
