// Builds the SASL lines a learner would otherwise base64 by hand: PLAIN (RFC 4616) and LOGIN
// (draft-murchison-sasl-login), for SMTP AUTH (RFC 4954), IMAP AUTHENTICATE (RFC 3501 6.2.2) and
// POP3 AUTH (RFC 5034). Pure: no DOM, no Node APIs; the console's helper panel renders the result.

import { base64Encode } from '../../protocols/common/bytes.ts';
import { challengeText, LOGIN_PASSWORD_PROMPT, LOGIN_USERNAME_PROMPT } from '../../protocols/common/sasl-wire.ts';
import type { Protocol } from './targets.ts';

const encoder = new TextEncoder();

/** Standard base64 (RFC 4648 section 4) of UTF-8 text or bytes, without line breaks. */
export const base64 = (input: string | Uint8Array): string => base64Encode(input);

/** One labelled part of the PLAIN message, as the panel shows it. */
export interface PlainPart {
  label: 'authzid' | 'NUL' | 'authcid' | 'passwd';
  /** What the learner sees: the text, or `\0` for the separator. */
  shown: string;
  bytes: Uint8Array;
  secret: boolean;
}

export interface AuthPlain {
  parts: PlainPart[];
  /** All bytes: [authzid] NUL authcid NUL passwd (RFC 4616 section 2). */
  bytes: Uint8Array;
  base64: string;
}

export interface AuthInputError {
  code: 'AUTH_EMPTY_USER' | 'AUTH_EMPTY_PASSWORD' | 'AUTH_NUL_IN_FIELD';
  message: string;
}

/** Fields must be non-empty and hold no NUL: RFC 4616 section 2 forbids NUL inside each part. */
export function checkCredentials(user: string, password: string, authzid = ''): AuthInputError | null {
  if (!user)
    return { code: 'AUTH_EMPTY_USER', message: 'Type a user name first (for the practice server, e.g. alice).' };
  if (!password)
    return {
      code: 'AUTH_EMPTY_PASSWORD',
      message: 'Type the password first (the practice accounts are listed on the left).',
    };
  if ([user, password, authzid].some((f) => f.includes('\0')))
    return {
      code: 'AUTH_NUL_IN_FIELD',
      message: 'A field holds a NUL byte: PLAIN uses NUL as its separator, so remove it (RFC 4616 section 2).',
    };
  return null;
}

export function authPlain(user: string, password: string, authzid = ''): AuthPlain {
  const nul = (): PlainPart => ({ label: 'NUL', shown: '\\0', bytes: new Uint8Array([0]), secret: false });
  const parts: PlainPart[] = [];
  if (authzid) parts.push({ label: 'authzid', shown: authzid, bytes: encoder.encode(authzid), secret: false });
  parts.push(nul(), { label: 'authcid', shown: user, bytes: encoder.encode(user), secret: false }, nul(), {
    label: 'passwd',
    shown: password,
    bytes: encoder.encode(password),
    secret: true,
  });
  const total = parts.reduce((n, p) => n + p.bytes.length, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p.bytes, at);
    at += p.bytes.length;
  }
  return { parts, bytes, base64: base64(bytes) };
}

/** One line of an AUTH exchange: what to send, after which server prompt, and what it carries. */
export interface AuthStep {
  /** The server line this answers (null: the command itself). */
  after: string | null;
  line: string;
  explains: string;
  secret: boolean;
}

/** The command word for each protocol: SMTP/POP3 say AUTH, IMAP says AUTHENTICATE with a tag. */
function command(protocol: Protocol, mech: string, tag: string): string {
  return protocol === 'imap' ? `${tag} AUTHENTICATE ${mech}` : `AUTH ${mech}`;
}

/** The challenges of the LOGIN mechanism: base64 of "Username:" and "Password:". */
export { LOGIN_PASSWORD_PROMPT, LOGIN_USERNAME_PROMPT };

/** PLAIN with an initial response on the command line (SMTP, RFC 4954 section 4; POP3, RFC 5034
 *  section 4; IMAP with SASL-IR, RFC 4959) — or, for IMAP without SASL-IR, after the "+" prompt. */
export function plainSteps(
  protocol: Protocol,
  user: string,
  password: string,
  opts: { tag?: string; initialResponse?: boolean } = {},
): AuthStep[] {
  const plain = authPlain(user, password);
  const tag = opts.tag ?? 'a1';
  const inline = opts.initialResponse ?? protocol !== 'imap';
  const explains = `base64 of \\0${user}\\0<password> (${plain.bytes.length} bytes)`;
  if (inline)
    return [{ after: null, line: `${command(protocol, 'PLAIN', tag)} ${plain.base64}`, explains, secret: true }];
  return [
    {
      after: null,
      line: command(protocol, 'PLAIN', tag),
      explains: 'asks for PLAIN; the server answers with an empty "+ " challenge',
      secret: false,
    },
    { after: '+', line: plain.base64, explains, secret: true },
  ];
}

export function loginSteps(
  protocol: Protocol,
  user: string,
  password: string,
  opts: { tag?: string } = {},
): AuthStep[] {
  const prompt = protocol === 'smtp' ? '334' : '+';
  return [
    {
      after: null,
      line: command(protocol, 'LOGIN', opts.tag ?? 'a1'),
      explains: 'asks for the LOGIN mechanism',
      secret: false,
    },
    {
      after: `${prompt} ${LOGIN_USERNAME_PROMPT}`,
      line: base64(user),
      explains: `base64 of "${user}", answering "Username:"`,
      secret: false,
    },
    {
      after: `${prompt} ${LOGIN_PASSWORD_PROMPT}`,
      line: base64(password),
      explains: 'base64 of the password, answering "Password:"',
      secret: true,
    },
  ];
}

/** Decodes a base64 challenge for display ("VXNlcm5hbWU6" -> "Username:"); null when not base64. */
export const decodeChallenge = challengeText;

/** Bytes as hex pairs, for the "what is inside" view ("00 61 6c ..."). */
export function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
