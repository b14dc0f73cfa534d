// What the relay needs of the practice server, and no more: where a named target (practice/imap
// ...) is dialled and how its certificate is pinned, and a place to say who is behind each
// relayed connection (its scenario switches and the browser's address), keyed by the relay
// socket's local port. bridge/start.ts adapts the running practice server to it, so the relay
// and the practice server know each other only through this interface.
import type { ConnectionScenario, NamedTarget, TlsMode } from '../../app/src/wire/messages.ts';

export interface NamedTargetDial {
  host: string;
  port: number;
  tls: TlsMode;
  /** The name the practice certificate is made for (SNI and the name check). */
  servername: string;
  /** The practice certificate's SHA-256 fingerprint: the only certificate accepted. */
  pin: string;
}

export interface NamedTargets {
  /** Null when the target is not running here (faraway/* without the practice internet). */
  dial(target: NamedTarget): NamedTargetDial | null;
  /** This connection (by the relay socket's local port) runs these scenarios for this client. */
  register(localPort: number, scenarios: Partial<Record<ConnectionScenario, boolean>>, client: string): void;
  unregister(localPort: number): void;
}
