// Another practice domain as its own mail server (faraway.test): its own mailstore and certificate
// under DATA_DIR/domains/<domain>, its own accounts, an SMTP listener on each of its MX addresses
// (one port number for all, as port 25 is the same on every MX: RFC 5321 section 5.1) and an IMAP
// listener (implicit TLS) so its users can read their mail. It reuses the practice server's parts.
import path from 'node:path';
import { startImapServer } from '../imap/server.ts';
import { createGuards } from '../limits/guards.ts';
import { createConnectionOrigins } from '../limits/origins.ts';
import { openMailstore, type PracticeMailstore } from '../mailstore.ts';
import type { AccountConfig } from '../mailstore-types.ts';
import { startSmtpServer } from '../smtp.ts';
import { loadOrCreateCredentials } from '../tls.ts';
import type { Limits, Logger, ProtocolServerOptions, RunningServer } from '../types.ts';

export interface DomainServerConfig {
  domain: string; // faraway.test
  /** The name its servers greet with and put in Received "by" (the first MX host's name). */
  hostname: string;
  /** The addresses its MX hosts have in the practice zones, lowest preference first. */
  addresses: string[];
  accounts: AccountConfig[];
  /** The SMTP port on every MX address (0: ephemeral, the same number is then reused for the others). */
  smtpPort: number;
  /** IMAP with implicit TLS on the first address (0: ephemeral). */
  imapsPort: number;
  /**
   * Its MX hosts greylist every client at RCPT (RFC 6647, smtp/greylist.ts): a new (client
   * address, sender, recipient) triplet gets 451 4.7.1 until this many ms have passed since its
   * first try. Absent: no greylisting.
   */
  greylistDelayMs?: number;
}

/**
 * Its MX hosts' SMTP listeners, taken down and brought back (outage.test's lesson). Down closes
 * every listening socket, so a client's connect is refused (ECONNREFUSED), a real outage after
 * which a sending MTA keeps the message and retries (RFC 5321 section 4.5.4.1); up listens again on
 * the same address and port.
 */
export interface MxSwitch {
  isDown(): boolean;
  /** Idempotent: asking for the state it is in changes nothing. Calls are taken one at a time. */
  setDown(down: boolean): Promise<void>;
}

export interface RunningDomain {
  config: DomainServerConfig;
  store: PracticeMailstore;
  smtpPort: number;
  imaps: { host: string; port: number };
  /** Its own certificate (made for `config.hostname`): what the bridge pins for faraway/*. */
  fingerprint256: string;
  /** Takes its MX hosts down and brings them back. */
  mx: MxSwitch;
  close(): Promise<void>;
}

export async function startDomainServer(
  config: DomainServerConfig,
  opts: { dataDir: string; limits: Limits; log: Logger },
): Promise<RunningDomain> {
  const dataDir = path.join(opts.dataDir, 'domains', config.domain);
  const store = await openMailstore({
    dataDir,
    domain: config.domain,
    accounts: config.accounts,
    limits: { maxMessageSize: opts.limits.maxMessageSize, quota: opts.limits.quota },
  });
  const running: RunningServer[] = [];
  /** The MX hosts' SMTP listeners: none while the MX is down. */
  let listeners: RunningServer[] = [];
  const log: Logger = (event, fields) => opts.log(event, { ...fields, domain: config.domain });
  try {
    const credentials = await loadOrCreateCredentials(dataDir, config.hostname);
    const guards = createGuards(opts.limits);
    // The practice greylist scenario, on for every connection to this domain's MX hosts.
    const scenarios = createConnectionOrigins(
      config.greylistDelayMs === undefined ? {} : { greylist: true, greylistDelayMs: config.greylistDelayMs },
    );
    const base = (host: string, port: number, security: ProtocolServerOptions['security']): ProtocolServerOptions => ({
      host,
      port,
      security,
      hostname: config.hostname,
      credentials,
      store,
      scenarios,
      limits: opts.limits,
      guards,
      log,
    });
    const [first, ...others] = config.addresses;
    if (!first) throw new Error(`The practice domain ${config.domain} has no MX address to listen on.`);
    // The relay mode: no AUTH, local recipients only, which is what an MX on port 25 is.
    const mx1 = await startSmtpServer({ ...base(first, config.smtpPort, 'starttls'), mode: 'relay' });
    const smtpPort = mx1.port;
    listeners = [mx1];
    for (const host of others)
      listeners.push(await startSmtpServer({ ...base(host, smtpPort, 'starttls'), mode: 'relay' }));
    const imaps = await startImapServer(base(first, config.imapsPort, 'implicit'));
    running.push(imaps);
    let down = false;
    let closed = false;
    let switching: Promise<void> = Promise.resolve();
    const mx: MxSwitch = {
      isDown: () => down,
      setDown(want) {
        // After the one before, even a failed one (a port taken while it was down).
        switching = switching
          .catch(() => {})
          .then(async () => {
            if (closed || want === down) return;
            if (want) {
              const gone = listeners;
              listeners = [];
              down = true;
              await Promise.allSettled(gone.map((l) => l.close()));
            } else {
              const back: RunningServer[] = [];
              try {
                for (const host of config.addresses)
                  back.push(await startSmtpServer({ ...base(host, smtpPort, 'starttls'), mode: 'relay' }));
              } catch (err) {
                await Promise.allSettled(back.map((l) => l.close()));
                throw err;
              }
              listeners = back;
              down = false;
            }
            log('mx.switched', { down });
          });
        return switching;
      },
    };
    return {
      config,
      store,
      smtpPort,
      imaps: { host: first, port: imaps.port },
      fingerprint256: credentials.fingerprint256,
      mx,
      async close() {
        closed = true;
        await switching.catch(() => {});
        await Promise.allSettled([...running, ...listeners].map((s) => s.close()));
        await store.close();
      },
    };
  } catch (err) {
    await Promise.allSettled([...running, ...listeners].map((s) => s.close()));
    await store.close();
    throw err;
  }
}
