// The short meaning of a reply, for sentences such as "... : that means X" (the lesson checker).
// Drawn from the same catalogs as the console's annotations, so a reply has one explanation source:
// SMTP from smtp/catalog.ts and smtp/enhanced.ts, IMAP and POP3 status words and response codes
// from their catalogs.

import { briefSmtp } from './smtp/catalog.ts';
import { IMAP_STATUS_BRIEF } from './imap/catalog.ts';
import { explainPop3Code } from './pop3/catalog.ts';

/** SMTP: the enhanced code first (RFC 3463 section 2), then the reply code, then its first digit. */
export function explainSmtp(code: string, enhanced: string | null): string {
  return /^\d{3}$/.test(code) ? briefSmtp(Number(code), enhanced) : 'an unexpected reply';
}

/** IMAP: OK, NO (operational error) or BAD (protocol error), RFC 9051 section 7.1. */
export function explainImapStatus(status: string): string {
  return IMAP_STATUS_BRIEF[status.toUpperCase()] ?? 'an unexpected reply';
}

/** POP3: +OK or -ERR, and the response code's meaning when the line has one (RFC 2449 section 8). */
export function explainPop3Status(status: string, line = ''): string {
  if (status.startsWith('+OK')) return 'the command succeeded';
  const code = /^-ERR \[([^\]]+)\]/i.exec(line)?.[1];
  if (code) return `the server refused the command: ${explainPop3Code(code).meaning.replace(/\.$/, '')}`;
  return 'the server refused the command (wrong order, wrong password, no such message, or TLS needed first)';
}
