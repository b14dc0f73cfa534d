// Knowing when the reply to a step is complete, and cutting it into one reply per command.
// Self-contained on purpose (the full reply parsers in app/src/protocols/ may replace it later):
// it only needs where each protocol says a reply ends.

import type { WireProtocol } from './types.ts';
import { isMultilineCommand } from '../protocols/pop3/parse.ts';

export interface SplitReplies {
  /** Every command sent got its whole reply (for a greeting step: the greeting arrived). */
  complete: boolean;
  /** One entry per reply, each its lines without line ends. */
  replies: string[][];
}

/**
 * True when `bytesSoFar` holds the whole reply to `sentLines` (the filled send block, one command
 * per line; empty for a greeting). SMTP: one final `ddd ` line per command, DATA content counting
 * once at its lone dot (PIPELINING-safe, RFC 2920). IMAP: the tagged completion of every tagged
 * line, or a `+` continuation request. POP3: one status line per command, plus the dot-terminated
 * body after +OK for RETR, TOP, CAPA, and LIST/UIDL without argument (RFC 1939 section 3).
 */
export function replyComplete(protocol: WireProtocol, sentLines: string[], bytesSoFar: Uint8Array | string): boolean {
  return splitReplies(protocol, sentLines, bytesSoFar).complete;
}

export function splitReplies(protocol: WireProtocol, sentLines: string[], data: Uint8Array | string): SplitReplies {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const sent = sentLines;
  if (protocol === 'smtp') return splitSmtp(sent, lines(bytes, false));
  if (protocol === 'imap') return splitImap(sent, lines(bytes, true));
  return splitPop3(sent, lines(bytes, false));
}

/** Complete lines (ending in LF) as text. IMAP literals {n} are kept inside their line's reply. */
function lines(bytes: Uint8Array, imapLiterals: boolean): string[] {
  const out: string[] = [];
  const dec = new TextDecoder();
  let start = 0;
  let i = 0;
  let pending = '';
  while (i < bytes.length) {
    if (bytes[i] !== 0x0a) {
      i++;
      continue;
    }
    const end = i > start && bytes[i - 1] === 0x0d ? i - 1 : i;
    const text = pending + dec.decode(bytes.subarray(start, end));
    const lit = imapLiterals ? /\{(\d+)\+?\}$/.exec(text) : null;
    if (lit) {
      // RFC 3501 4.3: a literal's octets follow the line end; they may contain CRLF.
      const n = Number(lit[1]);
      if (i + 1 + n > bytes.length) return out; // literal not all here yet
      pending = `${text}\n${dec.decode(bytes.subarray(i + 1, i + 1 + n))}`;
      i = i + 1 + n;
      start = i;
      continue;
    }
    out.push(text);
    pending = '';
    i++;
    start = i;
  }
  return out;
}

const isDataCommand = (l: string) => /^data\s*$/i.test(l.trim());

/** How many SMTP replies a send block gets: one per command, one for DATA content (at its dot). */
export function smtpExpectedReplies(sent: string[]): number {
  if (sent.length === 0) return 1; // the greeting
  const firstDot = sent.indexOf('.');
  let inData = firstDot !== -1 && !sent.slice(0, firstDot).some(isDataCommand);
  let n = 0;
  for (const l of sent) {
    if (inData) {
      if (l === '.') {
        n++;
        inData = false;
      }
      continue;
    }
    n++;
    if (isDataCommand(l)) inData = true;
  }
  return n;
}

function splitSmtp(sent: string[], got: string[]): SplitReplies {
  const replies: string[][] = [];
  let cur: string[] = [];
  for (const l of got) {
    cur.push(l);
    // RFC 5321 4.2.1: "ddd-" continues a reply, "ddd " or bare "ddd" ends it.
    if (!/^\d{3}-/.test(l)) {
      replies.push(cur);
      cur = [];
    }
  }
  if (cur.length) replies.push(cur);
  const finished = replies.filter((r) => !/^\d{3}-/.test(r[r.length - 1])).length;
  return { complete: finished >= smtpExpectedReplies(sent), replies };
}

/** The tagged command lines of a send block: their index in `sent` and their tag ("a1 LOGIN ..." -> "a1"). */
function imapCommandLines(sent: string[]): Array<{ index: number; tag: string }> {
  const commands: Array<{ index: number; tag: string }> = [];
  const utf8 = new TextEncoder();
  // A line ending in {n} or {n+} is followed by n bytes of literal data (RFC 3501 section 4.3,
  // RFC 7888): lines inside it, such as an APPENDed message's "Subject: x", are not commands.
  const literalAtEnd = (l: string) => Number(/~?\{(\d+)\+?\}$/.exec(l)?.[1] ?? 0);
  let literal = 0;
  sent.forEach((l, index) => {
    if (literal > 0) {
      const bytes = utf8.encode(l);
      if (bytes.length + 2 <= literal) {
        literal -= bytes.length + 2; // the line and its CRLF are data
        return;
      }
      // The literal ends inside this line; the rest continues the same command.
      const rest = new TextDecoder().decode(bytes.subarray(literal));
      literal = literalAtEnd(rest);
      return;
    }
    const m = /^([^\s(){%*"\\\]+]+)\s+[A-Za-z]/.exec(l);
    if (m) commands.push({ index, tag: m[1] });
    literal = literalAtEnd(l);
  });
  return commands;
}

/** Tags of the tagged command lines in a send block ("a1 LOGIN ..." -> "a1"). */
export function imapTags(sent: string[]): string[] {
  return imapCommandLines(sent).map((c) => c.tag);
}

/**
 * The same commands under new tags, for asking again: "a3 SEARCH ..." -> "a3.2 SEARCH ...". A client
 * should use a different tag for each command it sends (RFC 9051 section 2.2.1), so a repeated ask is
 * not confused with the first. "." is an ASTRING-CHAR, so the new tag is still a tag (section 9).
 */
export function retagImapCommands(sent: string[], ask: number): string[] {
  const out = [...sent];
  for (const { index, tag } of imapCommandLines(sent)) out[index] = `${tag}.${ask}${sent[index].slice(tag.length)}`;
  return out;
}

function splitImap(sent: string[], got: string[]): SplitReplies {
  if (sent.length === 0) return { complete: got.length >= 1, replies: got.length ? [[got[0]]] : [] };
  const tags = imapTags(sent);
  const done = new Set<string>();
  const replies: string[][] = [];
  let cur: string[] = [];
  let continuation = false;
  for (const l of got) {
    cur.push(l);
    const tag = /^(\S+)\s+(OK|NO|BAD)\b/i.exec(l);
    if (tag && tags.includes(tag[1])) {
      done.add(tag[1]);
      replies.push(cur);
      cur = [];
    } else if (l.startsWith('+')) continuation = true;
  }
  if (cur.length) replies.push(cur);
  const last = got[got.length - 1] ?? '';
  return { complete: (tags.length > 0 && tags.every((t) => done.has(t))) || (continuation && last.startsWith('+')), replies };
}


function splitPop3(sent: string[], got: string[]): SplitReplies {
  const cmds = sent.length === 0 ? [''] : sent;
  const replies: string[][] = [];
  let k = 0;
  for (const cmd of cmds) {
    if (k >= got.length) return { complete: false, replies };
    const status = got[k++];
    const reply = [status];
    if (status.startsWith('+OK') && cmd && isMultilineCommand(cmd)) {
      // RFC 1939 3: the body ends at a line holding only "."; other lines starting "." are stuffed.
      while (true) {
        if (k >= got.length) {
          replies.push(reply);
          return { complete: false, replies };
        }
        const l = got[k++];
        reply.push(l);
        if (l === '.') break;
      }
    }
    replies.push(reply);
  }
  return { complete: true, replies };
}
