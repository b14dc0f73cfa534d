// `npm run explain -- [--protocol smtp|imap|pop3] FILE|-`: the console's catalogs on the command
// line. Reads a transcript, replays it through the pure protocol modules (app/src/protocols) and
// prints every server line with its explanation; a reply the catalogs cannot explain is marked "?".
//
// Inputs: "C:"/"S:" lines (RFC style), a raw server log (no prefixes: every line is the server's),
// mailwire's JSON transcript export, the JSON fixtures in test/fixtures/transcripts, and Python's
// smtplib / imaplib / poplib debug output. Exit: 0 all explained, 1 some reply unexplained, 2 bad usage.
import { latin1Bytes } from '../app/src/protocols/common/bytes.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConsole, imap, pop3, smtp, type ConsoleReply, type ProtocolName } from '../app/src/protocols/index.ts';
import { vendorEntry } from '../app/src/protocols/vendors/index.ts';
import { importJson } from '../app/src/transcript/import-json.ts';
import { readExport } from '../app/src/transcript/read-export.ts';
import { createSecretDetector, maskData } from '../app/src/transcript/mask.ts';

const PROTOCOLS: readonly ProtocolName[] = ['smtp', 'imap', 'pop3'];

export const USAGE = `Usage: npm run explain -- [--protocol smtp|imap|pop3] FILE
       npm run explain -- [--protocol smtp|imap|pop3] -          (read standard input)

Replays a transcript through mailwire's protocol catalogs and prints every server line with its
explanation: title, meaning and RFC section. Client lines are shown with credentials masked
(AUTH payloads, IMAP LOGIN and POP3 PASS passwords).

FILE may hold:
  - "C: ..." / "S: ..." lines, RFC style (a line without a prefix continues the one before);
  - a raw server log: lines without prefixes, all read as the server's;
  - a transcript exported by mailwire (JSON), or a fixture from test/fixtures/transcripts;
  - Python debug output: smtplib (send:/reply:), imaplib (> b'...' / < b'...'), poplib (*cmd*/*resp*).
    imaplib logs "read/write literal size N" instead of a literal's octets: N stand-in octets
    replay them (a "#" line says so), so the replies after a literal stay paired.

Replies of real providers (Gmail, Microsoft 365, Yahoo, Postfix, Exim, Dovecot, Cyrus, Courier) get
the vendor's own meaning and a link to its documentation (app/src/protocols/vendors).

Without --protocol, the protocol is guessed from the content, and the output says so.

Marks: "=" the reply is explained by an exact catalog entry; "?" it is not (unparsable input, or a
reply code, response code or response name the catalog has no entry for: a gap to report).

Exit status: 0 when every reply was explained, 1 when at least one was marked "?" (the summary
line counts them), 2 on bad usage or an unreadable file.`;

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

export class UsageError extends Error {}

const encoder = new TextEncoder();
const utf8 = (s: string) => encoder.encode(s);

// ---- input formats ----

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
    throw new UsageError(
      'The input starts with "{" but is not valid JSON; give a mailwire transcript export, a fixture, or C:/S: lines.',
    );
  }
  const doc = value as Record<string, unknown>;
  if (doc && typeof doc === 'object' && 'mailwireTranscript' in doc) {
    const result = importJson(text);
    if (!result.ok)
      throw new UsageError(`This mailwire transcript cannot be read (${result.error.code}): ${result.error.message}`);
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
  throw new UsageError(
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
    throw new UsageError(`This is a ${exported.format}, a program rather than a transcript: ${exported.advice}.`);
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

// ---- what counts as explained ----

const fallbackImapCode = imap.explainResponseCode('X-MAILWIRE-NOT-A-CODE').meaning;
const fallbackPop3Code = pop3.explainPop3Code('X-MAILWIRE-NOT-A-CODE').meaning;

/**
 * Why a reply is a gap, or [] when it is explained. A gap is unparsable input, or a code or name
 * with no exact catalog entry: an unknown SMTP code is still described by its class digit
 * (RFC 5321 4.2.1), but that is a guess, not an explanation of that code.
 */
export function gapsOf(protocol: ProtocolName, reply: ConsoleReply): string[] {
  if (reply.kind === 'unparsed') return [`not a valid ${protocol.toUpperCase()} reply: ${reply.annotation.meaning}`];
  const gaps: string[] = [];
  if (!reply.annotation.meaning.trim()) gaps.push('the explanation is empty');
  if (protocol === 'smtp') {
    const r = reply.parsed as smtp.SmtpReply;
    if (!smtp.SMTP_REPLY_CODES[r.code]) gaps.push(`no catalog entry for reply code ${r.code}`);
    // A provider's own detail code (Microsoft's 5.7.139 ...) is explained by the vendor knowledge base.
    const known = vendorEntry({ protocol: 'smtp', code: r.code, enhanced: r.enhanced?.code, text: r.text.join(' ') });
    if (r.enhanced && !smtp.isRegisteredEnhanced(r.enhanced.code) && !known)
      gaps.push(`enhanced status code ${r.enhanced.code} is not in the registry`);
  } else if (protocol === 'imap') {
    const r = reply.parsed as imap.ImapResponse;
    if (r.kind === 'untagged' && !imap.IMAP_RESPONSES[r.name ?? ''])
      gaps.push(`no catalog entry for untagged response ${r.name}`);
    if (r.code && imap.explainResponseCode(r.code.name).meaning === fallbackImapCode)
      gaps.push(`no catalog entry for response code [${r.code.name}]`);
  } else {
    const r = reply.parsed as pop3.Pop3Response;
    if (r.code && pop3.explainPop3Code(r.code).meaning === fallbackPop3Code)
      gaps.push(`no catalog entry for response code [${r.code}]`);
  }
  return gaps;
}

// ---- replay and print ----

const ref = (r: { doc: string; section?: string }) => (r.section ? `${r.doc} section ${r.section}` : r.doc);

const GREETING: Record<ProtocolName, string> = {
  smtp: '220 greeting\r\n',
  imap: '* OK greeting\r\n',
  pop3: '+OK greeting\r\n',
};

export interface Report {
  lines: string[];
  replies: number;
  unexplained: number;
}

export function explain(input: Input, protocol: ProtocolName): Report {
  const out: string[] = [];
  const console = createConsole(protocol);
  const secrets = createSecretDetector(protocol);
  let replies = 0;
  let unexplained = 0;
  const show = (list: ConsoleReply[]) => {
    for (const reply of list) {
      replies++;
      for (const l of reply.raw.replace(/\r?\n$/, '').split(/\r?\n/)) out.push(`S: ${l}`);
      const gaps = gapsOf(protocol, reply);
      const a = reply.annotation;
      out.push(`  ${gaps.length ? '?' : '='} ${a.title}: ${a.meaning} [${ref(a.rfc)}]`);
      for (const d of a.details ?? []) out.push(`      ${d.term}: ${d.text}${d.rfc ? ` [${ref(d.rfc)}]` : ''}`);
      if (a.decoded !== undefined) out.push(`      decoded: ${JSON.stringify(a.decoded)}`);
      for (const g of gaps) out.push(`  ? gap: ${g}`);
      if (gaps.length) unexplained++;
      if (reply.startTls && !input.explicitTls) console.tlsStarted();
    }
  };
  // Client debug logs (smtplib, imaplib) often start after the greeting: a silent stand-in keeps
  // each later reply paired with the command it answers.
  if (input.steps.find((s) => s.dir !== 'TLS')?.dir === 'C') {
    console.received(encoder.encode(GREETING[protocol]));
    out.push('# (the input has no server greeting; one was assumed so replies pair with their commands)');
  }
  for (const step of input.steps) {
    if (step.note) out.push(`# ${step.note}`);
    if (step.dir === 'TLS') {
      console.tlsStarted();
      out.push('-- TLS handshake done: everything below was encrypted on the wire --');
    } else if (step.dir === 'C') {
      const masked = maskData(step.data, secrets.sent(step.data)).data;
      console.sent(new TextDecoder().decode(step.data));
      for (const l of new TextDecoder()
        .decode(masked)
        .replace(/\r?\n$/, '')
        .split(/\r?\n/))
        out.push(`C: ${l}`);
    } else {
      secrets.received(step.data);
      show(console.received(step.data));
    }
  }
  show(console.closed());
  return { lines: out, replies, unexplained };
}

export interface Args {
  protocol?: ProtocolName;
  file?: string;
  help: boolean;
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') args.help = true;
    else if (a === '--protocol' || a === '-p' || a.startsWith('--protocol=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!value) throw new UsageError('--protocol needs a value: smtp, imap or pop3.');
      if (!PROTOCOLS.includes(value.toLowerCase() as ProtocolName))
        throw new UsageError(`Unknown protocol "${value}": use smtp, imap or pop3.`);
      args.protocol = value.toLowerCase() as ProtocolName;
    } else if (a.startsWith('-') && a !== '-')
      throw new UsageError(`Unknown option "${a}". Run with --help to see the options.`);
    else if (args.file !== undefined)
      throw new UsageError(`Give one transcript file, not several ("${args.file}" and "${a}").`);
    else args.file = a;
  }
  return args;
}

async function readSource(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'there is no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? 'unreadable');
    throw new UsageError(`Cannot read "${file}": ${why}. Give a transcript file, or - for standard input.`);
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (args.file === undefined) throw new UsageError('No transcript given: name a FILE, or - to read standard input.');
    const input = readInput(await readSource(args.file));
    if (!input.steps.some((s) => s.dir === 'S')) throw new UsageError('The input holds no server lines to explain.');
    let protocol = args.protocol;
    let header = `# ${args.file === '-' ? 'stdin' : args.file}: ${input.format}`;
    if (!protocol) {
      protocol = input.protocol ?? guessProtocol(input.steps);
      if (!protocol)
        throw new UsageError('Cannot tell the protocol from the content: add --protocol smtp, imap or pop3.');
      header += `, protocol ${protocol} (${input.protocol ? 'named in the file' : 'guessed from the content'}; --protocol overrides)`;
    } else header += `, protocol ${protocol}`;
    const report = explain(input, protocol);
    const summary = `# ${report.replies} replies, ${report.replies - report.unexplained} explained, ${report.unexplained} unexplained (marked ?)`;
    process.stdout.write([header, ...report.lines, summary].join('\n') + '\n');
    return report.unexplained > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`explain: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
