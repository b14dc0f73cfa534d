// The CLI: `npm start` (tsx bridge/main.ts --build-if-needed). Parses the config, builds the app
// when dist/ is missing or stale, starts everything, prints the URL and the practice accounts,
// and closes cleanly on SIGINT/SIGTERM. A bad option prints its message and exits with 2.
// stdout is for people (the summary); event lines go to stderr, filtered by --verbose/--quiet.

import { buildIfNeeded } from './build.ts';
import { loadConfig } from './config/load.ts';
import { helpText } from './config/options.ts';
import { ConfigError, type MailwireConfig } from './config/types.ts';
import { installLastResort } from './last-resort.ts';
import type { ResetReport } from './practice/mailstore.ts';
import { jsonLogger } from './relay/log.ts';
import { eventLogger, startMailwire } from './start.ts';

/** One line for the start-up summary: what --reset-practice removed. */
function resetSummary(report: ResetReport): string {
  const nonEmpty = report.accounts.filter((a) => a.messages > 0 || a.mailboxes.length > 0);
  const shown = nonEmpty
    .slice(0, 10)
    .map((a) => `${a.username} ${a.messages}${a.mailboxes.length ? ` + ${a.mailboxes.length} mailbox(es)` : ''}`);
  if (nonEmpty.length > shown.length) shown.push(`${nonEmpty.length - shown.length} more`);
  const what = report.messages === 1 ? '1 message' : `${report.messages} messages`;
  const detail = shown.length ? ` (${shown.join(', ')})` : '';
  return `practice mailboxes reset (--reset-practice): ${what} removed${detail}; every INBOX holds just its welcome message.`;
}

async function main(): Promise<number> {
  let config: MailwireConfig;
  try {
    const parsed = loadConfig(process.argv.slice(2));
    if (parsed.help) {
      process.stdout.write(`${helpText()}\n`);
      return 0;
    }
    config = parsed.config;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`mailwire: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (config.buildIfNeeded) await buildIfNeeded(config.distDir, (line) => process.stdout.write(`${line}\n`));

  const log = eventLogger(config);
  // Even under --quiet: an exception nobody handled is a bug report, never dropped silently.
  installLastResort(jsonLogger());
  const running = await startMailwire(config, { log }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE' || err.code === 'EACCES') {
      process.stderr.write(
        `mailwire: cannot listen: ${err.message}. Choose another port with --port (or the practice port flags).\n`,
      );
      process.exit(2);
    }
    throw err;
  });
  process.stdout.write(`mailwire is running: open ${running.url}\n`);
  process.stdout.write(`bridge WebSocket: ${running.wsUrl}\n`);
  if (running.practice) {
    process.stdout.write(`${running.practice.accountsSummary()}\n`);
    if (running.sheetFile)
      process.stdout.write(`  printable class sheet (one slip per student): ${running.sheetFile}\n`);
    if (running.practice.startupReset) process.stdout.write(`${resetSummary(running.practice.startupReset)}\n`);
  } else process.stdout.write('practice server: off (--no-practice)\n');

  await new Promise<void>((done) => {
    const stop = (signal: string) => {
      process.stdout.write(`\n${signal}: closing...\n`);
      running.close().then(done, done);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`mailwire: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
