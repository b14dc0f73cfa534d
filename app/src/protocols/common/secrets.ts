// What counts as a credential in a client line, in one place: the console's command labels and
// the transcript's masking (transcript/mask.ts) both ask here, so the two can never disagree.
// A password (IMAP LOGIN, POP3 PASS), an APOP digest, and a SASL response are secret; a LOGIN
// mechanism's user name (its initial response, or the answer to "Username:"), "=" (an empty
// response) and "*" (cancel) are not. Pure.
import { asksForUsername } from './sasl-wire.ts';

export interface SecretRange {
  start: number;
  end: number;
}

export type SecretProtocol = 'smtp' | 'imap' | 'pop3';

/** AUTH / AUTHENTICATE mech [initial-response]: the initial response's range, if secret. */
function initialResponse(line: string, from: number): SecretRange[] {
  const m = /^(AUTH(?:ENTICATE)?[ ]+)(\S+)(?:([ ]+)(\S+))?/i.exec(line.slice(from));
  if (!m || !m[4] || m[4] === '=' || m[2]!.toUpperCase() === 'LOGIN') return [];
  const start = from + m[1]!.length + m[2]!.length + m[3]!.length;
  return [{ start, end: start + m[4].length }];
}

/** An IMAP astring at `i`: a quoted string or an atom (a literal is the caller's to follow). */
function imapAstring(s: string, i: number): { start: number; end: number; literal: boolean } | null {
  while (s[i] === ' ') i++;
  if (i >= s.length) return null;
  if (s[i] === '"') {
    let j = i + 1;
    while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
    return { start: i, end: Math.min(j + 1, s.length), literal: false };
  }
  let j = i;
  while (j < s.length && s[j] !== ' ') j++;
  return { start: i, end: j, literal: /^\{\d+\+?\}$/.test(s.slice(i, j)) };
}

/**
 * The secret ranges of one command line (no CRLF), outside any SASL exchange. For IMAP LOGIN
 * whose password is a literal, the literal's octets follow the line: the caller masks those.
 */
export function commandSecrets(protocol: SecretProtocol, line: string): SecretRange[] {
  if (protocol === 'smtp') return /^AUTH /i.test(line) ? initialResponse(line, 0) : [];
  if (protocol === 'pop3') {
    if (/^PASS /i.test(line) && line.length > 5) return [{ start: 5, end: line.length }];
    const apop = /^(APOP +\S+ +)(\S+)/i.exec(line);
    if (apop) return [{ start: apop[1]!.length, end: apop[0].length }];
    return /^AUTH /i.test(line) ? initialResponse(line, 0) : [];
  }
  const cmd = /^(\S+) +(\S+)/.exec(line);
  const verb = cmd?.[2]?.toUpperCase();
  if (verb === 'AUTHENTICATE') return initialResponse(line, cmd![1]!.length + line.slice(cmd![1]!.length).search(/\S/));
  if (verb !== 'LOGIN') return [];
  const user = imapAstring(line, cmd![0].length);
  if (!user || user.literal) return [];
  const pass = imapAstring(line, user.end);
  return pass && !pass.literal ? [{ start: pass.start, end: pass.end }] : [];
}

/** Whether the answer to a SASL challenge is secret: not "*", not empty, not a LOGIN user name. */
export function saslAnswerIsSecret(challenge: string, answer: string): boolean {
  return !(answer === '*' || answer.length === 0 || asksForUsername(challenge));
}

/** The line with each range replaced by `mask`. */
export function maskRanges(line: string, ranges: SecretRange[], mask: string): string {
  let out = '';
  let at = 0;
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    out += line.slice(at, r.start) + mask;
    at = r.end;
  }
  return out + line.slice(at);
}
