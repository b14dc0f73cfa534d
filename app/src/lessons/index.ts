/**
 * Guided lessons: the pure API the lesson runner (Svelte, app/src/ui/lessons/) is built on.
 * No DOM, no Node APIs. The file format is described for teachers in lessons/README.md.
 *
 * ## Loading
 *   const files = import.meta.glob('/lessons/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
 *   const { lessons, errors } = loadLessons(files);   // lessons ordered: prerequisites first, then by file name
 *   errors: LessonError[] — show `formatLessonError(e)` ("lessons/x.md:14: ...") to teachers; broken files are left out.
 *   (vite.config.ts sets root to app/, so the glob path may need adjusting to reach the repo's lessons/.)
 *
 * ## Running one lesson: LessonRunner (runner.ts), a pure state machine
 *   const runner = new LessonRunner(lesson, values, progress);
 *   perform(runner.start());            // resumes at the stored progress (replays passed steps itself)
 *   perform(effects) does, for each effect:
 *     {type:'open', target, scenario} -> close the old BridgeSocket, make a new one, and
 *                                        socket.open({ target }, scenario ?? undefined) (the scenario holds
 *                                        for this connection only); drop late events of old sockets
 *     {type:'send', text}             -> socket.send(text) and show it in the console (never log it: passwords)
 *     {type:'starttls'}               -> socket.startTls()
 *     {type:'close'}                  -> socket.close()
 *   Feed events back, performing what each returns:
 *     socket.onOpened(m) -> runner.opened(m.tls !== null);  socket.onData(b) -> runner.data(b);
 *     socket.onTls -> runner.tlsReady();  socket.onClosed / onError -> runner.closed();
 *     the learner pressed Enter in the console -> runner.sent(line) (the console sent the bytes);
 *     "type it for me" -> runner.typeItForMe();  the MIME studio's message -> runner.studioBuilt(source);
 *     no progress for ~10 s while phase is 'connecting' or 'waiting' -> runner.timeout();
 *     "try again" after a failure -> runner.retry();  "start over" -> runner.restart().
 *     effect {type:'wait', ms} (a `wait:` step, mail still on its way) -> after ms, runner.recheck().
 *   Render runner.state: stepIndex (highlight lesson.steps[stepIndex]), phase ('connecting' | 'ready' |
 *   'waiting' | 'awaiting' | 'upgrading' | 'studio' | 'failed' | 'done'), result (on failure, result.message says what
 *   was expected, what came and what it means; show hintText(step, values) on request: placeholders filled), progress (store it with
 *   serializeProgress after every change), note (a word that is neither pass nor fail, e.g. after a bare
 *   `AUTH PLAIN` the server's 334 waits for the credentials: phase is 'ready' again, show the note;
 *   "type it for me" then sends only the base64). step.kind is 'greeting' (reply = the server greeting),
 *   'command' (learner types step.send) or 'studio' (work in the MIME studio).
 *
 * ## Lower level, used by the runner
 *   fillPlaceholders(step.send, values) -> the text to type;  replyComplete(protocol, sentLines, bytes) ->
 *   the reply is whole;  checkReply(step, { text, tlsActive, closed, sentLines }) -> pass or message;
 *   expectsClose(step) -> wait for the server to close before checking.
 *
 * ## Placeholder values
 *   values: PlaceholderValues = { user: 'alice', password: 'practice', domain: 'practice.test', peer: 'bob',
 *     nonce: newNonce() (fresh each time the lesson starts), studio? }
 *   {address} = user@domain, {peerAddress} = peer@domain, {base64:...} = base64 of its content
 *   (placeholders inside are filled, \0 is a NUL byte). Do not log filled sends: they hold passwords.
 *   Show prose through fillProse(markdown, values): it fills {user} {domain} {address} {peer} {peerAddress}.
 *
 * ## Progress (stored under PROGRESS_STORAGE_KEY in localStorage)
 *   deserializeProgress(localStorage.getItem(KEY)) -> Progress (never throws; junk -> empty);
 *   currentStep(progress, lesson) -> the step to resume at (LessonRunner.start() reconnects and replays
 *   the passed steps of that connection itself, since a new connection has lost TLS and login);
 *   completeStep / resetLesson return a new Progress; serializeProgress(progress) -> string to store.
 *   buildLessonIndex(lessons, progress) -> groups by protocol, then level, with minutes and progress.
 */

import { tryParseLesson } from './parser.ts';
import type { Lesson, LessonError } from './types.ts';

export * from './types.ts';
export { parseLesson, tryParseLesson, wireProtocolOf } from './parser.ts';
export { checkReply, contentTypes, expectsClose } from './checker.ts';
export { replyComplete, splitReplies } from './replies.ts';
export { fillPlaceholders, fillProse, hintText, base64Encode, dotStuff, newNonce, SIMPLE_PLACEHOLDERS, PROSE_PLACEHOLDERS } from './placeholders.ts';
export * from './progress.ts';
export { lintLesson, lintLessons, citations, type LintProblem, type LintCode } from './lint.ts';
export { RFC_SECTIONS, type RfcEntry } from './rfc-sections.ts';
export { LessonRunner, RECHECK_EVERY_MS, resumeIndex, type RunnerEffect, type RunnerPhase, type RunnerState } from './runner.ts';

export interface LoadedLessons {
  lessons: Lesson[];
  errors: LessonError[];
}

/**
 * Parses every lesson file (keys are paths such as "/lessons/smtp-first.md"), then checks what only
 * the whole set can: ids are unique and every prerequisite exists. Files with problems are left
 * out; their errors are returned. Lessons come ordered prerequisites first, then by file name.
 */
export function loadLessons(files: Record<string, string>): LoadedLessons {
  const errors: LessonError[] = [];
  const parsed: Lesson[] = [];
  // The teachers' guide (lessons/README.md) lives beside the lessons and is not one.
  const names = Object.keys(files).filter((n) => !/(^|\/)readme\.md$/i.test(n)).sort();
  for (const name of names) {
    const file = name.replace(/^\/+/, '');
    const r = tryParseLesson(file, files[name]);
    if (r.ok) parsed.push(r.lesson);
    else errors.push(...r.errors);
  }
  const seen = new Map<string, Lesson>();
  const lessons: Lesson[] = [];
  for (const l of parsed) {
    const first = seen.get(l.id);
    if (first) {
      errors.push({ file: l.fileName, line: lineOf(files, l, 'id'), code: 'DUPLICATE_ID', message: `the id ${JSON.stringify(l.id)} is already used by ${first.fileName}; give this lesson another id.` });
      continue;
    }
    seen.set(l.id, l);
    lessons.push(l);
  }
  for (const l of lessons) {
    for (const pre of l.prerequisites) {
      if (!seen.has(pre)) {
        errors.push({ file: l.fileName, line: lineOf(files, l, 'prerequisites'), code: 'UNKNOWN_PREREQUISITE', message: `the prerequisite ${JSON.stringify(pre)} is not the id of any lesson; check its spelling (ids: ${[...seen.keys()].slice(0, 6).join(', ')}...).` });
      }
    }
  }
  return { lessons: orderByPrerequisites(lessons), errors };
}

function lineOf(files: Record<string, string>, l: Lesson, field: string): number {
  const text = files[l.fileName] ?? files[`/${l.fileName}`] ?? '';
  const i = text.split(/\r?\n/).findIndex((line) => line.trim().startsWith(`${field}:`));
  return i === -1 ? 1 : i + 1;
}

/** Stable topological order: a lesson comes after its prerequisites; otherwise file order. */
function orderByPrerequisites(lessons: Lesson[]): Lesson[] {
  const byId = new Map(lessons.map((l) => [l.id, l]));
  const out: Lesson[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (l: Lesson) => {
    if (state.get(l.id)) return; // done, or a cycle: keep file order
    state.set(l.id, 'visiting');
    for (const pre of l.prerequisites) {
      const p = byId.get(pre);
      if (p) visit(p);
    }
    state.set(l.id, 'done');
    out.push(l);
  };
  lessons.forEach(visit);
  return out;
}
