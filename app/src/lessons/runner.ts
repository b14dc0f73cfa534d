// The lesson runner's logic, without any UI or socket: an explicit state machine. The Svelte
// runner feeds it what happens (bytes arrived, TLS ready, the learner sent a line) and performs the
// effects it returns (open a connection, send bytes, start TLS). The integration test drives the
// same class against the real bridge.
//
// Phases:            connecting --opened+greeting--> (check)
//   ready --sent/typeItForMe--> waiting --reply complete--> (check)
//   (check) pass: [action starttls -> upgrading --tls-->] next step (ready | connecting | studio | done)
//   (check) fail: failed --retry/sent--> ready/waiting (a failed greeting reconnects)
//   studio --studioBuilt--> (check)
//   (check) fail on a `wait:` step, rechecks left: awaiting --(effect wait)...recheck--> waiting (same command, a new tag)
// Resuming restarts at the step that opened the current connection and replays the steps already
// passed (sending their commands itself), since a new connection has lost TLS and login.

import type { NamedTarget } from '../wire/messages.ts';
import { checkReply, expectsClose } from './checker.ts';
import { fillPlaceholders, placeholdersIn } from './placeholders.ts';
import { completeStep, currentStep, resetLesson, type Progress } from './progress.ts';
import { replyComplete, retagImapCommands } from './replies.ts';
import type { CheckResult, Lesson, LessonScenario, PlaceholderValues, Step } from './types.ts';

export type RunnerEffect =
  | { type: 'open'; target: NamedTarget; scenario: LessonScenario | null }
  | { type: 'close' }
  /** Bytes for the server, lines ending in CRLF. Holds passwords: never log it. */
  | { type: 'send'; text: string }
  | { type: 'starttls' }
  /** A `wait:` step: call recheck() after `ms` (the engine has no clock; the caller owns the timer). */
  | { type: 'wait'; ms: number };

/**
 * How often a `wait:` step asks again. The bound is a count of asks (waitSeconds / this), not a
 * deadline: a loaded machine whose timers fire late waits longer, it never fails sooner.
 */
export const RECHECK_EVERY_MS = 2000;

export type RunnerPhase = 'idle' | 'connecting' | 'ready' | 'waiting' | 'awaiting' | 'upgrading' | 'studio' | 'failed' | 'done';

export interface RunnerState {
  stepIndex: number;
  phase: RunnerPhase;
  /** Steps before `replayUntil` are being replayed automatically after a resume. */
  replayUntil: number;
  /** The last check of the current step (null before the first check). */
  result: CheckResult | null;
  /** Text received for the current step so far. */
  reply: string;
  tlsActive: boolean;
  connected: boolean;
  progress: Progress;
  /** A word for the learner that is neither pass nor fail, e.g. "the server waits for your credentials". */
  note: string | null;
}

export class LessonRunner {
  readonly lesson: Lesson;
  readonly state: RunnerState;
  private values: PlaceholderValues;
  private chunks: Uint8Array[] = [];
  private sentLines: string[] = [];
  private closedForStep = false;
  /**
   * IMAP: the line that ended in a synchronizing literal `{n}` in the step before, which passed on
   * the server's "+" go-ahead (RFC 3501 section 7.5). This step sends the n octets, and its reply is
   * still that command's tagged one, so the line is read in front of what this step sends.
   */
  private openLiteral: string | null = null;
  /**
   * SMTP AUTH without an initial response (RFC 4954 section 4): the learner sent `AUTH PLAIN`
   * alone and the server asked with `334`; the credentials they type next belong to this step.
   */
  private saslContinues = false;
  /** SMTP: does this session have enhanced status codes (EHLO listed ENHANCEDSTATUSCODES)? */
  private enhancedCodes: boolean | undefined = undefined;
  /** How many times this `wait:` step's command was sent again. */
  private rechecks = 0;
  /** The lines the learner sent on a `wait:` step, before the asks renamed their tags. */
  private waitAsked: string[] | null = null;

  constructor(lesson: Lesson, values: PlaceholderValues, progress: Progress) {
    this.lesson = lesson;
    this.values = { ...values };
    this.state = { stepIndex: 0, phase: 'idle', replayUntil: 0, result: null, reply: '', tlsActive: false, connected: false, progress, note: null };
  }

  get step(): Step | null {
    return this.lesson.steps[this.state.stepIndex] ?? null;
  }

  /**
   * Starts, or resumes where the stored progress left off; or at `target` (a step link), replaying
   * the steps before it against the server. Replayed steps are not recorded as passed.
   */
  start(target = currentStep(this.state.progress, this.lesson)): RunnerEffect[] {
    if (target >= this.lesson.steps.length) {
      this.state.stepIndex = this.lesson.steps.length;
      this.state.phase = 'done';
      return this.state.connected ? this.disconnect() : [];
    }
    const from = resumeIndex(this.lesson, target, this.values.studio !== undefined);
    this.state.replayUntil = target;
    return this.enter(from);
  }

  /** Forgets this lesson's progress and starts from the first step. */
  restart(): RunnerEffect[] {
    this.state.progress = resetLesson(this.state.progress, this.lesson.id);
    this.state.replayUntil = 0;
    return this.enter(0);
  }

  /** "Type it for me": the current step's send, placeholders filled. */
  typeItForMe(): RunnerEffect[] {
    const step = this.step;
    if (!step || step.kind !== 'command' || (this.state.phase !== 'ready' && this.state.phase !== 'failed')) return [];
    let text = fillPlaceholders(step.send!, this.values);
    // Mid-AUTH after a bare `AUTH PLAIN`: only the initial response is still to be typed.
    const ir = /^AUTH\s+\S+\s+(\S+)$/i.exec(text);
    if (this.saslContinues && ir) text = ir[1];
    return [...this.sent(text), { type: 'send', text: text.split('\n').map((l) => `${l}\r\n`).join('') }];
  }

  /** The learner sent `text` themselves (the console already sent the bytes). */
  sent(text: string): RunnerEffect[] {
    const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
    const phase = this.state.phase;
    if (this.step?.kind !== 'command') return [];
    if (phase === 'ready' && this.saslContinues) {
      // The answer to the server's 334: same step, same reply, one more line.
      this.saslContinues = false;
      this.state.note = null;
      this.sentLines.push(...lines);
      this.state.phase = 'waiting';
    } else if (phase === 'ready' || phase === 'failed') {
      this.chunks = [];
      this.sentLines = this.openLiteral === null ? lines : [this.openLiteral, ...lines];
      this.closedForStep = false;
      this.state.reply = '';
      this.state.result = null;
      this.rechecks = 0;
      this.waitAsked = null;
      this.state.phase = 'waiting';
    } else if (phase === 'waiting') this.sentLines.push(...lines); // a continuation (e.g. AUTH LOGIN)
    return [];
  }

  /** The studio built `message` (RFC 5322 text) for a studio step. */
  studioBuilt(message: string): RunnerEffect[] {
    const step = this.step;
    if (!step || step.kind !== 'studio' || (this.state.phase !== 'studio' && this.state.phase !== 'failed')) return [];
    const result = checkReply(step, { text: message, tlsActive: false, closed: false });
    this.state.result = result;
    if (!result.pass) {
      this.state.phase = 'failed';
      return [];
    }
    this.values.studio = message;
    return this.passed(step);
  }

  opened(tls: boolean): RunnerEffect[] {
    this.state.connected = true;
    this.state.tlsActive = tls;
    return this.evaluate(false);
  }

  data(bytes: Uint8Array): RunnerEffect[] {
    this.chunks.push(bytes.slice());
    this.state.reply = new TextDecoder().decode(concat(this.chunks));
    return this.evaluate(false);
  }

  tlsReady(): RunnerEffect[] {
    this.state.tlsActive = true;
    if (this.state.phase !== 'upgrading') return [];
    return this.next();
  }

  closed(): RunnerEffect[] {
    this.state.connected = false;
    this.closedForStep = true;
    const step = this.step;
    // Nothing can be sent any more (idle timeout, or an earlier QUIT): offer to reconnect.
    if ((this.state.phase === 'ready' || this.state.phase === 'awaiting') && step) return this.lost();
    return this.evaluate(false);
  }

  /** The UI's timer ran out while waiting: check with what arrived. */
  timeout(): RunnerEffect[] {
    return this.evaluate(true);
  }

  /**
   * The caller's timer of a `wait` effect fired: send the same command again and check its reply.
   * Ignored unless awaiting (the learner may have moved on, or the connection closed meanwhile).
   */
  recheck(): RunnerEffect[] {
    if (this.state.phase !== 'awaiting' || !this.state.connected) return [];
    this.rechecks++;
    this.chunks = [];
    this.state.reply = '';
    this.state.phase = 'waiting';
    // Each ask under a tag of its own (RFC 9051 section 2.2.1: a client should not reuse a tag):
    // the learner's a3 becomes a3.1, a3.2 ...; the check then looks for that tag's completion.
    this.waitAsked ??= this.sentLines;
    this.sentLines = retagImapCommands(this.waitAsked, this.rechecks);
    return [{ type: 'send', text: this.sentLines.map((l) => `${l}\r\n`).join('') }];
  }

  /** After a failure: a failed greeting reconnects; a failed command waits for a new try. */
  retry(): RunnerEffect[] {
    const step = this.step;
    if (this.state.phase !== 'failed' || !step) return [];
    if (step.kind === 'greeting' || !this.state.connected) {
      // A lost connection cannot be continued: resume from the step that opened it.
      this.state.replayUntil = this.state.stepIndex;
      return this.enter(resumeIndex(this.lesson, this.state.stepIndex, this.values.studio !== undefined));
    }
    this.state.phase = step.kind === 'studio' ? 'studio' : 'ready';
    return [];
  }

  // ---- transitions ----

  private enter(index: number): RunnerEffect[] {
    this.state.stepIndex = index;
    this.state.result = null;
    this.state.note = null;
    this.saslContinues = false;
    this.state.reply = '';
    this.chunks = [];
    this.sentLines = [];
    this.closedForStep = false;
    this.rechecks = 0;
    this.waitAsked = null;
    const step = this.step;
    if (!step) {
      this.state.phase = 'done';
      return this.state.connected ? this.disconnect() : [];
    }
    if (step.kind === 'studio') {
      this.state.phase = 'studio';
      return [];
    }
    if (step.kind === 'greeting') {
      this.openLiteral = null;
      this.enhancedCodes = undefined;
      const effects = this.state.connected ? this.disconnect() : [];
      this.state.phase = 'connecting';
      this.state.tlsActive = false;
      return [...effects, { type: 'open', target: step.connect!, scenario: this.lesson.scenario }];
    }
    if (!this.state.connected) return this.lost();
    this.state.phase = 'ready';
    return index < this.state.replayUntil ? this.typeItForMe() : [];
  }

  /** The connection is gone but the step needs it: fail with a way out (retry reconnects). */
  private lost(): RunnerEffect[] {
    this.state.result = { pass: false, message: 'The server closed the connection. Press retry to reconnect; the steps you passed are replayed for you.', failures: [] };
    this.state.phase = 'failed';
    return [];
  }

  private disconnect(): RunnerEffect[] {
    this.state.connected = false;
    return [{ type: 'close' }];
  }

  /** Checks the current step's reply once it is whole (or the server closed, or time ran out). */
  private evaluate(timedOut: boolean): RunnerEffect[] {
    const step = this.step;
    const phase = this.state.phase;
    if (!step || !step.protocol) return [];
    if (phase === 'connecting' && !this.state.connected && !this.closedForStep && !timedOut) return [];
    if (phase !== 'connecting' && phase !== 'waiting') return [];
    const whole = replyComplete(step.protocol, this.sentLines, concat(this.chunks));
    if (!timedOut && !this.closedForStep && !whole) return [];
    // The server closes just after its last reply: wait for the close when the step expects it.
    if (!timedOut && whole && !this.closedForStep && expectsClose(step)) return [];
    if (!timedOut && !this.closedForStep && awaitsSaslResponse(step, this.sentLines, this.state.reply)) {
      this.saslContinues = true;
      this.state.phase = 'ready';
      this.state.note = 'The server answered 334: it waits for your credentials, in base64, on the next line.';
      return [];
    }
    if (step.protocol === 'smtp') this.enhancedCodes = enhancedCodesAfter(this.sentLines, this.state.reply) ?? this.enhancedCodes;
    const result = checkReply(step, {
      text: this.state.reply,
      tlsActive: this.state.tlsActive,
      closed: this.closedForStep,
      sentLines: this.sentLines,
      enhancedCodes: this.enhancedCodes,
    });
    this.state.result = result;
    if (!result.pass) {
      // A whole reply that does not show the mail yet: ask again later, a bounded number of times.
      const asks = step.waitSeconds ? Math.ceil((step.waitSeconds * 1000) / RECHECK_EVERY_MS) : 0;
      if (whole && !timedOut && !this.closedForStep && this.rechecks < asks) {
        this.state.phase = 'awaiting';
        this.state.note = `Not there yet: the mail is still on its way. Asking the server again in ${RECHECK_EVERY_MS / 1000} seconds, under a new tag.`;
        return [{ type: 'wait', ms: RECHECK_EVERY_MS }];
      }
      this.state.phase = 'failed';
      return [];
    }
    this.state.note = null;
    return this.passed(step);
  }

  private passed(step: Step): RunnerEffect[] {
    const last = this.sentLines[this.sentLines.length - 1] ?? '';
    this.openLiteral = step.protocol === 'imap' && step.kind === 'command' && /\{\d+\}$/.test(last) ? last : null;
    if (step.index >= this.state.replayUntil) this.state.progress = completeStep(this.state.progress, this.lesson, step.index);
    if (step.action === 'starttls') {
      // RFC 3207 section 4.2: what EHLO said before TLS is forgotten.
      this.enhancedCodes = undefined;
      this.state.phase = 'upgrading';
      return [{ type: 'starttls' }];
    }
    if (this.answeredNextStep(step)) {
      const next = this.lesson.steps[step.index + 1];
      if (next.index >= this.state.replayUntil) this.state.progress = completeStep(this.state.progress, this.lesson, next.index);
      return this.enter(step.index + 2);
    }
    return this.next();
  }

  /**
   * `AUTH LOGIN dXNlcg==`: the learner gave the next step's answer (the user name) as the initial
   * response (RFC 4954 section 4), and the server's 334 already asks for the password. The next
   * step is done in the same line.
   */
  private answeredNextStep(step: Step): boolean {
    const next = this.lesson.steps[step.index + 1];
    if (step.protocol !== 'smtp' || !step.send || !/^AUTH\s+\S+$/i.test(step.send.trim())) return false;
    if (!next || next.kind !== 'command' || !next.send || next.send.includes('\n')) return false;
    const typed = /^AUTH\s+\S+\s+(\S+)$/i.exec(this.sentLines[this.sentLines.length - 1]?.trim() ?? '');
    return typed !== null && typed[1] === fillPlaceholders(next.send, this.values).trim();
  }

  private next(): RunnerEffect[] {
    return this.enter(this.state.stepIndex + 1);
  }
}

/**
 * Where to restart to reach step `target` on a fresh connection: the greeting step that opened the
 * connection `target` runs on, or the studio step before it when a {studio} message is needed and lost.
 */
export function resumeIndex(lesson: Lesson, target: number, haveStudioMessage: boolean): number {
  let from = target;
  while (from > 0 && lesson.steps[from].kind !== 'greeting' && lesson.steps[from].kind !== 'studio') from--;
  if (!haveStudioMessage) {
    const needs = lesson.steps.slice(from, target + 1).some((s) => s.send !== null && placeholdersIn(s.send).includes('studio'));
    if (needs) {
      let studio = from;
      while (studio > 0 && lesson.steps[studio].kind !== 'studio') studio--;
      if (lesson.steps[studio]?.kind === 'studio') from = studio;
    }
  }
  return from;
}

/**
 * The learner left out an initial response the step's send has (`AUTH PLAIN` alone, RFC 4954
 * section 4) and the server's last reply is the `334` asking for it: not a failure, a question.
 */
export function awaitsSaslResponse(step: Step, sentLines: string[], reply: string): boolean {
  if (step.protocol !== 'smtp' || !step.send || !/^AUTH\s+\S+\s+\S+/i.test(step.send.trim())) return false;
  const last = sentLines[sentLines.length - 1]?.trim() ?? '';
  if (!/^AUTH\s+\S+$/i.test(last)) return false;
  const lines = reply.split(/\r?\n/).filter((l) => l !== '');
  return /^334(\s|$)/.test(lines[lines.length - 1] ?? '');
}

/**
 * After EHLO or HELO: does the session now have enhanced status codes? HELO never (RFC 2034
 * section 3 ties them to EHLO); EHLO when its reply lists ENHANCEDSTATUSCODES. Undefined: neither was sent.
 */
export function enhancedCodesAfter(sentLines: string[], reply: string): boolean | undefined {
  const hello = [...sentLines].reverse().find((l) => /^(EHLO|HELO)\b/i.test(l.trim()));
  if (!hello) return undefined;
  if (/^HELO\b/i.test(hello.trim())) return false;
  return /^250[ -]ENHANCEDSTATUSCODES\b/im.test(reply);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}
