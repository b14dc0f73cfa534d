// Benchmark: generating a message with a 10 MB attachment, beside the bare base64 step it
// cannot avoid. The ratio shows the generator's own overhead (headers, boundary search,
// joining chunks). Run: npx tsx bench/mime.ts (or through bench/run.ts via run()).
import { encodeBase64Lines } from '../app/src/mime/encode/base64.ts';
import { generate } from '../app/src/mime/generate.ts';
import { seededRandom } from '../app/src/mime/headers.ts';
import { attachment, multipart, text, type MimeMessage } from '../app/src/mime/tree.ts';
import { median } from './stats.ts';

const SIZE = 10 * 1024 * 1024;
const ROUNDS = 5;

// The same file runs in the browser later (from the studio), so Node globals are optional.
function runtime(): string {
  const p = (globalThis as { process?: { version?: string } }).process;
  return p?.version ? `Node ${p.version}` : (globalThis.navigator?.userAgent ?? 'unknown runtime');
}

export async function run(): Promise<{ generateMs: number; base64Ms: number; ratio: number }> {
  const data = seededRandom(10)(SIZE);
  const message: MimeMessage = {
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
  const gen: number[] = [];
  const b64: number[] = [];
  let outSize = 0;
  // Interleaved rounds so both sides see the same machine load; the first round warms up.
  for (let i = 0; i <= ROUNDS; i++) {
    let t = performance.now();
    const g = generate(message, { random: seededRandom(i + 1) });
    const genMs = performance.now() - t;
    outSize = g.bytes.length;
    t = performance.now();
    encodeBase64Lines(data);
    const b64Ms = performance.now() - t;
    if (i > 0) {
      gen.push(genMs);
      b64.push(b64Ms);
    }
  }
  const generateMs = median(gen);
  const base64Ms = median(b64);
  const ratio = generateMs / base64Ms;
  console.log(
    `mime: generate message with 10 MB attachment: ${generateMs.toFixed(1)} ms (output ${(outSize / 1048576).toFixed(2)} MiB)`,
  );
  console.log(`mime: bare base64 of 10 MB:                    ${base64Ms.toFixed(1)} ms`);
  console.log(
    `mime: ratio generate / base64:                 ${ratio.toFixed(2)}x (median of ${ROUNDS}, ${runtime()})`,
  );
  return { generateMs, base64Ms, ratio };
}

const argv1 = (globalThis as { process?: { argv?: string[] } }).process?.argv?.[1];
if (argv1 && import.meta.url === `file://${argv1}`) await run();
