// POP3 response parser (RFC 1939 section 3, RFC 2449 section 8): "+OK" / "-ERR" status lines,
// optional [RESP-CODE], and multi-line bodies ended by a lone "." with dot-stuffing removed.
// Whether a +OK starts a multi-line body depends on the command, so the parser is told each
// command as it is sent (expect()).

import { LineSplitter, type Line } from '../common/lines.ts';
import { decodeUtf8, toBytes } from '../common/bytes.ts';
import type { Unparsed } from '../common/types.ts';

export interface Pop3Response {
  kind: 'response';
  /** '+' is a SASL continuation during AUTH (RFC 5034). */
  status: '+OK' | '-ERR' | '+';
  /** The extended response code without brackets, e.g. "IN-USE", "SYS/TEMP" (RFC 2449 section 8). */
  code?: string;
  text: string;
  /** The command this answers (as sent), undefined for the greeting. */
  command?: string;
  multiline: boolean;
  /** Body lines of a multi-line response, dot-stuffing removed. */
  lines?: string[];
  raw: string;
  bareLf: boolean;
}

export type Pop3Parsed = Pop3Response | Unparsed;

/**
 * These commands answer +OK with a multi-line body: CAPA (RFC 2449), RETR and TOP, LIST and UIDL
 * without an argument (RFC 1939 section 3), and a bare AUTH, which lists the SASL mechanisms on
 * servers such as Dovecot and the practice server (RFC 5034 leaves that form out).
 */
export function isMultilineCommand(command: string): boolean {
  const [verb, ...args] = command.trim().split(/\s+/);
  const v = (verb ?? '').toUpperCase();
  if (v === 'CAPA' || v === 'RETR' || v === 'TOP') return true;
  if (v === 'LIST' || v === 'UIDL' || v === 'AUTH') return args.length === 0;
  return false;
}

const STATUS = /^(\+OK|-ERR)(?: (.*))?$|^\+(?: (.*))?$/s;

export class Pop3ResponseParser {
  private splitter = new LineSplitter();
  private queue: string[] = [];
  private greeted = false;
  private body?: { head: Pop3Response; lines: string[]; raw: string; bareLf: boolean };

  /** Tell the parser a command was sent, so it knows whether a multi-line answer comes. */
  expect(command: string): void {
    this.queue.push(command);
  }

  feed(chunk: Uint8Array | string): Pop3Parsed[] {
    const out: Pop3Parsed[] = [];
    for (const line of this.splitter.feed(toBytes(chunk))) this.take(line, out);
    return out;
  }

  flush(): Pop3Parsed[] {
    const out: Pop3Parsed[] = [];
    if (this.body) {
      out.push({
        kind: 'unparsed',
        raw: this.body.raw,
        code: 'BODY_INCOMPLETE',
        reason: 'The connection ended before the line with a single "." that ends a multi-line response.',
      });
      this.body = undefined;
    }
    const rest = this.splitter.flush();
    if (rest.length)
      out.push({
        kind: 'unparsed',
        raw: decodeUtf8(rest),
        code: 'LINE_INCOMPLETE',
        reason: 'These bytes came without a line ending before the connection closed.',
      });
    return out;
  }

  private take(line: Line, out: Pop3Parsed[]): void {
    const raw = line.text + (line.ending === 'CRLF' ? '\r\n' : '\n');
    if (this.body) {
      const b = this.body;
      b.raw += raw;
      b.bareLf ||= line.ending === 'LF';
      if (line.text === '.') {
        out.push({ ...b.head, lines: b.lines, raw: b.raw, bareLf: b.bareLf });
        this.body = undefined;
      } else {
        b.lines.push(line.text.startsWith('.') ? line.text.slice(1) : line.text); // un-stuff (RFC 1939 3)
      }
      return;
    }
    const command = this.greeted ? this.queue.shift() : undefined;
    this.greeted = true;
    const m = STATUS.exec(line.text);
    if (!m) {
      out.push({
        kind: 'unparsed',
        raw,
        code: 'NOT_A_STATUS_LINE',
        reason: 'A POP3 response starts with "+OK" or "-ERR".',
      });
      return;
    }
    const status = (m[1] ?? '+') as Pop3Response['status'];
    let text = m[2] ?? m[3] ?? '';
    let code: string | undefined;
    const c = /^\[([^\]]*)\]\s?(.*)$/s.exec(text);
    if (c && status !== '+') {
      code = c[1];
      text = c[2];
    }
    const multiline = status === '+OK' && command !== undefined && isMultilineCommand(command);
    const head: Pop3Response = {
      kind: 'response',
      status,
      text,
      command,
      multiline,
      raw,
      bareLf: line.ending === 'LF',
    };
    if (code !== undefined) head.code = code;
    if (multiline) this.body = { head, lines: [], raw, bareLf: head.bareLf };
    else out.push(head);
  }
}
