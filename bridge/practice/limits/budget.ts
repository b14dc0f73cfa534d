// The memory budget of one practice server: octets of client input that all its connections
// together may hold in memory at once (IMAP literals being read). A reservation that would go
// over is refused, and the command with it. Pure.

export class MemoryBudget {
  private used = 0;

  constructor(readonly total: number) {}

  reserve(octets: number): boolean {
    if (octets <= 0) return true;
    if (this.used + octets > this.total) return false;
    this.used += octets;
    return true;
  }

  release(octets: number): void {
    this.used = Math.max(0, this.used - octets);
  }

  get inUse(): number {
    return this.used;
  }
}
