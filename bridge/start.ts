// Starts the whole process from a config: the practice server (unless disabled), then the HTTP
// server that serves the app and relays /bridge. Port 0 asks the OS for a free port (tests).

import type { AddressInfo } from 'node:net';
import type { MailwireConfig } from './config.ts';
import { createHttp } from './http.ts';
import { practiceInfoBody } from './practice-info.ts';
import { startPractice } from './practice/index.ts';
import type { Logger, PracticeServer } from './practice/types.ts';
import { RelayHub } from './relay/hub.ts';
import { jsonLogger } from './relay/log.ts';
import type { LookupAll } from './relay/policy.ts';

export interface RunningMailwire {
  url: string; // http://host:port/
  wsUrl: string; // ws://host:port/bridge
  practice: PracticeServer | null;
  close(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Replaces the system resolver (tests that must not touch DNS). */
  lookup?: LookupAll;
}

export async function startMailwire(config: MailwireConfig, options: StartOptions = {}): Promise<RunningMailwire> {
  const log = options.log ?? jsonLogger();
  const practice = config.practice ? await startPractice(config.practice, log) : null;
  const hub = new RelayHub(config, practice, log, options.lookup);
  const api = { '/api/practice': () => practiceInfoBody(config, practice) };
  const { server, wss } = createHttp(config, log, (ws, req) => hub.accept(ws, req), api);
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
