// The classroom while mailwire runs: who is signed in on which page (a random token in an
// HttpOnly cookie), each student's progress (progress.ts), and the live channel to every page
// (server-sent events, one stream per page): the teacher's grid hears every report, students
// hear the teacher's note and "follow me". Per-student and class resets go through the practice
// server's own reset, so open IMAP sessions hear of them as with the local reset button.
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ResetReport } from '../practice/mailstore.ts';
import type { Logger } from '../practice/types.ts';
import { openProgressStore, type Activity, type ProgressRecord, type ProgressStore } from './progress.ts';
import { partnerOf, TEACHER_ACCOUNT, type Roster } from './roster.ts';
import type { Progress } from '../../app/src/lessons/progress.ts';
import type { GridRow } from '../../app/src/wire/classroom.ts';

export type { GridRow };

export type Role = 'student' | 'teacher';

export interface SignedIn {
  account: string;
  name: string;
  role: Role;
  /** Whom this student writes to (the next student on the roster, or echo). */
  partner: string;
}

export interface Follow {
  lesson: string;
  step: number;
}

/** Events on a page's stream; `data` is the JSON payload. */
export type ClassEvent =
  | { event: 'note'; data: { text: string; at: string } | null }
  | { event: 'follow'; data: Follow | null }
  | { event: 'student'; data: GridRow }
  | { event: 'reset'; data: { account: string | null; messages: number } };

export interface ClassroomOptions {
  dataDir: string;
  roster: Roster;
  log: Logger;
  reset: (by: string, account?: string) => Promise<ResetReport>;
}

const MAX_TOKENS = 5000;
const MAX_STREAMS = 2000;
const STREAMS_PER_ACCOUNT = 8;

export class Classroom {
  private readonly tokens = new Map<string, SignedIn>();
  private readonly streams = new Set<{ res: ServerResponse; who: SignedIn }>();
  private note: { text: string; at: string } | null = null;
  private follow: Follow | null = null;
  private readonly keepAlive: ReturnType<typeof setInterval>;

  private constructor(
    readonly roster: Roster,
    private readonly progress: ProgressStore,
    private readonly options: ClassroomOptions,
  ) {
    // A comment line every 25 s keeps proxies (nginx's proxy_read_timeout is 60 s) from closing the stream.
    this.keepAlive = setInterval(() => {
      for (const s of this.streams) s.res.write(': keep-alive\n\n');
    }, 25_000);
    this.keepAlive.unref();
  }

  static async open(options: ClassroomOptions): Promise<Classroom> {
    const accounts = options.roster.students.map((s) => s.account);
    return new Classroom(options.roster, await openProgressStore(options.dataDir, accounts), options);
  }

  /** Checks the password; a token for the cookie, or null. Same cost for an unknown account. */
  signIn(account: string, password: string): { token: string; who: SignedIn } | null {
    const a = account.trim().toLowerCase().replace(/@.*$/, '');
    const entry = a === TEACHER_ACCOUNT ? this.roster.teacher : this.roster.students.find((s) => s.account === a);
    const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
    const ok = timingSafeEqual(digest(entry?.password ?? '\0'), digest(password.trim()));
    if (!entry || !ok) return null;
    const who: SignedIn = {
      account: entry.account,
      name: entry.name,
      role: entry.account === TEACHER_ACCOUNT ? 'teacher' : 'student',
      partner: partnerOf(this.roster, entry.account),
    };
    if (this.tokens.size >= MAX_TOKENS) this.tokens.delete(this.tokens.keys().next().value!); // the oldest goes
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, who);
    return { token, who };
  }

  whoIs(token: string | undefined): SignedIn | null {
    return (token && this.tokens.get(token)) || null;
  }

  signOut(token: string | undefined): void {
    if (token) this.tokens.delete(token);
  }

  record(account: string): ProgressRecord {
    return this.progress.get(account);
  }

  async report(who: SignedIn, report: { progress: Progress; activity: Activity | null }): Promise<ProgressRecord> {
    const record = await this.progress.save(who.account, report);
    this.toTeachers({ event: 'student', data: this.row(who.account) });
    return record;
  }

  grid(): GridRow[] {
    return this.roster.students.map((s) => this.row(s.account));
  }

  private row(account: string): GridRow {
    const entry = this.roster.students.find((s) => s.account === account)!;
    const r = this.progress.get(account);
    let online = 0;
    for (const s of this.streams) if (s.who.account === account) online++;
    return { account, name: entry.name, progress: r.progress, activity: r.activity, at: r.at, online };
  }

  current(): { note: { text: string; at: string } | null; follow: Follow | null } {
    return { note: this.note, follow: this.follow };
  }

  setNote(text: string): void {
    this.note = text ? { text, at: new Date().toISOString() } : null;
    this.toAll({ event: 'note', data: this.note });
  }

  setFollow(follow: Follow | null): void {
    this.follow = follow;
    this.toAll({ event: 'follow', data: follow });
  }

  async reset(by: SignedIn, account: string | null): Promise<ResetReport> {
    const report = await this.options.reset(`teacher ${by.account}`, account ?? undefined);
    const event: ClassEvent = { event: 'reset', data: { account, messages: report.messages } };
    this.toTeachers(event);
    for (const s of this.streams)
      if (s.who.role === 'student' && (account === null || s.who.account === account)) send(s.res, event);
    return report;
  }

  /** Opens a page's event stream (text/event-stream); false when too many are open, in all or for this account. */
  subscribe(res: ServerResponse, who: SignedIn): boolean {
    if (this.streams.size >= MAX_STREAMS) return false;
    // A few tabs per account: one student opening hundreds is refused, and takes no one else's place.
    // (A refusal, not closing an older stream: EventSource reconnects after a close, so tabs would take turns forever.)
    let mine = 0;
    for (const x of this.streams) if (x.who.account === who.account) mine++;
    if (mine >= STREAMS_PER_ACCOUNT) return false;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no', // nginx: pass each event on at once instead of buffering it
    });
    const s = { res, who };
    this.streams.add(s);
    send(res, { event: 'note', data: this.note });
    send(res, { event: 'follow', data: this.follow });
    if (who.role === 'student') this.toTeachers({ event: 'student', data: this.row(who.account) });
    res.on('close', () => {
      this.streams.delete(s);
      if (who.role === 'student') this.toTeachers({ event: 'student', data: this.row(who.account) });
    });
    return true;
  }

  private toTeachers(e: ClassEvent): void {
    for (const s of this.streams) if (s.who.role === 'teacher') send(s.res, e);
  }

  private toAll(e: ClassEvent): void {
    for (const s of this.streams) send(s.res, e);
  }

  close(): void {
    clearInterval(this.keepAlive);
    for (const s of this.streams) s.res.end();
    this.streams.clear();
  }
}

function send(res: ServerResponse, e: ClassEvent): void {
  // One event per write; JSON has no raw line breaks, so one data: line is enough (HTML SSE 9.2.6).
  res.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
}
