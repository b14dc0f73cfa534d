import { describe, expect, it } from 'vitest';
import {
  buildLessonIndex,
  completeStep,
  currentStep,
  deserializeProgress,
  emptyProgress,
  isLessonComplete,
  parseLesson,
  resetLesson,
  serializeProgress,
  type Lesson,
} from '../../../app/src/lessons/index.ts';

function lesson(id: string, protocol: string, level: string, minutes: number, steps: string[], pre: string[] = []): Lesson {
  const target = { smtp: 'practice/smtp', imap: 'practice/imap', pop3: 'practice/pop3', mime: 'practice/smtp' }[protocol];
  const body = steps.map((t, i) => (i === 0 ? `## ${t}\n\`\`\`expect\nmatch /./\n\`\`\`\n` : `## ${t}\n\`\`\`send\nNOOP\n\`\`\`\n\`\`\`expect\nmatch /./\n\`\`\`\n`)).join('');
  return parseLesson(`lessons/${id}.md`, `---\nid: ${id}\ntitle: ${id}\nprotocol: ${protocol}\ntarget: ${target}\nlevel: ${level}\nminutes: ${minutes}\nprerequisites: [${pre.join(', ')}]\n---\n${body}`);
}

const a = lesson('a', 'smtp', 'beginner', 10, ['Greet', 'Hello', 'Quit']);

describe('progress', () => {
  it('starts at step 0 and moves on as steps pass, without mutating', () => {
    const p0 = emptyProgress();
    expect(currentStep(p0, a)).toBe(0);
    const p1 = completeStep(p0, a, 0);
    expect(p0).toEqual(emptyProgress());
    expect(currentStep(p1, a)).toBe(1);
    const p3 = completeStep(completeStep(p1, a, 1), a, 2, new Date('2026-01-02T03:04:05Z'));
    expect(currentStep(p3, a)).toBe(3);
    expect(isLessonComplete(p3, a)).toBe(true);
    expect(p3.lessons.a.finishedAt).toBe('2026-01-02T03:04:05.000Z');
  });

  it('completing a step twice records it once; an out-of-range index changes nothing', () => {
    const p = completeStep(completeStep(emptyProgress(), a, 0), a, 0);
    expect(p.lessons.a.completed).toEqual(['greet']);
    expect(completeStep(p, a, 9)).toBe(p);
  });

  it('survives serialise/deserialise and resumes at the same step', () => {
    const p = completeStep(completeStep(emptyProgress(), a, 0), a, 1);
    const back = deserializeProgress(serializeProgress(p));
    expect(back).toEqual(p);
    expect(currentStep(back, a)).toBe(2);
  });

  it('keys progress by step id, so a step added to the lesson does not shift it', () => {
    const p = completeStep(completeStep(emptyProgress(), a, 0), a, 1);
    const edited = lesson('a', 'smtp', 'beginner', 10, ['Greet', 'Hello', 'New step', 'Quit']);
    expect(currentStep(p, edited)).toBe(2);
  });

  it('junk in storage gives an empty progress, never an exception', () => {
    for (const junk of [null, undefined, '', '{', '[]', '{"version":2,"lessons":{}}', '{"version":1,"lessons":5}', 'null']) {
      expect(deserializeProgress(junk)).toEqual(emptyProgress());
    }
    const partial = deserializeProgress('{"version":1,"lessons":{"a":{"completed":["greet",7]},"b":"x"}}');
    expect(partial).toEqual({ version: 1, lessons: { a: { completed: ['greet'], finishedAt: null } } });
  });

  it('resetLesson starts a lesson over', () => {
    const p = resetLesson(completeStep(emptyProgress(), a, 0), 'a');
    expect(currentStep(p, a)).toBe(0);
  });
});

describe('buildLessonIndex', () => {
  const lessons = [
    a,
    lesson('b', 'smtp', 'intermediate', 5, ['Greet', 'X'], ['a']),
    lesson('c', 'imap', 'beginner', 7, ['Greet', 'X']),
    lesson('d', 'smtp', 'beginner', 8, ['Greet']),
    lesson('e', 'mime', 'advanced', 20, ['Greet']),
  ];

  it('groups by protocol then level, in the fixed order, with minutes and progress', () => {
    let p = completeStep(emptyProgress(), a, 0);
    p = completeStep(p, lessons[3], 0);
    const index = buildLessonIndex(lessons, p);
    expect(index.map((g) => [g.protocol, g.levels.map((l) => [l.level, l.minutes, l.lessons.map((e) => `${e.id}:${e.status}:${e.stepsDone}/${e.stepsTotal}`)])])).toEqual([
      ['smtp', [['beginner', 18, ['a:in-progress:1/3', 'd:done:1/1']], ['intermediate', 5, ['b:not-started:0/2']]]],
      ['imap', [['beginner', 7, ['c:not-started:0/2']]]],
      ['mime', [['advanced', 20, ['e:not-started:0/1']]]],
    ]);
    expect(index[0].levels[1].lessons[0].missingPrerequisites).toEqual(['a']);
  });

  it('a prerequisite is satisfied once that lesson is complete', () => {
    let p = emptyProgress();
    for (let i = 0; i < 3; i++) p = completeStep(p, a, i);
    expect(buildLessonIndex(lessons, p)[0].levels[1].lessons[0].missingPrerequisites).toEqual([]);
  });
});
