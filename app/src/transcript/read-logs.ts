// Reads a transcript someone has, in whatever form it came, into client and server steps: "C:"/"S:"
// lines (RFC style), a raw server log (every line the server's), mailwire's own JSON and text
// exports, the JSON fixtures of test/fixtures/transcripts, and Python's smtplib / imaplib / poplib
// debug output. Pure: `npm run explain` (bridge/explain.ts) reads the file and prints the report.
import { latin1Bytes } from '../protocols/common/bytes.ts';
import type { ProtocolName } from '../protocols/index.ts';
import { importJson } from './import-json.ts';
import { readExport } from './read-export.ts';

export const PROTOCOLS: readonly ProtocolName[] = ['smtp', 'imap', 'pop3'];

export type Dir = 'C' | 'S' | 'TLS';
export interface Step {
  dir: Dir;
  data: Uint8Array;
  /** Printed as a "#" line where the step is replayed. */ note?: string;
}
export interface Input {
  format: string;
  steps: Step[];
  protocol?: ProtocolName;
  explicitTls: boolean;
}

/** Input that is not a transcript this reader knows; the message says what to give instead. */
export class TranscriptInputError extends Error {}

const encoder = new TextEncoder();
const utf8 = (s: string) => encoder.encode(s);

/** Decodes a Python repr of str or bytes (b'..', '..', ".."): \r \n \t \\ \' \" \xNN \uNNNN. */
export function pyLiteral(text: string): Uint8Array | null {
  const m = /^(b?)(['"])(.*)\2$/.exec(text.trim());
  if (!m) return null;
  const body = m[3]!;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    const simple: Record<string, string> = { r: '\r', n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
    if (next === 'x') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (next === 'u' && !m[1]) {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (next !== undefined && next in simple) out += simple[next];
    else out += `\\${next ?? ''}`;
  }
  // bytes reprs hold one char per byte; str reprs are text (encode as UTF-8)
  return m[1] ? latin1Bytes(out) : utf8(out);
}

const withCrlf = (b: Uint8Array): Uint8Array => {
  const n = b.length;
  if (n >= 1 && b[n - 1] === 10) return b;
  const out = new Uint8Array(n + 2);
  out.set(b);
  out.set([13, 10], n);
  return out;
};

const SMTPLIB = /^\s*(?:\S+ )?(send|reply): (b?(['"]).*\3)\s*$/;
const IMAPLIB = /^\s*(?:\d+:\d+\.\d+ )?\s*([<>]) (b(['"]).*\3)\s*$/;
const POPLIB = /^\*(cmd|put|welcome|resp|get)\* (b?(['"]).*\3)\s*$/;
/** imaplib (debug >= 4) logs a literal's size, never its octets: "write literal size 99", "read literal size 45". */
const IMAPLIB_LITERAL = /^\s*(?:\d+:\d+\.\d+ )?\s*(write|read) literal size (\d+)\s*$/;

/**
 * Stand-in octets for a literal the log left out: exactly `size` of them, so the parser and the
 * session count the literal (RFC 9051 section 4.3) and every later reply stays in step.
 */
function literalStandIn(size: number): Uint8Array {
  const text = `[${size} octets not in the log]`;
  return latin1Bytes(size >= text.length ? text + '.'.repeat(size - text.length) : '.'.repeat(size));
}

function fromPython(lines: string[]): Input {
  const steps: Step[] = [];
  const hasGet = lines.some((l) => /^\*get\* /.test(l));
  let protocol: ProtocolName | undefined;
  for (const line of lines) {
    let m = SMTPLIB.exec(line);
    if (m) {
      const data = pyLiteral(m[2]!);
      if (data) steps.push({ dir: m[1] === 'send' ? 'C' : 'S', data });
      protocol ??= 'smtp';
      continue;
    }
    m = IMAPLIB_LITERAL.exec(line);
    if (m) {
      const size = Number(m[2]);
      const note = `(imaplib did not log the ${size} literal octets ${m[1] === 'write' ? 'it sent' : 'it read'}; ${size} stand-in octets replay them)`;
      // The client ends the command line after its literal; the server's literal is followed by the rest of the response.
      const data = literalStandIn(size);
      steps.push({ dir: m[1] === 'write' ? 'C' : 'S', data: m[1] === 'write' ? withCrlf(data) : data, note });
      protocol ??= 'imap';
      continue;
    }
    m = IMAPLIB.exec(line);
    if (m) {
      const data = pyLiteral(m[2]!);
      if (data) steps.push({ dir: m[1] === '>' ? 'C' : 'S', data: withCrlf(data) });
      protocol ??= 'imap';
      continue;
    }
    m = POPLIB.exec(line);
    if (m) {
      protocol ??= 'pop3';
      const kind = m[1]!;
      // *put* repeats *cmd*; with debug level 2, *get* shows every line and *resp* repeats the status.
      const server = hasGet ? kind === 'get' : kind === 'welcome' || kind === 'resp';
      const data = pyLiteral(m[2]!);
      if (!data) continue;
      if (kind === 'cmd') steps.push({ dir: 'C', data: withCrlf(data) });
      else if (server) steps.push({ dir: 'S', data: withCrlf(data) });
    }
  }
  return { format: 'Python debug output', steps, protocol, explicitTls: false };
}

function fromJson(text: string): Input {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TranscriptInputError(
      'The input starts with "{" but is not valid JSON; give a mailwire transcript export, a fixture, or C:/S: lines.',
    );
  }
  const doc = value as Record<string, unknown>;
  if (doc && typeof doc === 'object' && 'mailwireTranscript' in doc) {
    const result = importJson(text);
    if (!result.ok)
      throw new TranscriptInputError(
        `This mailwire transcript cannot be read (${result.error.code}): ${result.error.message}`,
      );
    const steps: Step[] = [];
    for (const e of result.transcript.events) {
      if (e.kind === 'sent') steps.push({ dir: 'C', data: e.data });
      else if (e.kind === 'received') steps.push({ dir: 'S', data: e.data });
      else if (e.kind === 'tls') steps.push({ dir: 'TLS', data: new Uint8Array() });
    }
    return { format: 'mailwire JSON transcript', steps, protocol: result.transcript.meta.protocol, explicitTls: true };
  }
  const events = doc?.events;
  if (
    Array.isArray(events) &&
    events.every((e) => e && ['C', 'S', 'TLS'].includes(e.dir) && typeof e.data === 'string')
  ) {
    const protocol = PROTOCOLS.includes(doc.protocol as ProtocolName) ? (doc.protocol as ProtocolName) : undefined;
    const steps = events.map((e: { dir: Dir; data: string }) => ({ dir: e.dir, data: latin1Bytes(e.data) }));
    return { format: 'transcript fixture (JSON)', steps, protocol, explicitTls: true };
  }
  throw new TranscriptInputError(
    'This JSON is neither a mailwire transcript export (no "mailwireTranscript" field) nor a fixture with "events" of {dir, data}.',
  );
}

function fromLines(lines: string[]): Input {
  const prefixed = lines.some((l) => /^[CS]:/.test(l));
  const steps: Step[] = [];
  let dir: Dir = 'S';
  for (const line of lines) {
    const m = prefixed ? /^([CS]):(?: ?)(.*)$/.exec(line) : null;
    if (m) dir = m[1] as Dir;
    steps.push({ dir, data: utf8(`${m ? m[2] : line}\r\n`) });
  }
  return { format: prefixed ? 'C:/S: lines' : 'raw server log', steps, explicitTls: false };
}

export function readInput(text: string): Input {
  if (text.trimStart().startsWith('{')) return fromJson(text);
  // mailwire's own text exports (C:/S: with [notes], swaks style) and its scripts.
  const exported = readExport(text);
  if (exported?.kind === 'script')
    throw new TranscriptInputError(
      `This is a ${exported.format}, a program rather than a transcript: ${exported.advice}.`,
    );
  if (exported) {
    const steps = exported.lines.map((l): Step =>
      l.dir === 'TLS' ? { dir: 'TLS', data: new Uint8Array() } : { dir: l.dir, data: utf8(`${l.text}\r\n`) },
    );
    return { format: exported.format, steps, explicitTls: true };
  }
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines.some((l) => SMTPLIB.test(l) || IMAPLIB.test(l) || POPLIB.test(l))) return fromPython(lines);
  return fromLines(lines);
}

/** SMTP replies start with three digits, POP3 with +OK/-ERR, IMAP with "* " or a tag and a status. */
export function guessProtocol(steps: Step[]): ProtocolName | undefined {
  const server = steps
    .filter((s) => s.dir === 'S')
    .map((s) => new TextDecoder().decode(s.data))
    .join('');
  const client = steps
    .filter((s) => s.dir === 'C')
    .map((s) => new TextDecoder().decode(s.data))
    .join('');
  const first = server.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  if (/^[+-](OK|ERR)\b/i.test(first)) return 'pop3';
  if (/^\d{3}([ -]|$)/.test(first)) return 'smtp';
  if (/^(\* |\S+ (OK|NO|BAD)\b)/i.test(first)) return 'imap';
  if (/^(EHLO|HELO)\b/im.test(client)) return 'smtp';
  if (/^\S+ (LOGIN|CAPABILITY|SELECT)\b/im.test(client)) return 'imap';
  if (/^(USER|CAPA|STAT)\b/im.test(client)) return 'pop3';
  return undefined;
}
