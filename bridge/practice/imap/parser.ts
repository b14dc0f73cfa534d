// Turns one framed command into tag, command name and argument tokens (RFC 3501 section 9 grammar,
// read leniently where real clients differ). Pure: no Node APIs.
import type { Frame } from './framer.ts';

export type Token =
  /** An atom or bare astring; `BODY[HEADER.FIELDS (A B)]<0.10>` stays one atom, as in fetch-att. */
  | { type: 'atom'; value: string }
  /** `literal8`: sent as ~{n}, so it may hold NUL (RFC 3516 section 4.3). */
  | { type: 'string'; value: Uint8Array; literal: boolean; literal8?: boolean }
  | { type: 'list'; items: Token[] };

export interface ParsedCommand {
  tag: string;
  /** Upper-cased; for `UID FETCH` this is `FETCH` with `uid` set. */
  name: string;
  uid: boolean;
  args: Token[];
}

export class ImapSyntaxError extends Error {
  constructor(
    message: string,
    readonly tag: string | null,
  ) {
    super(message);
    this.name = 'ImapSyntaxError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });
// What ends an atom or astring here: ( ) { SP " \ (RFC 3501 section 9 atom-specials, less the
// wildcards % * that LIST patterns need, and less "]" that ASTRING-CHAR allows).
const ATOM_STOP = new Set(['(', ')', '{', ' ', '"', '\\']);
// Only these fetch-att names open a section in "[" whose spaces and parentheses belong to the
// atom (RFC 3501 section 9 fetch-att, RFC 3516 section 4.2); elsewhere "[" and "]" are plain
// characters, as in a mailbox called "a]b" or "x[y".
const SECTIONED = /^(?:BODY|BODY\.PEEK|BINARY|BINARY\.PEEK|BINARY\.SIZE)$/i;

export function parseCommand(frame: Frame): ParsedCommand {
  const cursor = new Cursor(frame);
  const tag = cursor.readBareWord();
  // tag = 1*<any ASTRING-CHAR except "+"> (RFC 3501 section 9); anything else is not echoed back.
  if (!/^[\x21-\x7e]+$/.test(tag) || /[+(){%*"\\]/.test(tag))
    throw new ImapSyntaxError('Every command starts with a tag, such as "A1 NOOP".', null);
  if (!cursor.skipSpace()) throw new ImapSyntaxError('Missing command name after the tag.', tag);
  let name = cursor.readBareWord().toUpperCase();
  if (!name) throw new ImapSyntaxError('Missing command name after the tag.', tag);
  let uid = false;
  if (name === 'UID') {
    uid = true;
    if (!cursor.skipSpace())
      throw new ImapSyntaxError('UID needs a command: UID FETCH, STORE, SEARCH, COPY, MOVE or EXPUNGE.', tag);
    name = cursor.readBareWord().toUpperCase();
  }
  const args: Token[] = [];
  while (!cursor.atEnd()) {
    if (!cursor.skipSpace())
      throw new ImapSyntaxError(`Unexpected "${cursor.peekChar()}": arguments are separated by one space.`, tag);
    if (cursor.atEnd()) break; // a trailing space is tolerated
    args.push(cursor.readToken(tag, 0));
  }
  return { tag, name, uid, args };
}

class Cursor {
  private line = 0;
  private at = 0;
  constructor(private readonly frame: Frame) {}

  private get text(): string {
    return this.frame.lines[this.line];
  }
  atEnd(): boolean {
    return this.at >= this.text.length && this.line >= this.frame.lines.length - 1;
  }
  peekChar(): string {
    return this.text[this.at] ?? '';
  }
  /** A literal comes next when this line segment is used up and a literal follows it. */
  private atLiteral(): boolean {
    return this.at >= this.text.length && this.line < this.frame.lines.length - 1;
  }
  skipSpace(): boolean {
    if (this.text[this.at] === ' ') {
      this.at++;
      return true;
    }
    return false;
  }
  readBareWord(): string {
    const start = this.at;
    while (this.at < this.text.length && this.text[this.at] !== ' ') this.at++;
    return this.text.slice(start, this.at);
  }

  readToken(tag: string, depth: number): Token {
    if (depth > 32) throw new ImapSyntaxError('Lists are nested too deeply.', tag);
    if (this.atLiteral()) {
      const value = this.frame.literals[this.line];
      this.line++;
      this.at = 0;
      return { type: 'string', value, literal: true };
    }
    const c = this.text[this.at];
    if (c === '~' && this.at === this.text.length - 1 && this.line < this.frame.lines.length - 1) {
      this.at++; // literal8 (RFC 3516 section 4.3): "~" then the literal
      const token = this.readToken(tag, depth);
      return token.type === 'string' ? { ...token, literal8: true } : token;
    }
    if (c === '(') return this.readList(tag, depth);
    if (c === '"') return this.readQuoted(tag);
    if (c === ')' || c === undefined) throw new ImapSyntaxError('An argument is missing.', tag);
    return this.readAtom(tag);
  }

  private readList(tag: string, depth: number): Token {
    this.at++; // (
    const items: Token[] = [];
    for (;;) {
      if (this.text[this.at] === ')') {
        this.at++;
        return { type: 'list', items };
      }
      if (this.atEnd()) throw new ImapSyntaxError('A parenthesised list is not closed with ")".', tag);
      if (items.length > 0 && !this.skipSpace())
        throw new ImapSyntaxError('List items are separated by one space.', tag);
      if (this.text[this.at] === ')') continue;
      items.push(this.readToken(tag, depth + 1));
    }
  }

  private readQuoted(tag: string): Token {
    this.at++; // "
    let out = '';
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined) throw new ImapSyntaxError('A quoted string is not closed with ".', tag);
      this.at++;
      if (c === '"') return { type: 'string', value: encoder.encode(out), literal: false };
      if (c === '\\') {
        const next = this.text[this.at];
        if (next !== '"' && next !== '\\')
          throw new ImapSyntaxError('Inside quotes only \\" and \\\\ may be escaped.', tag);
        out += next;
        this.at++;
      } else out += c;
    }
  }

  private readAtom(tag: string): Token {
    const start = this.at;
    let depth = 0; // inside [...] of a section spec spaces and parentheses belong to the atom
    while (this.at < this.text.length) {
      const c = this.text[this.at];
      if (c === '\\' && this.at === start) {
        this.at++; // a flag such as \Seen
        continue;
      }
      if (c === '[' && (depth > 0 || SECTIONED.test(this.text.slice(start, this.at)))) depth++;
      else if (c === ']' && depth > 0) depth--;
      else if (depth === 0 && ATOM_STOP.has(c)) break;
      else if (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
        throw new ImapSyntaxError('Control characters are not allowed in commands.', tag);
      this.at++;
    }
    if (depth > 0) throw new ImapSyntaxError('A "[" is not closed with "]".', tag);
    if (this.at === start) {
      const c = this.text[this.at];
      throw new ImapSyntaxError(
        c === ' ' ? 'Two spaces in a row: arguments are separated by one space.' : `Unexpected "${c}".`,
        tag,
      );
    }
    return { type: 'atom', value: this.text.slice(start, this.at) };
  }
}

// ---- helpers for command modules ----

export function tokenText(t: Token | undefined): string | null {
  if (!t) return null;
  if (t.type === 'atom') return t.value;
  if (t.type === 'string') return decoder.decode(t.value);
  return null;
}

/** astring: atom, quoted or literal (RFC 3501 section 9). */
export function astring(t: Token | undefined, what: string): string {
  const s = tokenText(t);
  if (s === null) throw new ArgumentError(`Expected ${what}.`);
  return s;
}

export function listOf(t: Token | undefined, what: string): Token[] {
  if (!t || t.type !== 'list') throw new ArgumentError(`Expected ${what} in parentheses.`);
  return t.items;
}

/** A wrong argument in an otherwise parsed command: becomes `tag BAD text`. */
export class ArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgumentError';
  }
}

/** A well-formed command the server declines: becomes `tag NO [code] text`. */
export class CommandRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CommandRefusal';
  }
}

export function expectArgs(args: Token[], min: number, max: number, usage: string): void {
  if (args.length < min || args.length > max) throw new ArgumentError(`Wrong number of arguments. Usage: ${usage}`);
}
