import { describe, expect, it } from 'vitest';
import { firstRowBelow, prefixOffsets, rowsInView } from '../../../../app/src/ui/console/virtual-rows.ts';

describe('virtual row geometry', () => {
  it('adds measured heights and estimates the rest', () => {
    const heights: number[] = [];
    heights[1] = 50;
    expect(Array.from(prefixOffsets(4, heights, 20))).toEqual([0, 20, 70, 90, 110]);
  });

  it('finds the row at a scroll position, clamped at both ends', () => {
    const o = prefixOffsets(4, [10, 30, 10, 10], 20); // tops 0, 10, 40, 50; total 60
    expect(firstRowBelow(o, -100)).toBe(0);
    expect(firstRowBelow(o, 5)).toBe(0);
    expect(firstRowBelow(o, 10)).toBe(1);
    expect(firstRowBelow(o, 39)).toBe(1);
    expect(firstRowBelow(o, 45)).toBe(2);
    expect(firstRowBelow(o, 60)).toBe(4);
    expect(firstRowBelow(prefixOffsets(0, [], 20), 0)).toBe(0);
  });

  it('covers 10,000 rows', () => {
    const o = prefixOffsets(10_000, [], 22);
    expect(o[10_000]).toBe(220_000);
    expect(firstRowBelow(o, 22 * 5000 + 1)).toBe(5000);
  });

  it('takes the rows in view and a margin, one more on each side, clamped', () => {
    const o = prefixOffsets(100, [], 10); // row i spans [10i, 10i + 10)
    expect(rowsInView(o, 500, 100, 50)).toEqual([44, 66]);
    expect(rowsInView(o, 0, 100, 50)).toEqual([0, 16]);
    expect(rowsInView(o, 950, 100, 50)).toEqual([89, 100]);
    expect(rowsInView(prefixOffsets(0, [], 10), 0, 100, 50)).toEqual([0, 0]);
  });
});
