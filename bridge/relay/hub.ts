// All live relay sessions: admission (caps per client and in total), and one sweeper for the
// idle and lifetime limits (one timer for all sessions keeps idle sessions cheap).

import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { MailwireConfig } from '../config/types.ts';
import type { Logger } from '../logger.ts';
import type { NamedTargets } from './named-targets.ts';
import { clientAddress } from '../classroom/client-address.ts';
import { SessionLimiter, type LookupAll } from './policy.ts';
import { RelaySession } from './session.ts';

export class RelayHub {
  private sessions = new Set<RelaySession>();
  private limiter: SessionLimiter;
  private sweeper: NodeJS.Timeout;
  private nextId = 1;

  constructor(
    private config: MailwireConfig,
    private targets: NamedTargets | null,
    private log: Logger,
    private lookup?: LookupAll,
  ) {
    this.limiter = new SessionLimiter(config.limits);
    const { idleTimeoutMs, lifetimeMs } = config.limits;
    const every = Math.min(5000, Math.max(20, Math.min(idleTimeoutMs, lifetimeMs) / 4));
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  get activeSessions(): number {
    return this.sessions.size;
  }

  accept(ws: WebSocket, req: IncomingMessage): void {
    // Behind a trusted reverse proxy, the student's own address (--trust-proxy): one cap each.
    const client = clientAddress(req, this.config.trustProxy);
    const slot = this.limiter.acquire(client);
    if (typeof slot !== 'function') {
      this.log('relay.refused', { client, code: slot.code });
      ws.send(JSON.stringify({ type: 'error', code: slot.code, message: slot.message }));
      ws.send(JSON.stringify({ type: 'closed', by: 'bridge', reason: slot.message }));
      ws.close(1013);
      return;
    }
    const id = this.nextId++;
    const session: RelaySession = new RelaySession(ws, {
      config: this.config,
      targets: this.targets,
      log: this.config.quiet ? () => {} : this.log,
      id,
      client,
      lookup: this.lookup,
      onEnd: () => {
        slot();
        this.sessions.delete(session);
      },
    });
    this.sessions.add(session);
    if (!this.config.quiet) this.log('relay.session', { id, client });
  }

  private sweep(): void {
    const now = Date.now();
    const { idleTimeoutMs, lifetimeMs } = this.config.limits;
    for (const s of this.sessions) {
      if (now - s.startedAt > lifetimeMs)
        s.fail(
          'LIFETIME_EXCEEDED',
          `The session reached its maximum lifetime of ${Math.round(lifetimeMs / 1000)} s. Open a new connection to go on.`,
        );
      else if (now - s.lastActivity > idleTimeoutMs)
        s.fail(
          'IDLE_TIMEOUT',
          `Nothing was sent either way for ${Math.round(idleTimeoutMs / 1000)} s, so the bridge closed the connection. Open a new one to go on.`,
        );
    }
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const s of this.sessions) s.fail('INTERNAL', 'The bridge is shutting down.');
  }
}
