// Shared shapes of the practice mail server: its config, the running server handed to the bridge,
// and the options each protocol server takes. The practice server knows nothing of the relay.

import { PRACTICE_DEFAULT_PORTS, type PracticeTarget } from '../../app/src/wire/messages.ts';
import type { PracticeGuards } from './limits/guards.ts';
import type { AccountConfig, MailstoreApi } from './mailstore-types.ts';
import type { RelayConfig } from './domains/relay.ts';

/** Switches that make error handling teachable. Each is off by default. */
export interface Scenarios {
  /** Refuse AUTH/LOGIN/USER-PASS until the connection is under TLS (SMTP 530 5.7.0, IMAP NO, POP3 -ERR). */
  requireTlsForAuth?: boolean;
  /**
   * Greylist new (client address, sender, recipient) triplets: 451 4.7.1 until `greylistDelayMs`
   * has passed since the first attempt (RFC 6647); see smtp/greylist.ts.
   */
  greylist?: boolean;
  /** The greylist's minimum retry delay in ms (default 5000: minutes compressed for a class). */
  greylistDelayMs?: number;
  /** Every recipient's mailbox is full: SMTP 452 4.2.2 at RCPT (as Gmail), IMAP APPEND NO [OVERQUOTA]. */
  mailboxFull?: boolean;
  /** Delay every reply by this many milliseconds. */
  slowRepliesMs?: number;
  /** Drop the connection after this many commands (no reply to the last one). */
  dropAfterCommands?: number;
}
export type ScenarioName = keyof Scenarios;

export interface Limits {
  /** Longest command line accepted, in octets, CRLF included (SMTP: RFC 5321 4.5.3.1.4 says 512 minimum). */
  maxLineLength: number;
  /** Largest message accepted by SMTP (SIZE) and by IMAP APPEND, in octets. */
  maxMessageSize: number;
  /** Idle time before a protocol server closes a logged-in connection, in ms (IMAP: >= 30 min, RFC 9051 5.4). */
  idleTimeoutMs: number;
  /** Idle time before login (SMTP: before AUTH or MAIL FROM), in ms: shorter, a silent stranger holds less. */
  preAuthIdleTimeoutMs?: number;
  /** Largest IMAP literal (all literals of one command) before login; Dovecot's imap-login allows 8192. */
  preAuthLiteralMax?: number;
  /** Open connections from one client address, over all practice ports together. */
  maxConnectionsPerAddress?: number;
  /** Open connections on one practice port. */
  maxConnectionsPerPort?: number;
  /** Delay of the reply to the first failed login, in ms; it doubles with each further failure. */
  authFailureDelayMs?: number;
  /** The longest that delay grows to, in ms. */
  authFailureDelayMaxMs?: number;
  /** Octets of client input all connections of the practice server together may hold in memory. */
  memoryBudget?: number;
  /** Octets one account may store over all its mailboxes (--quota; RFC 9208 STORAGE); 0 = no limit. Default 50 MiB. */
  quota?: number;
}

export const DEFAULT_LIMITS: Required<Limits> = {
  maxLineLength: 8192,
  maxMessageSize: 25 * 1024 * 1024,
  idleTimeoutMs: 30 * 60 * 1000,
  preAuthIdleTimeoutMs: 60 * 1000,
  preAuthLiteralMax: 8192,
  maxConnectionsPerAddress: 50,
  maxConnectionsPerPort: 1000,
  // Dovecot: 2 s for the first failure, doubled up to 15 s (doc.dovecot.org, Authentication Penalty).
  authFailureDelayMs: 2000,
  authFailureDelayMaxMs: 15_000,
  memoryBudget: 128 * 1024 * 1024,
  quota: 50 * 1024 * 1024,
};

/** Every limit, the unset ones from DEFAULT_LIMITS. */
export function resolveLimits(limits: Limits): Required<Limits> {
  const out = { ...DEFAULT_LIMITS };
  for (const [k, v] of Object.entries(limits)) if (v !== undefined) (out as Record<string, number>)[k] = v;
  // Before login a connection never waits longer than after it.
  out.preAuthIdleTimeoutMs = Math.min(out.preAuthIdleTimeoutMs, out.idleTimeoutMs);
  return out;
}

export interface PracticePorts {
  smtp: number; // relay-style, no AUTH, local recipients only
  submission: number; // STARTTLS, AUTH after TLS
  smtps: number; // implicit TLS, AUTH
  imap: number; // STARTTLS, LOGINDISABLED before TLS
  imaps: number;
  pop3: number; // STLS
  pop3s: number;
}

/** Standard port + 10000. Port 0 asks the OS for a free port (tests). */
export const DEFAULT_PRACTICE_PORTS: PracticePorts = {
  smtp: PRACTICE_DEFAULT_PORTS['practice/smtp'],
  submission: PRACTICE_DEFAULT_PORTS['practice/submission'],
  smtps: PRACTICE_DEFAULT_PORTS['practice/smtps'],
  imap: PRACTICE_DEFAULT_PORTS['practice/imap'],
  imaps: PRACTICE_DEFAULT_PORTS['practice/imaps'],
  pop3: PRACTICE_DEFAULT_PORTS['practice/pop3'],
  pop3s: PRACTICE_DEFAULT_PORTS['practice/pop3s'],
};

/** The practice DNS server's port when mailwire starts from the command line (`--dns-port`). */
export const DEFAULT_DNS_PORT = PRACTICE_DEFAULT_PORTS['practice/dns'];

export interface PracticeConfig {
  host: string; // 127.0.0.1
  dataDir: string; // Maildir and certificate live here
  domain: string; // practice.test
  hostname: string; // the name servers greet with, e.g. "mail.practice.test"
  ports: PracticePorts;
  /** The practice DNS server, UDP and TCP (0: an ephemeral port, the default outside the CLI). */
  dnsPort: number;
  /** Accounts; default alice and bob with password "practice". */
  accounts: AccountConfig[];
  /** A class of at least this many students (student01..), each with its own password. 0 for none. */
  classSize: number;
  /** Student names from --roster FILE: each gets an account. Empty for none. */
  rosterNames: string[];
  scenarios: Scenarios;
  limits: Limits;
  /** The other practice domains (faraway.test) and the MTA that relays to them; absent: no relaying. */
  relay?: RelayConfig;
}

/** TLS material of the practice server: self-signed, made on first start, kept in the data dir. */
export interface PracticeCredentials {
  key: string; // PEM
  cert: string; // PEM
  fingerprint256: string; // colon-separated hex, as Node's X509Certificate prints it
}

/**
 * Who is behind a connection, by the client port the practice server sees. Connections through
 * the bridge all come from the bridge's own 127.0.0.1 socket, so the bridge registers, for the
 * local port of each socket it opens, the browser's address and the lesson's scenario switches.
 * The protocol servers read both here: caps and login throttling count the browser's address, and
 * scenarios are looked up per command (global ones from config underneath). The relay and the
 * practice server know each other only through this interface.
 */
export interface ConnectionOrigins {
  /** `address`: the client the bridge relays for (the browser's address, or the proxy-forwarded one). */
  register(clientPort: number, scenarios: Scenarios, address?: string): void;
  unregister(clientPort: number): void;
  /** The scenarios in force for a connection from this client port. */
  lookup(clientPort: number | undefined): Scenarios;
  /** The client address behind this port: the registered one, else the socket's own. */
  address(clientPort: number | undefined, socketAddress: string): string;
  /**
   * Resolves once the port is registered, or after `waitMs`. The bridge registers on its socket's
   * 'connect', which may run just after the server's accept; caps wait for it on loopback sockets.
   */
  whenRegistered(clientPort: number | undefined, waitMs: number): Promise<void>;
}
/** The former name, kept for the tests and callers that only use the scenario half. */
export type ScenarioRegistry = ConnectionOrigins;

export type { Logger } from '../logger.ts';
import type { Logger } from '../logger.ts';

/** What every protocol server (SMTP, IMAP, POP3) takes. */
export interface ProtocolServerOptions {
  host: string;
  port: number;
  /** 'starttls': plain, upgrade offered; 'implicit': TLS from the first byte. */
  security: 'none' | 'starttls' | 'implicit';
  hostname: string;
  credentials: PracticeCredentials;
  store: MailstoreApi;
  scenarios: ScenarioRegistry;
  limits: Limits;
  /** Caps, login throttle and memory budget shared by all practice ports; made from `limits` when absent. */
  guards?: PracticeGuards;
  log: Logger;
}

export interface RunningServer {
  /** The port actually bound (differs from the option when it was 0). */
  port: number;
  close(): Promise<void>;
}

/** Where the bridge dials a practice target, and how. */
export interface PracticeEndpoint {
  host: string;
  port: number;
  tls: 'none' | 'implicit';
  /** STARTTLS is offered on this endpoint. */
  starttls: boolean;
}

export interface PracticeServer {
  config: PracticeConfig;
  endpoints: Record<PracticeTarget, PracticeEndpoint>;
  credentials: PracticeCredentials;
  store: MailstoreApi;
  scenarios: ScenarioRegistry;
  /** The practice DNS server (UDP and TCP on one port), which the practice servers resolve through. */
  dns: { host: string; port: number };
  /** Printed at start: accounts and passwords (practice passwords are meant to be shown). */
  accountsSummary(): string;
  close(): Promise<void>;
}
