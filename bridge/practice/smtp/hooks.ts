// Per-connection hooks on smtp-server's connections, for what its options cannot express:
// our own enhanced status codes and wording, AUTH hidden from EHLO before TLS on submission
// (RFC 3207 section 4: offer credentials-bearing mechanisms only under TLS), and the
// slowRepliesMs / dropAfterCommands scenarios, and the longer idle timeout once the client has
// authenticated or started a transaction (the shorter one is smtp-server's socketTimeout). The hooks touch two methods of the connection
// object (`send`, `_onCommand`); if smtp-server renames them, the hooks cannot apply: the counts
// returned by installConnectionHooks say so, and test/integration/practice/smtp/hooks.test.ts
// fails on such an upgrade instead of the features going quietly.
import type { SMTPServer } from 'smtp-server';
import type { ScenarioRegistry } from '../types.ts';
import { rewriteLibraryReply } from './replies.ts';

interface HookedConnection {
  secure: boolean;
  session: { remotePort?: number; user?: unknown; envelope?: { mailFrom?: unknown } };
  _socket?: { destroy(): void; setTimeout?(ms: number): void; timeout?: number };
  send(code: number, data?: string | string[], context?: unknown): void;
  _onCommand(command: Buffer, callback: () => void): void;
}

const OWN_ENHANCED_CODE = /^[245]\.\d{1,3}\.\d{1,3} /;

/** Whether the hooks could be installed, then how many connections got them and how many could not. */
export interface HookCounts {
  installed: boolean;
  hooked: number;
  missed: number;
}

export function installConnectionHooks(server: SMTPServer, ctx: HookContext): HookCounts {
  const counts: HookCounts = { installed: false, hooked: 0, missed: 0 };
  const connections = (server as unknown as { connections?: Set<HookedConnection> }).connections;
  if (!(connections instanceof Set)) return counts;
  counts.installed = true;
  const add = connections.add.bind(connections);
  // smtp-server adds each connection to this set just before init(), i.e. before the greeting.
  connections.add = (conn: HookedConnection) => {
    if (hook(conn, ctx)) counts.hooked++;
    else counts.missed++;
    return add(conn);
  };
  return counts;
}

interface HookContext {
  mode: 'relay' | 'submission' | 'smtps';
  scenarios: ScenarioRegistry;
  maxSize: number;
  maxLine: number;
  /** The idle timeout after AUTH or MAIL FROM; absent: smtp-server's socketTimeout throughout. */
  idleTimeoutMs?: number;
}

function hook(conn: HookedConnection, ctx: HookContext): boolean {
  const send = conn.send;
  const onCommand = conn._onCommand;
  if (typeof send !== 'function' || typeof onCommand !== 'function') return false;

  conn.send = function (code, data, context) {
    // After a reply the session may have moved on: a logged-in or mid-transaction client gets
    // the longer idle timeout (setTimeout without a callback keeps smtp-server's listener).
    const socket = this._socket;
    if (
      ctx.idleTimeoutMs &&
      socket?.setTimeout &&
      (this.session.user || this.session.envelope?.mailFrom) &&
      socket.timeout !== ctx.idleTimeoutMs
    ) {
      socket.setTimeout(ctx.idleTimeoutMs);
    }
    if (typeof data === 'string') {
      const rewritten = rewriteLibraryReply(code, data, ctx.maxSize, ctx.maxLine);
      if (rewritten) return send.call(this, rewritten.responseCode, rewritten.message, false);
      if (OWN_ENHANCED_CODE.test(data)) return send.call(this, code, data, false);
    } else if (Array.isArray(data) && ctx.mode === 'submission' && !this.secure) {
      data = data.filter((line) => !/^AUTH\b/i.test(line));
    }
    return send.call(this, code, data, context);
  };

  let commands = 0;
  conn._onCommand = function (command, callback) {
    commands++;
    const active = ctx.scenarios.lookup(this.session.remotePort);
    if (active.dropAfterCommands && commands >= active.dropAfterCommands) {
      this._socket?.destroy(); // the scenario: the server hangs up without answering
      return;
    }
    const delay = active.slowRepliesMs ?? 0;
    if (delay > 0) setTimeout(() => onCommand.call(this, command, callback), delay);
    else onCommand.call(this, command, callback);
  };
  return true;
}
