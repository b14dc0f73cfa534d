// Two ways a lesson makes the learner think, read from the lesson's own steps (no extra markup):
// - predict: before a step whose expected reply is not a plain success (a 3xx go-ahead, a 4xx/5xx
//   refusal, POP3 -ERR, IMAP NO/BAD), the learner may guess the reply's class first;
// - challenge: a command the learner already sent in an earlier step of the lesson comes without
//   "Type it for me" (the pattern and any hint stay): done once, now done from memory.
// Pure: no DOM.

import type { Lesson, Step } from '../../lessons/index.ts';

export type ReplyClass = '2xx' | '3xx' | '4xx' | '5xx' | '+OK' | '-ERR' | 'OK' | 'NO' | 'BAD';

export interface Prediction {
  /** The choices offered, in the protocol's own words. */
  choices: ReplyClass[];
  /** The class the lesson expects (from its `code`, `pop3` or `imap` condition). */
  expected: ReplyClass;
}

const CHOICES: Record<'smtp' | 'pop3' | 'imap', ReplyClass[]> = {
  smtp: ['2xx', '3xx', '4xx', '5xx'],
  pop3: ['+OK', '-ERR'],
  imap: ['OK', 'NO', 'BAD'],
};

/** The reply class a step expects, when it names one: SMTP by first digit (RFC 5321 4.2.1). */
export function expectedClass(step: Step): ReplyClass | null {
  for (const e of step.expect) {
    const c = e.condition;
    if (c.kind === 'code' && /^[2-5]/.test(c.pattern)) return `${c.pattern[0]}xx` as ReplyClass;
    if (c.kind === 'pop3') return c.status;
    if (c.kind === 'imap') return c.status;
  }
  return null;
}

/** A guess to ask for before sending this step, or null (a success is not worth guessing). */
export function predictionFor(step: Step): Prediction | null {
  if (step.kind !== 'command' || !step.protocol) return null;
  const expected = expectedClass(step);
  if (!expected || expected === '2xx' || expected === '+OK' || expected === 'OK') return null;
  return { choices: CHOICES[step.protocol], expected };
}

/** The command word of a send line (IMAP: after the tag). */
function verbOf(protocol: Step['protocol'], line: string): string {
  const words = line.trim().split(/\s+/);
  return ((protocol === 'imap' ? words[1] : words[0]) ?? '').toUpperCase();
}

/** The earlier step that sent the same command, when this step is a challenge; else null. */
export function challengeOf(lesson: Lesson, step: Step): Step | null {
  if (step.kind !== 'command' || step.send === null) return null;
  const first = step.send.split('\n')[0] ?? '';
  const verb = verbOf(step.protocol, first);
  // Message text and continuation lines are not commands to remember.
  if (!/^[A-Z]{3,12}$/.test(verb) || step.send.includes('\n')) return null;
  for (const s of lesson.steps.slice(0, step.index)) {
    if (s.kind === 'command' && s.send !== null && s.protocol === step.protocol && !s.send.includes('\n') && verbOf(s.protocol, s.send) === verb) return s;
  }
  return null;
}

/** The class of a reply as received: the last line's code (SMTP), status (POP3) or tagged status (IMAP). */
export function classOfReply(raw: string): ReplyClass | null {
  const lines = raw.split(/\r?\n/).filter((l) => l !== '');
  const last = lines[lines.length - 1] ?? '';
  const smtp = /^([2-5])\d\d(?: |$)/.exec(last);
  if (smtp) return `${smtp[1]}xx` as ReplyClass;
  if (/^\+OK\b/i.test(last)) return '+OK';
  if (/^-ERR\b/i.test(last)) return '-ERR';
  const imap = /^[^*+\s]\S* (OK|NO|BAD)\b/i.exec(last);
  return imap ? (imap[1]!.toUpperCase() as ReplyClass) : null;
}
