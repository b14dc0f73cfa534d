// A roving tabindex over the log's reply rows (WAI-ARIA Authoring Practices, "Managing focus
// within components using a roving tabindex"): the log is one Tab stop, on the row last focused,
// else the selected reply's first row, else the newest reply's; the arrow keys, Home and End move
// between reply rows. Pure: which row, from the entries; the log moves the focus.
import type { ConsoleEntry } from './entries.ts';

type Row = Pick<ConsoleEntry, 'reply'>;

/** The row that takes the Tab stop, or -1 when no row belongs to a reply. */
export function tabStop(rows: readonly Row[], focused: number | null, selectedReply: number | null): number {
  if (focused !== null && rows[focused]?.reply !== undefined) return focused;
  if (selectedReply !== null) {
    const i = rows.findIndex((e) => e.reply === selectedReply);
    if (i >= 0) return i;
  }
  for (let i = rows.length - 1; i >= 0; i--)
    if (rows[i].reply !== undefined && (i === 0 || rows[i - 1].reply !== rows[i].reply)) return i;
  return -1;
}

/** Where `key` moves the focus from row `from`: the next or previous reply row, the first or the
 *  last; -1 when it moves nowhere (no such row, or not a moving key). */
export function rowAfterKey(rows: readonly Row[], from: number, key: string): number {
  const isReply = (i: number) => rows[i].reply !== undefined;
  if (key === 'ArrowDown') {
    for (let i = from + 1; i < rows.length; i++) if (isReply(i)) return i;
  } else if (key === 'ArrowUp') {
    for (let i = from - 1; i >= 0; i--) if (isReply(i)) return i;
  } else if (key === 'Home') {
    return rows.findIndex((e) => e.reply !== undefined);
  } else if (key === 'End') {
    for (let i = rows.length - 1; i >= 0; i--) if (isReply(i)) return i;
  }
  return -1;
}
