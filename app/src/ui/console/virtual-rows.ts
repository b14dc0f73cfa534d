// Row geometry for the virtualized log: pure arithmetic, unit-tested without a browser.

/** offsets[i] = top of row i; offsets[count] = total height. Unknown heights use the estimate. */
export function prefixOffsets(count: number, heights: ArrayLike<number | undefined>, estimate: number): Float64Array {
  const out = new Float64Array(count + 1);
  for (let i = 0; i < count; i++) out[i + 1] = out[i] + (heights[i] ?? estimate);
  return out;
}

/** The index of the first row whose bottom is below `y` (binary search); count when none. */
export function firstRowBelow(offsets: Float64Array, y: number): number {
  const count = offsets.length - 1;
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid + 1] <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The rows to render for a view from `top` to `top + height`, with `margin` pixels more on each
 *  side and one row beyond that: [start, end), end exclusive. */
export function rowsInView(offsets: Float64Array, top: number, height: number, margin: number): [number, number] {
  const count = offsets.length - 1;
  return [
    Math.max(0, firstRowBelow(offsets, top - margin) - 1),
    Math.min(count, firstRowBelow(offsets, top + height + margin) + 1),
  ];
}
