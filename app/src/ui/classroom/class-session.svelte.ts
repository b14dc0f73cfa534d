// The page's side of the classroom (bridge/classroom/): whether mailwire runs a class, who this
// page is signed in as, the teacher's note and "follow me", and the progress sync. Signed in, the
// student's account replaces alice and bob everywhere (Accounts panel, lessons, AUTH helper, MIME
// studio); the lesson progress in localStorage is this student's, merged with the server's copy
// at sign-in and sent back after every step (so another machine resumes).
// progress.ts, not lessons/index.ts: the first screen must not load the lesson parser and lint.
import { deserializeProgress, PROGRESS_STORAGE_KEY, serializeProgress, type Progress } from '../../lessons/progress.ts';
import { practiceInfo } from '../console/practice-info.svelte.ts';
import { route } from '../shell/route.svelte.ts';
import { lessonHash } from '../lessons/route.ts';
import { lessonLink, type LessonReport } from './lesson-link.ts';

export interface Who {
  account: string;
  name: string;
  role: 'student' | 'teacher';
  partner: string;
  domain: string;
}
export interface Follow {
  lesson: string;
  step: number;
}
export interface Note {
  text: string;
  at: string;
}

const PASSWORD_KEY = 'mailwire.class.password';
const ACCOUNT_KEY = 'mailwire.class.account';
const OWNER_KEY = 'mailwire.class.progress-owner';
const FOLLOW_KEY = 'mailwire.class.follow';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Union of passed steps per lesson: neither machine's work is lost. */
export function mergeProgress(a: Progress, b: Progress): Progress {
  const out: Progress = { version: 1, lessons: { ...a.lessons } };
  for (const [id, lp] of Object.entries(b.lessons)) {
    const mine = out.lessons[id];
    if (!mine) out.lessons[id] = lp;
    else {
      const completed = [...mine.completed, ...lp.completed.filter((s) => !mine.completed.includes(s))];
      const times = [mine.finishedAt, lp.finishedAt].filter((t): t is string => !!t).sort();
      out.lessons[id] = { completed, finishedAt: times[0] ?? null };
    }
  }
  return out;
}

class ClassSession {
  /** null until /api/class answered; false without a class. */
  isClass = $state<boolean | null>(null);
  students = $state<Array<{ account: string; name: string }>>([]);
  domain = $state('practice.test');
  who = $state<Who | null>(null);
  password = $state('');
  note = $state<Note | null>(null);
  follow = $state<Follow | null>(null);
  /** This student lets "follow me" move their lesson view (off until they opt in). */
  following = $state(false);
  /** A teacher's reset of this student's mail arrived: shown once. */
  resetNotice = $state<string | null>(null);
  error = $state<string | null>(null);
  private events: EventSource | null = null;
  private stepSince = new Map<string, { step: number; since: string }>();
  private sending: Promise<unknown> = Promise.resolve();
  private renewals = 0;

  async load(): Promise<void> {
    try {
      const res = await fetch('/api/class');
      const body = (await res.json()) as {
        class: boolean;
        domain?: string;
        students?: Array<{ account: string; name: string }>;
      };
      this.students = body.students ?? [];
      this.domain = body.domain ?? 'practice.test';
      this.following = storage()?.getItem(FOLLOW_KEY) === '1';
      if (body.class) {
        const me = await fetch('/api/class/me');
        const account = storage()?.getItem(ACCOUNT_KEY);
        const password = storage()?.getItem(PASSWORD_KEY);
        if (me.ok)
          await this.signedIn((await me.json()) as Who & { note: Note | null; follow: Follow | null }, password ?? '');
        // mailwire restarted (sign-ins live in its memory): the password typed once signs in again.
        else if (account && password) await this.signIn(account, password, true);
      }
      // alice and bob do not exist in a class: nothing to list until the student signs in.
      if (body.class && !this.who) practiceInfo.accounts = [];
      this.isClass = body.class;
    } catch {
      this.isClass = false; // served without the bridge (vite dev alone)
    }
  }

  async signIn(account: string, password: string, quiet = false): Promise<boolean> {
    this.error = null;
    const res = await fetch('/api/class/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account, password }),
    });
    const body = (await res.json()) as (Who & { note: Note | null; follow: Follow | null }) & { message?: string };
    if (!res.ok) {
      if (!quiet) this.error = body.message ?? `Sign-in failed (HTTP ${res.status}).`;
      return false;
    }
    await this.signedIn(body, password.trim());
    return true;
  }

  async signOut(): Promise<void> {
    await fetch('/api/class/sign-out', { method: 'POST' }).catch(() => undefined);
    storage()?.removeItem(PASSWORD_KEY);
    storage()?.removeItem(ACCOUNT_KEY);
    this.events?.close();
    this.events = null;
    this.who = null;
    this.password = '';
    lessonLink.values = null;
    lessonLink.report = null;
    practiceInfo.accounts = [];
  }

  setFollowing(on: boolean): void {
    this.following = on;
    storage()?.setItem(FOLLOW_KEY, on ? '1' : '0');
    if (on && this.follow) this.jump(this.follow);
  }

  private async signedIn(who: Who & { note: Note | null; follow: Follow | null }, password: string): Promise<void> {
    this.who = { account: who.account, name: who.name, role: who.role, partner: who.partner, domain: who.domain };
    this.password = password;
    this.note = who.note;
    this.follow = who.follow;
    storage()?.setItem(PASSWORD_KEY, password);
    storage()?.setItem(ACCOUNT_KEY, who.account);
    if (who.role === 'student') {
      const address = `${who.account}@${who.domain}`;
      lessonLink.values = { user: who.account, password, domain: who.domain, peer: who.partner };
      lessonLink.report = (r) => this.report(r);
      practiceInfo.accounts = [
        { username: who.account, address, password: password || '(the one on your slip)' },
        { username: who.partner, address: `${who.partner}@${who.domain}`, password: '(your partner’s)' },
        ...(who.partner === 'echo'
          ? []
          : [{ username: 'echo', address: `echo@${who.domain}`, password: '(a robot: it answers every message)' }]),
      ];
      // The studio's example message is written from alice to bob: make it this student's. The
      // studio's code loads on demand (the first screen does not carry it), once.
      const { studio } = await import('../mime/studio.svelte.ts');
      if (/alice@|bob@/i.test(studio.header('From') + studio.header('To'))) {
        studio.setHeader('From', `"${who.name.replace(/["\\\r\n]/g, '')}" <${address}>`);
        studio.setHeader('To', `<${who.partner}@${who.domain}>`);
      }
      await this.syncProgress(who.account);
    } else {
      // The teacher tries the lessons as themselves, writing to the echo robot; no progress is kept.
      lessonLink.values = { user: who.account, password, domain: who.domain, peer: 'echo' };
      practiceInfo.accounts = [
        {
          username: who.account,
          address: `${who.account}@${who.domain}`,
          password: password || '(printed at start-up)',
        },
        { username: 'echo', address: `echo@${who.domain}`, password: '(a robot: it answers every message)' },
      ];
    }
    this.listen();
  }

  /** Local and server progress merged; localStorage then holds this student's progress only. */
  private async syncProgress(account: string): Promise<void> {
    const st = storage();
    const res = await fetch('/api/class/progress');
    const server = res.ok
      ? ((await res.json()) as { progress: Progress }).progress
      : { version: 1 as const, lessons: {} };
    const local =
      st?.getItem(OWNER_KEY) === account
        ? deserializeProgress(st?.getItem(PROGRESS_STORAGE_KEY))
        : { version: 1 as const, lessons: {} };
    const merged = mergeProgress(deserializeProgress(JSON.stringify(server)), local);
    st?.setItem(PROGRESS_STORAGE_KEY, serializeProgress(merged));
    st?.setItem(OWNER_KEY, account);
    if (JSON.stringify(merged) !== JSON.stringify(server)) this.send({ progress: merged, activity: null });
  }

  private report(r: LessonReport): void {
    const last = this.stepSince.get(r.lesson);
    const since = last && last.step === r.step ? last.since : new Date().toISOString();
    this.stepSince.set(r.lesson, { step: r.step, since });
    this.send({
      progress: r.progress,
      activity: { lesson: r.lesson, step: r.step, steps: r.steps, failures: r.failures, stepSince: since },
    });
  }

  /** Reports go one after another, so the server keeps the latest; after a restart of mailwire, sign in again once. */
  private send(body: unknown): void {
    const post = () =>
      fetch('/api/class/progress', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    this.sending = this.sending.then(async () => {
      try {
        const res = await post();
        if (res.status === 401 && (await this.renew())) await post();
      } catch {
        // Offline for a moment: the next report carries the whole progress again.
      }
    });
  }

  /** Signs in again with the password typed at sign-in (the server forgot its sign-ins on restart). */
  private async renew(): Promise<boolean> {
    if (!this.who || !this.password) return false;
    const res = await fetch('/api/class/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: this.who.account, password: this.password }),
    });
    if (res.ok) this.listen();
    return res.ok;
  }

  private listen(): void {
    this.events?.close();
    const es = new EventSource('/api/class/events');
    this.events = es;
    // A closed stream (mailwire restarted, the sign-in is gone) comes back after signing in again.
    es.onerror = () => {
      // A few tries only: a stream refused for another reason (too many tabs) must not retry forever.
      if (es.readyState === EventSource.CLOSED && this.events === es && this.renewals++ < 3)
        setTimeout(() => void this.renew(), 1000);
    };
    es.addEventListener('note', (e) => (this.note = JSON.parse((e as MessageEvent<string>).data) as Note | null));
    es.addEventListener('follow', (e) => {
      this.renewals = 0; // the stream is open
      this.follow = JSON.parse((e as MessageEvent<string>).data) as Follow | null;
      if (this.follow && this.following && this.who?.role === 'student') this.jump(this.follow);
    });
    es.addEventListener('reset', (e) => {
      const d = JSON.parse((e as MessageEvent<string>).data) as { account: string | null; messages: number };
      if (this.who?.role === 'student')
        this.resetNotice = d.account
          ? 'Your teacher emptied your mailboxes: every INBOX holds just its welcome message.'
          : 'Your teacher emptied the whole class’s mailboxes.';
    });
    this.onTeacherEvent?.(es);
  }

  /** The teacher page adds its own listeners to the same stream. */
  onTeacherEvent: ((es: EventSource) => void) | null = null;

  /** Opens the lesson the teacher shows and brings that step into view, marked (data-followed). */
  private jump(f: Follow): void {
    route.go(lessonHash(f.lesson, f.step));
    let tries = 0;
    const mark = () => {
      const el = document.querySelector<HTMLElement>(`[data-testid="lesson-runner"] li.step[data-step="${f.step}"]`);
      if (!el) {
        if (++tries < 40) setTimeout(mark, 50);
        return;
      }
      for (const old of document.querySelectorAll('li.step[data-followed]')) old.removeAttribute('data-followed');
      el.setAttribute('data-followed', 'teacher');
      el.scrollIntoView({ block: 'center' });
    };
    setTimeout(mark, 0);
  }
}

export const classSession = new ClassSession();
if (typeof window !== 'undefined') void classSession.load();
