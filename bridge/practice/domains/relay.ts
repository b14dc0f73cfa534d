// The practice internet's other half, started with the practice server when its config asks for
// it: the other domains' servers (faraway.test), and the MTA that carries mail to them.
import { PRACTICE_HOSTS, PRACTICE_ZONES } from '../../../app/src/protocols/dns/zones.ts';
import { createPracticeResolver } from '../dns/resolver.ts';
import type { MailstoreApi } from '../mailstore-types.ts';
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

export function defaultRelayConfig(): RelayConfig {
  return {
    domains: [farawayDomain({ smtpPort: DEFAULT_MX_PORT, imapsPort: 10993 })],
    retrySeconds: DEFAULT_RETRY_SECONDS,
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
    // Every practice zone with an MX, but our own: faraway.test, and unreachable.test whose MX is down.
    const relayDomains = PRACTICE_ZONES.filter(
      (z) => z.origin !== config.domain && z.records.some((r) => r.type === 'MX'),
    ).map((z) => z.origin);
    const mta = await startMta({
      dataDir: config.dataDir,
      hostname: config.hostname,
      relayDomains,
      resolver: createPracticeResolver(dns),
      portFor: (domain) => ports.get(domain) ?? DEFAULT_MX_PORT,
      retrySeconds: config.relay.retrySeconds,
      timeoutMs: config.relay.timeoutMs ?? 10_000,
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
