// SMTP reply parser (RFC 5321 section 4.2): feed bytes as they arrive, get complete replies out.
// A reply is one or more lines "ddd-text" ending with "ddd text" (or a bare "ddd").

import { LineSplitter, type Line } from '../common/lines.ts';
import { decodeUtf8, toBytes } from '../common/bytes.ts';
import type { Unparsed } from '../common/types.ts';

export interface EnhancedStatus {
  /** "2.1.0" */
  code: string;
  class: 2 | 4 | 5;
  subject: number;
  detail: number;
}

export interface SmtpReplyLine {
  code: number;
  /** '-' continues the reply, ' ' or '' (a bare code) ends it. */
  separator: '-' | ' ' | '';
  text: string;
  ending: 'CRLF' | 'LF';
}

export interface SmtpReply {
  kind: 'reply';
  code: number;
  lines: SmtpReplyLine[];
  /** The text of each line, with the enhanced status code (when present) taken off. */
  text: string[];
  enhanced?: EnhancedStatus;
  /** The reply exactly as received, line endings included. */
  raw: string;
  /** True if any line ended with a bare LF instead of CR LF. */
  bareLf: boolean;
}

export type SmtpParsed = SmtpReply | Unparsed;

const LINE = /^(\d{3})([ -]|$)(.*)$/s;
const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})(?: |$)/;

export function parseEnhanced(text: string): EnhancedStatus | undefined {
  const m = ENHANCED.exec(text);
  if (!m) return undefined;
  return {
    code: `${m[1]}.${Number(m[2])}.${Number(m[3])}`,
    class: Number(m[1]) as 2 | 4 | 5,
    subject: Number(m[2]),
    detail: Number(m[3]),
  };
}

export class SmtpReplyParser {
  private splitter = new LineSplitter();
  private group: SmtpReplyLine[] = [];
  private groupRaw = '';

  feed(chunk: Uint8Array | string): SmtpParsed[] {
    const out: SmtpParsed[] = [];
    for (const line of this.splitter.feed(toBytes(chunk))) this.take(line, out);
    return out;
  }

  /** At connection close: whatever is pending becomes an unparsed entry. */
  flush(): SmtpParsed[] {
    const out: SmtpParsed[] = [];
    const rest = this.splitter.flush();
    if (this.group.length)
      out.push(
        this.unparsedGroup(
          'REPLY_INCOMPLETE',
          'The connection ended inside a multi-line reply (its last line, "ddd text", never came).',
        ),
      );
    if (rest.length)
      out.push({
        kind: 'unparsed',
        raw: decodeUtf8(rest),
        code: 'LINE_INCOMPLETE',
        reason: 'These bytes came without a line ending before the connection closed.',
      });
    return out;
  }

  private take(line: Line, out: SmtpParsed[]): void {
    const raw = line.text + (line.ending === 'CRLF' ? '\r\n' : '\n');
    const m = LINE.exec(line.text);
    if (!m) {
      if (this.group.length)
        out.push(
          this.unparsedGroup(
            'REPLY_INTERRUPTED',
            'A multi-line reply was interrupted by a line that is not a reply line.',
          ),
        );
      out.push({
        kind: 'unparsed',
        raw,
        code: 'NOT_A_REPLY_LINE',
        reason: 'An SMTP reply line starts with a three-digit code followed by a space, a hyphen or the line end.',
      });
      return;
    }
    const code = Number(m[1]);
    if (this.group.length && this.group[0].code !== code) {
      out.push(
        this.unparsedGroup(
          'REPLY_CODE_CHANGED',
          `A multi-line reply changed its code from ${this.group[0].code} to ${code} before its last line.`,
        ),
      );
    }
    const separator = m[2] as '-' | ' ' | '';
    this.group.push({ code, separator, text: m[3], ending: line.ending });
    this.groupRaw += raw;
    if (separator !== '-') out.push(this.finish());
  }

  private finish(): SmtpReply {
    const lines = this.group;
    const first = parseEnhanced(lines[0].text);
    // RFC 2034: every line carries the same enhanced code, so strip it where it matches.
    const text = lines.map((l) =>
      first && parseEnhanced(l.text)?.code === first.code ? l.text.replace(ENHANCED, '') : l.text,
    );
    const reply: SmtpReply = {
      kind: 'reply',
      code: lines[0].code,
      lines,
      text,
      raw: this.groupRaw,
      bareLf: lines.some((l) => l.ending === 'LF'),
    };
    if (first && String(first.class) === String(lines[0].code)[0]) reply.enhanced = first;
    this.group = [];
    this.groupRaw = '';
    return reply;
  }

  private unparsedGroup(code: string, reason: string): Unparsed {
    const u: Unparsed = { kind: 'unparsed', raw: this.groupRaw, code, reason };
    this.group = [];
    this.groupRaw = '';
    return u;
  }
}

/** Parse a complete text in one go (for transcripts and tests). */
export function parseSmtpReplies(input: Uint8Array | string): SmtpParsed[] {
  const p = new SmtpReplyParser();
  return [...p.feed(input), ...p.flush()];
}

export interface EhloKeyword {
  keyword: string;
  params: string[];
  line: string;
}

/** The extensions an EHLO reply lists: every line after the first is "KEYWORD params" (RFC 5321 4.1.1.1). */
export function ehloKeywords(reply: SmtpReply): EhloKeyword[] {
  return reply.text
    .slice(1)
    .filter((t) => t.trim() !== '')
    .map((t) => {
      const [keyword, ...params] = t.trim().split(/\s+/);
      return { keyword: keyword.toUpperCase(), params, line: t };
    });
}
