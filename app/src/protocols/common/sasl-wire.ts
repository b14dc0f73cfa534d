// SASL on the wire, as the three protocols carry it (RFC 4422; SMTP AUTH RFC 4954, IMAP AUTHENTICATE RFC 9051
// 6.2.2 with SASL-IR RFC 4959, POP3 AUTH RFC 5034): the one place that encodes and decodes the
// base64 lines, the PLAIN message (RFC 4616) and the LOGIN prompts. Used by the practice servers,
// the console's AUTH helper and the transcript's masking alike. Pure.
import { base64Decode, base64Encode, decodeUtf8 } from './bytes.ts';

/**
 * The challenges of LOGIN (an expired draft, draft-murchison-sasl-login; IANA lists the
 * mechanism as OBSOLETE, yet Dovecot, Exchange and curl speak it): base64 of "Username:" and
 * "Password:".
 */
export const LOGIN_USERNAME_PROMPT = base64Encode('Username:');
export const LOGIN_PASSWORD_PROMPT = base64Encode('Password:');

export type SaslResponse = { kind: 'cancel' } | { kind: 'bytes'; bytes: Uint8Array } | { kind: 'invalid' };

/**
 * A client's response line (or initial response): "*" cancels (RFC 4954 section 4, RFC 9051
 * 6.2.2), "=" is an empty initial response (RFC 4959 section 3, RFC 4954 section 4), anything
 * else must be strict base64 (RFC 4648 section 4).
 */
export function decodeSaslResponse(line: string): SaslResponse {
  const text = line.trim();
  if (text === '*') return { kind: 'cancel' };
  if (text === '=') return { kind: 'bytes', bytes: new Uint8Array(0) };
  if (text === '') return { kind: 'bytes', bytes: new Uint8Array(0) };
  const bytes = base64Decode(text);
  return bytes ? { kind: 'bytes', bytes } : { kind: 'invalid' };
}

export interface PlainMessage {
  authzid: string;
  authcid: string;
  passwd: string;
}

/** RFC 4616 section 2: [authzid] NUL authcid NUL passwd, UTF-8; authcid and passwd not empty. */
export function parsePlainMessage(bytes: Uint8Array): PlainMessage | null {
  const first = bytes.indexOf(0);
  const second = first < 0 ? -1 : bytes.indexOf(0, first + 1);
  if (first < 0 || second < 0 || bytes.indexOf(0, second + 1) >= 0) return null;
  const [authzid, authcid, passwd] = [
    bytes.subarray(0, first),
    bytes.subarray(first + 1, second),
    bytes.subarray(second + 1),
  ].map(decodeUtf8);
  if (!authcid || !passwd) return null;
  return { authzid: authzid!, authcid, passwd };
}

/** The PLAIN message's bytes (the caller checks that no field holds a NUL). */
export function encodePlainMessage(message: PlainMessage): Uint8Array {
  const enc = new TextEncoder();
  const parts = [enc.encode(message.authzid), enc.encode(message.authcid), enc.encode(message.passwd)];
  const out = new Uint8Array(parts[0]!.length + parts[1]!.length + parts[2]!.length + 2);
  out.set(parts[0]!, 0);
  out.set(parts[1]!, parts[0]!.length + 1);
  out.set(parts[2]!, parts[0]!.length + parts[1]!.length + 2);
  return out;
}

/**
 * The challenge a server line carries, or null: SMTP "334 <base64>" (RFC 4954 section 4), IMAP and
 * POP3 "+ <base64>" (RFC 9051 section 7.6, RFC 5034 section 4); an empty challenge is "".
 */
export function saslChallenge(line: string): string | null {
  const m = /^(?:334|\+)(?: (\S*))?\s*$/.exec(line.replace(/\r?\n$/, ''));
  return m ? (m[1] ?? '') : null;
}

/** A challenge as text ("VXNlcm5hbWU6" -> "Username:"), or null when it is not base64 of UTF-8. */
export function challengeText(challenge: string): string | null {
  const bytes = base64Decode(challenge.trim());
  if (!bytes) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Whether the answer to this challenge is the LOGIN user name (not secret) rather than a password. */
export function asksForUsername(challenge: string): boolean {
  return /^user/i.test(challengeText(challenge) ?? '');
}
