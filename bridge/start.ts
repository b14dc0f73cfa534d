// Starts the whole process from a config: the practice server (unless disabled), then the HTTP
// server that serves the app, answers /api/practice (GET) and /api/practice/reset (POST), and
// relays /bridge. Port 0 asks the OS for a free port (tests).

import type { AddressInfo } from 'node:net';
import type { MailwireConfig } from './config.ts';
import { createHttp, type JsonReply } from './http.ts';
import { practiceInfoBody, practiceResetBody, resetRefusal } from './practice-info.ts';
import { startPractice, type RunningPractice } from './practice/index.ts';
import type { Logger } from './practice/types.ts';
import { RelayHub } from './relay/hub.ts';
import { jsonLogger } from './relay/log.ts';
import type { LookupAll } from './relay/policy.ts';

export interface RunningMailwire {
  url: string; // http://host:port/
  wsUrl: string; // ws://host:port/bridge
  practice: RunningPractice | null;
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
export function eventLogger(config: Pick<MailwireConfig, 'quiet' | 'verbose'>, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  if (config.quiet) return () => {};
  const all = jsonLogger(write);
  if (config.verbose) return all;
  return (event, fields) => {
    if (isNotableEvent(event, fields)) all(event, fields);
  };
}

export async function startMailwire(config: MailwireConfig, options: StartOptions = {}): Promise<RunningMailwire> {
  const log = options.log ?? jsonLogger();
  const practice = config.practice ? await startPractice(config.practice, log, { reset: config.resetPractice }) : null;
  const hub = new RelayHub(config, practice, log, options.lookup);
  const api = { '/api/practice': () => practiceInfoBody(config, practice) };
  const posts = {
    '/api/practice/reset': async (req: { socket: { remoteAddress?: string } }): Promise<JsonReply> => {
      if (!practice) {
        const message = 'The practice server is off (mailwire was started with --no-practice), so there is nothing to reset.';
        return { status: 409, body: { code: 'PRACTICE_OFF', message } };
      }
      const refused = resetRefusal(req.socket.remoteAddress);
      if (refused) {
        log('http.refused', { code: refused.code, path: '/api/practice/reset', client: req.socket.remoteAddress });
        return { status: 403, body: refused };
      }
      return { status: 200, body: practiceResetBody(await practice.reset(`http ${req.socket.remoteAddress ?? '?'}`)) };
    },
  };
  const { server, wss } = createHttp(config, log, (ws, req) => hub.accept(ws, req), api, posts);
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
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}/`,
    wsUrl: `ws://${host}:${port}/bridge`,
    practice,
    close() {
      closing ??= (async () => {
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
