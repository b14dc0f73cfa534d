// The socket plumbing of the tests' raw protocol clients (IMAP, POP3): connect on loopback
// (plain or implicit TLS), buffer what arrives, wait for enough of it, upgrade in place for
// STARTTLS/STLS. The protocol-specific reading lives in each subclass.
import net from 'node:net';
import tls from 'node:tls';

const HOST = '127.0.0.1';

export async function connectLoopback(port: number, secure: boolean): Promise<net.Socket> {
  const socket = secure
    ? tls.connect({ host: HOST, port, rejectUnauthorized: false })
    : net.connect({ host: HOST, port });
  await new Promise<void>((resolve, reject) => {
    socket.once(secure ? 'secureConnect' : 'connect', () => resolve());
    socket.once('error', reject);
  });
  return socket;
}

export class RawStream {
  protected buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  protected constructor(public socket: net.Socket) {
    this.listen(socket);
  }

  private listen(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Waits until `ready()` holds or the socket closed; false when `deadline` passed first. */
  protected async waitFor(ready: () => boolean, deadline: number): Promise<boolean> {
    while (!ready() && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return true;
  }

  /** Replaces the socket by a TLS socket over it (after the server's go-ahead). */
  async startTls(servername?: string): Promise<void> {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('close');
    const secure = tls.connect({
      socket: this.socket,
      rejectUnauthorized: false,
      ...(servername ? { servername } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
  }
}
