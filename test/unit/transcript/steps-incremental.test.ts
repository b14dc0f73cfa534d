// The incremental splitter (what the live console feeds) against the batch splitter (what replay
// uses): for every real transcript, fed event by event, its view after each event must equal
// splitSteps of the transcript cut at that event, also when the bytes are re-split at line ends,
// at random points and byte by byte (so the stream often stops inside a line or a literal).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_NAMES, loadExample } from '../../../app/src/transcript/examples/index.ts';
import type { Protocol, Transcript, TranscriptEvent } from '../../../app/src/transcript/model.ts';
import { createRecorder } from '../../../app/src/transcript/recorder.ts';
import { splitSteps, StepSplitter, type Step } from '../../../app/src/transcript/steps.ts';
import { loadFixture } from './load-fixture.ts';
import { prng as rng } from '../../helpers/prng.ts';

const RECORDED_DIR = fileURLToPath(new URL('../../fixtures/transcripts-recorded/', import.meta.url));
const CAPTURED_DIR = fileURLToPath(new URL('../../fixtures/transcripts/', import.meta.url));
const bytesOf = (data: string) => Uint8Array.from(data, (ch) => ch.charCodeAt(0));

/** A captured fixture ({dir, data} chunks) through the real recorder, which marks the credentials. */
function recordCaptured(file: string): Transcript {
  const f = JSON.parse(readFileSync(CAPTURED_DIR + file, 'utf8')) as {
    protocol: Protocol;
    events: Array<{ dir: 'C' | 'S' | 'TLS'; data: string }>;
  };
  let t = 0;
  const r = createRecorder({ protocol: f.protocol, target: `fixture/${file}`, client: 'test' }, { now: () => t++ });
  r.opened({ remote: { target: file, host: '127.0.0.1', address: '127.0.0.1', port: 1 } as never, tls: null });
  for (const e of f.events) {
    if (e.dir === 'C') r.sent(bytesOf(e.data));
    else if (e.dir === 'S') r.received(bytesOf(e.data));
    else {
      const [protocol = '', cipher = ''] = e.data.split(' ');
      r.tls({
        tls: { protocol, cipher, servername: null, certificate: null, verified: false, verifyReason: null },
        discardedPlaintextBytes: 0,
      });
    }
  }
  r.closed('server', 'the server closed the connection');
  return r.transcript();
}

const ALL: Array<[string, Transcript]> = [
  ...readdirSync(RECORDED_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f): [string, Transcript] => [`recorded/${f}`, loadFixture(f)]),
  ...EXAMPLE_NAMES.map((n): [string, Transcript] => [`example/${n}`, loadExample(n)!]),
  ...readdirSync(CAPTURED_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f): [string, Transcript] => [`captured/${f}`, recordCaptured(f)]),
];

/** Cuts every data event into pieces at the offsets `cuts` gives; secret ranges follow their bytes. */
function rechunk(t: Transcript, cuts: (data: Uint8Array) => number[]): Transcript {
  const events = t.events.flatMap((e): TranscriptEvent[] => {
    if (e.kind !== 'sent' && e.kind !== 'received') return [e];
    const at = [0, ...cuts(e.data).filter((c) => c > 0 && c < e.data.length), e.data.length];
    return at.slice(1).map((end, k) => {
      const start = at[k]!;
      const secret = (e.secret ?? [])
        .filter((r) => r.end > start && r.start < end)
        .map((r) => ({ start: Math.max(r.start, start) - start, end: Math.min(r.end, end) - start }));
      return { ...e, data: e.data.slice(start, end), ...(secret.length ? { secret } : { secret: undefined }) };
    });
  });
  return { ...t, events };
}
const lineEnds = (d: Uint8Array) => Array.from(d).flatMap((b, i) => (b === 10 ? [i + 1] : []));
const randomCuts = (seed: number) => {
  const r = rng(seed);
  return (d: Uint8Array) => {
    const out: number[] = [];
    for (let p = 1 + Math.floor(r() * 40); p < d.length; p += 1 + Math.floor(r() * 40)) out.push(p);
    return out;
  };
};
const everyByte = (d: Uint8Array) => Array.from(d, (_, i) => i);

/** A deep copy: the splitter's view is only good until its next push. */
const copy = (steps: readonly Step[]) => structuredClone([...steps]);

/** Feeds `t` event by event; after each event listed in `checkAt` (all when omitted), compares. */
function compareAtPrefixes(t: Transcript, checkAt?: (k: number) => boolean): number {
  const s = new StepSplitter(t.meta);
  let compared = 0;
  t.events.forEach((e, i) => {
    s.push(e);
    const k = i + 1;
    if (checkAt && !checkAt(k) && k !== t.events.length) return;
    expect(copy(s.view()), `after event ${k} of ${t.events.length}`).toEqual(
      splitSteps({ ...t, events: t.events.slice(0, k) }),
    );
    compared++;
  });
  expect(copy(s.end())).toEqual(splitSteps(t));
  return compared;
}

describe('StepSplitter gives the batch steps at every point of a stream', () => {
  it('covers every real transcript fixture, in all three protocols', () => {
    expect(ALL.length).toBeGreaterThanOrEqual(19);
    expect(new Set(ALL.map(([, t]) => t.meta.protocol))).toEqual(new Set(['smtp', 'imap', 'pop3']));
  });

  for (const [name, t] of ALL) {
    describe(name, () => {
      it('as recorded, event by event', () => {
        expect(compareAtPrefixes(t)).toBe(t.events.length);
      });
      it('line by line', () => {
        const lines = rechunk(t, lineEnds);
        expect(lines.events.length).toBeGreaterThanOrEqual(t.events.length);
        compareAtPrefixes(lines);
      });
      it('at random split points (3 seeds), so the stream often stops inside a line', () => {
        for (const seed of [1, 2, 3]) compareAtPrefixes(rechunk(t, randomCuts(seed)));
      });
      it('byte by byte (compared every 37 bytes and at the end)', () => {
        const bytes = rechunk(t, everyByte);
        expect(compareAtPrefixes(bytes, (k) => k % 37 === 0)).toBeGreaterThan(1);
      });
    });
  }
});

describe('StepSplitter views mid-line', () => {
  it('shows a partial reply on its step, then takes it back when the rest of the line arrives', () => {
    const s = new StepSplitter({ protocol: 'smtp', target: 'h:1' });
    const ev = (kind: 'sent' | 'received', text: string, t: number): TranscriptEvent => ({
      t,
      kind,
      data: new TextEncoder().encode(text),
    });
    s.push(ev('received', '220 hi\r\n', 0));
    s.push(ev('sent', 'EHLO x\r\n', 1));
    s.push(ev('received', '250-a\r\n250 b', 2));
    const mid = copy(s.view());
    expect(mid.map((x) => `${x.label}:${x.status}:${x.complete}`)).toEqual(['greeting:220:true', 'EHLO x:null:false']);
    // "250-a" is a whole line of the reply; "250 b" is shown on the step, not yet as its status.
    expect(mid[1]!.received).toEqual([
      { event: 2, start: 0, end: 7 },
      { event: 2, start: 7, end: 12 },
    ]);
    s.push(ev('received', '\r\n', 3));
    const done = copy(s.view());
    expect(done[1]).toMatchObject({ status: '250', statusLine: '250 b', complete: true, events: [1, 2, 3] });
    expect(done[1]!.received).toEqual([
      { event: 2, start: 0, end: 7 },
      { event: 2, start: 7, end: 12 },
      { event: 3, start: 0, end: 2 },
    ]);
  });

  it('a half-typed client line is a step in the view only until it is finished', () => {
    const s = new StepSplitter({ protocol: 'pop3', target: 'h:1' });
    s.push({ t: 0, kind: 'received', data: new TextEncoder().encode('+OK hi\r\n') });
    s.push({ t: 1, kind: 'sent', data: new TextEncoder().encode('ST') });
    expect(s.view().map((x) => x.label)).toEqual(['greeting', 'ST']);
    s.push({ t: 2, kind: 'sent', data: new TextEncoder().encode('AT\r\n') });
    s.push({ t: 3, kind: 'received', data: new TextEncoder().encode('+OK 1 20\r\n') });
    expect(s.view().map((x) => `${x.label}:${x.status}`)).toEqual(['greeting:+OK', 'STAT:+OK']);
    expect(s.eventCount).toBe(4);
  });
});

describe('StepSplitter on a pipelined burst', () => {
  it('2,500 NOOPs sent at once, replies in odd chunks: the same steps as the batch splitter along the way', () => {
    const n = 2500;
    const r = createRecorder({ protocol: 'smtp', target: 'practice/smtp', client: 'test' }, { now: () => 0 });
    r.received('220 ready\r\n');
    r.sent(Array(n).fill('NOOP\r\n').join(''));
    const replies = new TextEncoder().encode(Array.from({ length: n }, (_, i) => `250 2.0.0 OK ${i}\r\n`).join(''));
    const next = rng(7);
    for (let p = 0; p < replies.length;) {
      const len = 1 + Math.floor(next() * 300);
      r.received(replies.slice(p, p + len));
      p += len;
    }
    r.closed('client', 'done');
    const t = r.transcript();
    expect(compareAtPrefixes(t, (k) => k % 25 === 0)).toBeGreaterThan(10);
    const steps = splitSteps(t);
    expect(steps).toHaveLength(n + 2);
    expect(steps.slice(1, -1).every((s, i) => s.label === 'NOOP' && s.statusLine === `250 2.0.0 OK ${i}`)).toBe(true);
  });
});
