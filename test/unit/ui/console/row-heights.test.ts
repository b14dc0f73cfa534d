import { describe, expect, it } from 'vitest';
import { RowHeights } from '../../../../app/src/ui/console/row-heights.ts';

describe('RowHeights', () => {
  it('estimates unmeasured rows by the mean of those measured', () => {
    const h = new RowHeights();
    expect(Array.from(h.offsets(3, 24))).toEqual([0, 24, 48, 72]);
    expect(h.record(0, 20)).toBe(true);
    expect(h.record(2, 40)).toBe(true);
    expect(h.estimate(24)).toBe(30);
    expect(Array.from(h.offsets(4, 24))).toEqual([0, 20, 50, 90, 120]);
  });
  it('says whether a height changed, and ignores a row not laid out (0)', () => {
    const h = new RowHeights();
    expect(h.record(1, 30)).toBe(true);
    expect(h.record(1, 30)).toBe(false);
    expect(h.record(1, 0)).toBe(false);
    expect(h.record(1, 50)).toBe(true);
    expect(h.estimate(24)).toBe(50); // the re-measured row counts once
  });
  it('forgets everything for another list or width', () => {
    const h = new RowHeights();
    h.record(0, 100);
    h.forget();
    expect(h.estimate(24)).toBe(24);
    expect(Array.from(h.offsets(2, 24))).toEqual([0, 24, 48]);
  });
});
