// What makes an export of a practice session run as it is on this machine: the practice server's
// ports today (a bundled example was recorded on other ports), and whether its credentials are the
// public practice ones (shown on every screen, so an export may carry them by default; a real
// password stays masked unless the learner asks). Pure.

import { decodeUtf8, fromBase64 } from './bytes.ts';
import type { Transcript } from './model.ts';

export interface PracticeTargetInfo {
  target: string;
  host: string;
  port: number;
}

export interface PublicAccount {
  username: string;
  address: string;
  password: string;
}

/** The running practice server's address for a practice transcript; undefined for any other. */
export function practiceEndpoint(
  transcript: Transcript,
  targets: readonly PracticeTargetInfo[],
): { host: string; port: number } | undefined {
  if (!transcript.meta.target.startsWith('practice/')) return undefined;
  const t = targets.find((x) => x.target === transcript.meta.target);
  return t ? { host: t.host, port: t.port } : undefined;
}

/** The words a secret range holds: itself, or the NUL-separated fields of its base64 (SASL PLAIN, RFC 4616). */
function secretWords(text: string): string[] {
  // An IMAP quoted string (RFC 9051 section 4.3) stands for its content.
  const trimmed = text.trim().replace(/^"((?:[^"\\]|\\.)*)"$/, (_, inner: string) => inner.replace(/\\(.)/g, '$1'));
  const decoded = /^[A-Za-z0-9+/]+=*$/.test(trimmed) && trimmed.length % 4 === 0 ? fromBase64(trimmed) : null;
  const plain = decoded ? decodeUtf8(decoded) : null;
  const words = plain !== null && !/[\x01-\x08\x0b-\x1f]/.test(plain) ? plain.split('\0') : [trimmed];
  return words.filter((w) => w !== '');
}

/**
 * True when the transcript is a practice session whose every credential is a public practice
 * account's name or password: the export may include them without the learner asking.
 */
export function credentialsArePublic(transcript: Transcript, accounts: readonly PublicAccount[]): boolean {
  if (!transcript.meta.target.startsWith('practice/')) return false;
  const known = new Set(accounts.flatMap((a) => [a.username, a.address, a.password]));
  let any = false;
  for (const e of transcript.events) {
    if ((e.kind !== 'sent' && e.kind !== 'received') || !e.secret?.length) continue;
    if (e.masked) return false; // already masked: nothing to include
    for (const r of e.secret) {
      any = true;
      const words = secretWords(decodeUtf8(e.data.subarray(r.start, r.end)));
      if (!words.length || !words.every((w) => known.has(w))) return false;
    }
  }
  return any;
}

/** What the running server says of itself (GET /api/practice), as far as exports need it. */
export interface PracticeFacts {
  targets: readonly PracticeTargetInfo[];
  accounts: readonly PublicAccount[];
}

/**
 * The options every export of `transcript` starts with on this server: the practice target's
 * current address, and the credentials included when they are the public practice ones.
 */
export function exportDefaults(
  transcript: Transcript,
  practice: PracticeFacts,
): { endpoint?: { host: string; port: number }; reveal: boolean } {
  return {
    endpoint: practiceEndpoint(transcript, practice.targets),
    reveal: credentialsArePublic(transcript, practice.accounts),
  };
}
