// Greylisting for the practice "greylist" scenario and greylist.test's MX, as real greylisters do
// it at RCPT (RFC 6647): the key is the triplet (client address, MAIL FROM, RCPT TO).
// The first attempt of a new triplet is refused with a temporary 451; a retry sooner than the
// minimum delay is refused again; a retry after it passes, and the triplet is then let through at
// once from then on (a "pass" record). Real servers wait minutes (RFC 5321 section 4.5.4.1 asks senders to wait at
// least 30 minutes between tries); a class cannot, so the delay is a few seconds and configurable.

/** What a class can wait: long enough to see "too early", short enough to keep the lesson moving. */
export const DEFAULT_GREYLIST_DELAY_MS = 5000;
/** Bounded: a practice server, not a mail filter. The oldest records go first. */
const MAX_RECORDS = 10_000;

export type GreylistVerdict = { pass: true; known: boolean } | { pass: false; retryInMs: number; first: boolean };

export interface Greylist {
  /** Judges one delivery attempt under this connection's minimum delay; `now` is injectable for tests. */
  check(clientAddress: string, sender: string, recipient: string, minDelayMs?: number, now?: number): GreylistVerdict;
}

export function createGreylist(clock: () => number = Date.now): Greylist {
  /** triplet -> time of the first attempt, or 'pass' once a retry came late enough. */
  const seen = new Map<string, number | 'pass'>();
  return {
    check(clientAddress, sender, recipient, minDelayMs = DEFAULT_GREYLIST_DELAY_MS, now = clock()) {
      // Addresses compare case-insensitively here: a learner retyping in other case is retrying.
      const key = [clientAddress, sender.toLowerCase(), recipient.toLowerCase()].join('\0');
      const first = seen.get(key);
      if (first === 'pass') return { pass: true, known: true };
      if (first === undefined) {
        if (seen.size >= MAX_RECORDS) seen.delete(seen.keys().next().value as string);
        seen.set(key, now);
        return { pass: false, retryInMs: Math.max(0, minDelayMs), first: true };
      }
      const waited = now - first;
      if (waited < minDelayMs) return { pass: false, retryInMs: minDelayMs - waited, first: false };
      seen.set(key, 'pass');
      return { pass: true, known: false };
    },
  };
}
