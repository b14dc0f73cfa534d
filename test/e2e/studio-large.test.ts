// Issue 5 acceptance, "the UI does not freeze": attaching a 10 MB file in the studio generates
// the message in a Web Worker, so the page keeps drawing frames while the 13.7 MB message is
// built, and the raw view elides the base64 body instead of rendering 13 MB of text.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64EncodedLength } from '../../app/src/mime/encode/base64.ts';
import { attachAndWatch, openStudioOnMultipart } from '../helpers/studio-probe.ts';
import { hasChromium, startPlayground, type Playground } from './harness.ts';

const SIZE = 10 * 1024 * 1024;
// Generous: the machine is shared and noisy. A worker guarantees the main thread is not blocked
// for the whole generation; it cannot guarantee smooth 16 ms frames under load.
const MAX_STALL_MS = 1000;

describe.skipIf(!hasChromium)('MIME studio with a 10 MB attachment (needs /usr/bin/chromium)', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 120_000);
  afterAll(async () => pg?.close());

  // One retry: on this shared 2-core machine the OS sometimes deschedules the browser for a
  // second at a time; a real freeze (generate on the main thread) fails both attempts.
  it(
    'keeps drawing frames while the message is generated, then shows the size and an elided body',
    { retry: 1, timeout: 60_000 },
    async () => {
      const page = await pg.newPage();
      let run;
      try {
        await openStudioOnMultipart(page);
        run = await attachAndWatch(page, new Uint8Array(randomBytes(SIZE)), 'big.bin', 25_000);
        await pg.screenshot(page, 'studio-large');
      } finally {
        await page.close();
      }
      const detail = `frame gaps over 50 ms [after change, gap, busy]: ${JSON.stringify(run.gaps)}; long tasks [after change, ms]: ${JSON.stringify(run.tasks)}`;

      // Frames were drawn while the raw view said "generating…": the generator ran elsewhere
      // (a generate on the main thread never shows that state and draws nothing meanwhile).
      expect(run.busyFrames, detail).toBeGreaterThanOrEqual(2);
      expect(run.maxFrameGapMs, detail).toBeLessThan(MAX_STALL_MS);
      if (run.longestTaskMs !== null) expect(run.longestTaskMs, detail).toBeLessThan(MAX_STALL_MS);

      // 10 MiB in base64 lines of 76 + CRLF is about 14.2 million bytes, plus headers.
      expect(run.byteCount).toBeGreaterThan(13_000_000);
      expect(run.byteCount).toBeGreaterThan(base64EncodedLength(SIZE));
      expect(run.byteCount).toBeLessThan(base64EncodedLength(SIZE) + 10_000);

      // The raw view shows the base64 body's head and tail with "… N more bytes …" between.
      expect(run.rawTextLength).toBeLessThan(100_000);
      const elided = [...run.rawText.matchAll(/… ([\d,.\s\u00a0\u202f]+) more bytes …/g)].map((m) =>
        Number(m[1].replace(/\D/g, '')),
      );
      expect(Math.max(0, ...elided)).toBeGreaterThan(13_000_000);

      // The tree row shows the part's size before and after base64.
      const encodedMiB = (base64EncodedLength(SIZE) / 1048576).toFixed(2);
      expect(run.sizeText).toContain(`10.00 MiB → ${encodedMiB} MiB`);
      expect(run.sizeText).toContain('base64');
    },
  );
});
