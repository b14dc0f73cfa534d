// The option table: every flag, its kind, bounds and help line, as --help prints them. The same
// names serve environment variables (MAILWIRE_<FLAG_NAME>) and config file keys.
import { DEFAULT_RETRY_SECONDS } from '../practice/domains/relay.ts';
import {
  DEFAULT_DNS_PORT,
  DEFAULT_LIMITS as PRACTICE_LIMITS,
  type Limits,
  type PracticePorts,
} from '../practice/types.ts';
import { DEFAULT_LIMITS, DEFAULT_MAIL_PORTS } from './defaults.ts';

export type Kind = 'port' | 'int' | 'string' | 'bool' | 'targets' | 'origins' | 'ports' | 'path';

export interface OptionSpec {
  flag: string;
  kind: Kind;
  help: string;
  /** For 'int': inclusive bounds. */
  min?: number;
  max?: number;
}

export const PRACTICE_PORT_FLAGS: Record<string, keyof PracticePorts> = {
  'smtp-port': 'smtp',
  'submission-port': 'submission',
  'smtps-port': 'smtps',
  'imap-port': 'imap',
  'imaps-port': 'imaps',
  'pop3-port': 'pop3',
  'pop3s-port': 'pop3s',
};

/** Flags of the practice server's budgets, caps and delays (README "Limits and safety"). */
export const PRACTICE_LIMIT_FLAGS: Array<[string, keyof Limits, number, number, string]> = [
  [
    'practice-idle-timeout',
    'idleTimeoutMs',
    1000,
    86_400_000,
    'close a logged-in practice connection idle this many ms',
  ],
  [
    'practice-login-timeout',
    'preAuthIdleTimeoutMs',
    1000,
    86_400_000,
    'close a practice connection idle this many ms before login',
  ],
  ['practice-prelogin-literal', 'preAuthLiteralMax', 64, 64 * 1024 * 1024, 'largest IMAP literal before login, octets'],
  [
    'practice-max-message',
    'maxMessageSize',
    1024,
    1024 * 1024 * 1024,
    'largest message (SMTP SIZE, IMAP APPEND), octets',
  ],
  [
    'practice-conns-per-address',
    'maxConnectionsPerAddress',
    1,
    1_000_000,
    'practice connections per client address, all ports together',
  ],
  ['practice-conns-per-port', 'maxConnectionsPerPort', 1, 1_000_000, 'practice connections per practice port'],
  [
    'auth-failure-delay',
    'authFailureDelayMs',
    0,
    600_000,
    'ms the reply to a failed practice login waits, doubling per failure (0: off)',
  ],
  ['auth-failure-delay-max', 'authFailureDelayMaxMs', 0, 3_600_000, 'the longest that wait grows to, ms'],
  [
    'practice-memory',
    'memoryBudget',
    1024 * 1024,
    64 * 1024 * 1024 * 1024,
    'octets of client input the practice server holds in memory at once',
  ],
];

export const OPTIONS: OptionSpec[] = [
  { flag: 'port', kind: 'port', help: 'HTTP/WebSocket port (default 7025; 0 picks a free one)' },
  { flag: 'host', kind: 'string', help: 'address to listen on (default 127.0.0.1)' },
  {
    flag: 'allow',
    kind: 'targets',
    help: 'remote targets allowed, HOST:PORT[,HOST:PORT...] (e.g. smtp.gmail.com:465)',
  },
  {
    flag: 'allow-private',
    kind: 'bool',
    help: 'let remote targets resolve to loopback/private/link-local addresses (a lab network)',
  },
  {
    flag: 'allowed-origins',
    kind: 'origins',
    help: 'extra page origins allowed to use /bridge, comma-separated (e.g. http://localhost:5173)',
  },
  { flag: 'data-dir', kind: 'path', help: 'where the practice mail and certificate live (default ./.mailwire-data)' },
  { flag: 'no-practice', kind: 'bool', help: 'do not start the practice mail server' },
  {
    flag: 'reset-practice',
    kind: 'bool',
    help: 'empty every practice mailbox at start-up (welcome messages come back)',
  },
  { flag: 'domain', kind: 'string', help: 'practice mail domain (default practice.test)' },
  {
    flag: 'class',
    kind: 'int',
    min: 0,
    max: 500,
    help: 'a class: accounts student01..studentN, each with its own password (default 0)',
  },
  { flag: 'roster', kind: 'path', help: 'a class from a CSV of student names (one per line, or a "name" column)' },
  {
    flag: 'practice-host',
    kind: 'string',
    help: "where the practice ports listen (default 127.0.0.1; 0.0.0.0 for students' own programs)",
  },
  {
    flag: 'public-url',
    kind: 'string',
    help: 'the page address behind a reverse proxy, e.g. https://mail.school.example',
  },
  {
    flag: 'trust-proxy',
    kind: 'bool',
    help: 'believe X-Forwarded-For/Forwarded from loopback (--trust-proxy=ADDR,ADDR: and these proxies)',
  },
  {
    flag: 'quota',
    kind: 'string',
    help: 'what each practice account may store, e.g. 50MB, 512KB or 0 for no limit (default 50MB)',
  },
  {
    flag: 'greylist-delay',
    kind: 'int',
    min: 0,
    max: 3_600_000,
    help: 'ms the greylisting lesson makes a retry wait (default 5000; real servers wait minutes)',
  },
  ...Object.entries(PRACTICE_PORT_FLAGS).map(([flag, name]) => ({
    flag,
    kind: 'port' as const,
    help: `practice ${name} port`,
  })),
  { flag: 'dns-port', kind: 'port', help: `practice DNS port, UDP and TCP (default ${DEFAULT_DNS_PORT})` },
  {
    flag: 'no-relay',
    kind: 'bool',
    help: 'no other practice domains (faraway.test) and no queue: submission delivers only to the home domain',
  },
  {
    flag: 'mx-port',
    kind: 'port',
    help: "SMTP port of the other domains' MX hosts on 127.0.1.x (default: the smtp port, +1 with a wildcard --practice-host)",
  },
  {
    flag: 'retry-schedule',
    kind: 'string',
    help: `seconds between delivery attempts of a queued message, then a bounce (default ${DEFAULT_RETRY_SECONDS.join(',')})`,
  },
  { flag: 'mail-ports', kind: 'ports', help: `ports remote targets may use (default ${DEFAULT_MAIL_PORTS.join(',')})` },
  {
    flag: 'sessions-per-client',
    kind: 'int',
    min: 1,
    max: 1_000_000,
    help: `relay sessions per client address (default ${DEFAULT_LIMITS.sessionsPerClient})`,
  },
  {
    flag: 'max-sessions',
    kind: 'int',
    min: 1,
    max: 1_000_000,
    help: `relay sessions in total (default ${DEFAULT_LIMITS.maxSessions})`,
  },
  {
    flag: 'idle-timeout',
    kind: 'int',
    min: 1,
    max: 86_400_000,
    help: `close a session idle this many ms (default ${DEFAULT_LIMITS.idleTimeoutMs})`,
  },
  {
    flag: 'lifetime',
    kind: 'int',
    min: 1,
    max: 86_400_000 * 7,
    help: `close a session this many ms after it opened (default ${DEFAULT_LIMITS.lifetimeMs})`,
  },
  {
    flag: 'max-frame',
    kind: 'int',
    min: 1024,
    max: 64 * 1024 * 1024,
    help: `largest WebSocket frame from the browser, bytes (default ${DEFAULT_LIMITS.maxFrameBytes})`,
  },
  {
    flag: 'max-unsent',
    kind: 'int',
    min: 64 * 1024,
    max: 1024 * 1024 * 1024,
    help: `close a session whose browser leaves this many bytes unread, bytes (default ${DEFAULT_LIMITS.maxUnsentBytes})`,
  },
  {
    flag: 'connect-timeout',
    kind: 'int',
    min: 100,
    max: 600_000,
    help: `give up connecting after this many ms (default ${DEFAULT_LIMITS.connectTimeoutMs})`,
  },
  ...PRACTICE_LIMIT_FLAGS.map(([flag, key, min, max, help]) => ({
    flag,
    kind: 'int' as const,
    min,
    max,
    help: `${help} (default ${PRACTICE_LIMITS[key]})`,
  })),
  { flag: 'ca', kind: 'path', help: 'a PEM file of extra CA certificates to trust for remote targets (a lab CA)' },
  { flag: 'dist-dir', kind: 'path', help: 'the built app to serve (default ./dist)' },
  { flag: 'build-if-needed', kind: 'bool', help: 'build the app first when dist/ is missing or older than app/' },
  {
    flag: 'verbose',
    kind: 'bool',
    help: 'print every event (start-up, relay sessions, logins) as a JSON line on stderr',
  },
  { flag: 'quiet', kind: 'bool', help: 'print no event lines at all, not even refusals and failures' },
  {
    flag: 'config',
    kind: 'path',
    help: 'a JSON file with any of these options, e.g. {"port": 8080, "allow": ["smtp.gmail.com:465"]}',
  },
  { flag: 'help', kind: 'bool', help: 'show this help' },
];

/** The options by flag name. */
export const SPEC = new Map(OPTIONS.map((o) => [o.flag, o]));
/** The environment variable of a flag: --allow-private is MAILWIRE_ALLOW_PRIVATE. */
export const envName = (flag: string) => `MAILWIRE_${flag.toUpperCase().replace(/-/g, '_')}`;

export function helpText(): string {
  const width = Math.max(...OPTIONS.map((o) => o.flag.length + (o.kind === 'bool' ? 0 : 6)));
  const lines = OPTIONS.map((o) => {
    const left = `--${o.flag}${o.kind === 'bool' ? '' : ' VALUE'}`;
    return `  ${left.padEnd(width + 3)} ${o.help}`;
  });
  return [
    'mailwire: a browser playground for SMTP, IMAP and POP3 over real sockets.',
    '',
    'Usage: npm start -- [options]',
    '',
    ...lines,
    '',
    'By default stdout gets the address, the accounts and the ports, and stderr one JSON line per',
    'refusal, failure or reset; --verbose adds every other event, --quiet removes them all.',
    '',
    'Every option can also be set by environment (e.g. --allow-private as MAILWIRE_ALLOW_PRIVATE=1)',
    'or in the --config file (keys are the option names, e.g. "allow-private": true).',
  ].join('\n');
}
