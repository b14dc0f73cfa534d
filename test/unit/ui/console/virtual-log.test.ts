import { describe, expect, it } from 'vitest';
import type { ConsoleEntry } from '../../../../app/src/ui/console/entries.ts';
import { VirtualLog } from '../../../../app/src/ui/console/virtual-log.svelte.ts';

const entries = (n: number): ConsoleEntry[] =>
  Array.from({ length: n }, (_, id) => ({ id, kind: 'server', time: 0, text: `250 ${id}\r\n` }));

/** What measure() reads: the rendered rows, each with its index and height. */
const rendered = (from: number, to: number, height: number) =>
  ({
    querySelectorAll: () =>
      Array.from({ length: to - from }, (_, k) => ({ dataset: { index: String(from + k) }, offsetHeight: height })),
  }) as unknown as ParentNode;

describe('VirtualLog', () => {
  it('renders every row of a short log, or when told not to virtualize', () => {
    const short = new VirtualLog(
      () => entries(10),
      () => true,
    );
    expect([short.windowed, short.start, short.end, short.visible.length]).toEqual([false, 0, 10, 10]);
    const all = new VirtualLog(
      () => entries(5000),
      () => false,
    );
    expect([all.windowed, all.end, all.total]).toEqual([false, 5000, 5000 * 24]);
  });

  it('renders the rows in view and a margin of a long log, and follows the scroll position', () => {
    const log = new VirtualLog(
      () => entries(5000),
      () => true,
    );
    log.resized(600, 240);
    expect(log.windowed).toBe(true);
    expect([log.start, log.end]).toEqual([0, 36]); // 240 px in view + 600 px margin, at 24 px a row
    log.scrollTop = 24 * 1000;
    expect([log.start, log.end]).toEqual([974, 1036]);
    expect(log.visible[0].id).toBe(974);
  });

  it('sums measured heights, the rest at their mean, and measures again at another width', () => {
    const log = new VirtualLog(
      () => entries(2000),
      () => true,
    );
    log.resized(600, 240);
    expect(log.total).toBe(2000 * 24); // the render reads the geometry before the rows are measured
    log.measure(rendered(0, 36, 48));
    expect(log.offsets[36]).toBe(36 * 48);
    expect(log.total).toBe(2000 * 48); // unmeasured rows count at the mean of the measured
    log.resized(600, 480); // taller, same width: heights kept
    expect(log.total).toBe(2000 * 48);
    log.resized(900, 480); // wider: rows wrap differently
    expect(log.total).toBe(2000 * 24);
  });
});
