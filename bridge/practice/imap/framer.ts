// Cuts the client's byte stream into whole IMAP commands: lines ending in CRLF, with literals
// `{n}` (synchronising: the server must answer `+` first, RFC 3501 section 7.5) and `{n+}`
// (LITERAL+, RFC 7888: no continuation) spliced in. Pure: no Node APIs.

export interface FrameLimits {
  /** Longest line, CRLF included. */
  maxLineLength: number;
  /** Largest single literal (and the sum of literals in one command). */
  maxLiteralSize: number;
}

/** One complete command: text segments with the literals that follow each but the last. */
export interface Frame {
  lines: string[];
  literals: Uint8Array[];
}

export type FramerEvent =
  | { kind: 'frame'; frame: Frame }
  /** A synchronising literal was announced and accepted: send `+ Ready for literal`. */
  | { kind: 'continue'; size: number }
  /** The command was dropped; `tag` is known when the line got that far. `fatal`: close the connection. */
  | {
      kind: 'reject';
      tag: string | null;
      code: 'LINE_TOO_LONG' | 'LITERAL_TOO_BIG' | 'REFUSED';
      fatal: boolean;
      text: string;
    };

/**
 * Asked before `+` is sent for a synchronising literal, with the command text so far; a returned
 * `[code, text]` refuses it with a tagged NO, and the client then does not send the literal.
 * Also asked for a LITERAL+ one (`nonSync`): its bytes are already on the way, so a refusal
 * there is fatal (RFC 7888 section 4).
 */
export type LiteralGate = (head: string, size: number, nonSync: boolean) => [string, string] | null;

/** No real command needs more; bounds the memory one command can hold. */
const MAX_LITERALS = 1000;
const LITERAL_AT_END = /\{(\d{1,20})(\+?)\}$/;
/**
 * ID may be longer than other lines: RFC 2971 section 3.3 allows 30 field-value pairs of up to
 * 30 and 1024 octets, about 32 KB once quoted, on one line.
 */
const ID_MAX_LINE = 34 * 1024;
const ID_COMMAND = /^[^\s]+ ID[ (]/i;
const decoder = new TextDecoder('utf-8', { fatal: false });

export class CommandFramer {
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  private lines: string[] = [];
  private literals: Uint8Array[] = [];
  private literalTotal = 0;
  /** Bytes of literal still to read (into `literalChunks`). */
  private literalLeft = 0;
  private literalChunks: Uint8Array[] = [];
  /** Discarding an over-long line up to its CRLF. */
  private skippingLine = false;
  private lastByteWasCR = false;

  constructor(
    private readonly limits: FrameLimits,
    private readonly gate: LiteralGate = () => null,
  ) {}

  /** Forget everything buffered (after STARTTLS: plaintext that followed it must not count). */
  reset(): void {
    this.pending = [];
    this.pendingLength = 0;
    this.lines = [];
    this.literals = [];
    this.literalTotal = 0;
    this.literalLeft = 0;
    this.literalChunks = [];
    this.skippingLine = false;
    this.lastByteWasCR = false;
  }

  /** True while a command has started but is not complete (e.g. mid-APPEND literal). */
  get midCommand(): boolean {
    return this.lines.length > 0 || this.literalLeft > 0 || this.pendingLength > 0;
  }

  feed(chunk: Uint8Array): FramerEvent[] {
    const events: FramerEvent[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.literalLeft > 0) {
        const take = Math.min(this.literalLeft, chunk.length - at);
        this.literalChunks.push(chunk.subarray(at, at + take));
        this.literalLeft -= take;
        at += take;
        if (this.literalLeft === 0) {
          this.literals.push(concat(this.literalChunks));
          this.literalChunks = [];
        }
        continue;
      }
      const lf = chunk.indexOf(10, at);
      const end = lf === -1 ? chunk.length : lf + 1;
      const piece = chunk.subarray(at, end);
      at = end;
      if (this.skippingLine) {
        if (lf !== -1) this.skippingLine = false;
        continue;
      }
      this.pending.push(piece);
      this.pendingLength += piece.length;
      if (this.pendingLength > this.limits.maxLineLength && !this.idWithinLimit()) {
        const head = decoder.decode(concat(this.pending).subarray(0, 64));
        const tag = this.lines.length > 0 ? tagOf(this.lines[0]) : tagOf(head);
        this.dropCommand();
        this.skippingLine = lf === -1;
        events.push({
          kind: 'reject',
          tag,
          code: 'LINE_TOO_LONG',
          fatal: false,
          text: `Line too long: the limit is ${this.limits.maxLineLength} octets; split the command or use a literal.`,
        });
        continue;
      }
      if (lf === -1) continue;
      const event = this.lineDone();
      if (event) events.push(event);
    }
    return events;
  }

  private lineDone(): FramerEvent | null {
    const bytes = concat(this.pending);
    this.pending = [];
    this.pendingLength = 0;
    let text = decoder.decode(bytes);
    text = text.endsWith('\r\n') ? text.slice(0, -2) : text.slice(0, -1); // a bare LF is tolerated
    const literal = LITERAL_AT_END.exec(text);
    if (!literal) {
      this.lines.push(text);
      const frame = { lines: this.lines, literals: this.literals };
      this.lines = [];
      this.literals = [];
      this.literalTotal = 0;
      return { kind: 'frame', frame };
    }
    const size = Number(literal[1]);
    const nonSync = literal[2] === '+';
    this.lines.push(text.slice(0, literal.index));
    const tag = tagOf(this.lines[0]);
    const tooMany = this.lines.length > MAX_LITERALS;
    if (tooMany || !Number.isSafeInteger(size) || this.literalTotal + size > this.limits.maxLiteralSize) {
      this.dropCommand();
      const text = tooMany
        ? `More than ${MAX_LITERALS} literals in one command.`
        : `Literal of ${literal[1]} octets is over the limit of ${this.limits.maxLiteralSize} octets.`;
      // A synchronising literal is simply refused; a LITERAL+ one is already on its way and
      // cannot be skipped safely when it is huge, so the connection closes (RFC 7888 section 4).
      return { kind: 'reject', tag, code: 'LITERAL_TOO_BIG', fatal: nonSync, text };
    }
    const refusal = this.gate(this.lines.join(''), size, nonSync);
    if (refusal) {
      this.dropCommand();
      return { kind: 'reject', tag, code: 'REFUSED', fatal: nonSync, text: `[${refusal[0]}] ${refusal[1]}` };
    }
    this.literalTotal += size;
    if (size === 0) this.literals.push(new Uint8Array(0));
    else this.literalLeft = size;
    return nonSync ? null : { kind: 'continue', size };
  }

  private idWithinLimit(): boolean {
    if (this.lines.length > 0 || this.pendingLength > ID_MAX_LINE) return false;
    let head = '';
    for (const p of this.pending) {
      head += decoder.decode(p.subarray(0, 64));
      if (head.length >= 64) break;
    }
    return ID_COMMAND.test(head);
  }

  private dropCommand(): void {
    this.pending = [];
    this.pendingLength = 0;
    this.lines = [];
    this.literals = [];
    this.literalTotal = 0;
  }
}

function tagOf(line: string): string | null {
  const m = /^([^\s(){%*"\\\]+]+) /.exec(line);
  return m ? m[1] : null;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
