// The socket smtp-server is handed instead of the client's: a Duplex between the client's socket
// (plain, or the TLS socket of our own handshake, see listener.ts) and smtp-server, reading the
// SMTP lines that pass in both directions. It does, through smtp-server's public API only
// (`server.connect(socket)`), what the library's options cannot:
//  - replies: our own RFC 3463 enhanced codes and wording (replies.ts rewriteReplyLines), and no
//    AUTH in the EHLO list of submission before TLS (RFC 3207 section 4);
//  - commands: the slowRepliesMs / dropAfterCommands scenarios, looked up per command by the
//    client's port (a lesson may register its scenario after the connect);
//  - the idle timeout: smtp-server's socketTimeout (the short one) until AUTH succeeded (235) or
//    MAIL FROM was accepted, then idleTimeoutMs;
//  - STARTTLS: once smtp-server answered it with 220, the client's socket is handed back
//    (`onStartTls`), so that the TLS session sits under a new wrapper and its lines stay readable.
// Hand-written: smtp-server has no public hook for its replies or commands, and no stream library
// knows where SMTP commands end (a line; DATA until <CRLF>.<CRLF>, RFC 5321 section 4.1.1.4).
// What it holds is bounded: a partial line up to maxLine, and while a command waits (a delay, the
// reply to DATA) the client's socket is paused.
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { latin1, latin1Bytes } from '../../../app/src/protocols/common/bytes.ts';
import type { ScenarioRegistry } from '../types.ts';
import { rewriteReplyLines } from './replies.ts';

export interface WrapOptions {
  scenarios: ScenarioRegistry;
  maxSize: number;
  maxLine: number;
  /** The idle timeout after AUTH or MAIL FROM; absent: smtp-server's socketTimeout throughout. */
  idleTimeoutMs?: number;
  /** Submission before TLS: AUTH is left out of the EHLO reply. */
  hideAuth: boolean;
  /** The session continues under TLS: the client had its greeting before STARTTLS (RFC 3207 4.2). */
  swallowGreeting: boolean;
  /** smtp-server answered STARTTLS with 220: the client's socket is ours again, for the handshake. */
  onStartTls?: (client: Socket) => void;
}

const DATA_END = Buffer.from('\r\n.\r\n');
const CRLF = Buffer.from('\r\n');
const EMPTY = Buffer.alloc(0);
/** The last line of a reply: "250 text", or a bare "334". */
const FINAL_LINE = /^\d{3}(?: |$)/;

export class WrappedSocket extends Duplex {
  /** Client bytes not yet given to smtp-server. */
  private toServer: Buffer = EMPTY;
  private mode: 'command' | 'data' | 'long-line' = 'command';
  /** The last bytes of DATA given on, to find a <CRLF>.<CRLF> split over chunks. */
  private dataTail: Buffer = CRLF;
  /** Until the (swallowed) greeting, and from DATA to its reply: what the client sends waits. */
  private holding: boolean;
  private delay: NodeJS.Timeout | null = null;
  private commands = 0;
  /** Verbs of the commands smtp-server has not answered yet, oldest first. */
  private readonly awaiting: string[] = [];
  /** smtp-server's output not yet ended by CRLF, and the lines of an unfinished reply. */
  private fromServer = '';
  private replyLines: string[] = [];
  private greeted = false;
  private clientEnded = false;
  private endPushed = false;
  private serverFull = false;
  private detached = false;
  private idleRaised = false;
  private timeoutMs = 0;
  readonly remotePort: number | undefined;
  readonly remoteAddress: string | undefined;
  readonly localPort: number | undefined;
  readonly localAddress: string | undefined;

  constructor(
    private readonly client: Socket | TLSSocket,
    private readonly opts: WrapOptions,
  ) {
    super({ allowHalfOpen: false });
    this.holding = opts.swallowGreeting;
    this.remotePort = client.remotePort;
    this.remoteAddress = client.remoteAddress;
    this.localPort = client.localPort;
    this.localAddress = client.localAddress;
    client.on('data', this.onClientData);
    client.on('end', this.onClientEnd);
    client.on('close', this.onClientClose);
    client.on('error', this.onClientError);
    client.on('timeout', this.onClientTimeout);
  }

  // The parts of net.Socket that smtp-server uses.
  get readyState(): string {
    return this.destroyed ? 'closed' : this.client.readyState;
  }
  get servername(): string | false | null | undefined {
    return (this.client as TLSSocket).servername;
  }
  getCipher(): ReturnType<TLSSocket['getCipher']> | undefined {
    return 'getCipher' in this.client ? this.client.getCipher() : undefined;
  }
  setNoDelay(noDelay?: boolean): this {
    this.client.setNoDelay(noDelay);
    return this;
  }
  setTimeout(ms: number, callback?: () => void): this {
    this.timeoutMs = ms;
    this.client.setTimeout(this.idleRaised && ms > 0 ? this.opts.idleTimeoutMs! : ms);
    if (callback) {
      if (ms === 0) this.removeListener('timeout', callback);
      else this.once('timeout', callback);
    }
    return this;
  }

  private readonly onClientData = (chunk: Buffer): void => {
    this.toServer = this.toServer.length ? Buffer.concat([this.toServer, chunk]) : chunk;
    this.pump();
  };
  private readonly onClientEnd = (): void => {
    this.clientEnded = true;
    this.pump();
  };
  private readonly onClientClose = (): void => {
    this.destroy();
  };
  private readonly onClientError = (err: Error): void => {
    this.destroy(err);
  };
  private readonly onClientTimeout = (): void => {
    this.emit('timeout');
  };

  /** Gives smtp-server what it may have now: DATA at once, commands one by one (delayed, dropped). */
  private pump(): void {
    while (!this.destroyed && !this.detached && !this.holding && !this.delay && this.toServer.length) {
      if (this.mode === 'data') {
        this.giveData();
        continue;
      }
      const nl = this.toServer.indexOf(0x0a);
      if (this.mode === 'long-line' || nl === -1) {
        // A line over the limit goes on as it comes: smtp-server answers it 421 and closes.
        if (this.mode === 'command' && this.toServer.length <= this.opts.maxLine && !this.clientEnded) break;
        const end = nl === -1 ? this.toServer.length : nl + 1;
        this.give(this.toServer.subarray(0, end));
        this.toServer = this.toServer.subarray(end);
        this.mode = nl === -1 ? 'long-line' : 'command';
        continue;
      }
      const line = this.toServer.subarray(0, nl + 1);
      this.toServer = this.toServer.subarray(nl + 1);
      this.commands++;
      const active = this.opts.scenarios.lookup(this.remotePort);
      if (active.dropAfterCommands && this.commands >= active.dropAfterCommands) {
        this.client.destroy(); // the scenario: the server hangs up without answering
        return;
      }
      const delayMs = active.slowRepliesMs ?? 0;
      if (delayMs > 0) {
        this.delay = setTimeout(() => {
          this.delay = null;
          this.giveCommand(line);
          this.pump();
        }, delayMs);
        break;
      }
      this.giveCommand(line);
    }
    if (this.clientEnded && !this.toServer.length && !this.delay && !this.endPushed && !this.detached) {
      this.endPushed = true;
      this.push(null);
    }
    // While something waits here, or smtp-server reads no more, the client is not read either.
    const wait = this.serverFull || ((this.holding || this.delay !== null) && this.toServer.length > 0);
    if (wait) this.client.pause();
    else if (!this.detached) this.client.resume();
  }

  private giveCommand(line: Buffer): void {
    const verb = latin1(line).trim().split(' ')[0]!.toUpperCase();
    this.awaiting.push(verb);
    if (verb === 'DATA') this.holding = true; // its reply says whether what follows is the message
    this.give(line);
  }

  private giveData(): void {
    const joined = Buffer.concat([this.dataTail, this.toServer]);
    const end = joined.indexOf(DATA_END);
    if (end === -1) {
      this.give(this.toServer);
      this.toServer = EMPTY;
      this.dataTail = Buffer.from(joined.subarray(Math.max(0, joined.length - DATA_END.length + 1)));
      return;
    }
    const cut = end + DATA_END.length - this.dataTail.length;
    this.give(this.toServer.subarray(0, cut));
    this.toServer = this.toServer.subarray(cut);
    this.mode = 'command';
    this.awaiting.push('.');
  }

  private give(bytes: Buffer): void {
    if (bytes.length && !this.push(bytes)) this.serverFull = true;
  }

  override _read(): void {
    if (!this.serverFull) return;
    this.serverFull = false;
    this.pump();
  }

  /** smtp-server writes its replies here; they go to the client as the practice server words them. */
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.detached) return callback();
    this.fromServer += latin1(chunk);
    let out = '';
    let startTls = false;
    for (let nl = this.fromServer.indexOf('\r\n'); nl !== -1; nl = this.fromServer.indexOf('\r\n')) {
      const line = this.fromServer.slice(0, nl);
      this.fromServer = this.fromServer.slice(nl + 2);
      this.replyLines.push(line);
      if (!FINAL_LINE.test(line)) continue;
      const lines = this.replyLines;
      this.replyLines = [];
      const reply = this.onReply(lines);
      out += reply.text;
      startTls ||= reply.startTls;
    }
    if (out) this.client.write(latin1Bytes(out), () => callback());
    else callback();
    if (startTls) this.handBack();
    // Not from inside smtp-server's send(): the next command must not run within this one.
    else process.nextTick(() => this.pump());
  }

  private onReply(lines: string[]): { text: string; startTls: boolean } {
    const code = Number(lines[lines.length - 1]!.slice(0, 3));
    let verb: string | undefined;
    if (!this.greeted) {
      this.greeted = true;
      if (this.opts.swallowGreeting) {
        this.holding = false;
        return { text: '', startTls: false };
      }
    } else verb = this.awaiting.shift();
    if (code === 235 || (verb === 'MAIL' && code === 250)) this.raiseIdleTimeout();
    if (verb === 'DATA') {
      this.holding = false;
      if (code === 354) {
        this.mode = 'data';
        this.dataTail = CRLF; // the DATA line's own CRLF: an empty message is just ".\r\n"
      }
    }
    const rewritten = rewriteReplyLines(lines, {
      maxSize: this.opts.maxSize,
      maxLine: this.opts.maxLine,
      hideAuth: this.opts.hideAuth,
    });
    const startTls = verb === 'STARTTLS' && code === 220 && this.opts.onStartTls !== undefined;
    return { text: rewritten.map((line) => line + '\r\n').join(''), startTls };
  }

  /** After AUTH or MAIL FROM: a known client may think longer (the shorter one is smtp-server's). */
  private raiseIdleTimeout(): void {
    if (!this.opts.idleTimeoutMs || this.idleRaised) return;
    this.idleRaised = true;
    if (this.timeoutMs > 0) this.client.setTimeout(this.opts.idleTimeoutMs);
  }

  /**
   * smtp-server has answered STARTTLS and is about to start TLS on this wrapper: the client's
   * socket leaves it before the ClientHello can arrive (the client waits for the 220), and this
   * side closes, so that smtp-server's session ends. Whatever the client pipelined after STARTTLS
   * is dropped, as RFC 3207 section 4.2 asks.
   */
  private handBack(): void {
    this.detached = true;
    if (this.delay) clearTimeout(this.delay);
    this.delay = null;
    this.client.pause();
    this.client.off('data', this.onClientData);
    this.client.off('end', this.onClientEnd);
    this.client.off('close', this.onClientClose);
    this.client.off('error', this.onClientError);
    this.client.off('timeout', this.onClientTimeout);
    this.client.setTimeout(0);
    const client = this.client as Socket;
    setImmediate(() => {
      this.destroy();
      this.opts.onStartTls!(client);
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.detached) this.client.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.delay) clearTimeout(this.delay);
    this.delay = null;
    if (!this.detached) this.client.destroy();
    callback(error);
  }

  /** The practice server is closing: the client is told (RFC 5321 section 3.8) and let go. */
  shutDown(): void {
    if (this.detached || this.destroyed) return;
    this.client.end('421 4.4.2 Server shutting down\r\n');
    this.destroySoon();
  }

  private destroySoon(): void {
    setTimeout(() => this.destroy(), 1000).unref();
  }
}
