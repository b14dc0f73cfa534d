// One client connection of the POP3 server: bytes in -> lines -> the session -> replies out, one
// command at a time (pipelined commands queue up, RFC 2449 section 6.6). Also the STLS upgrade,
// the teaching scenarios (slow replies, dropped connection) and the idle timeouts: the shorter
// preAuthIdleTimeoutMs until login, then idleTimeoutMs (RFC 1939 section 3: at least 10 minutes).
import type net from 'node:net';
import tls from 'node:tls';
import type { PracticeGuards } from '../limits/guards.ts';
import { resolveLimits, type Limits, type ProtocolServerOptions, type Scenarios } from '../types.ts';
import { LineReader, type LineEvent } from './line-reader.ts';
import { err, type Response } from './replies.ts';
import { Pop3Session } from './session.ts';

/** Pause reading when this many lines wait, so a flood of pipelined input cannot grow memory. */
const MAX_QUEUED_LINES = 64;
/** How long a closing connection may take to flush before it is cut. */
const CLOSE_GRACE_MS = 2000;

export class Pop3Connection {
  private socket: net.Socket;
  private readonly reader: LineReader;
  private readonly session: Pop3Session;
  private readonly remotePort: number | undefined;
  private queue: LineEvent[] = [];
  private busy = true; // until the greeting is out
  private closed = false;
  private commandCount = 0;
  private readonly limits: Required<Limits>;

  constructor(
    socket: net.Socket,
    private readonly opts: ProtocolServerOptions,
    private readonly secureContext: tls.SecureContext,
    origin: { address: string; guards: PracticeGuards; onClose: () => void },
  ) {
    this.socket = socket;
    this.limits = resolveLimits(opts.limits);
    socket.on('close', origin.onClose);
    this.remotePort = socket.remotePort;
    this.reader = new LineReader(opts.limits.maxLineLength);
    this.session = new Pop3Session({
      store: opts.store,
      hostname: opts.hostname,
      security: opts.security,
      scenarios: () => this.scenarios(),
      log: opts.log,
      client: { address: origin.address, throttle: origin.guards.throttle },
    });
    socket.on('close', () => this.finish());
    this.attach(socket);
  }

  async start(): Promise<void> {
    this.opts.log('pop3.connect', { remotePort: this.remotePort, security: this.opts.security });
    await this.delay();
    await this.write([this.session.greeting()]);
    this.busy = false;
    void this.pump();
  }

  private scenarios(): Scenarios {
    return this.opts.scenarios.lookup(this.remotePort);
  }

  private attach(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.opts.log('pop3.socket-error', { message: error.message }));
    socket.setTimeout(this.idleLimit(), () => this.idle());
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.queue.push(...this.reader.push(chunk));
    if (this.queue.length > MAX_QUEUED_LINES) this.socket.pause();
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const event = this.queue.shift()!;
        if (this.queue.length <= MAX_QUEUED_LINES / 2) this.socket.resume();
        const dropAfter = this.scenarios().dropAfterCommands;
        this.commandCount++;
        if (dropAfter && this.commandCount >= dropAfter) {
          this.opts.log('pop3.scenario-drop', { afterCommands: this.commandCount });
          this.socket.destroy(); // the scenario: no reply to the last command
          return;
        }
        const response: Response =
          event.kind === 'line'
            ? await this.session.handleLine(event.bytes)
            : this.session.lineTooLong(event.octets, this.opts.limits.maxLineLength);
        await this.delay();
        await this.write(response.chunks);
        if (this.session.state === 'TRANSACTION') this.socket.setTimeout(this.idleLimit());
        if (response.after === 'close') return this.close();
        if (response.after === 'starttls') return this.upgrade();
      }
    } finally {
      this.busy = false;
    }
  }

  /** RFC 2595 section 4: TLS starts right after the +OK; the session continues under TLS. */
  private upgrade(): void {
    // Plaintext the client sent after STLS must not be read as commands under TLS (CVE-2011-0411).
    this.queue = [];
    this.reader.clear();
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('timeout');
    plain.setTimeout(0);
    const secure = new tls.TLSSocket(plain, { isServer: true, secureContext: this.secureContext });
    this.socket = secure;
    secure.once('secure', () => {
      this.session.tlsStarted();
      this.opts.log('pop3.stls', { protocol: secure.getProtocol() });
    });
    this.attach(secure);
  }

  /** One reply, in one write (one segment when it fits) even when it is a status line and a body. */
  private async write(chunks: Array<string | Uint8Array>): Promise<void> {
    if (this.closed) return;
    const socket = this.socket;
    socket.cork();
    for (const chunk of chunks) socket.write(chunk);
    socket.uncork();
    if (socket.writableNeedDrain) await drained(socket);
  }

  private delay(): Promise<void> {
    const ms = this.scenarios().slowRepliesMs ?? 0;
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  }

  private idleLimit(): number {
    return this.session.state === 'AUTHORIZATION' ? this.limits.preAuthIdleTimeoutMs : this.limits.idleTimeoutMs;
  }

  private idle(): void {
    if (this.closed) return;
    const loggedIn = this.session.state !== 'AUTHORIZATION';
    this.opts.log('pop3.idle-timeout', { remotePort: this.remotePort, loggedIn, limitMs: this.idleLimit() });
    this.socket.write(err('Disconnected for inactivity.'));
    this.close();
  }

  private close(): void {
    const socket = this.socket;
    socket.end();
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.session.disconnected();
    this.opts.log('pop3.disconnect', { remotePort: this.remotePort, state: this.session.state });
  }
}

function drained(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
