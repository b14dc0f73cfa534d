// The practice mail server in one call: opens the mailstore, loads (or makes) the certificate,
// and starts the seven listeners the bridge names practice/smtp .. practice/pop3s. A reset asked
// for at start-up runs before the first listener, so no session can see it half done.
import type { PracticeTarget } from '../../app/src/wire/messages.ts';
import { formatAccountsSummary, practiceAccounts } from './accounts.ts';
import { startImapServer } from './imap/server.ts';
import { openMailstore, type ResetReport } from './mailstore.ts';
import { startDnsServer } from './dns/server.ts';
import { startPop3Server } from './pop3.ts';
import { createGuards } from './limits/guards.ts';
import { createConnectionOrigins } from './limits/origins.ts';
import { startSmtpServer } from './smtp.ts';
import { loadOrCreateCredentials } from './tls.ts';
import type { Logger, PracticeConfig, PracticeEndpoint, PracticeServer, ProtocolServerOptions, RunningServer } from './types.ts';

export type { ResetReport } from './mailstore.ts';

export interface RunningPractice extends PracticeServer {
  /** Empties every practice mailbox (welcome messages come back); says what was removed. `by` is logged. */
  reset(by?: string): Promise<ResetReport>;
  /** What the reset at start-up removed, when one was asked for. */
  startupReset: ResetReport | null;
}

export interface StartPracticeOptions {
  /** Reset the mailboxes before the listeners start (--reset-practice). */
  reset?: boolean;
}

export async function startPractice(config: PracticeConfig, log: Logger, options: StartPracticeOptions = {}): Promise<RunningPractice> {
  const store = await openMailstore({
    dataDir: config.dataDir,
    domain: config.domain,
    accounts: practiceAccounts(config),
    limits: { maxMessageSize: config.limits.maxMessageSize, quota: config.limits.quota },
  });
  const running: RunningServer[] = [];
  const reset = async (from: string): Promise<ResetReport> => {
    const report = await store.resetAndReport();
    const removed = Object.fromEntries(report.accounts.map((a) => [a.username, a.messages]));
    log('practice.reset', { from, messages: report.messages, removed });
    return report;
  };
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
    const start = async (server: Promise<RunningServer>, tls: 'none' | 'implicit', starttls: boolean): Promise<PracticeEndpoint> => {
      const s = await server;
      running.push(s);
      return { host: config.host, port: s.port, tls, starttls };
    };
    const p = config.ports;
    const endpoints: Record<PracticeTarget, PracticeEndpoint> = {
      'practice/smtp': await start(startSmtpServer({ ...base(p.smtp, 'starttls'), mode: 'relay' }), 'none', true),
      'practice/submission': await start(startSmtpServer({ ...base(p.submission, 'starttls'), mode: 'submission' }), 'none', true),
      'practice/smtps': await start(startSmtpServer({ ...base(p.smtps, 'implicit'), mode: 'smtps' }), 'implicit', false),
      'practice/imap': await start(startImapServer(base(p.imap, 'starttls')), 'none', true),
      'practice/imaps': await start(startImapServer(base(p.imaps, 'implicit')), 'implicit', false),
      'practice/pop3': await start(startPop3Server(base(p.pop3, 'starttls')), 'none', true),
      'practice/pop3s': await start(startPop3Server(base(p.pop3s, 'implicit')), 'implicit', false),
    };
    const dnsServer = await startDnsServer({ host: config.host, port: config.dnsPort, log });
    running.push(dnsServer);
    const dns = { host: config.host, port: dnsServer.port };
    let closed: Promise<void> | null = null;
    return {
      config,
      endpoints,
      credentials,
      store,
      scenarios,
      dns,
      accountsSummary: () =>
        `${formatAccountsSummary(config, endpoints, credentials.fingerprint256)}\n  ${'practice/dns'.padEnd(20)} ${dns.host}:${dns.port}  (UDP and TCP: dig @${dns.host} -p ${dns.port} MX faraway.test)`,
      reset: (by = 'request') => reset(by),
      startupReset,
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
