// Puts the config together, from (lowest to highest precedence) defaults, an optional JSON file
// (--config FILE), environment variables (MAILWIRE_<FLAG_NAME>) and command-line flags, and checks
// the options against each other. Every bad value stops with a ConfigError whose message says what
// was wrong and what to do.
import { resolve } from 'node:path';
import { practiceConfigWithDefaults } from '../practice/defaults.ts';
import { DEFAULT_RETRY_SECONDS, defaultRelayConfig } from '../practice/domains/relay.ts';
import { DEFAULT_DNS_PORT, type Limits, type PracticePorts } from '../practice/types.ts';
import { parseArgv } from './argv.ts';
import { DEFAULT_LIMITS, DEFAULT_MAIL_PORTS } from './defaults.ts';
import { readConfigFile, readExtraCa, readRoster } from './file.ts';
import { envName, OPTIONS, PRACTICE_LIMIT_FLAGS, PRACTICE_PORT_FLAGS, SPEC } from './options.ts';
import { ConfigError, type MailwireConfig, type ParsedArgs, type Raw, type RelayLimits } from './types.ts';
import {
  parseBool,
  parseInteger,
  parseList,
  parseListenHost,
  parseNonEmpty,
  parseOrigin,
  parsePublicUrl,
  parseRetrySchedule,
  parseSize,
  parseTarget,
  parseTrustProxy,
} from './values.ts';

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

  const host = get('host', '127.0.0.1', parseNonEmpty);
  const dataDir = resolve(cwd, get('data-dir', './.mailwire-data', parseNonEmpty));
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
  const rosterNames = get('roster', [] as string[], (v, from) => readRoster(v, from, cwd));
  const practiceHost = get('practice-host', undefined as string | undefined, parseListenHost);
  if (noPractice && (rosterNames.length || raw.get('class') || practiceHost)) {
    const what = raw.get('roster') ?? raw.get('class') ?? raw.get('practice-host');
    throw new ConfigError(
      `${what!.from} needs the practice server, but ${raw.get('no-practice')!.from} turns it off. Drop one of them.`,
    );
  }
  const publicUrl = get('public-url', null as string | null, parsePublicUrl);
  const domain = raw.get('domain')
    ? parseNonEmpty(raw.get('domain')!.value, raw.get('domain')!.from).toLowerCase()
    : undefined;
  const noRelay = get('no-relay', false, parseBool);
  const mxPort = get('mx-port', undefined as number | undefined, port);
  const retrySeconds = get('retry-schedule', DEFAULT_RETRY_SECONDS, parseRetrySchedule);
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
      distDir: resolve(cwd, get('dist-dir', './dist', parseNonEmpty)),
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
      extraCa: get('ca', null, (v, from) => readExtraCa(v, from, cwd)),
      buildIfNeeded: get('build-if-needed', false, parseBool),
      quiet,
      verbose,
      resetPractice,
      publicUrl,
      trustProxy: get('trust-proxy', null, parseTrustProxy),
    },
  };
}

/** A config for tests and embedding: defaults plus overrides, no argv/env. */
/** A config for tests and embedding: defaults plus overrides, no argv/env. */
export function configWithDefaults(
  overrides: Omit<Partial<MailwireConfig>, 'limits'> & { dataDir: string; limits?: Partial<RelayLimits> },
): MailwireConfig {
  const parsed = loadConfig([], {}, process.cwd());
  if (parsed.help) throw new Error('unreachable');
  return { ...parsed.config, practice: null, ...overrides, limits: { ...parsed.config.limits, ...overrides.limits } };
}
