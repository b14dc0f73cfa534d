// Starts the whole process from a config: the practice server (unless disabled), then the HTTP
// server that serves the app, answers /api/practice (GET) and /api/practice/reset (POST), and
// relays /bridge. Port 0 asks the OS for a free port (tests).

import type { NamedTargets } from './relay/named-targets.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { MailwireConfig } from './config/types.ts';
import { Classroom } from './classroom/classroom.ts';
import { clientAddress, viaProxy } from './classroom/client-address.ts';
import { classRoutes } from './classroom/http-class.ts';
import { writeClassSheet } from './classroom/sheet.ts';
import { createHttp, type JsonReply } from './http.ts';
import { outageRoutes } from './outage-api.ts';
import { queueRoutes } from './queue-api.ts';
import { practiceInfoBody, practiceResetBody, resetRefusal } from './practice-info.ts';
import { farawayEndpoints } from './practice/domains/relay.ts';
import { startPractice, type RunningPractice } from './practice/index.ts';
import type { Logger } from './practice/types.ts';
import { RelayHub } from './relay/hub.ts';
import { jsonLogger } from './relay/log.ts';
import type { LookupAll } from './relay/policy.ts';

export interface RunningMailwire {
  url: string; // http://host:port/
  wsUrl: string; // ws://host:port/bridge
  practice: RunningPractice | null;
  /** The class while it runs (roster, progress, live pages); null without --class / --roster. */
  classroom: Classroom | null;
  /** DATA_DIR/class/sheet.html, the printable slips; null without a class. */
  sheetFile: string | null;
  close(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Replaces the system resolver (tests that must not touch DNS). */
  lookup?: LookupAll;
}

/**
 * Events worth a line even when nobody asked for a log: something was refused or failed, or the
 * mailboxes were reset (a teacher should know who emptied them). The rest waits for --verbose.
 */
export function isNotableEvent(event: string, fields: Record<string, unknown> = {}): boolean {
  if (event === 'practice.reset') return fields.from !== 'start-up'; // that one is in the summary
  if (fields.ok === false) return true; // e.g. smtp.auth with a wrong password (never the password)
  return /(?:^|[.-])(?:error|refused|failed)$/.test(event);
}

/** The process's event log on stderr: nothing (--quiet), everything (--verbose), or the notable events. */
export function eventLogger(
  config: Pick<MailwireConfig, 'quiet' | 'verbose'>,
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  if (config.quiet) return () => {};
  const all = jsonLogger(write);
  if (config.verbose) return all;
  return (event, fields) => {
    if (isNotableEvent(event, fields)) all(event, fields);
  };
}

/** The address students reach this computer at when it listens on every address. */
function lanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export async function startMailwire(config: MailwireConfig, options: StartOptions = {}): Promise<RunningMailwire> {
  const log = options.log ?? jsonLogger();
  const practice = config.practice ? await startPractice(config.practice, log, { reset: config.resetPractice }) : null;
  // The relay sees the practice server only as named targets (relay/named-targets.ts).
  const targets: NamedTargets | null = practice && {
    dial: (target) => {
      if (target === 'faraway/smtp' || target === 'faraway/imaps') {
        // The other domain's own servers and certificate, only while the relay runs them.
        const ep = farawayEndpoints(practice.relay)?.[target];
        return ep ? { host: ep.host, port: ep.port, tls: ep.tls, servername: ep.servername, pin: ep.pin } : null;
      }
      return {
        ...practice.endpoints[target],
        servername: practice.config.hostname,
        pin: practice.credentials.fingerprint256,
      };
    },
    register: (localPort, scenarios, client) => practice.scenarios.register(localPort, scenarios, client),
    unregister: (localPort) => practice.scenarios.unregister(localPort),
  };
  const hub = new RelayHub(config, targets, log, options.lookup);
  const api = { '/api/practice': () => practiceInfoBody(config, practice) };
  const posts = {
    '/api/practice/reset': async (req: IncomingMessage): Promise<JsonReply> => {
      if (!practice) {
        const message =
          'The practice server is off (mailwire was started with --no-practice), so there is nothing to reset.';
        return { status: 409, body: { code: 'PRACTICE_OFF', message } };
      }
      // Behind a trusted proxy the request came from the network, even from a loopback proxy.
      const client = clientAddress(req, config.trustProxy);
      const refused = resetRefusal(viaProxy(req, config.trustProxy) ? `${client} (through the proxy)` : client);
      if (refused) {
        log('http.refused', { code: refused.code, path: '/api/practice/reset', client });
        return { status: 403, body: refused };
      }
      return { status: 200, body: practiceResetBody(await practice.reset(`http ${client}`)) };
    },
  };
  const roster = practice?.roster ?? null;
  const classroom =
    roster && practice
      ? await Classroom.open({
          dataDir: config.dataDir,
          roster,
          log,
          reset: (by, account) => practice.reset(by, account),
        })
      : null;
  const classOwn = classRoutes(config, classroom, log, practice?.config.domain ?? 'practice.test');
  const queue = queueRoutes(practice, classroom);
  const outage = outageRoutes(config, practice, classroom, log);
  const own = (req: IncomingMessage, res: ServerResponse) => queue(req, res) || outage(req, res) || classOwn(req, res);
  const { server, wss } = createHttp(config, log, (ws, req) => hub.accept(ws, req), api, posts, own);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    hub.close();
    await practice?.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  log('http.listening', { host: config.host, port });
  const pageUrl = config.publicUrl
    ? `${config.publicUrl}/`
    : `http://${config.host === '0.0.0.0' || config.host === '::' ? lanAddress() : host}:${port}/`;
  const ownPrograms =
    practice && config.practice!.host !== '127.0.0.1' && config.practice!.host !== '::1'
      ? [
          `IMAP ${practice.endpoints['practice/imap'].port}, submission ${practice.endpoints['practice/submission'].port}, POP3 ${practice.endpoints['practice/pop3'].port} on this computer`,
        ]
      : [];
  const sheetFile =
    roster && practice
      ? await writeClassSheet(config.dataDir, { roster, domain: practice.config.domain, pageUrl, ownPrograms })
      : null;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}/`,
    wsUrl: `ws://${host}:${port}/bridge`,
    practice,
    classroom,
    sheetFile,
    close() {
      closing ??= (async () => {
        classroom?.close();
        hub.close();
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await practice?.close();
      })();
      return closing;
    },
  };
}
