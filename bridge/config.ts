// One typed config for the whole process, from (lowest to highest precedence) defaults, an optional
// JSON file (--config FILE), environment variables (MAILWIRE_<FLAG_NAME>) and command-line flags.
// Every bad value stops with a ConfigError whose message says what was wrong and what to do.

import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { namesFromCsv } from './classroom/roster.ts';
import { practiceConfigWithDefaults } from './practice/defaults.ts';
import { DEFAULT_RETRY_SECONDS, defaultRelayConfig } from './practice/domains/relay.ts';
import {
  DEFAULT_DNS_PORT,
  DEFAULT_LIMITS as PRACTICE_LIMITS,
  type Limits,
  type PracticeConfig,
  type PracticePorts,
} from './practice/types.ts';

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

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Kind = 'port' | 'int' | 'string' | 'bool' | 'targets' | 'origins' | 'ports' | 'path';

interface OptionSpec {
  flag: string;
  kind: Kind;
  help: string;
  /** For 'int': inclusive bounds. */
  min?: number;
  max?: number;
}

const PRACTICE_PORT_FLAGS: Record<string, keyof PracticePorts> = {
  'smtp-port': 'smtp',
  'submission-port': 'submission',
  'smtps-port': 'smtps',
  'imap-port': 'imap',
  'imaps-port': 'imaps',
  'pop3-port': 'pop3',
  'pop3s-port': 'pop3s',
};

/** Flags of the practice server's budgets, caps and delays (README "Limits and safety"). */
const PRACTICE_LIMIT_FLAGS: Array<[string, keyof Limits, number, number, string]> = [
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

const SPEC = new Map(OPTIONS.map((o) => [o.flag, o]));
const envName = (flag: string) => `MAILWIRE_${flag.toUpperCase().replace(/-/g, '_')}`;

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

type Raw = Map<string, { value: unknown; from: string }>;

function parseArgv(argv: string[], raw: Raw): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--'))
      throw new ConfigError(`Unexpected argument "${arg}". Options start with "--"; see --help.`);
    let name = arg.slice(2);
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const spec = SPEC.get(name);
    if (name === 'class-password') {
      throw new ConfigError(
        '--class-password is gone: every student now gets their own password, kept in DATA_DIR/class/roster.csv (edit a password there and restart to change it).',
      );
    }
    if (!spec) throw new ConfigError(`Unknown option --${name}. Run with --help to list the options.`);
    if (spec.kind === 'bool') {
      raw.set(name, { value: value ?? true, from: `--${name}` });
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value.startsWith('--'))
        throw new ConfigError(`Option --${name} needs a value (${spec.help}).`);
    }
    raw.set(name, { value, from: `--${name}` });
  }
}

function parseBool(v: unknown, from: string): boolean {
  if (typeof v === 'boolean') return v;
  const s = String(v).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
  throw new ConfigError(`${from} must be true or false (got ${JSON.stringify(v)}).`);
}

function parseInteger(v: unknown, from: string, min: number, max: number): number {
  const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(String(v)) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${from} must be a whole number from ${min} to ${max} (got ${JSON.stringify(v)}).`);
  }
  return n;
}

/** "50MB", "512 KB", "1G" or plain octets; K, M, G are powers of 1024 (RFC 9208 counts 1024-octet units). */
export function parseSize(v: unknown, from: string): number {
  const m = /^\s*(\d+)\s*([kmg]i?b?|b)?\s*$/i.exec(String(v));
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m?.[2] ?? '').charAt(0).toLowerCase()];
  const n = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!Number.isSafeInteger(n) || n > 1024 ** 4) {
    throw new ConfigError(
      `${from} must be a size such as 50MB, 512KB or 1GB, or 0 for no limit (got ${JSON.stringify(v)}).`,
    );
  }
  return n;
}

function parseList(v: unknown): string[] {
  const items = Array.isArray(v) ? v.map(String) : String(v).split(',');
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Parses "host:port" or "[v6]:port". */
export function parseTarget(text: string, from: string): AllowedTarget {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  if (!m)
    throw new ConfigError(
      `${from}: "${text}" is not HOST:PORT (for example smtp.gmail.com:465, or [::1]:25 for IPv6).`,
    );
  const host = m[1]!.toLowerCase().replace(/\.$/, '');
  if (!isIP(host) && !/^[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$/.test(host)) {
    throw new ConfigError(`${from}: "${m[1]}" is not a valid host name or IP address.`);
  }
  return { host, port: parseInteger(m[2], `${from} (port of ${text})`, 1, 65535) };
}

function parseOrigin(text: string, from: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${from}: "${text}" is not an origin such as http://localhost:5173.`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash) {
    throw new ConfigError(`${from}: "${text}" is not an origin (scheme://host[:port], nothing after it).`);
  }
  return url.origin;
}

function readConfigFile(path: string, raw: Raw): void {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (e as Error).message;
    throw new ConfigError(`Cannot read the config file ${path}: ${why}.`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(`The config file ${path} must hold a JSON object such as {"port": 8080}.`);
  }
  for (const [key, value] of Object.entries(data)) {
    const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`); // accept camelCase too
    if (!SPEC.has(flag) || flag === 'config' || flag === 'help') {
      throw new ConfigError(`Unknown key "${key}" in ${path}. The keys are the option names from --help.`);
    }
    raw.set(flag, { value, from: `"${key}" in ${path}` });
  }
}

export type ParsedArgs = { help: true } | { help: false; config: MailwireConfig };

/** Builds the config. Throws ConfigError (never anything else) on bad input. */
export function loadConfig(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): ParsedArgs {
  const flags: Raw = new Map();
  parseArgv(argv, flags);
  if (flags.has('help')) return { help: true };

  const raw: Raw = new Map();
  const configPath = flags.get('config')?.value ?? env[envName('config')];
  if (configPath !== undefined) readConfigFile(resolve(cwd, String(configPath)), raw);
  for (const spec of OPTIONS) {
    const v = env[envName(spec.flag)];
    if (v !== undefined && spec.flag !== 'config' && spec.flag !== 'help')
      raw.set(spec.flag, { value: v, from: envName(spec.flag) });
  }
  for (const [k, v] of flags) raw.set(k, v);

  const get = <T>(flag: string, fallback: T, conv: (v: unknown, from: string) => T): T => {
    const r = raw.get(flag);
    return r === undefined ? fallback : conv(r.value, r.from);
  };
  const port = (v: unknown, from: string) => parseInteger(v, from, 0, 65535);
  const int = (flag: string, fallback: number) => {
    const s = SPEC.get(flag)!;
    return get(flag, fallback, (v, from) => parseInteger(v, from, s.min ?? 0, s.max ?? Number.MAX_SAFE_INTEGER));
  };
  const str = (v: unknown, from: string) => {
    const s = String(v).trim();
    if (!s) throw new ConfigError(`${from} must not be empty.`);
    return s;
  };

  const host = get('host', '127.0.0.1', str);
  const dataDir = resolve(cwd, get('data-dir', './.mailwire-data', str));
  const noPractice = get('no-practice', false, parseBool);
  const ports: Partial<PracticePorts> = {};
  for (const [flag, name] of Object.entries(PRACTICE_PORT_FLAGS)) {
    const r = raw.get(flag);
    if (r) ports[name] = port(r.value, r.from);
  }
  const resetPractice = get('reset-practice', false, parseBool);
  if (resetPractice && noPractice) {
    const [a, b] = [raw.get('reset-practice')!.from, raw.get('no-practice')!.from];
    throw new ConfigError(`${a} and ${b} do not go together: there is no practice server to reset. Drop one of them.`);
  }
  const quiet = get('quiet', false, parseBool);
  const verbose = get('verbose', false, parseBool);
  if (quiet && verbose)
    throw new ConfigError(`${raw.get('quiet')!.from} and ${raw.get('verbose')!.from} contradict each other: pick one.`);
  const rosterNames = get('roster', [] as string[], (v, from) => {
    const path = resolve(cwd, str(v, from));
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ConfigError(`${from}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    const names = namesFromCsv(text);
    if (names.length === 0)
      throw new ConfigError(`${from}: ${path} names no students (one name per line, or a "name" column).`);
    if (names.length > 500) throw new ConfigError(`${from}: ${path} names ${names.length} students; at most 500.`);
    return names;
  });
  const practiceHost = get('practice-host', undefined as string | undefined, (v, from) => {
    const h = str(v, from).replace(/^\[|\]$/g, '');
    if (!isIP(h) && h !== 'localhost')
      throw new ConfigError(`${from}: "${h}" is not an IP address to listen on (e.g. 0.0.0.0 or 192.168.1.20).`);
    return h;
  });
  if (noPractice && (rosterNames.length || raw.get('class') || practiceHost)) {
    const what = raw.get('roster') ?? raw.get('class') ?? raw.get('practice-host');
    throw new ConfigError(
      `${what!.from} needs the practice server, but ${raw.get('no-practice')!.from} turns it off. Drop one of them.`,
    );
  }
  const publicUrl = get('public-url', null as string | null, (v, from) => {
    let url: URL;
    try {
      url = new URL(str(v, from));
    } catch {
      throw new ConfigError(`${from}: "${String(v)}" is not a URL such as https://mail.school.example.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new ConfigError(`${from}: the page is served over http: or https:, not ${url.protocol}.`);
    return url.origin;
  });
  const domain = raw.get('domain') ? str(raw.get('domain')!.value, raw.get('domain')!.from).toLowerCase() : undefined;
  const noRelay = get('no-relay', false, parseBool);
  const mxPort = get('mx-port', undefined as number | undefined, port);
  const retrySeconds = get('retry-schedule', DEFAULT_RETRY_SECONDS, (v, from) => {
    const list = parseList(v).map((n) => parseInteger(n, from, 0, 86_400));
    if (!list.length || list.length > 20)
      throw new ConfigError(`${from}: give 1 to 20 delays in seconds, comma-separated (e.g. 5,10,20,40).`);
    return list;
  });
  const home = noPractice
    ? null
    : practiceConfigWithDefaults({
        dataDir,
        ports: ports as PracticePorts, // merged over the defaults
        dnsPort: get('dns-port', DEFAULT_DNS_PORT, port),
        ...(domain ? { domain } : {}),
        classSize: int('class', 0),
        limits: {
          ...(Object.fromEntries(
            PRACTICE_LIMIT_FLAGS.filter(([flag]) => raw.has(flag)).map(([flag, key]) => [key, int(flag, 0)]),
          ) as unknown as Limits),
          ...(raw.get('quota') ? { quota: parseSize(raw.get('quota')!.value, raw.get('quota')!.from) } : {}),
        }, // merged over the defaults
        rosterNames,
        ...(practiceHost ? { host: practiceHost } : {}),
        ...(raw.get('greylist-delay') ? { scenarios: { greylistDelayMs: int('greylist-delay', 5000) } } : {}),
      });
  if (
    home &&
    !noRelay &&
    mxPort !== undefined &&
    mxPort !== 0 &&
    mxPort === home.ports.smtp &&
    /^(0\.0\.0\.0|::)$/.test(home.host)
  )
    throw new ConfigError(
      `${raw.get('mx-port')!.from} ${mxPort} is the smtp port, which --practice-host ${home.host} already holds on every address (127.0.1.x too). Choose another port, or leave --mx-port out.`,
    );
  // On by default: the other practice domains and the MTA's queue (bridge/practice/domains/relay.ts).
  const practice =
    home && !noRelay
      ? { ...home, relay: defaultRelayConfig({ ...home, ...(mxPort !== undefined ? { mxPort } : {}) }, retrySeconds) }
      : home;

  return {
    help: false,
    config: {
      host,
      port: get('port', 7025, port),
      allow: get('allow', [], (v, from) => parseList(v).map((t) => parseTarget(t, from))),
      allowPrivate: get('allow-private', false, parseBool),
      // The page behind the proxy sends Origin: the public URL's origin (RFC 6454); it may open /bridge.
      allowedOrigins: [
        ...get('allowed-origins', [], (v, from) => parseList(v).map((o) => parseOrigin(o, from))),
        ...(publicUrl ? [publicUrl] : []),
      ],
      dataDir,
      distDir: resolve(cwd, get('dist-dir', './dist', str)),
      practice,
      limits: {
        sessionsPerClient: int('sessions-per-client', DEFAULT_LIMITS.sessionsPerClient),
        maxSessions: int('max-sessions', DEFAULT_LIMITS.maxSessions),
        idleTimeoutMs: int('idle-timeout', DEFAULT_LIMITS.idleTimeoutMs),
        lifetimeMs: int('lifetime', DEFAULT_LIMITS.lifetimeMs),
        maxFrameBytes: int('max-frame', DEFAULT_LIMITS.maxFrameBytes),
        connectTimeoutMs: int('connect-timeout', DEFAULT_LIMITS.connectTimeoutMs),
        maxUnsentBytes: int('max-unsent', DEFAULT_LIMITS.maxUnsentBytes),
      },
      mailPorts: get('mail-ports', DEFAULT_MAIL_PORTS, (v, from) =>
        parseList(v).map((p) => parseInteger(p, from, 1, 65535)),
      ),
      extraCa: get('ca', null, (v, from) => {
        const path = resolve(cwd, str(v, from));
        let pem: string;
        try {
          pem = readFileSync(path, 'utf8');
        } catch (e) {
          throw new ConfigError(`${from}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
        }
        if (!pem.includes('-----BEGIN CERTIFICATE-----'))
          throw new ConfigError(`${from}: ${path} holds no PEM certificate.`);
        return pem;
      }),
      buildIfNeeded: get('build-if-needed', false, parseBool),
      quiet,
      verbose,
      resetPractice,
      publicUrl,
      trustProxy: get('trust-proxy', null, (v, from) => {
        if (v === true || /^(1|true|yes|on)$/i.test(String(v))) return [];
        if (/^(0|false|no|off|)$/i.test(String(v))) return null;
        return parseList(v).map((a) => {
          if (!isIP(a))
            throw new ConfigError(`${from}: "${a}" is not a proxy IP address (e.g. --trust-proxy=10.0.0.5,10.0.0.6).`);
          return a.toLowerCase();
        });
      }),
    },
  };
}

/** A config for tests and embedding: defaults plus overrides, no argv/env. */
export function configWithDefaults(
  overrides: Omit<Partial<MailwireConfig>, 'limits'> & { dataDir: string; limits?: Partial<RelayLimits> },
): MailwireConfig {
  const parsed = loadConfig([], {}, process.cwd());
  if (parsed.help) throw new Error('unreachable');
  return { ...parsed.config, practice: null, ...overrides, limits: { ...parsed.config.limits, ...overrides.limits } };
}
