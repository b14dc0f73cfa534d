import { describe, expect, it } from 'vitest';
import { rowAfterKey, tabStop } from '../../../../app/src/ui/console/roving-rows.ts';

// Rows 0 and 3 are client lines; reply 0 spans rows 1-2, reply 1 rows 4-5.
const rows = [{}, { reply: 0 }, { reply: 0 }, {}, { reply: 1 }, { reply: 1 }];

describe('tabStop', () => {
  it('is the focused row, else the selected reply first row, else the newest reply first row', () => {
    expect(tabStop(rows, 2, 1)).toBe(2);
    expect(tabStop(rows, 3, 1)).toBe(4); // a client line cannot hold it
    expect(tabStop(rows, null, 0)).toBe(1);
    expect(tabStop(rows, null, 7)).toBe(4);
    expect(tabStop(rows, null, null)).toBe(4);
    expect(tabStop([{ reply: 0 }], null, null)).toBe(0);
  });
  it('is -1 when no row belongs to a reply', () => {
    expect(tabStop([{}, {}], null, null)).toBe(-1);
    expect(tabStop([], 0, 0)).toBe(-1);
  });
});

describe('rowAfterKey', () => {
  it('moves between reply rows, skipping the others', () => {
    expect(rowAfterKey(rows, 2, 'ArrowDown')).toBe(4);
    expect(rowAfterKey(rows, 4, 'ArrowUp')).toBe(2);
    expect(rowAfterKey(rows, 5, 'Home')).toBe(1);
    expect(rowAfterKey(rows, 1, 'End')).toBe(5);
  });
  it('goes nowhere past either end, nor for other keys', () => {
    expect(rowAfterKey(rows, 5, 'ArrowDown')).toBe(-1);
    expect(rowAfterKey(rows, 1, 'ArrowUp')).toBe(-1);
    expect(rowAfterKey(rows, 1, 'Tab')).toBe(-1);
    expect(rowAfterKey([{}], 0, 'End')).toBe(-1);
  });
});
