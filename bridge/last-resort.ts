// The last resort (issue 11): an exception that escapes every handler must not end the process
// for the whole class. Node's default is to print and exit; here it is logged as one JSON line
// with a stable code and the process goes on serving. Every known failure is handled where it
// happens; this only catches the bugs nobody has found yet, so each line it writes is a bug report.
import type { Logger } from './practice/types.ts';

export const UNCAUGHT_CODES = {
  uncaughtException: 'UNCAUGHT_EXCEPTION',
  unhandledRejection: 'UNHANDLED_REJECTION',
} as const;

function describe(err: unknown): { error: string; stack?: string } {
  if (err instanceof Error)
    return {
      error: `${err.name}: ${err.message}`.slice(0, 2000),
      ...(err.stack ? { stack: err.stack.slice(0, 4000) } : {}),
    };
  return { error: String(err).slice(0, 2000) };
}

/** Installs the handlers on `proc` (the real process in main.ts). Returns the uninstaller. */
export function installLastResort(log: Logger, proc: NodeJS.Process = process): () => void {
  const onException = (err: unknown) =>
    log('process.error', { code: UNCAUGHT_CODES.uncaughtException, ...describe(err) });
  const onRejection = (reason: unknown) =>
    log('process.error', { code: UNCAUGHT_CODES.unhandledRejection, ...describe(reason) });
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}
