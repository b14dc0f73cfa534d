// Credentials in a transcript: found at record time (so every export can hide them) and masked on
// export unless the caller passes `reveal: true`.
//
// What counts as a credential: SASL payloads (SMTP AUTH, RFC 4954; IMAP AUTHENTICATE, RFC 3501
// 6.2.2; POP3 AUTH, RFC 5034), the IMAP LOGIN password (RFC 3501 6.2.3), POP3 PASS and the APOP
// digest (RFC 1939 section 7). A SASL LOGIN username answer is kept in the clear: the server's
// challenge says "Username:" and the name is not a secret (it shows in MAIL FROM anyway).
// Detection reads each send line by line: the console sends whole lines, so a command split over
// two sends (one without CRLF) is judged per part.

import { commandSecrets, saslAnswerIsSecret } from '../protocols/common/secrets.ts';
import { latin1, splitLines } from './bytes.ts';
import type { Protocol, SecretRange, Transcript, TranscriptEvent } from './model.ts';

export const MASK = '********';
const MASK_BYTES = new TextEncoder().encode(MASK);

export interface SecretDetector {
  /** The secret ranges of bytes the client is about to send (offsets within `data`). */
  sent(data: Uint8Array): SecretRange[];
  /** Bytes from the server: moves the detector along (challenges, end of AUTH, DATA mode). */
  received(data: Uint8Array): void;
}

export function createSecretDetector(protocol: Protocol): SecretDetector {
  switch (protocol) {
    case 'smtp':
      return smtpDetector();
    case 'imap':
      return imapDetector();
    case 'pop3':
      return pop3Detector();
  }
}

/** Line bodies without CRLF, with their byte offsets (latin1 keeps offsets = byte positions). */
function lines(data: Uint8Array): Array<{ text: string; start: number }> {
  return splitLines(data).map(({ start, end }) => ({ text: latin1(data, start, end).replace(/\r?\n$/, ''), start }));
}

/** A SASL exchange in progress: answers to challenges are secret, except a LOGIN user name. */
interface Sasl {
  active: boolean;
  challenge: string;
}
function saslAnswer(sasl: Sasl, line: string, start: number, out: SecretRange[]): void {
  if (saslAnswerIsSecret(sasl.challenge, line)) out.push({ start, end: start + line.length });
}
/** The secrets of one command line (protocols/common/secrets.ts decides), shifted to `at`. */
function lineSecrets(protocol: Protocol, line: string, at: number, out: SecretRange[]): void {
  for (const r of commandSecrets(protocol, line)) out.push({ start: at + r.start, end: at + r.end });
}

function smtpDetector(): SecretDetector {
  const sasl: Sasl = { active: false, challenge: '' };
  let data: 'none' | 'awaiting354' | 'data' = 'none';
  return {
    sent(bytes) {
      const out: SecretRange[] = [];
      for (const { text, start } of lines(bytes)) {
        if (data === 'data') {
          if (text === '.') data = 'none'; // end of mail data, RFC 5321 4.1.1.4
          continue;
        }
        if (data === 'awaiting354') data = 'none'; // a new command: DATA was refused
        if (sasl.active) {
          saslAnswer(sasl, text, start, out);
          continue;
        }
        if (/^AUTH /i.test(text)) {
          lineSecrets('smtp', text, start, out);
          sasl.active = true;
          sasl.challenge = '';
        } else if (/^DATA$/i.test(text)) data = 'awaiting354';
      }
      return out;
    },
    received(bytes) {
      for (const { text } of lines(bytes)) {
        const m = /^(\d{3})(?:([ -])(.*))?$/.exec(text);
        if (!m || m[2] === '-') continue; // only the last line of a reply decides
        if (m[1] === '354' && data === 'awaiting354') data = 'data';
        if (sasl.active) {
          if (m[1] === '334') sasl.challenge = m[3] ?? '';
          else sasl.active = false;
        }
      }
    },
  };
}

/** One IMAP argument: atom, quoted string or literal marker. Returns its extent in `s` from `i`. */
function imapArg(s: string, i: number): { start: number; end: number; literal?: number } | null {
  while (s[i] === ' ') i++;
  if (i >= s.length) return null;
  if (s[i] === '"') {
    let j = i + 1;
    while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
    return { start: i, end: Math.min(j + 1, s.length) };
  }
  const lit = /^\{(\d+)\+?\}$/.exec(s.slice(i));
  if (lit) return { start: i, end: s.length, literal: Number(lit[1]) };
  let j = i;
  while (j < s.length && s[j] !== ' ') j++;
  return { start: i, end: j };
}

function imapDetector(): SecretDetector {
  const sasl: Sasl = { active: false, challenge: '' };
  let saslTag = '';
  // A literal the client is sending: how many bytes remain, whether they are the password, and
  // whether the LOGIN password argument still follows it (when the user name was the literal).
  let literal = { remaining: 0, secret: false, passwordFollows: false };
  return {
    sent(bytes) {
      const out: SecretRange[] = [];
      let p = 0;
      while (p < bytes.length) {
        if (literal.remaining > 0) {
          const n = Math.min(literal.remaining, bytes.length - p);
          if (literal.secret) out.push({ start: p, end: p + n });
          literal.remaining -= n;
          p += n;
          continue;
        }
        let lf = bytes.indexOf(10, p);
        if (lf < 0) lf = bytes.length - 1;
        const text = latin1(bytes, p, lf + 1).replace(/\r?\n$/, '');
        if (literal.passwordFollows) {
          literal.passwordFollows = false;
          const pass = imapArg(text, 0);
          if (pass?.literal !== undefined) literal = { remaining: pass.literal, secret: true, passwordFollows: false };
          else if (pass) out.push({ start: p + pass.start, end: p + pass.end });
        } else if (sasl.active) {
          saslAnswer(sasl, text, p, out);
        } else {
          const cmd = /^(\S+) +(\S+)/.exec(text);
          const verb = cmd?.[2]?.toUpperCase();
          if (verb === 'LOGIN') {
            const user = imapArg(text, cmd![0].length);
            if (user?.literal !== undefined)
              literal = { remaining: user.literal, secret: false, passwordFollows: true };
            else if (user) {
              const pass = imapArg(text, user.end);
              if (pass?.literal !== undefined)
                literal = { remaining: pass.literal, secret: true, passwordFollows: false };
              else if (pass) out.push({ start: p + pass.start, end: p + pass.end });
            }
          } else if (verb === 'AUTHENTICATE') {
            // SASL-IR (RFC 4959): the initial response, if any, is secret as in SMTP.
            lineSecrets('imap', text, p, out);
            sasl.active = true;
            sasl.challenge = '';
            saslTag = cmd![1]!;
          }
        }
        p = lf + 1;
      }
      return out;
    },
    received(bytes) {
      for (const { text } of lines(bytes)) {
        if (!sasl.active) continue;
        if (text.startsWith('+')) sasl.challenge = text.slice(2);
        else if (text.startsWith(saslTag + ' ')) sasl.active = false;
      }
    },
  };
}

function pop3Detector(): SecretDetector {
  const sasl: Sasl = { active: false, challenge: '' };
  return {
    sent(bytes) {
      const out: SecretRange[] = [];
      for (const { text, start } of lines(bytes)) {
        if (sasl.active) {
          saslAnswer(sasl, text, start, out);
          continue;
        }
        lineSecrets('pop3', text, start, out);
        if (/^AUTH /i.test(text)) {
          sasl.active = true;
          sasl.challenge = '';
        }
      }
      return out;
    },
    received(bytes) {
      for (const { text } of lines(bytes)) {
        if (!sasl.active) continue;
        if (text.startsWith('+OK') || text.startsWith('-ERR')) sasl.active = false;
        else if (text.startsWith('+')) sasl.challenge = text.slice(2);
      }
    },
  };
}

/** Replaces each secret range by the mask; the returned ranges point at the masks. */
export function maskData(data: Uint8Array, ranges: SecretRange[]): { data: Uint8Array; secret: SecretRange[] } {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const parts: Uint8Array[] = [];
  const secret: SecretRange[] = [];
  let at = 0;
  let length = 0;
  for (const r of sorted) {
    if (r.start < at) continue; // overlapping range: already covered
    parts.push(data.subarray(at, r.start));
    length += r.start - at;
    parts.push(MASK_BYTES);
    secret.push({ start: length, end: length + MASK_BYTES.length });
    length += MASK_BYTES.length;
    at = r.end;
  }
  parts.push(data.subarray(at));
  const out = new Uint8Array(length + data.length - at);
  let o = 0;
  for (const part of parts) {
    out.set(part, o);
    o += part.length;
  }
  return { data: out, secret };
}

/** A copy of the transcript with every secret masked (events already masked stay as they are). */
export function maskTranscript(transcript: Transcript): Transcript {
  const events = transcript.events.map((e): TranscriptEvent => {
    if ((e.kind !== 'sent' && e.kind !== 'received') || !e.secret?.length || e.masked) return e;
    const masked = maskData(e.data, e.secret);
    return { ...e, data: masked.data, secret: masked.secret, masked: true };
  });
  return { ...transcript, events };
}

export interface RevealOption {
  /** Show credentials in the clear. Off by default: every export masks them. */
  reveal?: boolean;
}

/** The transcript an export should render: masked unless `reveal` is set. */
export const forExport = (transcript: Transcript, options: RevealOption = {}): Transcript =>
  options.reveal ? transcript : maskTranscript(transcript);

/** True when any event was exported with its secrets masked (a script then needs the password). */
export const hasMaskedSecrets = (transcript: Transcript): boolean =>
  transcript.events.some(
    (e) => (e.kind === 'sent' || e.kind === 'received') && e.masked && (e.secret?.length ?? 0) > 0,
  );
