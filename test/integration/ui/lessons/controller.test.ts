// The lesson controller in Node, against a real mailwire (bridge + practice server on loopback,
// free ports) with `ws` standing in for the browser's WebSocket: what the learner sends reaches
// the server, a wrong command fails with the checker's explanation, progress is stored and a new
// controller resumes from it by replaying the passed steps, and passwords never reach the log.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadLessons, PROGRESS_STORAGE_KEY, type Lesson, type RunnerPhase } from '../../../../app/src/lessons/index.ts';
import type { WebSocketConstructor } from '../../../../app/src/bridge/socket.ts';
import { LessonController, type StorageLike } from '../../../../app/src/ui/lessons/controller.svelte.ts';
import { configWithDefaults } from '../../../../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../../../../bridge/practice/defaults.ts';
import { startMailwire, type RunningMailwire } from '../../../../bridge/start.ts';
import { EPHEMERAL_PORTS } from '../../../helpers/practice-ports.ts';

const dir = new URL('../../../../lessons/', import.meta.url);
const { lessons } = loadLessons(
  Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .map((f) => [`/lessons/${f}`, readFileSync(new URL(f, dir), 'utf8')]),
  ),
);
const lesson = (id: string): Lesson => lessons.find((l) => l.id === id)!;

class MemoryStorage implements StorageLike {
  data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const readyAt = (c: LessonController, step: number) => until(`step ${step} ready (at ${c.stepIndex} ${c.phase})`, () => c.stepIndex === step && c.phase === 'ready');
const clientLines = (c: LessonController) => c.entries.filter((e) => e.kind === 'client').map((e) => e.text.trimEnd());

describe('LessonController against the practice server', () => {
  let mailwire: RunningMailwire;
  let dataDir: string;
  const controllers: LessonController[] = [];
  const make = (l: Lesson, storage: StorageLike) => {
    const c = new LessonController(l, { wsUrl: mailwire.wsUrl, storage, WebSocketImpl: WebSocket as unknown as WebSocketConstructor });
    controllers.push(c);
    return c;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mw-lesson-ctl-'));
    mailwire = await startMailwire(configWithDefaults({ dataDir, port: 0, practice: practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS }) }), { log: () => {} });
  });

  afterAll(async () => {
    for (const c of controllers) c.dispose();
    await mailwire?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('checks typed commands, explains a wrong one, stores progress, and resumes by replaying', async () => {
    const storage = new MemoryStorage();
    const first = make(lesson('smtp-first-conversation'), storage);
    first.start();
    await readyAt(first, 1); // the greeting passed on its own
    first.submit('EHLO client.example');
    await readyAt(first, 2);

    first.submit('MAIL FROM alice@practice.test');
    await until('the failure', () => first.phase === 'failed');
    expect(first.result?.pass).toBe(false);
    expect(first.result && !first.result.pass && first.result.message).toMatch(/^Expected 250 2\.1\.0 but the server answered 501 5\.1\.7: that means /);
    expect(first.stepIndex).toBe(2);

    first.submit('MAIL FROM:<alice@practice.test>');
    await readyAt(first, 3);
    const stored = JSON.parse(storage.getItem(PROGRESS_STORAGE_KEY)!);
    expect(stored.lessons['smtp-first-conversation'].completed).toHaveLength(3);
    first.dispose();

    // A new controller (a reload) reconnects and replays EHLO and the correct MAIL FROM only.
    const second = make(lesson('smtp-first-conversation'), storage);
    second.start();
    await readyAt(second, 3);
    expect(clientLines(second)).toEqual(['EHLO client.example', 'MAIL FROM:<alice@practice.test>']);
    expect(second.replayUntil).toBe(3);
    expect(second.canSend).toBe(true);
  });

  it('upgrades with STARTTLS mid-lesson and masks the password in the log', async () => {
    const c = make(lesson('imap-login-capabilities'), new MemoryStorage());
    c.start();
    // Each step: wait until it is ready, then send what "Type it for me" fills in.
    for (let step = 1; step < 20; step++) {
      await until(`step ${step}`, () => (c.stepIndex === step && c.phase === 'ready') || c.phase === 'done' || c.phase === 'failed');
      const phase = c.phase as RunnerPhase;
      expect(phase === 'failed' ? c.result : null).toBe(null);
      if (phase === 'done') break;
      c.submit(c.typeItForMe());
    }
    expect(c.phase).toBe('done');
    expect(c.tlsActive).toBe(true);
    const lines = clientLines(c);
    // One LOGIN, after STARTTLS: none while the server said LOGINDISABLED (RFC 9051 section 6.2.3).
    expect(lines.filter((l) => /LOGIN/.test(l))).toEqual(['a4 LOGIN alice ********']);
    expect(c.entries.some((e) => e.text.includes('practice') && e.kind === 'client')).toBe(false);
    // Commands after the upgrade are marked as sent inside TLS.
    expect(c.entries.find((e) => e.text.startsWith('a3 CAPABILITY'))?.inTls).toBe(true);
    expect(c.entries.find((e) => e.text.startsWith('a4 LOGIN'))?.inTls).toBe(true);
    expect(c.entries.find((e) => e.text.startsWith('a1 CAPABILITY'))?.inTls).toBe(false);
  });
});
