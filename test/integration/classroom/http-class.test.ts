// The classroom's HTTP routes on a real mailwire: sign-in with a roster password (cookie), progress
// saved on the server and still there after a restart, the teacher-only routes, the live event
// stream (a student's report reaches the teacher's stream; the note and "follow me" reach the
// student's), a per-student reset from the teacher, the CSV export, and the printable sheet.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configWithDefaults } from '../../../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { startMailwire, type RunningMailwire } from '../../../bridge/start.ts';
import { ZERO_PORTS } from '../practice/smtp/helpers.ts';
import { ApiPage } from '../../helpers/api-page.ts';

const running: RunningMailwire[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const m of running.splice(0)) await m.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(dataDir: string, classSize = 3): Promise<RunningMailwire> {
  const config = configWithDefaults({
    dataDir,
    port: 0,
    practice: practiceConfigWithDefaults({ dataDir, ports: ZERO_PORTS, classSize }),
  });
  const m = await startMailwire(config, { log: () => {} });
  running.push(m);
  return m;
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mw-class-http-'));
  dirs.push(d);
  return d;
}

const report = (step: number) => ({
  progress: {
    version: 1,
    lessons: { 'smtp-first-conversation': { completed: ['greeting', 'ehlo'].slice(0, step), finishedAt: null } },
  },
  activity: { lesson: 'smtp-first-conversation', step, steps: 6, failures: 1, stepSince: new Date().toISOString() },
});

describe('the classroom over HTTP', () => {
  it('signs a student in with their own password and keeps progress on the server across a restart', async () => {
    const dir = tempDir();
    const m = await start(dir);
    const roster = m.practice!.roster!;
    const [one, two] = roster.students;
    const p = new ApiPage(m.url);
    expect((await p.call('GET', '/api/class')).body).toEqual({
      class: true,
      domain: 'practice.test',
      students: roster.students.map((s) => ({ account: s.account, name: s.name })),
    });
    expect(JSON.stringify((await p.call('GET', '/api/class')).body)).not.toContain(one!.password);
    const wrong = await p.call('POST', '/api/class/sign-in', { account: 'student01', password: two!.password });
    expect(wrong).toMatchObject({ status: 401, body: { code: 'CLASS_WRONG_PASSWORD' } });
    expect(
      (
        await p.call(
          'POST',
          '/api/class/sign-in',
          { account: 'student01', password: one!.password },
          'http://evil.example',
        )
      ).status,
    ).toBe(403);
    const ok = await p.call('POST', '/api/class/sign-in', { account: 'student01', password: one!.password });
    expect(ok).toMatchObject({
      status: 200,
      body: { account: 'student01', role: 'student', partner: 'student02', domain: 'practice.test' },
    });
    expect(p.cookie).toMatch(/^mailwire_class=/);
    expect((await p.call('GET', '/api/class/me')).body).toMatchObject({ account: 'student01' });
    expect((await p.call('POST', '/api/class/progress', report(2))).status).toBe(200);
    expect((await p.call('GET', '/api/class/grid')).body).toMatchObject({ code: 'CLASS_TEACHER_ONLY' });
    expect(
      (await p.call('POST', '/api/class/progress', { progress: 'x', activity: { lesson: '../etc' } })).body,
    ).toMatchObject({ code: 'CLASS_BAD_PROGRESS' });
    await m.close();
    running.splice(0);

    const again = await start(dir);
    const q = new ApiPage(again.url); // another machine: signs in again and finds its progress
    await q.call('POST', '/api/class/sign-in', { account: 'student01@practice.test', password: one!.password });
    const saved = await q.call('GET', '/api/class/progress');
    expect(saved.body.progress.lessons['smtp-first-conversation'].completed).toEqual(['greeting', 'ehlo']);
    expect(saved.body.activity).toMatchObject({ lesson: 'smtp-first-conversation', step: 2, steps: 6, failures: 1 });
    expect(again.practice!.roster!.students).toEqual(roster.students);
  });

  it('the teacher sees reports live, broadcasts a note and "follow me", resets one student, exports CSV', async () => {
    const m = await start(tempDir());
    const roster = m.practice!.roster!;
    const teacher = new ApiPage(m.url);
    expect(
      (await teacher.call('POST', '/api/class/sign-in', { account: 'teacher', password: roster.teacher.password })).body
        .role,
    ).toBe('teacher');
    const student = new ApiPage(m.url);
    await student.call('POST', '/api/class/sign-in', { account: 'student02', password: roster.students[1]!.password });
    const tEvents = teacher.events();
    const sEvents = student.events();
    await tEvents.next((e) => e.event === 'follow');
    await sEvents.next((e) => e.event === 'follow');
    await student.call('POST', '/api/class/progress', report(1));
    const seen = await tEvents.next((e) => e.event === 'student' && e.data.activity?.step === 1);
    expect(seen.data).toMatchObject({ account: 'student02', online: 1 });

    expect((await teacher.call('POST', '/api/class/note', { text: 'Try RCPT TO now' })).status).toBe(200);
    expect((await sEvents.next((e) => e.event === 'note' && e.data !== null)).data.text).toBe('Try RCPT TO now');
    await teacher.call('POST', '/api/class/follow', { lesson: 'smtp-first-conversation', step: 3 });
    expect((await sEvents.next((e) => e.event === 'follow' && e.data !== null)).data).toEqual({
      lesson: 'smtp-first-conversation',
      step: 3,
    });
    // A student may not broadcast or reset.
    expect((await student.call('POST', '/api/class/note', { text: 'hi all' })).body.code).toBe('CLASS_TEACHER_ONLY');
    expect((await student.call('POST', '/api/class/reset', { account: 'student01' })).body.code).toBe(
      'CLASS_TEACHER_ONLY',
    );

    const store = m.practice!.store;
    await store.deliver(['student01@practice.test', 'student02@practice.test'], Buffer.from('Subject: x\r\n\r\nx\r\n'));
    const reset = await teacher.call('POST', '/api/class/reset', { account: 'student02' });
    expect(reset.body).toMatchObject({ reset: true, account: 'student02', messages: 2 });
    expect(store.forAccount('student02').mailbox('INBOX')!.messages()).toHaveLength(1);
    expect(store.forAccount('student01').mailbox('INBOX')!.messages()).toHaveLength(2);
    expect((await sEvents.next((e) => e.event === 'reset')).data).toEqual({ account: 'student02', messages: 2 });
    expect((await teacher.call('POST', '/api/class/reset', { all: true })).body.code).toBe('CLASS_RESET_CONFIRM');
    expect((await teacher.call('POST', '/api/class/reset', { all: true, confirm: 'reset' })).body).toMatchObject({
      reset: true,
    });
    expect(store.forAccount('student01').mailbox('INBOX')!.messages()).toHaveLength(1);

    const csv = await teacher.call('GET', '/api/class/progress.csv');
    expect(csv.text.split('\r\n')[0]).toBe(
      'account,name,lesson,steps_passed,finished_at,current_lesson,current_step,failures,last_activity',
    );
    expect(csv.text).toMatch(
      /\r\nstudent02,student02,smtp-first-conversation,1,,smtp-first-conversation,2\/6,1,20\d\d-/,
    );
    expect(csv.text).toContain('\r\nstudent01,student01,,0,,,,,\r\n');
    tEvents.close();
    sEvents.close();
  });

  it('writes a printable sheet with one slip per student, and too many wrong passwords pause sign-in', async () => {
    const m = await start(tempDir(), 2);
    const html = readFileSync(m.sheetFile!, 'utf8');
    const roster = m.practice!.roster!;
    expect(html.match(/class="slip"/g)).toHaveLength(3); // two students and the teacher
    for (const s of roster.students) expect(html).toContain(`<td class="pw">${s.password}</td>`);
    expect(html).toContain('student02@practice.test (and echo@practice.test answers everyone)');
    expect(html).not.toContain('<script');
    const p = new ApiPage(m.url);
    for (let i = 0; i < 10; i++)
      await p.call('POST', '/api/class/sign-in', { account: 'student01', password: 'aaaa-aaaa' });
    const paused = await p.call('POST', '/api/class/sign-in', {
      account: 'student01',
      password: roster.students[0]!.password,
    });
    expect(paused).toMatchObject({ status: 429, body: { code: 'CLASS_TOO_MANY_FAILURES' } });
  });

  it('one account may open a few event streams, not hundreds; other students are not affected', async () => {
    const m = await start(tempDir(), 2);
    const [one, two] = m.practice!.roster!.students;
    const a = new ApiPage(m.url);
    await a.call('POST', '/api/class/sign-in', { account: 'student01', password: one!.password });
    const open: Array<ReturnType<ApiPage['events']>> = [];
    for (let i = 0; i < 8; i++) {
      const e = a.events();
      open.push(e);
      await e.next((x) => x.event === 'follow');
    }
    const ninth = await fetch(new URL('/api/class/events', m.url), { headers: { cookie: a.cookie } });
    expect(ninth.status).toBe(429);
    expect(((await ninth.json()) as { code: string }).code).toBe('CLASS_TOO_MANY_PAGES');
    const b = new ApiPage(m.url);
    await b.call('POST', '/api/class/sign-in', { account: 'student02', password: two!.password });
    const theirs = b.events();
    await theirs.next((x) => x.event === 'follow');
    for (const e of [...open, theirs]) e.close();
  });

  it('without a class, /api/class says so and the rest is off', async () => {
    const dir = tempDir();
    const config = configWithDefaults({
      dataDir: dir,
      port: 0,
      practice: practiceConfigWithDefaults({ dataDir: dir, ports: ZERO_PORTS }),
    });
    const m = await startMailwire(config, { log: () => {} });
    running.push(m);
    const p = new ApiPage(m.url);
    expect((await p.call('GET', '/api/class')).body).toEqual({ class: false });
    expect((await p.call('POST', '/api/class/sign-in', { account: 'alice', password: 'practice' })).body.code).toBe(
      'CLASS_OFF',
    );
    expect(m.sheetFile).toBeNull();
  });
});
