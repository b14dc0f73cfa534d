// Plays every lesson in lessons/ against the real practice server, through the real bridge, with
// the app's own BridgeSocket driven by the app's LessonRunner, exactly as the lesson UI does with
// "type it for me": each step's send (placeholders filled) goes over the WebSocket, the reply is
// collected until it is whole, and its check must pass. A lesson that no longer matches the server
// fails here. A second test stops halfway, stores the progress, and resumes it in a new runner.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { BridgeSocket, type WebSocketConstructor } from '../../../app/src/bridge/socket.ts';
import {
  LessonRunner,
  currentStep,
  deserializeProgress,
  emptyProgress,
  isLessonComplete,
  loadLessons,
  newNonce,
  serializeProgress,
  type PlaceholderValues,
  type RunnerEffect,
} from '../../../app/src/lessons/index.ts';
import { configWithDefaults } from '../../../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { farawayDomain, greylistDelayFor, greylistDomain, outageDomain } from '../../../bridge/practice/domains/relay.ts';
import { startMailwire, type RunningMailwire } from '../../../bridge/start.ts';
import { EPHEMERAL_PORTS } from '../../helpers/practice-ports.ts';

const dir = fileURLToPath(new URL('../../../lessons/', import.meta.url));
const files = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .map((f) => [`/lessons/${f}`, readFileSync(dir + f, 'utf8')]),
);
const { lessons, errors } = loadLessons(files);

const REPLY_TIMEOUT_MS = 8000;
/** The greylist's minimum delay for this run: short, but long enough that an immediate retry is early. */
const GREYLIST_DELAY_MS = 1500;

/** Wakes whoever waits when something happened on a socket. */
class Signal {
  private waiters: (() => void)[] = [];
  wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
  /** Resolves true when woken, false after `ms`. */
  wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }
}

/** What the MIME studio would hand over: a real multipart/mixed message with a PNG, made by nodemailer. */
async function studioMessage(values: PlaceholderValues): Promise<string> {
  // A 1x1 PNG, so the image part is a real image.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const address = `${values.user}@${values.domain}`;
  const info = await transport.sendMail({
    from: address,
    to: address,
    subject: `A picture ${values.nonce}`,
    text: 'Here is a tiny picture.',
    attachments: [{ filename: 'dot.png', content: png, contentType: 'image/png' }],
  });
  return (info.message as Buffer).toString('utf8');
}

/**
 * Drives a LessonRunner over BridgeSockets the way the UI does, pressing "type it for me" at every
 * command step, until the lesson is done or `stopAt` steps are passed. Returns the runner.
 */
/** Called before the runner goes on at each step index (the outage lesson's switch of mx.outage.test). */
type StepHook = (stepIndex: number) => Promise<void>;

async function play(runner: LessonRunner, wsUrl: string, values: PlaceholderValues, stopAt = Infinity, waits = { greylist: 0 }, onStep: StepHook = async () => {}): Promise<LessonRunner> {
  const signal = new Signal();
  let socket: BridgeSocket | null = null;
  let bridgeError: string | null = null;
  const perform = (effects: RunnerEffect[]) => {
    for (const e of effects) {
      if (e.type === 'open') {
        socket?.close();
        const s = new BridgeSocket(wsUrl, WebSocket as unknown as WebSocketConstructor);
        const live = (f: () => RunnerEffect[]) => () => {
          if (socket === s) perform(f()); // late events of an old socket are dropped
          signal.wake();
        };
        s.onOpened = (m) => live(() => runner.opened(m.tls !== null))();
        s.onData = (b) => live(() => runner.data(b))();
        s.onTls = live(() => runner.tlsReady());
        s.onClosed = live(() => runner.closed());
        s.onError = (m) => {
          if (socket === s) bridgeError = `${m.code}: ${m.message}`;
          signal.wake();
        };
        socket = s;
        s.open({ target: e.target }, e.scenario ?? undefined);
      } else if (e.type === 'send') socket!.send(e.text);
      else if (e.type === 'starttls') socket!.startTls();
      else if (e.type === 'wait')
        // A `wait:` step: the runner's own bounded re-asks, on a timer as in the UI.
        setTimeout(() => {
          perform(runner.recheck());
          signal.wake();
        }, e.ms);
      else socket?.close();
    }
  };
  const describeStep = () => {
    const step = runner.step;
    const result = runner.state.result;
    return `${runner.lesson.fileName}:${step?.line} "${step?.title}" (phase ${runner.state.phase})
sent: ${JSON.stringify(step?.send)}
reply: ${JSON.stringify(runner.state.reply)}
check: ${result && !result.pass ? result.message : String(result?.pass)}`;
  };
  try {
    await onStep(0);
    perform(runner.start());
    while (runner.state.phase !== 'done' && runner.state.stepIndex < stopAt) {
      await onStep(runner.state.stepIndex);
      const phase = runner.state.phase;
      expect(bridgeError, describeStep()).toBeNull();
      if (phase === 'failed' && greylistedTooSoon(runner) && waits.greylist === 0) {
        // What the lesson tells the learner and what a real MTA does: wait, then send it again.
        waits.greylist++;
        await new Promise((r) => setTimeout(r, GREYLIST_DELAY_MS + 200));
        perform(runner.retry());
      } else if (phase === 'failed') expect.fail(describeStep());
      else if (phase === 'ready') perform(runner.typeItForMe());
      else if (phase === 'studio') {
        values.studio = await studioMessage(values);
        perform(runner.studioBuilt(values.studio));
      } else if (!(await signal.wait(REPLY_TIMEOUT_MS))) {
        // Nothing happened in time: let the runner judge what arrived (it fails with a reason).
        expect(phase, `${describeStep()}\n(no TLS within ${REPLY_TIMEOUT_MS} ms)`).not.toBe('upgrading');
        perform(runner.timeout());
      }
    }
  } finally {
    (socket as BridgeSocket | null)?.close();
  }
  return runner;
}

/** The step failed on a 451 4.7.1 greylisting refusal (the retry came before the minimum delay). */
function greylistedTooSoon(runner: LessonRunner): boolean {
  return runner.lesson.scenario === 'greylist' && /^451[ -]4\.7\.1 Greylisted/m.test(runner.state.reply);
}

const freshValues = (): PlaceholderValues => ({ user: 'alice', password: 'practice', domain: 'practice.test', peer: 'bob', nonce: newNonce() });

describe('every lesson plays against the practice server through the bridge', () => {
  let dataDir = '';
  let bridge: RunningMailwire;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mw-lessons-'));
    // One server for all lessons: a lesson's scenario travels with its `open` and holds for that
    // connection only, so it must not leak into the lessons played after it.
    // The practice internet too (faraway.test, the MTA), on ephemeral ports with a short retry, for
    // the lessons that follow a message to another domain.
    // greylist.test greylists for half the first retry delay, as `npm start` has it (greylistDelayFor).
    const ports = { smtpPort: 0, imapsPort: 0 };
    // Three retries a second apart: the outage lesson's MX comes back after the first try, before the last.
    const retrySeconds = [1, 1, 1];
    const relay = { domains: [farawayDomain(ports), greylistDomain(ports, greylistDelayFor(retrySeconds)), outageDomain(ports)], retrySeconds, timeoutMs: 3000 };
    const practice = practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS, scenarios: { greylistDelayMs: GREYLIST_DELAY_MS }, relay });
    bridge = await startMailwire(configWithDefaults({ dataDir, host: '127.0.0.1', port: 0, practice }), { log: () => {} });
  });

  afterAll(async () => {
    await bridge?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** POST /api/practice/outage from the page's origin, as the queue view's buttons do. */
  const switchOutage = async (down: boolean) => {
    const res = await fetch(new URL('/api/practice/outage', bridge.url), {
      method: 'POST',
      headers: { origin: new URL(bridge.url).origin, 'content-type': 'application/json' },
      body: JSON.stringify({ down }),
    });
    expect(res.status).toBe(200);
  };
  /**
   * What the learner does in the queue view during smtp-queue-mx-outage: take mx.outage.test down
   * before the first step, and bring it back at "Say goodbye" once the first try has been refused.
   */
  const outageHook = (id: string): StepHook => {
    if (id !== 'smtp-queue-mx-outage') return async () => {};
    const lesson = lessons.find((l) => l.id === id)!;
    const upAt = lesson.steps.findIndex((s) => s.title === 'Say goodbye');
    let up = false;
    return async (stepIndex) => {
      if (stepIndex === 0 && !up) await switchOutage(true);
      else if (stepIndex >= upAt && !up) {
        const mta = bridge.practice!.relay!.mta;
        await expect.poll(() => mta.queue().find((m) => m.domain === 'outage.test')?.attempts ?? 0, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
        await switchOutage(false);
        up = true;
      }
    };
  };

  it('finds the lessons', () => {
    expect(errors).toEqual([]);
    expect(lessons.length).toBeGreaterThanOrEqual(14);
  });

  for (const lesson of lessons) {
    it(`${lesson.id}`, async () => {
      const values = freshValues();
      const waits = { greylist: 0 };
      const runner = await play(new LessonRunner(lesson, values, emptyProgress()), bridge.wsUrl, values, Infinity, waits, outageHook(lesson.id));
      expect(runner.state.phase).toBe('done');
      expect(runner.state.progress.lessons[lesson.id].completed).toEqual(lesson.steps.map((s) => s.id));
      // The greylist enforces its minimum delay: the immediate retry was refused, the late one passed.
      expect(waits.greylist).toBe(lesson.scenario === 'greylist' ? 1 : 0);
    });
  }

  it('smtp-queue-greylist: its letter was deferred once with 451 4.7.1 by mx.greylist.test, then delivered', () => {
    const mta = bridge.practice!.relay!.mta;
    const gone = mta.recent().find((r) => r.domain === 'greylist.test');
    expect(gone?.outcome).toBe('delivered');
    const said = (n: number) =>
      mta
        .transcript(gone!.id, n)!
        .transcript.events.filter((e) => e.kind === 'received')
        .map((e) => new TextDecoder().decode((e as { data: Uint8Array }).data))
        .join('');
    expect(said(1)).toMatch(/^451 4\.7\.1 Greylisted/m);
    expect(said(2)).not.toMatch(/^451 /m);
    expect(mta.transcript(gone!.id, 3)).toBeNull();
  });

  it('smtp-queue-mx-outage: its letter was refused while mx.outage.test was down, then delivered', () => {
    const mta = bridge.practice!.relay!.mta;
    const gone = mta.recent().find((r) => r.domain === 'outage.test');
    expect(gone?.outcome).toBe('delivered');
    // The first session never opened: the connect was refused.
    expect(mta.transcript(gone!.id, 1)!.transcript.events).toEqual([expect.objectContaining({ kind: 'error', code: 'CONNECT_FAILED', message: expect.stringMatching(/ECONNREFUSED/) })]);
    // The session after it came back opened and handed the letter over; it was the last.
    let n = 1;
    while (mta.transcript(gone!.id, n + 1)) n++;
    expect(n).toBeGreaterThanOrEqual(2);
    expect(mta.transcript(gone!.id, n)!.transcript.events[0]).toMatchObject({ kind: 'opened' });
  });

  it('the greylisting step takes a sender that already passed in an earlier run (250 at once)', async () => {
    const lesson = lessons.find((l) => l.scenario === 'greylist')!;
    const values = freshValues();
    const first = { greylist: 0 };
    await play(new LessonRunner(lesson, values, emptyProgress()), bridge.wsUrl, values, Infinity, first);
    expect(first.greylist).toBe(1);
    // Same nonce, so the same sender: the triplet is known now, no 451 and no wait.
    const again = { greylist: 0 };
    const runner = await play(new LessonRunner(lesson, values, emptyProgress()), bridge.wsUrl, values, Infinity, again);
    expect(runner.state.phase).toBe('done');
    expect(again.greylist).toBe(0);
  });

  it("a lesson's scenario holds for its own connection only", async () => {
    const full = lessons.find((l) => l.scenario === 'mailboxFull')!;
    const plain = lessons.find((l) => l.id === 'smtp-first-conversation')!;
    // The scenario lesson expects 452 at RCPT; the plain one, right after on the same server, 250.
    for (const lesson of [full, plain, full]) {
      const values = freshValues();
      const runner = await play(new LessonRunner(lesson, values, emptyProgress()), bridge.wsUrl, values);
      expect(runner.state.phase, lesson.id).toBe('done');
    }
  });

  it('a lesson stopped halfway resumes from stored progress in a new runner', async () => {
    const lesson = lessons.find((l) => l.id === 'smtp-auth-plain')!;
    const login = lesson.steps.findIndex((s) => s.send?.includes('{password}}'));
    // First visit: stop just before the login step (after STARTTLS and the second EHLO).
    const values = freshValues();
    const first = await play(new LessonRunner(lesson, values, emptyProgress()), bridge.wsUrl, values, login);
    const stored = serializeProgress(first.state.progress);
    expect(currentStep(deserializeProgress(stored), lesson)).toBe(login);
    // "Reload the page": a new runner from the stored string reconnects, replays TLS, and logs in.
    const second = await play(new LessonRunner(lesson, values, deserializeProgress(stored)), bridge.wsUrl, values);
    expect(second.state.phase).toBe('done');
    expect(isLessonComplete(second.state.progress, lesson)).toBe(true);
  });
});
