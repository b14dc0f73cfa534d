// Server bytes arrive in chunks that may end mid-line (or mid-character): the lesson log shows
// whole lines only, so it keeps the unfinished tail until the rest arrives or the connection ends.
import { splitKeepingEnds } from '../console/entries.ts';

export class LineBuffer {
  private rest = '';
  private decoder = new TextDecoder();

  /** The lines this chunk completes, each with its own line end. */
  push(bytes: Uint8Array): string[] {
    const lines = splitKeepingEnds(this.rest + this.decoder.decode(bytes, { stream: true }));
    this.rest = lines.length && !lines[lines.length - 1].endsWith('\n') ? lines.pop()! : '';
    return lines;
  }

  /** Whatever is left (the connection closed without a final line end). */
  flush(): string[] {
    const tail = this.rest + this.decoder.decode();
    this.rest = '';
    return tail ? [tail] : [];
  }
}

/** What the learner typed, as the bytes to send: every line ends with CR LF (RFC 5321 2.3.8). */
export function toWire(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `${l}\r\n`)
    .join('');
}
