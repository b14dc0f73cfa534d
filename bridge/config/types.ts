// The shapes of the config (what loadConfig returns) and its one error type. No logic here: the
// option table is options.ts, value parsing values.ts, the readers argv.ts and file.ts, and
// load.ts puts them together.
import type { PracticeConfig } from '../practice/types.ts';

export interface AllowedTarget {
  host: string; // lower case, no trailing dot
  port: number;
}

export interface RelayLimits {
  sessionsPerClient: number;
  maxSessions: number;
  idleTimeoutMs: number;
  lifetimeMs: number;
  maxFrameBytes: number;
  connectTimeoutMs: number;
  /** Bytes the bridge may hold unsent for one browser (WebSocket bufferedAmount + queues). */
  maxUnsentBytes: number;
}

export interface MailwireConfig {
  host: string;
  port: number;
  /** Remote targets a teacher permits, besides the practice ones. */
  allow: AllowedTarget[];
  /** Let remote targets resolve to loopback, private, link-local or CGNAT addresses. */
  allowPrivate: boolean;
  /** Extra page origins allowed to open /bridge (the bridge's own origin always is). */
  allowedOrigins: string[];
  dataDir: string;
  /** Built app served over HTTP. */
  distDir: string;
  /** null when --no-practice. */
  practice: PracticeConfig | null;
  limits: RelayLimits;
  /** Ports a remote target may use. */
  mailPorts: number[];
  /** Extra trusted CA certificates (PEM), besides the system CAs: a lab's own CA. */
  extraCa: string | null;
  buildIfNeeded: boolean;
  /** No log lines at all on stderr (benchmarks). */
  quiet: boolean;
  /** Every event as a JSON line on stderr; by default only refusals, failures and resets. */
  verbose: boolean;
  /** Empty the practice mailboxes at start-up (welcome messages come back). */
  resetPractice: boolean;
  /** The page's address as students type it, behind a proxy (https://mail.school.example); its origin may open /bridge. */
  publicUrl: string | null;
  /** Proxies whose X-Forwarded-For / Forwarded (RFC 7239) are believed: loopback plus these addresses; null: none. */
  trustProxy: string[] | null;
}

export type ParsedArgs = { help: true } | { help: false; config: MailwireConfig };

/** Option values as given, before parsing: flag name -> the value and where it came from (for messages). */
export type Raw = Map<string, { value: unknown; from: string }>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}
