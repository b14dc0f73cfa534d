// The bundled example transcripts, one per protocol, recorded from real sessions with the practice
// server (test/integration/transcript/record-examples.ts makes them). Replay works from these
// without any server. Names are what links use: #/replay/example/smtp-first?step=4.

import { importJsonValue } from '../import-json.ts';
import type { Protocol, Transcript } from '../model.ts';
import imapFirst from './imap-first.json' with { type: 'json' };
import pop3First from './pop3-first.json' with { type: 'json' };
import smtpFirst from './smtp-first.json' with { type: 'json' };

export interface BundledExample {
  name: string;
  protocol: Protocol;
  title: string;
  summary: string;
}

export const EXAMPLES: readonly BundledExample[] = [
  {
    name: 'smtp-first',
    protocol: 'smtp',
    title: 'Sending a message over SMTP submission',
    summary: 'Greeting, EHLO, STARTTLS, EHLO again inside TLS, AUTH PLAIN, MAIL FROM, RCPT TO, DATA with a dot-stuffed line, QUIT.',
  },
  {
    name: 'imap-first',
    protocol: 'imap',
    title: 'Reading that message over IMAP',
    summary: 'Greeting with LOGINDISABLED, CAPABILITY, STARTTLS, LOGIN, SELECT INBOX, UID SEARCH, FETCH flags and sizes, UID FETCH of the body (a literal), LOGOUT.',
  },
  {
    name: 'pop3-first',
    protocol: 'pop3',
    title: 'Downloading mail over POP3',
    summary: 'Greeting, CAPA, STLS, USER and PASS, STAT, LIST, RETR 1 (a multi-line reply ending in "."), QUIT.',
  },
];

export const EXAMPLE_NAMES: readonly string[] = EXAMPLES.map((e) => e.name);

const FILES: Record<string, unknown> = { 'smtp-first': smtpFirst, 'imap-first': imapFirst, 'pop3-first': pop3First };

/** The transcript of a bundled example; throws if a bundled file does not import (a build error). */
export function loadExample(name: string): Transcript | null {
  const file = FILES[name];
  if (file === undefined) return null;
  const result = importJsonValue(file);
  if (!result.ok) throw new Error(`Bundled example ${name} does not import: ${result.error.code}: ${result.error.message}`);
  return result.transcript;
}
