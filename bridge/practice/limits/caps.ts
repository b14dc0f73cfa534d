// Connection caps of the practice server: open connections per client address (over all practice
// ports together) and per practice port. One instance is shared by the seven listeners. Pure.

export type CapRefusal = 'address' | 'port';

export interface CapSettings {
  maxPerAddress: number;
  maxPerPort: number;
}

export class ConnectionCaps {
  private readonly byAddress = new Map<string, number>();
  private readonly byPort = new Map<number, number>();

  constructor(private readonly settings: CapSettings) {}

  /** Counts the connection in, or says which cap it would break (and counts nothing). */
  admit(port: number, address: string): CapRefusal | null {
    const onPort = this.byPort.get(port) ?? 0;
    if (onPort >= this.settings.maxPerPort) return 'port';
    const fromAddress = this.byAddress.get(address) ?? 0;
    if (fromAddress >= this.settings.maxPerAddress) return 'address';
    this.byPort.set(port, onPort + 1);
    this.byAddress.set(address, fromAddress + 1);
    return null;
  }

  /** The admitted connection ended. */
  release(port: number, address: string): void {
    decrement(this.byPort, port);
    decrement(this.byAddress, address);
  }

  open(port: number): number {
    return this.byPort.get(port) ?? 0;
  }

  get limits(): Readonly<CapSettings> {
    return this.settings;
  }
}

function decrement<K>(map: Map<K, number>, key: K): void {
  const n = (map.get(key) ?? 0) - 1;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}

/** The sentence of a cap refusal, the same words in all three protocols. */
export function capRefusalText(refusal: CapRefusal, settings: Readonly<CapSettings>): string {
  return refusal === 'address'
    ? `Too many connections from your address (the limit is ${settings.maxPerAddress}): close some sessions, then connect again.`
    : `This port has too many connections open (the limit is ${settings.maxPerPort}): try again in a minute.`;
}
