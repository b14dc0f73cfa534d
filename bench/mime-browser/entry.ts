// Page entry for bench/mime-browser.ts: the MIME module built by Vite, with timing hooks on
// window. One round times each side once, so the Node side can interleave rounds and take
// medians while every side sees the same machine load.
import { encodeBase64Lines } from '../../app/src/mime/encode/base64.ts';
import { attachment, generate, multipart, seededRandom, text, type MimeMessage } from '../../app/src/mime/index.ts';

export interface RoundTimes {
  generateMs: number;
  base64Ms: number;
  btoaMs: number;
  toBase64Ms: number | null;
  outputBytes: number;
}

export interface MimeBench {
  setup(size: number): { size: number; hasToBase64: boolean };
  round(seed: number): RoundTimes;
}

declare global {
  interface Window {
    mimeBench: MimeBench;
  }
}

type WithToBase64 = Uint8Array & { toBase64?: () => string };

let data: Uint8Array = new Uint8Array(0);
let binary = '';
let message: MimeMessage | null = null;
const sink: unknown[] = []; // keeps results reachable so no step is optimised away

function randomBytes(size: number): Uint8Array {
  const out = new Uint8Array(size);
  // getRandomValues fills at most 65536 bytes per call.
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(i + 65536, size)));
  return out;
}

function binaryString(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 0x8000) parts.push(String.fromCharCode(...bytes.subarray(i, i + 0x8000)));
  return parts.join('');
}

function time<T>(f: () => T): [number, T] {
  const t = performance.now();
  const r = f();
  return [performance.now() - t, r];
}

window.mimeBench = {
  setup(size) {
    data = randomBytes(size);
    binary = binaryString(data); // built once: only btoa itself is timed
    message = {
      headers: [
        { name: 'From', value: 'a@practice.test' },
        { name: 'To', value: 'b@practice.test' },
        { name: 'Subject', value: 'Big file' },
      ],
      body: multipart('mixed', [
        text('A 10 MB file is attached.\n'),
        attachment('application/octet-stream', data, { filename: 'big.bin' }),
      ]),
    };
    return { size, hasToBase64: typeof (data as WithToBase64).toBase64 === 'function' };
  },
  round(seed) {
    if (!message) throw new Error('call setup() first');
    sink.length = 0;
    const [generateMs, g] = time(() => generate(message!, { random: seededRandom(seed) }));
    sink.push(g);
    const [base64Ms, b] = time(() => encodeBase64Lines(data));
    sink.push(b);
    const [btoaMs, s] = time(() => btoa(binary));
    sink.push(s);
    const own = data as WithToBase64;
    let toBase64Ms: number | null = null;
    if (typeof own.toBase64 === 'function') {
      const [ms, t] = time(() => own.toBase64!());
      toBase64Ms = ms;
      sink.push(t);
    }
    return { generateMs, base64Ms, btoaMs, toBase64Ms, outputBytes: g.bytes.length };
  },
};
document.getElementById('status')!.textContent = 'ready';
