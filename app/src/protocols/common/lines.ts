// Incremental line splitting with CRLF awareness: servers must end lines with CRLF; a bare LF is
// recorded (some servers and hand-typed input do it) so the UI can show it, not silently fixed.

import { concatBytes, decodeUtf8 } from './bytes.ts';

export interface Line {
  /** The line without its ending, decoded as UTF-8. */
  text: string;
  bytes: Uint8Array;
  ending: 'CRLF' | 'LF';
}

export class LineSplitter {
  private pending: Uint8Array = new Uint8Array(0);

  /** Add bytes as they arrive; returns the lines now complete. */
  feed(chunk: Uint8Array): Line[] {
    this.pending = concatBytes(this.pending, chunk);
    const out: Line[] = [];
    let start = 0;
    for (let i = 0; i < this.pending.length; i++) {
      if (this.pending[i] !== 0x0a) continue;
      const crlf = i > start && this.pending[i - 1] === 0x0d;
      const bytes = this.pending.slice(start, crlf ? i - 1 : i);
      out.push({ text: decodeUtf8(bytes), bytes, ending: crlf ? 'CRLF' : 'LF' });
      start = i + 1;
    }
    this.pending = this.pending.slice(start);
    return out;
  }

  /** Bytes received after the last line ending. */
  get rest(): Uint8Array {
    return this.pending;
  }

  /** Take what is left (at connection close): an incomplete line or nothing. */
  flush(): Uint8Array {
    const rest = this.pending;
    this.pending = new Uint8Array(0);
    return rest;
  }
}

/** Split text the learner sent into lines; a trailing fragment without ending is a line too. */
export function splitClientText(text: string): Array<{ text: string; ending: 'CRLF' | 'LF' | 'CR' | 'none' }> {
  const out: Array<{ text: string; ending: 'CRLF' | 'LF' | 'CR' | 'none' }> = [];
  const re = /\r\n|\n|\r/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ text: text.slice(start, m.index), ending: m[0] === '\r\n' ? 'CRLF' : m[0] === '\n' ? 'LF' : 'CR' });
    start = m.index + m[0].length;
  }
  if (start < text.length) out.push({ text: text.slice(start), ending: 'none' });
  return out;
}

/** The checks every protocol shares on a line about to be sent (the console adds CRLF itself). */
export function lineEndingProblem(line: string): 'bare-lf' | 'bare-cr' | undefined {
  if (/(^|[^\r])\n/.test(line)) return 'bare-lf';
  if (/\r(?!\n)/.test(line)) return 'bare-cr';
  return undefined;
}
