// What the console shows: client lines, server replies, and notes from the bridge (TLS, errors,
// close). Pure: the session controller appends to it, the components render it.

export type EntryKind = 'client' | 'server' | 'info' | 'tls' | 'error';

export interface ConsoleEntry {
  id: number;
  kind: EntryKind;
  /** Milliseconds since the epoch. */
  time: number;
  /** The exact text (CR LF kept), decoded as UTF-8. Secrets already masked when `secret`. */
  text: string;
  /** For server entries: the index of the reply this text belongs to (annotations are per reply). */
  reply?: number;
  /** The line held a credential: `text` is masked, `revealed` holds what was really sent. */
  secret?: boolean;
  revealed?: string;
  /** The bytes were sent or received inside TLS. */
  inTls?: boolean;
  /** For server entries: how the reply turned out, so the log colours it and marks it in words. */
  outcome?: Outcome;
}

import type { Outcome } from '../../protocols/common/types.ts';

export type { Outcome };

/** The words beside a reply's first line: colour is never the only signal (WCAG 1.4.1). */
export const OUTCOME_MARK: Record<Outcome, string> = {
  success: 'ok',
  continue: 'go on',
  transient: 'try later',
  permanent: 'failed',
  failed: 'refused',
  error: 'error',
  info: '',
};

/**
 * A reply's outcome from its status alone (replay, where no annotation is at hand): SMTP by the
 * first digit (RFC 5321 4.2.1), IMAP by OK/NO/BAD (RFC 9051 7.1), POP3 by +OK/-ERR (RFC 1939 3).
 */
export function outcomeOfStatus(status: string | null): Outcome | undefined {
  if (status === null) return undefined;
  if (/^2\d\d$|^OK$|^\+OK$|^PREAUTH$/i.test(status)) return 'success';
  if (/^3\d\d$|^\+$/.test(status)) return 'continue';
  if (/^4\d\d$/.test(status)) return 'transient';
  if (/^5\d\d$|^BYE$/i.test(status)) return 'permanent';
  // IMAP NO is an operational failure, BAD a protocol error (RFC 9051 7.1.2, 7.1.3); POP3 -ERR
  // alone says neither temporary nor permanent (RFC 2449 section 8 adds codes for that).
  if (/^NO$|^-ERR$/i.test(status)) return 'failed';
  if (/^BAD$/i.test(status)) return 'error';
  return undefined;
}

/** Makes CR, LF and the lone "." terminator visible, for the console's "show line ends" toggle. */
export function showLineEnds(text: string): string {
  return text
    .replace(/\r/g, '␍')
    .replace(/\n/g, '␊\n')
    .replace(/^\.(␍␊)$/gm, '·$1  ← end of data');
}

/** Splits text into lines, each keeping its own line end; a last partial line comes back as well. */
export function splitKeepingEnds(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The outcome in words, on the first row of a server reply only; '' on every other row. */
export function replyMark(entries: readonly ConsoleEntry[], index: number): string {
  const e = entries[index];
  const prev = index > 0 ? entries[index - 1] : undefined;
  const mark = e.kind === 'server' && e.outcome ? OUTCOME_MARK[e.outcome] : '';
  return mark && (!prev || prev.reply !== e.reply || prev.kind !== 'server') ? mark : '';
}
