// Cuts one direction of a transcript into lines for the step splitter (steps-incremental.ts), and
// reads the bytes of a step back as text. IMAP literals {n} are counted runs, not scanned for line
// ends (RFC 3501 4.3), so the reader can be told to take the next n bytes raw.

import { latin1 } from './bytes.ts';
import { MASK } from './mask.ts';
import type { TranscriptEvent } from './model.ts';
import type { StepPart } from './steps.ts';

/** `raw`: counted literal bytes; `partial`: the stream ended inside a line (it completes nothing). */
export type LineHandler = (parts: StepPart[], text: string, raw: boolean, partial?: boolean) => void;

/** The unfinished line at the end of the stream, as end() would hand it over, without consuming it. */
export interface UnfinishedLine {
  parts: StepPart[];
  raw: boolean;
  /** Its text (masked); computed on demand, since a literal in progress can be megabytes. */
  text(): string;
}

export class LineReader {
  private parts: StepPart[] = [];
  private raw = 0;
  constructor(
    private readonly events: readonly TranscriptEvent[],
    private readonly onLine: LineHandler,
  ) {}

  push(event: number, data: Uint8Array): void {
    let p = 0;
    while (p < data.length) {
      if (this.raw > 0) {
        const n = Math.min(this.raw, data.length - p);
        this.add(event, p, p + n);
        this.raw -= n;
        p += n;
        if (this.raw === 0) this.flush(true);
        continue;
      }
      const lf = data.indexOf(10, p);
      const end = lf < 0 ? data.length : lf + 1;
      this.add(event, p, end);
      p = end;
      if (lf >= 0) this.flush(false);
    }
  }

  expectRaw(n: number): void {
    this.raw = n;
  }

  /** The stream ended: hands over what is left as a partial line. */
  end(): void {
    if (this.parts.length) this.flush(this.raw > 0, true);
    this.raw = 0;
  }

  peek(): UnfinishedLine | null {
    if (!this.parts.length) return null;
    const parts = this.parts.map((p) => ({ ...p }));
    return { parts, raw: this.raw > 0, text: () => partsText(this.events, parts, true) };
  }

  private add(event: number, start: number, end: number): void {
    const last = this.parts.at(-1);
    if (last && last.event === event && last.end === start) last.end = end;
    else this.parts.push({ event, start, end });
  }

  private flush(raw: boolean, partial = false): void {
    const parts = this.parts;
    this.parts = [];
    this.onLine(parts, partsText(this.events, parts, true), raw, partial);
  }
}

/** The bytes of some parts as a latin1 string, secret ranges replaced by the mask when `masked`. */
export function partsText(events: readonly TranscriptEvent[], parts: readonly StepPart[], masked = true): string {
  let out = '';
  for (const { event, start, end } of parts) {
    const e = events[event];
    if (!e || !('data' in e)) continue;
    const secrets = masked && !e.masked ? (e.secret ?? []) : [];
    let p = start;
    for (const r of [...secrets].sort((a, b) => a.start - b.start)) {
      if (r.end <= p || r.start >= end) continue;
      out += latin1(e.data, p, Math.max(p, r.start)) + MASK;
      p = Math.min(end, r.end);
    }
    out += latin1(e.data, p, end);
  }
  return out;
}
