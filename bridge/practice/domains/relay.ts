// The practice internet's other half, started with the practice server when its config asks for
// it: the other domains' servers (faraway.test), and the MTA that carries mail to them.
import { PRACTICE_HOSTS, PRACTICE_ZONES } from '../../../app/src/protocols/dns/zones.ts';
import type { FarawayTarget } from '../../../app/src/wire/messages.ts';
import { createPracticeResolver } from '../dns/resolver.ts';
import type { MailstoreApi } from '../mailstore-types.ts';
import type { QueueCaps } from '../mta/caps.ts';
import { startMta, type Mta, type QueueItem } from '../mta/mta.ts';
import type { Logger, PracticeConfig } from '../types.ts';
import { startDomainServer, type DomainServerConfig, type RunningDomain } from './server.ts';

export interface RelayConfig {
  /** The other practice domains this process serves, each its own server. */
  domains: DomainServerConfig[];
  /** The SMTP port of the MX hosts of domains not served here (a domain that is down, a restart test). */
  mxPorts?: Record<string, number>;
  /** Seconds between delivery attempts; after the last, a bounce (RFC 5321 4.5.4.1, compressed). */
  retrySeconds: number[];
  /** One SMTP attempt's connect and reply timeout, ms. */
  timeoutMs?: number;
  /** The queue's caps per sender and in all (mta/caps.ts); DEFAULT_QUEUE_CAPS when absent. */
  caps?: QueueCaps;
}

/** Attempts at once, then after 5, 10, 20 and 40 seconds: a bounce about 75 s after the first try. */
export const DEFAULT_RETRY_SECONDS = [5, 10, 20, 40];

/** The MX port of the practice domains from the command line: 10025, port 25 plus 10000 like the others. */
export const DEFAULT_MX_PORT = 10025;

/** faraway.test as the zones describe it: mx1 and mx2, account carol (password "practice"). */
export function farawayDomain(ports: { smtpPort: number; imapsPort: number }): DomainServerConfig {
  return {
    domain: 'faraway.test',
    hostname: 'mx1.faraway.test',
    addresses: [PRACTICE_HOSTS['mx1.faraway.test'], PRACTICE_HOSTS['mx2.faraway.test']],
    accounts: [{ username: 'carol', password: 'practice' }],
    ...ports,
  };
}

/**
 * greylist.test as the zones describe it: one MX host, mx.greylist.test, that greylists (RFC 6647),
 * and account dana (password "practice"). Its minimum delay is shorter than the MTA's first retry,
 * as on the internet (greylisters ask for a few minutes; RFC 5321 section 4.5.4.1 asks MTAs to
 * wait at least 30 minutes), so the first retry is the one that gets through.
 */
export function greylistDomain(
  ports: { smtpPort: number; imapsPort: number },
  greylistDelayMs: number,
): DomainServerConfig {
  return {
    domain: 'greylist.test',
    hostname: 'mx.greylist.test',
    addresses: [PRACTICE_HOSTS['mx.greylist.test']],
    accounts: [{ username: 'dana', password: 'practice' }],
    greylistDelayMs,
    ...ports,
  };
}

/**
 * outage.test as the zones describe it: one MX host, mx.outage.test, that POST /api/practice/outage
 * takes down (its SMTP listener closed: connections refused) and brings back; account erin
 * (password "practice"). It starts up.
 */
export function outageDomain(ports: { smtpPort: number; imapsPort: number }): DomainServerConfig {
  return {
    domain: 'outage.test',
    hostname: 'mx.outage.test',
    addresses: [PRACTICE_HOSTS['mx.outage.test']],
    accounts: [{ username: 'erin', password: 'practice' }],
    ...ports,
  };
}

/** outage.test's MX switch while the relay serves it, else null. */
export function outageSwitch(relay: RunningRelay | null): RunningDomain['mx'] | null {
  return relay?.domains.find((d) => d.config.domain === 'outage.test')?.mx ?? null;
}

/** Half the first retry delay: the first retry comes after the greylist's minimum delay has passed. */
export function greylistDelayFor(retrySeconds: number[]): number {
  return Math.round(((retrySeconds[0] ?? 5) * 1000) / 2);
}

const isWildcard = (host: string) => host === '0.0.0.0' || host === '::' || host === '';

/**
 * The ports of the other domains' servers, from the practice server's. Each MX host has its own
 * loopback address (127.0.1.x), so it can use the practice SMTP port's number, as every MX on the
 * internet uses port 25 (RFC 5321 section 5.1). A practice server on the wildcard address
 * (--practice-host 0.0.0.0) already holds that port on 127.0.1.x too (the kernel refuses a second
 * listener, EADDRINUSE): then the other domains take the next port number. Port 0 stays 0
 * (ephemeral, the tests).
 */
export function relayPorts(practice: { host: string; ports: { smtp: number; imaps: number }; mxPort?: number }): {
  smtpPort: number;
  imapsPort: number;
} {
  const shift = isWildcard(practice.host) ? 1 : 0;
  const next = (port: number) => (port === 0 ? 0 : port + shift);
  return { smtpPort: practice.mxPort ?? next(practice.ports.smtp), imapsPort: next(practice.ports.imaps) };
}

/** The relay `npm start` runs: faraway.test, greylist.test and outage.test on the ports relayPorts() picks, the default retry schedule. */
export function defaultRelayConfig(
  practice: { host: string; ports: { smtp: number; imaps: number }; mxPort?: number } = {
    host: '127.0.0.1',
    ports: { smtp: DEFAULT_MX_PORT, imaps: 10993 },
  },
  retrySeconds: number[] = DEFAULT_RETRY_SECONDS,
): RelayConfig {
  const ports = relayPorts(practice);
  return {
    domains: [farawayDomain(ports), greylistDomain(ports, greylistDelayFor(retrySeconds)), outageDomain(ports)],
    retrySeconds,
  };
}

/** Where a faraway/* named target is, with the name and certificate the bridge checks (faraway.test's own). */
export interface FarawayEndpoint {
  host: string;
  port: number;
  tls: 'none' | 'implicit';
  starttls: boolean;
  servername: string;
  pin: string;
}

/**
 * The faraway/* named targets while the relay runs faraway.test, else null: its first MX host's
 * SMTP (STARTTLS, no AUTH, as on port 25) and its IMAPS. One answer for the relay's dial and
 * /api/practice, so the page is told exactly what the bridge would connect to.
 */
export function farawayEndpoints(relay: RunningRelay | null): Record<FarawayTarget, FarawayEndpoint> | null {
  const d = relay?.domains.find((x) => x.config.domain === 'faraway.test');
  if (!d) return null;
  const cert = { servername: d.config.hostname, pin: d.fingerprint256 };
  return {
    'faraway/smtp': { host: d.config.addresses[0]!, port: d.smtpPort, tls: 'none', starttls: true, ...cert },
    'faraway/imaps': { ...d.imaps, tls: 'implicit', starttls: false, ...cert },
  };
}

export interface RunningRelay {
  mta: Mta;
  domains: RunningDomain[];
  queue(): QueueItem[];
  close(): Promise<void>;
}

export async function startRelay(
  config: PracticeConfig & { relay: RelayConfig },
  dns: { host: string; port: number },
  store: MailstoreApi,
  log: Logger,
): Promise<RunningRelay> {
  const domains: RunningDomain[] = [];
  try {
    for (const d of config.relay.domains)
      domains.push(await startDomainServer(d, { dataDir: config.dataDir, limits: config.limits, log }));
    const ports = new Map(Object.entries(config.relay.mxPorts ?? {}));
    for (const d of domains) ports.set(d.config.domain, d.smtpPort);
    // Every practice zone with an MX, but our own: faraway.test, greylist.test, and unreachable.test
    // whose MX is down (greylist.test too when it is not served here: then nobody answers there).
    const relayDomains = PRACTICE_ZONES.filter(
      (z) => z.origin !== config.domain && z.records.some((r) => r.type === 'MX'),
    ).map((z) => z.origin);
    const mta = await startMta({
      dataDir: config.dataDir,
      hostname: config.hostname,
      relayDomains,
      resolver: createPracticeResolver(dns),
      // A domain nobody serves here (unreachable.test): its MX is on the same port, and nobody answers.
      portFor: (domain) => ports.get(domain) ?? domains[0]?.smtpPort ?? DEFAULT_MX_PORT,
      retrySeconds: config.relay.retrySeconds,
      timeoutMs: config.relay.timeoutMs ?? 10_000,
      ...(config.relay.caps ? { caps: config.relay.caps } : {}),
      store,
      log,
    });
    return {
      mta,
      domains,
      queue: () => mta.queue(),
      async close() {
        await mta.close();
        await Promise.allSettled(domains.map((d) => d.close()));
      },
    };
  } catch (err) {
    await Promise.allSettled(domains.map((d) => d.close()));
    throw err;
  }
}
