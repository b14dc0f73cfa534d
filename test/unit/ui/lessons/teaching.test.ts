import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLessons, type Lesson } from '../../../../app/src/lessons/index.ts';
import { normalizeLessonFiles } from '../../../../app/src/ui/lessons/lesson-files.ts';
import { challengeOf, predictionFor } from '../../../../app/src/ui/lessons/teaching.ts';

const dir = new URL('../../../../lessons/', import.meta.url);
const names = readdirSync(dir).filter((f) => f.endsWith('.md'));
const { lessons } = loadLessons(normalizeLessonFiles(Object.fromEntries(names.map((f) => [`../../../../lessons/${f}`, readFileSync(new URL(f, dir), 'utf8')]))));
const lesson = (id: string): Lesson => lessons.find((l) => l.id === id)!;

describe('predict-the-code steps', () => {
  it('asks for a guess before a refusal, not before a plain success', () => {
    const relay = lesson('smtp-relaying-refused');
    const refused = relay.steps.find((s) => s.expect.some((e) => e.condition.kind === 'code' && e.condition.pattern.startsWith('5')))!;
    expect(predictionFor(refused)).toEqual({ choices: ['2xx', '3xx', '4xx', '5xx'], expected: '5xx' });
    const ehlo = relay.steps.find((s) => s.send?.startsWith('EHLO'))!;
    expect(predictionFor(ehlo)).toBeNull();
  });
  it('asks before a 354 go-ahead, and in the words of POP3 and IMAP', () => {
    const data = lesson('smtp-first-conversation').steps.find((s) => s.send === 'DATA')!;
    expect(predictionFor(data)?.expected).toBe('3xx');
    const all = lessons.flatMap((l) => l.steps.map((s) => predictionFor(s))).filter((p) => p !== null);
    expect(all.length).toBeGreaterThan(3);
    for (const p of all) expect(p!.choices).toContain(p!.expected);
  });
  it('never asks on a greeting or a studio step', () => {
    for (const l of lessons) for (const s of l.steps) if (s.kind !== 'command') expect(predictionFor(s)).toBeNull();
  });
});

describe('challenge steps', () => {
  it('the EHLO after STARTTLS is a challenge: the learner sent EHLO two steps before', () => {
    const l = lesson('smtp-starttls');
    const ehlos = l.steps.filter((s) => s.send?.startsWith('EHLO'));
    expect(ehlos).toHaveLength(2);
    expect(challengeOf(l, ehlos[0]!)).toBeNull();
    expect(challengeOf(l, ehlos[1]!)?.index).toBe(ehlos[0]!.index);
  });
  it('a first command, message text and IMAP tags do not make a challenge', () => {
    const first = lesson('smtp-first-conversation');
    for (const s of first.steps) expect(challengeOf(first, s), s.title).toBeNull();
    const imapLessons = lessons.filter((l) => l.protocol === 'imap');
    const challenges = imapLessons.flatMap((l) => l.steps.filter((s) => challengeOf(l, s)));
    for (const s of challenges) expect(s.send).toMatch(/^\S+ [A-Z]+/);
  });
});
