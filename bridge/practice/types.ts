// Shared shapes of the practice mail server: its config, the running server handed to the bridge,
// and the options each protocol server takes. The practice server knows nothing of the relay.

import type { PracticeTarget } from '../../app/src/wire/messages.ts';
import type { AccountConfig, MailstoreApi } from './mailstore-types.ts';

/** Switches that make error handling teachable. Each is off by default. */
export interface Scenarios {
  /** Refuse AUTH/LOGIN/USER-PASS until the connection is under TLS (SMTP 530 5.7.0, IMAP NO, POP3 -ERR). */
  requireTlsForAuth?: boolean;
  /** Greylist the first delivery attempt per sender/recipient pair: 451 4.7.1 (RFC 6647). */
  greylist?: boolean;
  /** Every recipient's mailbox is full: SMTP 552 5.2.2, IMAP APPEND NO [OVERQUOTA]. */
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
  /** Idle time before a protocol server closes a connection, in ms. */
  idleTimeoutMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxLineLength: 8192,
  maxMessageSize: 25 * 1024 * 1024,
  idleTimeoutMs: 30 * 60 * 1000,
};

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
  smtp: 10025,
  submission: 10587,
  smtps: 10465,
  imap: 10143,
  imaps: 10993,
  pop3: 10110,
  pop3s: 10995,
};

export interface PracticeConfig {
  host: string; // 127.0.0.1
  dataDir: string; // Maildir and certificate live here
  domain: string; // practice.test
  hostname: string; // the name servers greet with, e.g. "mail.practice.test"
  ports: PracticePorts;
  /** Accounts; default alice and bob with password "practice". */
  accounts: AccountConfig[];
  /** A class of at least this many students (student01..), each with its own password. 0 for none. */
  classSize: number;
  /** Student names from --roster FILE: each gets an account. Empty for none. */
  rosterNames: string[];
  scenarios: Scenarios;
  limits: Limits;
}

/** TLS material of the practice server: self-signed, made on first start, kept in the data dir. */
export interface PracticeCredentials {
  key: string; // PEM
  cert: string; // PEM
  fingerprint256: string; // colon-separated hex, as Node's X509Certificate prints it
}

/**
 * Per-connection scenarios. The bridge registers a lesson's scenario for the local port of its
 * socket as soon as it connects; the protocol servers look it up by the client's remote port when
 * a command needs it. Global scenarios from config are merged underneath.
 */
export interface ScenarioRegistry {
  register(clientPort: number, scenarios: Scenarios): void;
  unregister(clientPort: number): void;
  /** The scenarios in force for a connection from this client port. */
  lookup(clientPort: number | undefined): Scenarios;
}

export type Logger = (event: string, fields?: Record<string, unknown>) => void;

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
  /** Printed at start: accounts and passwords (practice passwords are meant to be shown). */
  accountsSummary(): string;
  close(): Promise<void>;
}
