// The practice mail server in one call: opens the mailstore, loads (or makes) the certificate,
// and starts the seven listeners the bridge names practice/smtp .. practice/pop3s. A reset asked
// for at start-up runs before the first listener, so no session can see it half done.
import type { PracticeTarget } from '../../app/src/wire/messages.ts';
import { echoReply } from '../classroom/echo.ts';
import { ECHO_ACCOUNT, type Roster } from '../classroom/roster.ts';
import { formatAccountsSummary, practiceAccounts } from './accounts.ts';
import { startImapServer } from './imap/server.ts';
import { openMailstore, type PracticeMailstore, type ResetReport } from './mailstore.ts';
import { startDnsServer } from './dns/server.ts';
import { startPop3Server } from './pop3.ts';
import { createGuards } from './limits/guards.ts';
import { createConnectionOrigins } from './limits/origins.ts';
import { startSmtpServer } from './smtp.ts';
import { withOwnDeliveryFields } from './smtp/trace.ts';
import { startRelay, type RunningRelay } from './domains/relay.ts';
import { loadOrCreateCredentials } from './tls.ts';
import type {
  Logger,
  PracticeConfig,
  PracticeEndpoint,
  PracticeServer,
  ProtocolServerOptions,
  RunningServer,
} from './types.ts';

export type { ResetReport } from './mailstore.ts';

export interface RunningPractice extends PracticeServer {
  /** Empties every practice mailbox, or only `username`'s (welcome messages come back); `by` is logged. */
  reset(by?: string, username?: string): Promise<ResetReport>;
  /** The class (accounts, passwords, teacher), or null without --class / --roster. */
  roster: Roster | null;
  /** What the reset at start-up removed, when one was asked for. */
  startupReset: ResetReport | null;
  /** The other practice domains and the MTA's queue, when config.relay asks for them. */
  relay: RunningRelay | null;
}

export interface StartPracticeOptions {
  /** Reset the mailboxes before the listeners start (--reset-practice). */
  reset?: boolean;
}

export async function startPractice(
  config: PracticeConfig,
  log: Logger,
  options: StartPracticeOptions = {},
): Promise<RunningPractice> {
  const { accounts, roster } = await practiceAccounts(config);
  const opened = await openMailstore({
    dataDir: config.dataDir,
    domain: config.domain,
    accounts,
    limits: { maxMessageSize: config.limits.maxMessageSize, quota: config.limits.quota },
  });
  const store = roster ? withEchoRobot(opened, log) : opened;
  const running: RunningServer[] = [];
  const reset = async (from: string, username?: string): Promise<ResetReport> => {
    const report = await store.resetAndReport(username);
    const removed = Object.fromEntries(report.accounts.map((a) => [a.username, a.messages]));
    log('practice.reset', { from, messages: report.messages, removed, ...(username ? { account: username } : {}) });
    return report;
  };
  // Listening on every address (--practice-host 0.0.0.0) still means the bridge dials loopback.
  const dialHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '::1' : config.host;
  try {
    const startupReset = options.reset ? await reset('start-up') : null;
    const credentials = await loadOrCreateCredentials(config.dataDir, config.hostname);
    const scenarios = createConnectionOrigins(config.scenarios);
    // One set of caps, throttle counts and memory budget for all seven ports.
    const guards = createGuards(config.limits);
    const base = (port: number, security: ProtocolServerOptions['security']): ProtocolServerOptions => ({
      host: config.host,
      port,
      security,
      hostname: config.hostname,
      credentials,
      store,
      scenarios,
      limits: config.limits,
      guards,
      log,
    });
    const start = async (
      server: Promise<RunningServer>,
      tls: 'none' | 'implicit',
      starttls: boolean,
    ): Promise<PracticeEndpoint> => {
      const s = await server;
      running.push(s);
      return { host: dialHost, port: s.port, tls, starttls };
    };
    const dnsServer = await startDnsServer({ host: config.host, port: config.dnsPort, log });
    running.push(dnsServer);
    const dns = { host: config.host, port: dnsServer.port };
    // Before the SMTP ports open: the relay (mta/) is what submission hands other domains' mail to.
    // The other domains listen on 127.0.1.x, which Linux routes to loopback but macOS and some
    // containers do not have (EADDRNOTAVAIL): then the home domain runs alone and the summary says why.
    let relayOff: string | null = null;
    const relay = config.relay
      ? await startRelay({ ...config, relay: config.relay }, { host: dialHost, port: dns.port }, store, log).catch(
          (err: NodeJS.ErrnoException) => {
            if (err.code !== 'EADDRNOTAVAIL') throw err;
            const addresses = config.relay!.domains.flatMap((d) => d.addresses);
            const aliases = addresses.map((a) => `sudo ifconfig lo0 alias ${a}`).join(' && ');
            relayOff = `off: this machine has no address ${addresses.join(', ')} to listen on (${err.message}); on macOS: ${aliases}`;
            log('relay.failed', { error: err.message });
            return null;
          },
        )
      : null;
    if (relay) running.push({ port: 0, close: () => relay.close() });
    const outbound = relay?.mta;
    const p = config.ports;
    const endpoints: Record<PracticeTarget, PracticeEndpoint> = {
      'practice/smtp': await start(startSmtpServer({ ...base(p.smtp, 'starttls'), mode: 'relay' }), 'none', true),
      'practice/submission': await start(
        startSmtpServer({ ...base(p.submission, 'starttls'), mode: 'submission', outbound }),
        'none',
        true,
      ),
      'practice/smtps': await start(
        startSmtpServer({ ...base(p.smtps, 'implicit'), mode: 'smtps', outbound }),
        'implicit',
        false,
      ),
      'practice/imap': await start(startImapServer(base(p.imap, 'starttls')), 'none', true),
      'practice/imaps': await start(startImapServer(base(p.imaps, 'implicit')), 'implicit', false),
      'practice/pop3': await start(startPop3Server(base(p.pop3, 'starttls')), 'none', true),
      'practice/pop3s': await start(startPop3Server(base(p.pop3s, 'implicit')), 'implicit', false),
      // DNS over TCP, so the page can ask the real server through the relay (app/src/bridge/dns-query.ts).
      'practice/dns': { host: dialHost, port: dns.port, tls: 'none', starttls: false },
    };
    let closed: Promise<void> | null = null;
    return {
      config,
      endpoints,
      credentials,
      store,
      scenarios,
      dns,
      // The DNS line names the address to ask, like every other line: on a wildcard --practice-host
      // that is loopback (127.0.0.1 or ::1), since `dig @0.0.0.0` is not an address a client can use.
      accountsSummary: () =>
        `${formatAccountsSummary(config, mailEndpoints(endpoints), credentials.fingerprint256, roster)}\n  ${'practice/dns'.padEnd(20)} ${dialHost}:${dns.port}  (UDP and TCP: dig @${dialHost} -p ${dns.port} MX faraway.test)` +
        (relay ? `\n${relaySummary(relay, config.relay!.retrySeconds)}` : '') +
        (relayOff ? `\n  ${'other domains'.padEnd(20)} ${relayOff}` : ''),
      reset: (by = 'request', username?: string) => reset(by, username),
      roster,
      startupReset,
      relay,
      close() {
        closed ??= (async () => {
          await Promise.allSettled(running.map((s) => s.close()));
          await store.close();
        })();
        return closed;
      },
    };
  } catch (err) {
    // A port already taken, say: release what started so a retry can bind again.
    await Promise.allSettled(running.map((s) => s.close()));
    await store.close();
    throw err;
  }
}

/** The store with the echo robot (bridge/classroom/echo.ts) answering after each delivery to echo@. */
function withEchoRobot(store: PracticeMailstore, log: Logger): PracticeMailstore {
  const echoAddress = `${ECHO_ACCOUNT}@${store.domain}`;
  return {
    ...store,
    async deliver(recipients, raw, copyFor) {
      await store.deliver(recipients, raw, copyFor);
      if (!recipients.some((r) => store.findAccount(r)?.username === ECHO_ACCOUNT)) return;
      const reply = echoReply(raw, echoAddress);
      const to = reply && store.findAccount(reply.to);
      // Only local accounts get an answer: the robot never sends mail outside the practice domain.
      if (!reply || !to || to.username === ECHO_ACCOUNT) return;
      // After the sender's own delivery is durable; a failure costs the reply, never the message.
      store.deliver([to.address], withOwnDeliveryFields(to.address, reply.raw)).then(
        () => log('echo.replied', { to: to.username }),
        (err: Error) => log('echo.failed', { to: to.username, error: err.message }),
      );
    },
  };
}

/** The mail endpoints only: the summary prints the DNS line itself, with how to dig it. */
function mailEndpoints(endpoints: Record<PracticeTarget, PracticeEndpoint>): Record<string, PracticeEndpoint> {
  return Object.fromEntries(Object.entries(endpoints).filter(([target]) => target !== 'practice/dns'));
}

/** The other practice domains in the start-up summary: where their MX hosts and IMAP listen, and the retry schedule. */
function relaySummary(relay: RunningRelay, retrySeconds: number[]): string {
  const lines = relay.domains.map(
    (d) =>
      `  ${d.config.domain.padEnd(20)} MX ${d.config.addresses.map((a) => `${a}:${d.smtpPort}`).join(', ')}; IMAPS ${d.imaps.host}:${d.imaps.port}; ${d.config.accounts.map((a) => `${a.username}@${d.config.domain}`).join(', ')} (password practice)` +
      (d.config.greylistDelayMs === undefined
        ? ''
        : `; greylists: 451 4.7.1 to a new sender and recipient, taken again after ${d.config.greylistDelayMs / 1000} s`),
  );
  lines.push(
    `  ${'queue'.padEnd(20)} mail for other practice domains is retried after ${retrySeconds.join(', ')} s, then bounced (--retry-schedule)`,
  );
  return lines.join('\n');
}
