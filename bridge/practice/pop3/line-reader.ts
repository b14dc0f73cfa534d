// Splits the client's byte stream into command lines, bounded by the configured maximum length.
// Pure (no Node APIs). A line ends at LF; a CR just before it is dropped (bare LF is tolerated,
// as Dovecot does). A line longer than the limit is reported once and skipped up to its LF.

export type LineEvent = { kind: 'line'; bytes: Uint8Array } | { kind: 'too-long'; octets: number };

const LF = 10;
const CR = 13;

export class LineReader {
  private pending: Uint8Array = new Uint8Array(0);
  /** Octets of an over-long line seen so far while skipping it; -1 when not skipping. */
  private skipped = -1;

  /** @param maxLineLength longest line accepted, CRLF included */
  constructor(private readonly maxLineLength: number) {}

  push(chunk: Uint8Array): LineEvent[] {
    const events: LineEvent[] = [];
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      const piece = chunk.subarray(start, lf === -1 ? chunk.length : lf + 1);
      start += piece.length;
      if (this.skipped >= 0) {
        this.skipped += piece.length;
        if (lf !== -1) {
          events.push({ kind: 'too-long', octets: this.skipped });
          this.skipped = -1;
        }
        continue;
      }
      if (this.pending.length + piece.length > this.maxLineLength) {
        // Too long: start skipping; report when its end arrives so the reply follows the line.
        this.skipped = this.pending.length + piece.length;
        this.pending = new Uint8Array(0);
        if (lf !== -1) {
          events.push({ kind: 'too-long', octets: this.skipped });
          this.skipped = -1;
        }
        continue;
      }
      const line = concat(this.pending, piece);
      if (lf === -1) {
        this.pending = line;
        continue;
      }
      this.pending = new Uint8Array(0);
      let end = line.length - 1; // drop the LF
      if (end > 0 && line[end - 1] === CR) end -= 1;
      events.push({ kind: 'line', bytes: line.subarray(0, end) });
    }
    return events;
  }

  /** Forgets everything buffered: after STLS, plaintext sent before the handshake must not count. */
  clear(): void {
    this.pending = new Uint8Array(0);
    this.skipped = -1;
  }

  /** Octets waiting for their LF (tests and the STLS guard). */
  get buffered(): number {
    return this.pending.length;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
