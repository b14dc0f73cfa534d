// The progress store on a real disk: reports are validated, the file always ends up with the
// latest report however many arrive at once, and a damaged file costs that record, not the start.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProgressStore, parseReport } from '../../../bridge/classroom/progress.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const report = (n: number) => ({
  progress: {
    version: 1 as const,
    lessons: {
      'smtp-first-conversation': { completed: Array.from({ length: n % 7 }, (_, i) => `s${i}`), finishedAt: null },
    },
  },
  activity: {
    lesson: 'smtp-first-conversation',
    step: n % 7,
    steps: 7,
    failures: n,
    stepSince: new Date(1_700_000_000_000 + n).toISOString(),
  },
});

describe('the progress store', () => {
  it('keeps the latest of 50 reports sent at once, across a reopen', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mw-progress-'));
    dirs.push(dir);
    const store = await openProgressStore(dir, ['student01', 'student02']);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.save('student01', report(i + 1))));
    expect(store.get('student01').activity!.failures).toBe(50);
    const again = await openProgressStore(dir, ['student01', 'student02']);
    expect(again.get('student01').activity!.failures).toBe(50);
    expect(again.get('student01').progress.lessons['smtp-first-conversation']!.completed).toEqual(['s0']);
    expect(again.get('student02').activity).toBeNull();
    await expect(store.save('nobody', report(1))).rejects.toThrow();
  });

  it('survives a damaged file and ignores files of accounts not on the roster', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mw-progress-'));
    dirs.push(dir);
    const store = await openProgressStore(dir, ['student01']);
    await store.save('student01', report(3));
    await writeFile(path.join(dir, 'class', 'progress', 'student01.json'), '{"progress": ');
    await writeFile(path.join(dir, 'class', 'progress', 'intruder.json'), JSON.stringify(report(1)));
    const again = await openProgressStore(dir, ['student01']);
    expect(again.get('student01').activity).toBeNull();
    expect([...again.all().keys()]).toEqual(['student01']);
    expect(JSON.parse(await readFile(path.join(dir, 'class', 'progress', 'intruder.json'), 'utf8'))).toBeTruthy(); // left alone
  });

  it('validates what a page reports', () => {
    expect(parseReport(report(2))).toMatchObject({ activity: { step: 2, steps: 7 } });
    expect(parseReport({ progress: report(1).progress, activity: null })).toMatchObject({ activity: null });
    expect(parseReport({ progress: null, activity: { ...report(1).activity, lesson: '../../etc/passwd' } })).toBeNull();
    expect(parseReport({ progress: null, activity: { ...report(1).activity, step: -1 } })).toBeNull();
    expect(parseReport({ progress: null, activity: { ...report(1).activity, stepSince: 'yesterday' } })).toBeNull();
    expect(parseReport('x')).toBeNull();
    // Lesson ids that could not name a lesson file are dropped from the stored progress.
    const odd = parseReport({
      progress: {
        version: 1,
        lessons: { '../x': { completed: ['a'], finishedAt: null }, ok: { completed: [], finishedAt: null } },
      },
      activity: null,
    })!;
    expect(Object.keys(odd.progress.lessons)).toEqual(['ok']);
  });
});
