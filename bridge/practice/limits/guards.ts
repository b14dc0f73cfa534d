// What the seven practice listeners share to keep one client from starving the others: the
// connection caps, the login throttle and the memory budget, built once from the Limits.
import type net from 'node:net';
import { resolveLimits, type ConnectionOrigins, type Limits } from '../types.ts';
import { MemoryBudget } from './budget.ts';
import { capRefusalText, ConnectionCaps } from './caps.ts';
import { AuthThrottle } from './throttle.ts';

export interface PracticeGuards {
  caps: ConnectionCaps;
  throttle: AuthThrottle;
  budget: MemoryBudget;
}

export function createGuards(given: Limits, now: () => number = Date.now): PracticeGuards {
  const limits = resolveLimits(given);
  return {
    caps: new ConnectionCaps({
      maxPerAddress: limits.maxConnectionsPerAddress,
      maxPerPort: limits.maxConnectionsPerPort,
    }),
    throttle: new AuthThrottle(
      { baseDelayMs: limits.authFailureDelayMs, maxDelayMs: limits.authFailureDelayMaxMs },
      now,
    ),
    budget: new MemoryBudget(limits.memoryBudget),
  };
}

/** How long a loopback connection waits for the bridge to say whose it is (usually under 1 ms). */
const ORIGIN_WAIT_MS = 50;

export type Admission =
  { ok: true; address: string; release: () => void } | { ok: false; address: string; text: string };

/**
 * Counts a new connection against the caps, by the client's real address (the bridge's registered
 * one for relayed connections). A refused one is not counted; the caller sends the protocol's own
 * refusal and closes. `release` runs once, when the connection ends.
 */
export async function admitConnection(
  socket: net.Socket,
  listenPort: number,
  origins: ConnectionOrigins,
  guards: PracticeGuards,
): Promise<Admission> {
  const port = socket.remotePort;
  const own = socket.remoteAddress ?? 'unknown';
  socket.on('error', () => {}); // a reset while waiting must not become an uncaught error
  if (isLoopback(own)) await origins.whenRegistered(port, ORIGIN_WAIT_MS);
  const address = origins.address(port, own);
  const refusal = guards.caps.admit(listenPort, address);
  if (refusal) return { ok: false, address, text: capRefusalText(refusal, guards.caps.limits) };
  let released = false;
  return {
    ok: true,
    address,
    release: () => {
      if (released) return;
      released = true;
      guards.caps.release(listenPort, address);
    },
  };
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** Ends a refused connection: the refusal line, then a close even if the client never reads. */
export function refuseAndClose(socket: net.Socket, line: string): void {
  socket.on('error', () => {});
  socket.end(line);
  setTimeout(() => socket.destroy(), 2000).unref();
}
