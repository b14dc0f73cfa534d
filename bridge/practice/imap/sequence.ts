// Sequence sets (RFC 3501 section 9, `sequence-set`): "1:4,7,10:*". Pure.
import { ArgumentError } from './parser.ts';

export type SeqRange = [number, number]; // inclusive; Infinity stands for "*"

export function parseSequenceSet(text: string): SeqRange[] {
  if (!/^[0-9*:,]+$/.test(text)) throw new ArgumentError(`"${text}" is not a sequence set; write e.g. 1:5,7 or 1:*.`);
  return text.split(',').map((part) => {
    const ends = part.split(':');
    if (ends.length > 2) throw new ArgumentError(`"${part}" is not a sequence range; write e.g. 2:5.`);
    const nums = ends.map((e) => {
      if (e === '*') return Infinity;
      if (!/^[1-9][0-9]{0,9}$/.test(e))
        throw new ArgumentError(`"${e}" is not a valid number in a sequence set (numbers start at 1).`);
      return Number(e);
    });
    const [a, b = a] = nums;
    return a <= b ? [a, b] : [b, a];
  });
}

export function isSequenceSet(text: string): boolean {
  try {
    parseSequenceSet(text);
    return true;
  } catch {
    return false;
  }
}

/** Compact form for COPYUID/APPENDUID: [1,2,3,5] -> "1:3,5", order kept. */
export function formatSet(values: number[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < values.length) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j] + 1) j++;
    out.push(j > i ? `${values[i]}:${values[j]}` : `${values[i]}`);
    i = j + 1;
  }
  return out.join(',');
}

/** True when `n` is in the set; "*" stands for `max` (the largest number in use). */
export function inRanges(ranges: SeqRange[], n: number, max: number): boolean {
  return ranges.some(([a, b]) => {
    const lo = a === Infinity ? max : a;
    const hi = b === Infinity ? max : b;
    return n >= Math.min(lo, hi) && n <= Math.max(lo, hi);
  });
}

/** The sequence numbers and UIDs a command's set names, in ascending order (RFC 3501 6.4.8). */
export function resolveTargets(
  ranges: SeqRange[],
  uids: number[],
  byUid: boolean,
): Array<{ seq: number; uid: number }> {
  // A message number beyond the mailbox is a protocol error (RFC 3501 section 9, seq-number);
  // a UID that does not exist is not (UIDs may have been expunged).
  if (!byUid) {
    const over = ranges.flat().find((n) => n !== Infinity && n > uids.length);
    if (over !== undefined) {
      throw new ArgumentError(
        `There is no message ${over}: this mailbox holds ${uids.length} message(s). Use numbers 1 to ${uids.length}, or * for the last.`,
      );
    }
  }
  const out: Array<{ seq: number; uid: number }> = [];
  const max = byUid ? (uids[uids.length - 1] ?? 0) : uids.length;
  uids.forEach((uid, i) => {
    if (inRanges(ranges, byUid ? uid : i + 1, max)) out.push({ seq: i + 1, uid });
  });
  return out;
}
