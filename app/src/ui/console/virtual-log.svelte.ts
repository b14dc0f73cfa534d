// Which of the log's rows are in the DOM. Virtualized: only the rows in view (plus a margin) are
// rendered, so a 10,000-line FETCH stays responsive; the rest stand as two spacers of their
// height. Rows wrap, so each rendered row is measured (row-heights.ts) and the geometry
// (virtual-rows.ts) follows; short logs render every row: cheap at that size, and the browser's
// find-in-page sees them all.
import type { ConsoleEntry } from './entries.ts';
import { RowHeights } from './row-heights.ts';
import { rowsInView } from './virtual-rows.ts';

const ESTIMATE = 24; // px, one row of the log (its min-height), until rows are measured
const MARGIN = 600; // px rendered above and below the viewport
const VIRTUALIZE_ABOVE = 1000; // rows

export class VirtualLog {
  /** The box's scroll position and height, as the log last read them. */
  scrollTop = $state(0);
  viewport = $state(800);
  /** Bumps when a kept height changes, so that the offsets are summed again. */
  #measured = $state(0);
  #heights = new RowHeights();
  #firstId: number | undefined;
  #width = 0;

  readonly count: number;
  /** offsets[i] is row i's top; offsets[count] the height of them all. */
  readonly offsets: Float64Array;
  readonly total: number;
  readonly windowed: boolean;
  /** The rendered rows are [start, end). */
  readonly start: number;
  readonly end: number;
  readonly visible: ConsoleEntry[];

  /** `virtualize` false renders every row (the benchmark's baseline). */
  constructor(entries: () => ConsoleEntry[], virtualize: () => boolean) {
    this.count = $derived(entries().length);
    this.offsets = $derived.by(() => {
      void this.#measured;
      // A new list (the replay loads another transcript): forget the old heights.
      const id = this.count ? entries()[0].id : undefined;
      if (id !== this.#firstId) {
        this.#heights.forget();
        this.#firstId = id;
      }
      return this.#heights.offsets(this.count, ESTIMATE);
    });
    this.total = $derived(this.offsets[this.count]);
    this.windowed = $derived(virtualize() && this.count > VIRTUALIZE_ABOVE);
    const range = $derived<[number, number]>(
      this.windowed ? rowsInView(this.offsets, this.scrollTop, this.viewport, MARGIN) : [0, this.count],
    );
    this.start = $derived(range[0]);
    this.end = $derived(range[1]);
    this.visible = $derived(entries().slice(this.start, this.end));
  }

  /** Reads the height of each rendered row (they carry data-index) after a render. */
  measure(box: ParentNode): void {
    if (!this.windowed) return;
    let changed = false;
    for (const row of box.querySelectorAll<HTMLElement>('[data-index]'))
      if (this.#heights.record(Number(row.dataset.index), row.offsetHeight)) changed = true;
    if (changed) this.#measured++;
  }

  /** The box's size changed: another width wraps rows differently, so measure again from scratch. */
  resized(width: number, height: number): void {
    this.viewport = height;
    if (width !== this.#width) {
      this.#width = width;
      this.#heights.forget();
      this.#measured++;
    }
  }
}
