// Login throttling, as Dovecot's auth penalty does (doc.dovecot.org, "Authentication Penalty"):
// the reply to a failed login waits 2 s, the wait doubles with each further failure from the same
// client address or for the same account, up to a cap (Dovecot: 15 s), and a successful login
// clears both counts. Only failure replies wait, on a timer, so no other client is slowed and a
// correct password is answered at once. Pure: the clock is injected.

export interface ThrottleSettings {
  /** The wait after the first failure, in ms (Dovecot's auth_failure_delay, 2 s). 0 turns throttling off. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A count no failure has refreshed for this long is forgotten. */
  forgetAfterMs?: number;
  /** Bounds the memory of the counts: the oldest entries go first. */
  maxEntries?: number;
}

interface Count {
  failures: number;
  last: number;
}

export class AuthThrottle {
  private readonly counts = new Map<string, Count>();
  private readonly forgetAfterMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.forgetAfterMs = settings.forgetAfterMs ?? 15 * 60_000;
    this.maxEntries = settings.maxEntries ?? 10_000;
  }

  /**
   * Records a failed login and returns how long its reply must wait, in ms. `account` is the
   * canonical name of an existing account, or null (a made-up name is not tracked, so it cannot
   * grow the table for free; the address count still grows).
   */
  failed(address: string, account: string | null): number {
    const keys = [`ip:${address}`, ...(account ? [`user:${account.toLowerCase()}`] : [])];
    let failures = 0;
    for (const key of keys) failures = Math.max(failures, this.bump(key));
    return this.delayFor(failures);
  }

  /** A successful login: the address and the account start afresh. */
  succeeded(address: string, account: string): void {
    this.counts.delete(`ip:${address}`);
    this.counts.delete(`user:${account.toLowerCase()}`);
  }

  /** The wait for the n-th failure in a row: base, 2 x base, 4 x base ... capped. */
  delayFor(failures: number): number {
    if (failures <= 0 || this.settings.baseDelayMs <= 0) return 0;
    const doubled = this.settings.baseDelayMs * 2 ** Math.min(failures - 1, 30);
    return Math.min(doubled, Math.max(this.settings.maxDelayMs, this.settings.baseDelayMs));
  }

  private bump(key: string): number {
    const t = this.now();
    const prior = this.counts.get(key);
    const failures = prior && t - prior.last < this.forgetAfterMs ? prior.failures + 1 : 1;
    this.counts.delete(key); // re-inserted last: the Map's order is then oldest first
    this.counts.set(key, { failures, last: t });
    while (this.counts.size > this.maxEntries) this.counts.delete(this.counts.keys().next().value!);
    return failures;
  }
}

/** The sentence added to a delayed failure reply: why it was slow, for the learner. */
export function throttleNote(delayMs: number): string {
  if (delayMs <= 0) return '';
  const seconds = delayMs % 1000 === 0 ? `${delayMs / 1000}` : (delayMs / 1000).toFixed(1);
  return ` This answer waited ${seconds} s on purpose: after each failed login the server waits longer (up to a limit), so guessing passwords takes far too long.`;
}
