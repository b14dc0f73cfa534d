// Test helpers: load the transcript fixtures and feed them in odd chunk sizes.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prng as rng } from '../../helpers/prng.ts';

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/transcripts/', import.meta.url));

export interface FixtureEvent {
  dir: 'C' | 'S' | 'TLS';
  data: string;
  synthetic?: boolean;
}
export interface Fixture {
  name: string;
  protocol: 'smtp' | 'imap' | 'pop3';
  source: string;
  events: FixtureEvent[];
}

export function loadFixture(name: string): Fixture {
  const data = JSON.parse(readFileSync(FIXTURE_DIR + name, 'utf8'));
  return { name, ...data };
}

export function fixturesFor(protocol: Fixture['protocol']): Fixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .map(loadFixture)
    .filter((f) => f.protocol === protocol);
}

/** Fixture data holds one char per byte (latin-1 code points). */
export function bytesOf(data: string): Uint8Array {
  return Uint8Array.from(data, (ch) => ch.charCodeAt(0));
}

/** What the learner's client sent, as text (the bytes are UTF-8). */
export function textOf(data: string): string {
  return new TextDecoder().decode(bytesOf(data));
}

export function serverBytes(f: Fixture): Uint8Array {
  return bytesOf(
    f.events
      .filter((e) => e.dir === 'S')
      .map((e) => e.data)
      .join(''),
  );
}

export { rng };

export type Chunking = { name: string; split: (b: Uint8Array) => Uint8Array[] };

export const CHUNKINGS: Chunking[] = [
  { name: 'whole', split: (b) => [b] },
  { name: 'byte by byte', split: (b) => Array.from(b, (_, i) => b.subarray(i, i + 1)) },
  {
    name: 'chunks of 7',
    split: (b) => Array.from({ length: Math.ceil(b.length / 7) }, (_, i) => b.subarray(i * 7, i * 7 + 7)),
  },
  ...[1, 2, 3].map((seed) => ({
    name: `random splits (seed ${seed})`,
    split: (b: Uint8Array) => {
      const r = rng(seed);
      const out: Uint8Array[] = [];
      for (let i = 0; i < b.length;) {
        const n = 1 + Math.floor(r() * 40);
        out.push(b.subarray(i, i + n));
        i += n;
      }
      return out;
    },
  })),
];

/** Replay a fixture through a console, server chunks re-split by `chunking`. */
export function replay<R>(
  f: Fixture,
  c: { sent(t: string): void; received(b: Uint8Array): R[]; closed(): R[]; tlsStarted(): void },
  chunking: Chunking = CHUNKINGS[0],
  close = true,
): R[] {
  const out: R[] = [];
  for (const e of f.events) {
    if (e.dir === 'C') c.sent(textOf(e.data));
    else if (e.dir === 'TLS') c.tlsStarted();
    else for (const part of chunking.split(bytesOf(e.data))) out.push(...c.received(part));
  }
  if (close) out.push(...c.closed());
  return out;
}
