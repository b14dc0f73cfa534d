// `npm run explain -- [--protocol smtp|imap|pop3] FILE|-`: the console's catalogs on the command
// line. Reads a transcript (app/src/transcript/read-logs.ts), replays it through the pure protocol
// modules (app/src/transcript/explain-report.ts) and prints every server line with its explanation;
// a reply the catalogs cannot explain is marked "?". This file is the command line: arguments,
// reading the file, exit status (0 all explained, 1 some reply unexplained, 2 bad usage).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProtocolName } from '../app/src/protocols/index.ts';
import { explain } from '../app/src/transcript/explain-report.ts';
import { guessProtocol, PROTOCOLS, readInput, TranscriptInputError } from '../app/src/transcript/read-logs.ts';

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

export class UsageError extends Error {}

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
    if (err instanceof UsageError || err instanceof TranscriptInputError) {
      process.stderr.write(`explain: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
