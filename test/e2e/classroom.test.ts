// Issue 14 acceptance in Chromium: two students and the teacher in separate browser contexts
// against one real mailwire with a class. Each student signs in with the password from the
// roster and passes steps of the first SMTP lesson addressed from their own account to their
// partner; the teacher's grid shows both, live, with a stuck marker; a note reaches both pages;
// "follow me" moves only the student who opted in; a per-student reset empties only that
// student's mail. Screenshots: sign-in, the grid with a stuck student, the printable sheet.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../bridge/build.ts';
import { configWithDefaults } from '../../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../../bridge/practice/defaults.ts';
import { startMailwire, type RunningMailwire } from '../../bridge/start.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { EPHEMERAL_PORTS } from '../helpers/practice-ports.ts';
import { atStep, hasChromium, SCREENSHOTS, typeCommand } from './harness.ts';

const LESSON = 'smtp-first-conversation';
const SHOTS = process.env.MAILWIRE_SHOTS ?? SCREENSHOTS;

describe.skipIf(!hasChromium)(
  'the classroom in Chromium: two students and the teacher (needs /usr/bin/chromium)',
  () => {
    let mailwire: RunningMailwire;
    let browser: Browser;
    const contexts: BrowserContext[] = [];

    beforeAll(async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'mw-e2e-class-'));
      mailwire = await startMailwire(
        configWithDefaults({
          dataDir,
          port: 0,
          distDir: join(projectRoot, 'dist'),
          practice: practiceConfigWithDefaults({
            dataDir,
            ports: EPHEMERAL_PORTS,
            classSize: 2,
            rosterNames: ['Ada Lovelace', 'Alan Turing'],
          }),
        }),
        { log: () => {} },
      );
      browser = await launchChromium();
      mkdirSync(SHOTS, { recursive: true });
    }, 120_000);

    afterAll(async () => {
      for (const c of contexts) await c.close();
      await browser?.close();
      await mailwire?.close();
    });

    async function open(hash = ''): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
      await page.goto(`${mailwire.url}${hash}`);
      return page;
    }

    async function signIn(page: Page, account: string, password: string): Promise<void> {
      await page.getByTestId('class-account').selectOption(account);
      await page.getByTestId('class-password').fill(password);
      await page.getByTestId('class-sign-in-submit').click();
      await page.getByTestId('class-bar').waitFor();
    }

    it('signs in, runs a lesson as oneself, and the teacher sees it all live', async () => {
      const roster = mailwire.practice!.roster!;
      const [ada, alan] = roster.students;
      const store = mailwire.practice!.store;

      const s1 = await open();
      await s1.getByTestId('class-sign-in').waitFor();
      await expect.poll(() => s1.locator('.accounts').textContent()).not.toContain('alice'); // no demo accounts in a class
      expect(await s1.getByTestId('class-account').locator('option').allTextContents()).toEqual([
        'Choose…',
        'Ada Lovelace (student01)',
        'Alan Turing (student02)',
      ]);
      await s1.getByTestId('class-account').selectOption('student01');
      await s1.getByTestId('class-password').fill(alan!.password);
      await s1.screenshot({ path: join(SHOTS, 'class-sign-in.png') });
      await s1.getByTestId('class-sign-in-submit').click();
      expect(await s1.getByTestId('class-sign-in-error').textContent()).toContain('do not match');
      await s1.getByTestId('class-password').fill(ada!.password);
      await s1.getByTestId('class-sign-in-submit').click();
      await s1.getByTestId('class-bar').waitFor();
      expect(await s1.getByTestId('class-me').textContent()).toBe('Ada Lovelace');
      // The Accounts panel lists the student's own account and partner, not alice and bob.
      const accounts = await s1.locator('.accounts').textContent();
      expect(accounts).toContain('student01@practice.test');
      expect(accounts).toContain('student02@practice.test');
      expect(accounts).not.toContain('alice');
      expect(await s1.getByTestId('practice-reset').count()).toBe(0); // the teacher resets, from #/teacher

      // The MIME studio's message is now from this student to their partner.
      await s1.goto(`${mailwire.url}#/studio`);
      expect(await s1.locator('input[data-header="From"]').inputValue()).toBe(
        '"Ada Lovelace" <student01@practice.test>',
      );
      expect(await s1.locator('input[data-header="To"]').inputValue()).toBe('<student02@practice.test>');

      const s2 = await open();
      await signIn(s2, 'student02', alan!.password);

      const teacher = await open('#/teacher');
      await teacher.getByTestId('class-password').fill(roster.teacher.password);
      await teacher.getByTestId('class-sign-in-submit').click();
      const grid = teacher.getByTestId('teacher-grid');
      await grid.waitFor();
      const cell = (account: string) => grid.locator(`tr[data-account="${account}"] td[data-lesson="${LESSON}"]`);
      expect(await cell('student01').textContent()).toContain('not started');
      expect(await grid.locator('tbody tr').count()).toBe(2);

      // Student 1 runs the lesson: its prose and its commands name student01 -> student02.
      await s1.goto(`${mailwire.url}#/lesson/${LESSON}/0`);
      await atStep(s1, 1);
      expect(await s1.getByTestId('lesson-runner').textContent()).toContain('student01@practice.test');
      await typeCommand(s1, 'EHLO client.example');
      await atStep(s1, 2);
      await typeCommand(s1, 'MAIL FROM:<student01@practice.test>');
      await atStep(s1, 3);
      await expect.poll(() => cell('student01').textContent(), { timeout: 10_000 }).toContain('step 4 of 7');
      // A wrong command counts as a failure on the current step, live.
      await typeCommand(s1, 'RCPT TO:<nobody@practice.test>');
      await expect.poll(() => cell('student01').textContent(), { timeout: 10_000 }).toContain('1✗');

      // Student 2 starts too, and has been on a step for ten minutes by their page's report: stuck.
      await s2.goto(`${mailwire.url}#/lesson/${LESSON}/0`);
      await atStep(s2, 1);
      await expect.poll(() => cell('student02').textContent(), { timeout: 10_000 }).toContain('step 2 of 7');
      await s2.evaluate(async (lesson) => {
        const progress = JSON.parse(localStorage.getItem('mailwire.lessons.progress') ?? '{}');
        const stepSince = new Date(Date.now() - 10 * 60_000).toISOString();
        await fetch('/api/class/progress', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ progress, activity: { lesson, step: 1, steps: 7, failures: 3, stepSince } }),
        });
      }, LESSON);
      await expect
        .poll(() => grid.locator('tr[data-account="student02"] [data-testid="stuck"]').count(), { timeout: 10_000 })
        .toBe(1);
      expect(await grid.locator('tr[data-account="student01"] [data-testid="stuck"]').count()).toBe(0);
      await teacher.screenshot({ path: join(SHOTS, 'class-teacher-grid-stuck.png') });

      // A note reaches both students.
      await teacher.getByTestId('teacher-note').fill('Look at the 550 reply together');
      await teacher.getByTestId('teacher-note-send').click();
      for (const s of [s1, s2])
        await expect
          .poll(() => s.getByTestId('class-note').textContent(), { timeout: 10_000 })
          .toContain('Look at the 550 reply together');

      // Follow me: only the student who opted in moves.
      await s2.getByTestId('class-follow-toggle').check();
      await s1.goto(`${mailwire.url}#/console`);
      await s2.goto(`${mailwire.url}#/console`);
      await teacher.getByTestId('teacher-follow-lesson').selectOption('smtp-ehlo-keywords');
      await teacher.getByTestId('teacher-follow-step').fill('2');
      await teacher.getByTestId('teacher-follow').click();
      await expect.poll(() => s2.url(), { timeout: 10_000 }).toContain('#/lesson/smtp-ehlo-keywords/');
      await expect
        .poll(() => s2.locator('li.step[data-step="1"][data-followed="teacher"]').count(), { timeout: 10_000 })
        .toBe(1);
      await expect
        .poll(() => s1.getByTestId('class-follow-link').textContent(), { timeout: 10_000 })
        .toContain('smtp-ehlo-keywords, step 2');
      expect(s1.url()).toContain('#/console');

      // Per-student reset: student01's mail goes, student02's stays.
      await store.deliver(
        ['student01@practice.test', 'student02@practice.test'],
        Buffer.from('Subject: for both\r\n\r\nx\r\n'),
      );
      const before2 = store.forAccount('student02').mailbox('INBOX')!.messages().length;
      expect(store.forAccount('student01').mailbox('INBOX')!.messages().length).toBeGreaterThan(1);
      await grid.locator('tr[data-account="student01"]').getByTestId('teacher-reset').click();
      await grid.locator('tr[data-account="student01"]').getByTestId('teacher-reset-confirm').click();
      await expect
        .poll(() => teacher.getByTestId('teacher-message').textContent(), { timeout: 10_000 })
        .toContain('student01:');
      expect(store.forAccount('student01').mailbox('INBOX')!.messages()).toHaveLength(1);
      expect(store.forAccount('student02').mailbox('INBOX')!.messages()).toHaveLength(before2);

      // The class-wide reset asks first.
      await teacher.getByTestId('teacher-reset-class').click();
      expect(store.forAccount('student02').mailbox('INBOX')!.messages().length).toBe(before2);
      await teacher.getByTestId('teacher-reset-class-confirm').click();
      await expect
        .poll(() => teacher.getByTestId('teacher-message').textContent(), { timeout: 10_000 })
        .toContain("Every student's mailboxes emptied");
      expect(store.forAccount('student02').mailbox('INBOX')!.messages()).toHaveLength(1);
      for (const s of [s1, s2])
        await expect.poll(() => s.getByTestId('class-bar').textContent(), { timeout: 10_000 }).toContain('emptied');

      // The CSV export behind the teacher's link (the page's own cookie).
      const href = await teacher.getByTestId('teacher-csv').getAttribute('href');
      const csv = await (await teacher.context().request.get(new URL(href!, mailwire.url).href)).text();
      expect(csv).toMatch(/\r\nstudent01,Ada Lovelace,smtp-first-conversation,3,/);

      // Progress is on the server: a fresh browser for student01 resumes at step 4.
      const again = await open();
      await signIn(again, 'student01', ada!.password);
      await again.goto(`${mailwire.url}#/lesson/${LESSON}/0`);
      await atStep(again, 3);

      // mailwire forgets its sign-ins when it restarts: the page signs in again with the password
      // typed once, both for its next report and on a reload.
      const [cookie] = await again.context().cookies();
      mailwire.classroom!.signOut(cookie!.value);
      await typeCommand(again, 'RCPT TO:<student02@practice.test>');
      await expect.poll(() => cell('student01').textContent(), { timeout: 10_000 }).toContain('step 5 of 7');
      await again.context().clearCookies();
      await again.reload();
      await again.getByTestId('class-bar').waitFor({ timeout: 10_000 });
      expect(await again.getByTestId('class-sign-in').count()).toBe(0);

      // The printable sheet.
      const sheet = await open();
      await sheet.goto(`file://${mailwire.sheetFile}`);
      expect(await sheet.locator('.slip').count()).toBe(3);
      await sheet.screenshot({ path: join(SHOTS, 'class-sheet.png'), fullPage: true });
    }, 180_000);
  },
);
