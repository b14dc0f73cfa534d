// What a POP3 command handler may see and change of its session; session.ts implements it.
import type { Account, MailstoreApi } from '../mailstore-types.ts';
import type { AuthThrottle } from '../limits/throttle.ts';
import type { Logger, Scenarios } from '../types.ts';
import type { Maildrop } from './maildrop.ts';

/** RFC 1939 section 3. UPDATE is entered by QUIT from TRANSACTION and ends the connection. */
export type Pop3State = 'AUTHORIZATION' | 'TRANSACTION' | 'UPDATE';

export interface SessionEnv {
  store: MailstoreApi;
  hostname: string;
  security: 'none' | 'starttls' | 'implicit';
  /** The scenarios in force for this connection, looked up afresh for each command. */
  scenarios(): Scenarios;
  log: Logger;
  /** The client's real address and the login throttle it is counted in (absent: no throttling). */
  client?: { address: string; throttle: AuthThrottle };
}

export interface Pop3Context {
  readonly env: SessionEnv;
  state: Pop3State;
  /** True once the connection is under TLS (implicit from the start, or after STLS). */
  readonly tls: boolean;
  /** The name given by USER, waiting for PASS. */
  pendingUser: string | null;
  /** AUTH PLAIN was sent without an initial response: the next line is the SASL response. */
  awaitingSaslResponse: boolean;
  account: Account | null;
  maildrop: Maildrop | null;
  /** Releases the maildrop lock; null when none is held. */
  releaseLock: (() => void) | null;
}

/** RFC 2595 section 4 and the requireTlsForAuth scenario: is USER/PASS/AUTH allowed right now? */
export function authAllowedNow(ctx: Pop3Context): boolean {
  return ctx.tls || !ctx.env.scenarios().requireTlsForAuth;
}
