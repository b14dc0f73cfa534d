// Parses one POP3 command line (RFC 1939 section 3): a case-insensitive keyword of three or four
// characters, then arguments separated by spaces. Pure (no Node APIs).
import { latin1 } from '../../../app/src/protocols/common/bytes.ts';

export interface Pop3Command {
  /** Upper-cased keyword, e.g. "RETR". */
  keyword: string;
  /** Arguments split on spaces (empty ones dropped). */
  args: string[];
  /** Everything after the keyword and one space, untouched: a password may contain spaces. */
  rest: string;
}

export type CommandLineErrorCode = 'EMPTY_LINE' | 'NOT_TEXT' | 'BAD_KEYWORD';

export type ParsedLine =
  { ok: true; command: Pop3Command } | { ok: false; code: CommandLineErrorCode; message: string };

const KEYWORD = /^[A-Za-z]{3,4}$/;

export function parseCommandLine(bytes: Uint8Array): ParsedLine {
  if (bytes.length === 0 || bytes.every((b) => b === 0x20 || b === 0x09)) {
    return { ok: false, code: 'EMPTY_LINE', message: 'Empty command line: type a command such as CAPA, USER or QUIT.' };
  }
  for (const b of bytes) {
    // Printable US-ASCII, space and tab only: the protocol is plain text (RFC 1939 section 3).
    if ((b < 0x20 && b !== 0x09) || b > 0x7e) {
      return {
        ok: false,
        code: 'NOT_TEXT',
        message: 'The command line contains control or non-ASCII bytes: POP3 commands are plain ASCII text.',
      };
    }
  }
  const text = latin1(bytes);
  const space = text.indexOf(' ');
  const word = space === -1 ? text : text.slice(0, space);
  if (!KEYWORD.test(word)) {
    return {
      ok: false,
      code: 'BAD_KEYWORD',
      message: `"${clip(word)}" is not a POP3 command: a command is a keyword of 3 or 4 letters, e.g. STAT.`,
    };
  }
  const rest = space === -1 ? '' : text.slice(space + 1);
  const args = rest.split(/[ \t]+/).filter((a) => a.length > 0);
  return { ok: true, command: { keyword: word.toUpperCase(), args, rest } };
}

/** A message number as RFC 1939 writes it: decimal digits, no sign; null if it is not one. */
export function parseMessageNumber(arg: string | undefined): number | null {
  if (arg === undefined || !/^[0-9]{1,9}$/.test(arg)) return null;
  return Number(arg);
}

/** Shortens user input quoted back in a reply, so a reply line stays short and printable. */
export function clip(text: string, max = 20): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > max ? `${printable.slice(0, max)}...` : printable;
}

/** Bytes as a string, one character per octet (the one implementation, shared with the app). */
export { latin1 };
