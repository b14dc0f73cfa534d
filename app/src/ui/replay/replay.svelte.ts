// The replay screen's state: which transcript, where the cursor is, and what is visible there.
// Everything is derived from the pure transcript module; no server is needed.
import { createCursor, move, selectedStep, type CursorMove, type ReplayCursor } from '../../transcript/cursor.ts';
import { EXAMPLES, loadExample } from '../../transcript/examples/index.ts';
import { importJson } from '../../transcript/import-json.ts';
import type { Transcript } from '../../transcript/model.ts';
import { partsText, splitSteps, type Step } from '../../transcript/steps.ts';
import { outcomeOfStatus, splitKeepingEnds, type ConsoleEntry } from '../console/entries.ts';
import { createTracker, type ReplyView } from '../console/tracker.ts';

const utf8 = new TextDecoder();
const fromLatin1 = (s: string) => utf8.decode(Uint8Array.from(s, (c) => c.charCodeAt(0)));

export class Replay {
  transcript = $state.raw<Transcript | null>(null);
  name = $state<string | null>(null);
  cursor = $state.raw<ReplayCursor>(createCursor([]));
  error = $state<string | null>(null);

  steps = $derived<Step[]>(this.transcript ? splitSteps(this.transcript) : []);
  step = $derived(selectedStep(this.cursor));

  load(transcript: Transcript, name: string | null, at = 0): void {
    this.transcript = transcript;
    this.name = name;
    this.error = null;
    this.cursor = createCursor(splitSteps(transcript), at);
  }

  loadExample(name: string, at = 0): void {
    const t = loadExample(name);
    if (!t) {
      this.error = `There is no bundled example called "${name}"; pick one of: ${EXAMPLES.map((e) => e.name).join(', ')}.`;
      return;
    }
    this.load(t, name, at);
  }

  importText(text: string): void {
    const r = importJson(text);
    if (!r.ok) this.error = `${r.error.code}: ${r.error.message}`;
    else this.load(r.transcript, null);
  }

  go(m: CursorMove): void {
    this.cursor = move(this.cursor, m);
  }

  goTo(index: number): void {
    this.cursor = createCursor(this.cursor.steps, index);
  }

  /** The console lines visible at the cursor: every step up to it. */
  entries(): ConsoleEntry[] {
    const t = this.transcript;
    if (!t) return [];
    const out: ConsoleEntry[] = [];
    const t0 = Date.parse(t.meta.startedAt);
    let id = 0;
    for (const s of this.cursor.steps.slice(0, this.cursor.index + 1)) {
      const time = t0 + s.t;
      if (s.kind !== 'command' && s.kind !== 'server') {
        out.push({
          id: ++id,
          kind: s.kind === 'tls' ? 'tls' : s.kind === 'error' ? 'error' : 'info',
          time,
          text: s.label,
          reply: s.index,
        });
      }
      const sent = fromLatin1(partsText(t.events, s.sent, true));
      for (const line of splitKeepingEnds(sent)) out.push({ id: ++id, kind: 'client', time, text: line, inTls: s.tls });
      const got = fromLatin1(partsText(t.events, s.received, true));
      const outcome = outcomeOfStatus(s.status);
      for (const line of splitKeepingEnds(got))
        out.push({ id: ++id, kind: 'server', time, text: line, reply: s.index, inTls: s.tls, outcome });
    }
    return out;
  }

  /** The explanation of the selected step's reply, from the same protocol modules as the console. */
  replyAt(): ReplyView | null {
    const t = this.transcript;
    const s = this.step;
    if (!t || !s || s.received.length === 0) return null;
    const tracker = createTracker(t.meta.protocol);
    let last: ReplyView | null = null;
    for (const step of this.cursor.steps.slice(0, this.cursor.index + 1)) {
      if (step.kind === 'tls') tracker.tlsStarted();
      const sent = partsText(t.events, step.sent, true);
      if (sent) tracker.sent(fromLatin1(sent));
      const got = partsText(t.events, step.received, true);
      if (got) {
        const views = tracker.received(Uint8Array.from(got, (c) => c.charCodeAt(0)));
        if (views.length) last = views[views.length - 1];
      }
    }
    return last;
  }
}

export const replay = new Replay();
