// One JSON line per event on stderr. Callers pass only metadata: never payload bytes, never
// passwords (the relay does not look inside the stream except for the STARTTLS guard).
import type { Logger } from '../logger.ts';

export function jsonLogger(write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  return (event, fields = {}) => {
    write(`${JSON.stringify({ t: new Date().toISOString(), event, ...fields })}\n`);
  };
}

export const silentLogger: Logger = () => {};
