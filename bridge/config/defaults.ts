// The relay's defaults (the practice server's are in bridge/practice/types.ts and defaults.ts).
import type { RelayLimits } from './types.ts';

export const DEFAULT_MAIL_PORTS = [25, 465, 587, 143, 993, 110, 995, 2525];

export const DEFAULT_LIMITS: RelayLimits = {
  sessionsPerClient: 20,
  maxSessions: 500,
  idleTimeoutMs: 10 * 60_000,
  lifetimeMs: 2 * 60 * 60_000,
  maxFrameBytes: 1024 * 1024,
  connectTimeoutMs: 10_000,
  maxUnsentBytes: 4 * 1024 * 1024,
};
