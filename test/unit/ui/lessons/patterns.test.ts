import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLessons, type Lesson } from '../../../../app/src/lessons/index.ts';
import { normalizeLessonFiles } from '../../../../app/src/ui/lessons/lesson-files.ts';
import { commandPatterns } from '../../../../app/src/ui/lessons/patterns.ts';

// The real lesson files, as the app bundles them.
const dir = new URL('../../../../lessons/', import.meta.url);
const names = readdirSync(dir).filter((f) => f.endsWith('.md'));
const { lessons } = loadLessons(normalizeLessonFiles(Object.fromEntries(names.map((f) => [`../../../../lessons/${f}`, readFileSync(new URL(f, dir), 'utf8')]))));
const lesson = (id: string): Lesson => lessons.find((l) => l.id === id)!;
const syntaxes = (l: Lesson, title: RegExp) => commandPatterns(l.steps.find((s) => title.test(s.title))!);

describe('commandPatterns', () => {
  it('names what to type from the protocol command list: MAIL FROM:<address>, not the filled-in line', () => {
    const smtp = lesson('smtp-first-conversation');
    const mail = smtp.steps.find((s) => s.send?.startsWith('MAIL'))!;
    expect(commandPatterns(mail).patterns.map((p) => p.syntax)).toEqual(['MAIL FROM:<sender@example.org> [SIZE=n] [BODY=8BITMIME]']);
    expect(commandPatterns(mail).patterns[0].rfc.section).toBe('4.1.1.2');
  });

  it('names every command of a pipelined block (the PIPELINING step sends four lines)', () => {
    const pipelined = lesson('smtp-pipelining').steps.find((s) => (s.send ?? '').split('\n').length > 2)!;
    const names = commandPatterns(pipelined).patterns.map((p) => p.syntax.split(/[ :]/)[0]);
    expect(names).toEqual(expect.arrayContaining(['MAIL', 'RCPT', 'DATA']));
  });

  it('skips the IMAP tag and marks message text that is not a command', () => {
    const login = syntaxes(lesson('imap-login-capabilities'), /log ?in/i);
    expect(login.patterns[0].syntax).toMatch(/^(\S+ )?LOGIN /);
    const smtp = lesson('smtp-first-conversation');
    const body = smtp.steps.find((s) => s.kind === 'command' && s.send !== null && s.send.includes('\n.'))!;
    expect(commandPatterns(body).dataBody).toBe(true);
  });

  it('gives a pattern for every command step of every bundled lesson that starts with a command', () => {
    for (const l of lessons)
      for (const s of l.steps) {
        if (s.kind !== 'command' || s.send === null) continue;
        const r = commandPatterns(s);
        expect(r.patterns.length > 0 || r.dataBody, `${l.id} step ${s.index + 1} (${s.title})`).toBe(true);
      }
  });

  it('gives nothing for a greeting step', () => {
    expect(commandPatterns(lesson('smtp-first-conversation').steps[0])).toEqual({ patterns: [], dataBody: false });
  });
});
