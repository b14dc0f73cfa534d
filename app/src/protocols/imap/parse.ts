// IMAP response parser (RFC 9051 sections 2.2.2, 7 and 9): feed bytes as they arrive, get complete
// responses out. A response is complete only when every {n} literal in it has fully arrived.

import { ByteQueue, decodeLatin1, decodeUtf8, toBytes } from '../common/bytes.ts';
import type { Unparsed } from '../common/types.ts';
import { parseFetch, type FetchData } from './fetch.ts';

export type ImapValue =
  | { type: 'atom'; value: string }
  | { type: 'number'; value: number }
  | { type: 'string'; value: string; literal?: boolean; bytes?: Uint8Array }
  | { type: 'nil' }
  | { type: 'list'; items: ImapValue[] };

export type ImapStatus = 'OK' | 'NO' | 'BAD' | 'PREAUTH' | 'BYE';

export interface ImapResponseCode {
  name: string;
  args: ImapValue[];
  raw: string;
}

export interface ImapResponse {
  kind: 'tagged' | 'untagged' | 'continuation';
  tag?: string;
  status?: ImapStatus;
  code?: ImapResponseCode;
  /** Human-readable text (after the status and code), or the continuation's text. */
  text: string;
  /** Untagged data name (CAPABILITY, FLAGS, EXISTS, FETCH ...); the status for status responses. */
  name?: string;
  /** The number before the name in "* 3 EXISTS", "* 1 FETCH ...". */
  number?: number;
  /** Everything after the name, tokenized. */
  values: ImapValue[];
  fetch?: FetchData;
  raw: string;
  bytes: Uint8Array;
}

export type ImapParsed = ImapResponse | Unparsed;

const STATUSES = new Set(['OK', 'NO', 'BAD', 'PREAUTH', 'BYE']);

class ParseError extends Error {}

/** Reads values from one complete response: `s` is a byte-per-char view, so offsets are byte offsets. */
export class Tokens {
  pos = 0;
  constructor(
    private s: string,
    private bytes: Uint8Array,
  ) {}

  get done(): boolean {
    return this.pos >= this.s.length || this.s.startsWith('\r\n', this.pos) || this.s[this.pos] === '\n';
  }
  peek(): string {
    return this.s[this.pos] ?? '';
  }
  skipSpaces(): void {
    while (this.s[this.pos] === ' ') this.pos++;
  }

  /** The rest of the line as text (UTF-8). */
  restOfLine(): string {
    const end = this.s.indexOf('\n', this.pos);
    const stop = end < 0 ? this.s.length : this.s[end - 1] === '\r' ? end - 1 : end;
    const text = decodeUtf8(this.bytes.subarray(this.pos, stop));
    this.pos = stop;
    return text;
  }

  value(): ImapValue {
    this.skipSpaces();
    const ch = this.peek();
    if (ch === '(') return this.list();
    if (ch === '"') return this.quoted();
    if (ch === '{' || (ch === '~' && this.s[this.pos + 1] === '{')) return this.literal();
    const word = this.atom();
    if (word === '') throw new ParseError(`unexpected "${ch}" at byte ${this.pos}`);
    if (/^NIL$/i.test(word)) return { type: 'nil' };
    if (/^\d+$/.test(word)) return { type: 'number', value: Number(word) };
    return { type: 'atom', value: word };
  }

  values(until?: string): ImapValue[] {
    const out: ImapValue[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.done || (until && this.peek() === until)) return out;
      out.push(this.value());
    }
  }

  private list(): ImapValue {
    this.pos++; // (
    const items = this.values(')');
    if (this.peek() !== ')') throw new ParseError('a parenthesised list is not closed');
    this.pos++;
    return { type: 'list', items };
  }

  private quoted(): ImapValue {
    let i = this.pos + 1;
    const parts: number[] = [];
    for (; i < this.s.length && this.s[i] !== '"'; i++) {
      if (this.s[i] === '\\') i++;
      if (this.s[i] === '\r' || this.s[i] === '\n') throw new ParseError('a quoted string runs past the line end');
      parts.push(this.bytes[i]);
    }
    if (this.s[i] !== '"') throw new ParseError('a quoted string is not closed');
    this.pos = i + 1;
    return { type: 'string', value: decodeUtf8(new Uint8Array(parts)) };
  }

  private literal(): ImapValue {
    const m = /^~?\{(\d+)\+?\}\r?\n/.exec(this.s.slice(this.pos, this.pos + 32));
    if (!m) throw new ParseError('a literal must look like {n} followed by CR LF');
    const start = this.pos + m[0].length;
    const n = Number(m[1]);
    if (start + n > this.s.length) throw new ParseError('a literal is shorter than announced');
    const bytes = this.bytes.slice(start, start + n);
    this.pos = start + n;
    return { type: 'string', value: decodeUtf8(bytes), literal: true, bytes };
  }

  /** An atom; brackets inside it (BODY[HEADER.FIELDS (FROM)]) may contain spaces. */
  atom(): string {
    const start = this.pos;
    let depth = 0;
    for (; this.pos < this.s.length; this.pos++) {
      const ch = this.s[this.pos];
      if (ch === '[') depth++;
      else if (ch === ']') {
        if (depth === 0) break;
        depth--;
      } else if (
        depth === 0 &&
        (ch === ' ' || ch === '(' || ch === ')' || ch === '\r' || ch === '\n' || ch === '"' || ch === '{')
      )
        break;
    }
    return decodeUtf8(this.bytes.subarray(start, this.pos));
  }

  /** "[CODE args] " at the start of resp-text (RFC 9051 7.1). */
  responseCode(): ImapResponseCode | undefined {
    this.skipSpaces();
    if (this.peek() !== '[') return undefined;
    const start = this.pos;
    this.pos++;
    const name = this.atom().toUpperCase();
    const args = this.values(']');
    if (this.peek() !== ']') throw new ParseError('a response code in [brackets] is not closed');
    this.pos++;
    const raw = decodeUtf8(this.bytes.subarray(start, this.pos));
    this.skipSpaces();
    return { name, args, raw };
  }
}

/** Parse one complete response (all literals present). Never throws. */
export function parseImapResponse(bytes: Uint8Array): ImapParsed {
  const s = decodeLatin1(bytes);
  const raw = decodeUtf8(bytes);
  const t = new Tokens(s, bytes);
  try {
    if (s.startsWith('+')) {
      t.pos = s[1] === ' ' ? 2 : 1;
      return { kind: 'continuation', text: t.restOfLine(), values: [], raw, bytes };
    }
    const tag = t.atom();
    if (!tag || s[t.pos] !== ' ') throw new ParseError('a response starts with "*", "+" or a tag, then a space');
    t.skipSpaces();
    if (tag === '*') return untagged(t, raw, bytes);
    const status = t.atom().toUpperCase();
    if (status !== 'OK' && status !== 'NO' && status !== 'BAD')
      throw new ParseError(`a tagged response must say OK, NO or BAD, not "${status}"`);
    const code = t.responseCode();
    return { kind: 'tagged', tag, status, name: status, code, text: t.restOfLine(), values: [], raw, bytes };
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return {
      kind: 'unparsed',
      raw,
      code: 'IMAP_SYNTAX',
      reason: `This response does not follow the IMAP grammar: ${e.message}.`,
    };
  }
}

function untagged(t: Tokens, raw: string, bytes: Uint8Array): ImapResponse {
  let number: number | undefined;
  let name = t.atom().toUpperCase();
  if (/^\d+$/.test(name)) {
    number = Number(name);
    t.skipSpaces();
    name = t.atom().toUpperCase();
  }
  if (!name) throw new ParseError('an untagged response needs a name after "*"');
  const base = { kind: 'untagged' as const, name, raw, bytes };
  if (STATUSES.has(name) && number === undefined) {
    const code = t.responseCode();
    return { ...base, status: name as ImapStatus, code, text: t.restOfLine(), values: [] };
  }
  const values = t.values();
  const res: ImapResponse = { ...base, number, text: '', values };
  if (name === 'FETCH' && number !== undefined) {
    if (values[0]?.type !== 'list') throw new ParseError('FETCH data must be a parenthesised list');
    res.fetch = parseFetch(number, values[0]);
  }
  return res;
}

/** Incremental framing: a response ends at a line end that is not announcing a literal. */
export class ImapResponseParser {
  private q = new ByteQueue();
  private lineStart = 0; // where the current line begins (after any literal already framed)
  private need = 0; // bytes the queue must hold before looking further (a literal's end)

  feed(chunk: Uint8Array | string): ImapParsed[] {
    this.q.push(toBytes(chunk));
    const out: ImapParsed[] = [];
    for (;;) {
      if (this.q.length < this.need) return out; // wait for the literal's bytes
      const buf = this.q.view();
      const lf = buf.indexOf(0x0a, this.lineStart);
      if (lf < 0) return out;
      const lineEnd = lf > this.lineStart && buf[lf - 1] === 0x0d ? lf - 1 : lf;
      const tail = decodeLatin1(buf.subarray(Math.max(this.lineStart, lineEnd - 24), lineEnd));
      const lit = /~?\{(\d+)\+?\}$/.exec(tail);
      if (lit) {
        this.need = lf + 1 + Number(lit[1]);
        this.lineStart = this.need;
        continue;
      }
      const one = this.q.take(lf + 1);
      this.lineStart = 0;
      this.need = 0;
      out.push(parseImapResponse(one));
    }
  }

  flush(): ImapParsed[] {
    if (!this.q.length) return [];
    const raw = decodeUtf8(this.q.view());
    this.q.clear();
    this.lineStart = 0;
    this.need = 0;
    return [
      {
        kind: 'unparsed',
        raw,
        code: 'RESPONSE_INCOMPLETE',
        reason: 'The connection ended before this response was complete (a line end or literal bytes are missing).',
      },
    ];
  }
}

export function parseImapResponses(input: Uint8Array | string): ImapParsed[] {
  const p = new ImapResponseParser();
  return [...p.feed(input), ...p.flush()];
}

/** Values as plain strings (atoms, numbers, strings), for lists such as CAPABILITY or SEARCH. */
export function valueStrings(values: ImapValue[]): string[] {
  return values.map((v) => (v.type === 'nil' ? 'NIL' : v.type === 'list' ? '(...)' : String(v.value)));
}
