// One lesson being run in the browser: the pure LessonRunner (app/src/lessons/runner.ts) decides
// what happens; this class performs its effects on a real BridgeSocket, keeps the connection log,
// saves progress to localStorage after every passed step, and times out a silent server.
// Components render its $state fields; they hold no lesson logic.

import { BridgeSocket, bridgeUrl, type WebSocketConstructor } from '../../bridge/socket.ts';
import {
  LessonRunner,
  PROGRESS_STORAGE_KEY,
  deserializeProgress,
  expectsClose,
  fillPlaceholders,
  newNonce,
  serializeProgress,
  type CheckResult,
  type Lesson,
  type PlaceholderValues,
  type Progress,
  type RunnerEffect,
  type RunnerPhase,
  type Step,
  type WireProtocol,
} from '../../lessons/index.ts';
import { createSecretDetector, maskData, type SecretDetector } from '../../transcript/mask.ts';
import type { ConsoleEntry, EntryKind } from '../console/entries.ts';
import { splitKeepingEnds } from '../console/entries.ts';
import { explainBridgeError } from '../console/errors.ts';
import { toWire } from './line-buffer.ts';
import { lessonLink } from '../classroom/lesson-link.ts';
import { createTracker, type ReplyView, type Tracker } from '../console/tracker.ts';

/** The practice server's accounts (bridge/practice/defaults.ts); the lessons are written for them. */
export const PRACTICE_VALUES = { user: 'alice', password: 'practice', domain: 'practice.test', peer: 'bob' } as const;

/** How long to wait for a reply before checking what arrived (a silent server must not hang). */
export const REPLY_TIMEOUT_MS = 10_000;
/** After a reply that should end the session, how long to wait for the server to close. */
export const CLOSE_WAIT_MS = 2_000;

export type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

export function loadProgress(storage: StorageLike | null): Progress {
  try {
    return deserializeProgress(storage?.getItem(PROGRESS_STORAGE_KEY));
  } catch {
    return deserializeProgress(null); // storage disabled: progress lives for this page only
  }
}

const decoder = new TextDecoder();

export class LessonController {
  readonly lesson: Lesson;
  stepIndex = $state(0);
  phase = $state<RunnerPhase>('idle');
  result = $state.raw<CheckResult | null>(null);
  tlsActive = $state(false);
  connected = $state(false);
  /** Steps before this one are being replayed for the learner after a resume. */
  replayUntil = $state(0);
  progress = $state.raw<Progress>({ version: 1, lessons: {} });
  entries = $state<ConsoleEntry[]>([]);
  /** A problem with the bridge itself (not a wrong reply): shown with advice. */
  bridgeError = $state<string | null>(null);
  /** The title of the step that passed last, for a short "passed" note. */
  lastPassed = $state<string | null>(null);
  /** Every server reply so far, explained by app/src/protocols (the console's click-to-explain). */
  replies = $state.raw<ReplyView[]>([]);
  /** The reply shown in the explanation panel: the newest, until the learner clicks another. */
  selectedReply = $state<number | null>(null);
  /** "What just happened": per passed step, the index of the reply that passed it. */
  notes = $state.raw<Record<number, number>>({});

  private runner: LessonRunner;
  private values: PlaceholderValues;
  private socket: BridgeSocket | null = null;
  private detector: SecretDetector | null = null;
  private tracker: Tracker | null = null;
  private entryId = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerKey = '';
  private saved = '';
  private disposed = false;
  /** Failed checks on the current step (the teacher's grid shows them). */
  private failures = 0;

  constructor(
    lesson: Lesson,
    private readonly options: { wsUrl?: string; storage?: StorageLike | null; WebSocketImpl?: WebSocketConstructor } = {},
    /** The step a link named (#/lesson/<id>/<step>): start() replays the steps before it. */
    private readonly linkedStep: number | null = null,
  ) {
    this.lesson = lesson;
    // In a class, the signed-in student's own account and partner (ui/classroom/lesson-link.ts).
    this.values = { ...(lessonLink.values ?? PRACTICE_VALUES), nonce: newNonce() };
    this.progress = loadProgress(this.storage);
    this.saved = serializeProgress(this.progress);
    this.runner = new LessonRunner(lesson, this.values, this.progress);
  }

  get step(): Step | null {
    return this.lesson.steps[this.stepIndex] ?? null;
  }

  /**
   * True while the learner may send the current step's command. Also while waiting: a further
   * line continues the step (the lone dot a learner forgot after DATA, an AUTH LOGIN answer).
   */
  get canSend(): boolean {
    const step = this.step;
    return !!step && step.kind === 'command' && this.connected && this.stepIndex >= this.replayUntil && (this.phase === 'ready' || this.phase === 'failed' || this.phase === 'waiting');
  }

  /** Starts the lesson, or resumes it where the stored progress left off. */
  start(): void {
    const target = this.linkedStep !== null ? Math.min(this.linkedStep, this.lesson.steps.length - 1) : undefined;
    this.apply(this.runner.start(target));
  }

  /** The learner sent `text` (one line, or several for a DATA body). */
  submit(text: string): void {
    if (!this.canSend || !this.socket) return;
    const wire = toWire(text);
    this.apply(this.runner.sent(wire));
    this.send(wire);
  }

  /** "Type it for me": the current step's command with its placeholders filled (not sent). */
  typeItForMe(): string {
    const step = this.step;
    return step?.kind === 'command' && step.send !== null ? fillPlaceholders(step.send, this.values) : '';
  }

  /** A studio step: check the message the MIME studio built. */
  checkStudio(message: string): void {
    const effects = this.runner.studioBuilt(message);
    if (this.runner.state.stepIndex !== this.stepIndex) this.values.studio = message;
    this.apply(effects);
  }

  /** After a failure: reconnects for a failed greeting or a lost connection, else lets them try again. */
  retry(): void {
    this.apply(this.runner.retry());
  }

  /**
   * Starts a fresh connection from the stored progress (the way a reload does): for a stuck
   * STARTTLS or a bridge that went away. The passed steps are replayed.
   */
  reconnect(): void {
    this.dropSocket();
    this.bridgeError = null;
    const at = this.stepIndex;
    this.runner = new LessonRunner(this.lesson, this.values, this.progress);
    this.apply(this.runner.start(at));
  }

  /** Forgets this lesson's progress and starts over from the first step. */
  restart(): void {
    this.bridgeError = null;
    this.lastPassed = null;
    this.notes = {};
    this.values.nonce = newNonce();
    this.apply(this.runner.restart());
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.dropSocket();
  }

  // ---- effects ----

  private apply(effects: RunnerEffect[]): void {
    if (this.disposed) return;
    for (const e of effects) {
      switch (e.type) {
        case 'open':
          this.open(e);
          break;
        case 'close':
          this.dropSocket();
          break;
        case 'send':
          this.send(e.text);
          break;
        case 'starttls':
          this.note('tls', 'The server agreed: the bridge now starts the TLS handshake on this same connection.');
          this.socket?.startTls();
          break;
        case 'wait': {
          // A `wait:` step: the runner asks the server again later (mail still on its way).
          const runner = this.runner;
          setTimeout(() => {
            if (!this.disposed && this.runner === runner) this.apply(runner.recheck());
          }, e.ms);
          break;
        }
      }
    }
    this.sync();
  }

  private open(e: Extract<RunnerEffect, { type: 'open' }>): void {
    this.dropSocket();
    const protocol: WireProtocol = this.runner.step?.protocol ?? 'smtp';
    this.detector = createSecretDetector(protocol);
    this.tracker = createTracker(protocol);
    const socket = new BridgeSocket(this.options.wsUrl ?? bridgeUrl(location), this.options.WebSocketImpl);
    this.socket = socket;
    const mine = (fn: () => void) => () => {
      if (this.socket === socket && !this.disposed) fn();
    };
    socket.onOpened = (m) =>
      mine(() => {
        this.note('info', `Connected to ${m.remote.target} (${m.remote.address} port ${m.remote.port})${m.tls ? `, TLS from the start (${m.tls.protocol})` : ''}.`);
        this.apply(this.runner.opened(m.tls !== null));
      })();
    socket.onData = (bytes) =>
      mine(() => {
        this.detector?.received(bytes);
        this.addReplies(this.tracker?.received(bytes) ?? []);
        this.apply(this.runner.data(bytes));
      })();
    socket.onTls = (m) =>
      mine(() => {
        this.tracker?.tlsStarted();
        this.note('tls', `TLS is on: ${m.tls.protocol}, ${m.tls.cipher}. From here on, everything on this connection is encrypted.`);
        this.apply(this.runner.tlsReady());
      })();
    socket.onError = (m) =>
      mine(() => {
        const advice = explainBridgeError(m.code);
        this.bridgeError = `${m.code}: ${m.message}${advice ? ` ${advice}` : ''}`;
        this.note('error', this.bridgeError);
      })();
    socket.onClosed = (m) =>
      mine(() => {
        this.addReplies(this.tracker?.closed() ?? []);
        this.note('info', `Connection closed by the ${m.by}: ${m.reason}`);
        this.apply(this.runner.closed());
      })();
    this.note('info', `Connecting to ${e.target}${e.scenario ? ` (scenario: ${e.scenario})` : ''}...`);
    socket.open({ target: e.target }, e.scenario ?? undefined);
  }

  /** Sends bytes and logs them, masking credentials (AUTH payloads, LOGIN/PASS arguments). */
  private send(text: string): void {
    const socket = this.socket;
    if (!socket) return;
    const bytes = new TextEncoder().encode(text);
    const ranges = this.detector?.sent(bytes) ?? [];
    try {
      socket.send(bytes);
    } catch {
      this.bridgeError = 'The bridge connection is not open, so nothing was sent. Press "Reconnect" to start a fresh connection.';
      return;
    }
    this.tracker?.sent(text);
    const shown = decoder.decode(ranges.length ? maskData(bytes, ranges).data : bytes);
    for (const line of splitKeepingEnds(shown)) this.push('client', line);
  }

  /** Whole replies, as the console shows them: each line knows its reply, so a click explains it. */
  private addReplies(views: ReplyView[]): void {
    for (const v of views) {
      const index = this.replies.length;
      this.replies = [...this.replies, v];
      for (const line of splitKeepingEnds(v.raw)) this.push('server', line, index, v.annotation.outcome);
      this.selectedReply = index;
    }
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onOpened = socket.onData = socket.onTls = socket.onError = socket.onClosed = null;
    socket.close();
  }

  // ---- state ----

  private sync(): void {
    const s = this.runner.state;
    // A step the learner passed themselves (not one replayed after a resume).
    if (s.stepIndex > this.stepIndex && this.stepIndex >= s.replayUntil) this.lastPassed = this.lesson.steps[this.stepIndex]?.title ?? null;
    const moved = s.stepIndex !== this.stepIndex || s.progress !== this.progress;
    if (s.stepIndex !== this.stepIndex) this.failures = 0;
    const failed = s.phase === 'failed' && this.phase !== 'failed';
    if (failed) this.failures++;
    // The reply that passed a network step is its "what just happened" note (kept for reopening).
    const passed = this.lesson.steps[this.stepIndex];
    const passedNow = s.stepIndex > this.stepIndex || (s.phase === 'upgrading' && this.phase !== 'upgrading');
    if (passedNow && passed?.protocol && this.replies.length) this.notes = { ...this.notes, [passed.index]: this.replies.length - 1 };
    this.stepIndex = s.stepIndex;
    this.phase = s.phase;
    this.result = s.result;
    this.tlsActive = s.tlsActive;
    this.connected = s.connected;
    this.replayUntil = s.replayUntil;
    this.progress = s.progress;
    this.save();
    if (moved || failed) {
      lessonLink.report?.({ lesson: this.lesson.id, step: s.stepIndex, steps: this.lesson.steps.length, failures: this.failures, progress: this.progress });
    }
    this.armTimer(s.reply.length > 0);
  }

  private save(): void {
    const text = serializeProgress(this.progress);
    if (text === this.saved) return;
    this.saved = text;
    try {
      this.storage?.setItem(PROGRESS_STORAGE_KEY, text);
    } catch {
      // Storage full or disabled: the lesson goes on; progress lasts for this page only.
    }
  }

  private get storage(): StorageLike | null {
    if (this.options.storage !== undefined) return this.options.storage;
    try {
      return globalThis.localStorage ?? null;
    } catch {
      return null;
    }
  }

  /** A timer per wait: a reply that never completes is checked with what arrived. */
  private armTimer(replyStarted: boolean): void {
    const step = this.step;
    const waiting = this.phase === 'waiting' || this.phase === 'connecting';
    const closing = waiting && replyStarted && !!step && expectsClose(step);
    const key = waiting ? `${this.stepIndex}:${this.phase}:${closing}` : this.phase === 'upgrading' ? `${this.stepIndex}:upgrading` : '';
    if (key === this.timerKey) return;
    this.clearTimer();
    this.timerKey = key;
    if (!key) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerKey = '';
        if (this.phase === 'upgrading') {
          this.bridgeError = 'The TLS handshake did not finish. Press "Reconnect" to start a fresh connection.';
          return;
        }
        this.apply(this.runner.timeout());
      },
      closing ? CLOSE_WAIT_MS : REPLY_TIMEOUT_MS,
    );
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerKey = '';
  }

  private note(kind: EntryKind, text: string): void {
    this.push(kind, text);
  }

  private push(kind: EntryKind, text: string, reply?: number, outcome?: ConsoleEntry['outcome']): void {
    this.entries.push({ id: ++this.entryId, kind, time: Date.now(), text, reply, outcome, inTls: this.runner.state.tlsActive && (kind === 'client' || kind === 'server') });
  }
}
