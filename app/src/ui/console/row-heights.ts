// The measured heights of the log's rows, for the virtualized log (virtual-log.svelte.ts). Rows
// wrap, so each rendered row's height is kept by index; rows never rendered count with the mean of
// those measured (or a fixed estimate before any), so the scrollbar barely moves as rows get
// measured. Pure: numbers in, numbers out.
import { prefixOffsets } from './virtual-rows.ts';

export class RowHeights {
  #heights: number[] = [];
  /** Sum and count of the measured heights, for their mean. */
  #sum = 0;
  #count = 0;

  /** Keeps row `index`'s height; true when it differs from what was kept (0 is not a height). */
  record(index: number, height: number): boolean {
    const old = this.#heights[index];
    if (!(height > 0) || old === height) return false;
    if (old === undefined) this.#count++;
    this.#sum += height - (old ?? 0);
    this.#heights[index] = height;
    return true;
  }

  /** Another list, or another width that wraps rows differently: measure again from scratch. */
  forget(): void {
    this.#heights = [];
    this.#sum = 0;
    this.#count = 0;
  }

  /** What a row not measured yet counts as. */
  estimate(fallback: number): number {
    return this.#count ? this.#sum / this.#count : fallback;
  }

  /** The tops of `count` rows and, last, their total height (virtual-rows.ts). */
  offsets(count: number, fallback: number): Float64Array {
    return prefixOffsets(count, this.#heights, this.estimate(fallback));
  }
}
