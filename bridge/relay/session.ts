// One relayed connection: one WebSocket <-> one TCP (later TLS) socket, as an explicit state
// machine. Text frames are control messages (app/src/wire/messages.ts), binary frames are the raw byte stream.
//
// Design decisions (documented here because the wire contract leaves them to the bridge):
// - Binary frames before `opened` are refused with BAD_STATE and not forwarded.
// - Binary frames during `upgrading` are queued and written only after the handshake, inside TLS:
//   bytes meant to follow STARTTLS never reach the server in plaintext (CVE-2011-0411).
// - Server bytes behind the STARTTLS go-ahead are held back and dropped (starttls-guard.ts).
// - Backpressure: when the WebSocket has more than HIGH_WATER bytes unsent, the TCP socket is
//   paused until no more than half of that is left (issue 18: resuming only at zero let the pipe
//   run dry at every pause); when the TCP socket's write buffer is full, the WebSocket is
//   paused (ws's pause(): stops reading its socket) until the TCP socket drains.
// - Server bytes read in one turn of the event loop go out as one binary frame (up to a quarter
//   of HIGH_WATER); a short read (a reply) is framed at once. Frame boundaries mean nothing in
//   the wire contract: the bytes and their order are the server's. A plain TCP socket reads into
//   recycled slabs (slab-reader.ts), so a download costs no Buffer per read and no copy into its
//   frame; a TLS socket's cleartext comes in 'data' chunks, gathered by concatenation.
// - Unsent budget (limits.maxUnsentBytes): replies the bridge itself makes (BAD_MESSAGE,
//   BAD_STATE...) are not paced by the server, so a browser that sends and never reads could
//   grow them without end (issue 11: 2 million bad frames took the bridge past 1 GB). Over the
//   budget, the session ends with LIMIT_REACHED; the socket is dropped if the close cannot get out.

import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates, type TLSSocket } from 'node:tls';
import type { WebSocket, RawData } from 'ws';
import type { MailwireConfig } from '../config/types.ts';
import type { Logger } from '../logger.ts';
import type { NamedTargets } from './named-targets.ts';
import {
  parseClientMessage,
  type ClientMessage,
  type ClosedBy,
  type ErrorCode,
  type OpenMessage,
  type RemoteInfo,
  type ServerMessage,
  type TlsCertificateInfo,
} from '../../app/src/wire/messages.ts';
import { resolveRemoteTarget, type LookupAll } from './policy.ts';
import { BridgeWebSocket } from './bridge-socket.ts';
import { SlabReader, FULL_READ, type FrameDone } from './slab-reader.ts';
import { StartTlsGuard } from './starttls-guard.ts';
import { tlsInfo, verifyPeer } from './tls-info.ts';

export type SessionState = 'awaiting-open' | 'connecting' | 'open' | 'upgrading' | 'tls' | 'closed';
type Input = ClientMessage['type'] | 'data';

/** What the browser may send in each state. Anything else gets BAD_STATE. */
export const ALLOWED: Record<SessionState, readonly Input[]> = {
  'awaiting-open': ['open', 'close'],
  connecting: ['close'],
  open: ['data', 'starttls', 'close'],
  upgrading: ['data', 'close'], // data is queued until the handshake ends
  tls: ['data', 'close'],
  closed: [],
};

const HIGH_WATER = 1024 * 1024;
const UPGRADE_QUEUE_CAP = 1024 * 1024;
/** After a LIMIT_REACHED close, how long the browser has to read it before the socket is dropped. */
const STALLED_CLOSE_GRACE_MS = 2000;

export interface SessionDeps {
  config: MailwireConfig;
  /** The practice server's named targets; null with --no-practice. */
  targets: NamedTargets | null;
  log: Logger;
  id: number;
  client: string;
  lookup?: LookupAll;
  /** Called once when the session ends, whatever the cause. */
  onEnd: () => void;
}

interface DialPlan {
  remote: RemoteInfo;
  tls: 'none' | 'implicit';
  servername: string | null;
  pin: string | null;
}

export class RelaySession {
  private scenarioPort: number | null = null;
  state: SessionState = 'awaiting-open';
  readonly startedAt = Date.now();
  lastActivity = Date.now();
  private tcp: Socket | TLSSocket | null = null;
  private plan: DialPlan | null = null;
  private guard = new StartTlsGuard();
  private upgradeQueue: Buffer[] = [];
  private upgradeQueued = 0;
  private wsPaused = false;
  private tcpPaused = false;
  /** Reads of the plain TCP socket (null once TLS reads it, and for implicit TLS). */
  private reader: SlabReader | null = null;
  /** Server bytes of 'data' chunks (TLS, or filtered by the guard) read in this turn, not yet framed (sendBytes). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushScheduled = false;
  /** Set once the session is ending: its last error and closed frames skip the budget check. */
  private ending = false;
  private readonly budget: number;
  private readonly highWater: number;
  private readonly lowWater: number;
  private readonly gatherCap: number;

  constructor(
    private ws: WebSocket,
    private deps: SessionDeps,
  ) {
    this.budget = deps.config.limits.maxUnsentBytes;
    this.highWater = Math.min(HIGH_WATER, Math.floor(this.budget / 2));
    this.lowWater = Math.floor(this.highWater / 2);
    this.gatherCap = Math.floor(this.highWater / 4);
    if (ws instanceof BridgeWebSocket) {
      const cap = deps.config.limits.maxFrameBytes;
      ws.beforeTooBigClose = () => {
        this.ending = true;
        this.send({
          type: 'error',
          code: 'FRAME_TOO_LARGE',
          message: `A WebSocket frame was far above the ${cap} bytes this bridge accepts, so the connection was closed. Send large data in frames of at most ${cap} bytes.`,
        });
      };
    }
    ws.on('message', (data: RawData, isBinary: boolean) => this.onFrame(data as Buffer, isBinary));
    ws.on('close', () => this.finish('client', 'The browser closed the WebSocket.', false));
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
        this.fail(
          'FRAME_TOO_LARGE',
          `A WebSocket frame exceeded the hard cap of the bridge; frames must be at most ${deps.config.limits.maxFrameBytes} bytes.`,
        );
      else this.finish('client', `WebSocket error: ${err.code ?? err.message}`, false);
    });
  }

  // ---- browser -> bridge ----

  private onFrame(data: Buffer, isBinary: boolean): void {
    this.lastActivity = Date.now();
    if (data.length > this.deps.config.limits.maxFrameBytes) {
      this.fail(
        'FRAME_TOO_LARGE',
        `A frame of ${data.length} bytes is larger than this bridge accepts (${this.deps.config.limits.maxFrameBytes}). Send large data in smaller frames.`,
      );
      return;
    }
    if (isBinary) return this.onData(data);
    const parsed = parseClientMessage(data.toString('utf8'));
    if (!parsed.ok) return this.send({ type: 'error', code: 'BAD_MESSAGE', message: parsed.message });
    const msg = parsed.value;
    if (!this.allowed(msg.type)) return;
    if (msg.type === 'open') void this.open(msg);
    else if (msg.type === 'starttls') this.startTls();
    else this.clientClose();
  }

  private allowed(input: Input): boolean {
    if (ALLOWED[this.state].includes(input)) return true;
    if (this.state !== 'closed') {
      const what = input === 'data' ? 'Bytes' : `"${input}"`;
      this.send({
        type: 'error',
        code: 'BAD_STATE',
        message: `${what} cannot be sent while the session is ${this.state}${this.state === 'awaiting-open' || this.state === 'connecting' ? '; wait for "opened"' : ''}.`,
      });
    }
    return false;
  }

  private onData(data: Buffer): void {
    if (!this.allowed('data')) return;
    if (this.state === 'upgrading') {
      this.upgradeQueued += data.length;
      if (this.upgradeQueued > UPGRADE_QUEUE_CAP)
        return this.fail(
          'FRAME_TOO_LARGE',
          'Too many bytes were sent during the TLS handshake; wait for the "tls" message.',
        );
      this.upgradeQueue.push(data);
      return;
    }
    if (this.state === 'open') for (const held of this.guard.noteClientBytes(data)) this.sendBytes(held as Buffer);
    this.writeTcp(data);
  }

  private writeTcp(data: Buffer): void {
    const tcp = this.tcp!;
    if (!tcp.write(data) && !this.wsPaused) {
      this.wsPaused = true;
      this.ws.pause();
      tcp.once('drain', () => {
        this.wsPaused = false;
        if (this.state !== 'closed') this.ws.resume();
      });
    }
  }

  // ---- opening ----

  private async open(msg: OpenMessage): Promise<void> {
    this.state = 'connecting';
    const plan = await this.planFor(msg);
    if (!plan || this.state !== 'connecting') return;
    this.plan = plan;
    const { config, log, id } = this.deps;
    log('relay.connect', {
      id,
      target: plan.remote.target,
      address: plan.remote.address,
      port: plan.remote.port,
      tls: plan.tls,
    });
    const reader =
      plan.tls === 'none'
        ? new SlabReader(this.gatherCap, this.onServerRead, this.frameSlabBytes, this.frameReply)
        : null;
    this.reader = reader;
    const socket = netConnect({
      host: plan.remote.address,
      port: plan.remote.port,
      noDelay: true,
      ...(reader ? { onread: reader.onread } : {}),
    });
    this.tcp = socket;
    const timer = setTimeout(
      () =>
        this.fail(
          'CONNECT_TIMEOUT',
          `${plan.remote.target} did not answer within ${config.limits.connectTimeoutMs} ms.`,
        ),
      config.limits.connectTimeoutMs,
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      if (this.state !== 'connecting') return;
      // The practice server finds this connection's origin by our local port: the browser's
      // address (for its caps and login throttle) and a lesson's scenario, which holds for this
      // connection only. Registered before "opened", so before the browser sends any command.
      if ('target' in msg && this.deps.targets && socket.localPort) {
        this.scenarioPort = socket.localPort;
        this.deps.targets.register(this.scenarioPort, msg.scenario ? { [msg.scenario]: true } : {}, this.deps.client);
      }
      if (plan.tls === 'implicit') this.handshake(socket, 'implicit', 0);
      else {
        this.attachStream(socket);
        this.state = 'open';
        this.send({ type: 'opened', remote: plan.remote, tls: null });
      }
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (this.state !== 'connecting') return;
      if (err.code === 'ECONNREFUSED')
        this.fail(
          'CONNECT_REFUSED',
          `${plan.remote.target} (${plan.remote.address}) refused the connection: nothing listens on port ${plan.remote.port}.`,
        );
      else if (err.code === 'ETIMEDOUT') this.fail('CONNECT_TIMEOUT', `${plan.remote.target} did not answer in time.`);
      else this.fail('CONNECT_REFUSED', `Could not connect to ${plan.remote.target}: ${err.code ?? err.message}.`);
    });
  }

  private async planFor(msg: OpenMessage): Promise<DialPlan | null> {
    if ('target' in msg) {
      const targets = this.deps.targets;
      if (!targets) {
        this.fail(
          'PRACTICE_UNAVAILABLE',
          'The practice server is not running here (mailwire was started with --no-practice).',
        );
        return null;
      }
      const ep = targets.dial(msg.target);
      if (!ep) {
        this.fail(
          'PRACTICE_UNAVAILABLE',
          `${msg.target} runs only with the practice internet (the relay to faraway.test); this mailwire was started without it.`,
        );
        return null;
      }
      const remote: RemoteInfo = {
        target: msg.target,
        host: ep.host,
        port: ep.port,
        address: ep.host,
        family: isIP(ep.host) === 6 ? 'IPv6' : 'IPv4',
      };
      return { remote, tls: ep.tls, servername: ep.servername, pin: ep.pin };
    }
    const r = await resolveRemoteTarget(msg.host, msg.port, this.deps.config, this.deps.lookup);
    if (!r.ok) {
      this.fail(r.code, r.message);
      return null;
    }
    const remote: RemoteInfo = {
      target: `${msg.host}:${msg.port}`,
      host: r.host,
      port: r.port,
      address: r.address,
      family: r.family,
    };
    return { remote, tls: msg.tls, servername: isIP(r.host) ? null : r.host, pin: null };
  }

  // ---- TLS (implicit and STARTTLS) ----

  private startTls(): void {
    const raw = this.tcp as Socket;
    this.state = 'upgrading';
    raw.removeAllListeners('data');
    raw.removeAllListeners('end');
    raw.removeAllListeners('error');
    raw.removeAllListeners('close');
    raw.pause();
    // From here TLS reads the socket: what the slabs gathered goes out first (it came before the go-ahead).
    this.reader?.close();
    this.reader = null;
    // Bytes already read from the socket but not yet delivered are plaintext too: drop them.
    let discarded = this.guard.discardHeld();
    for (let chunk: Buffer | null; (chunk = raw.read() as Buffer | null) !== null;) discarded += chunk.length;
    if (this.tcpPaused) this.tcpPaused = false;
    this.deps.log('relay.starttls', { id: this.deps.id, discardedPlaintextBytes: discarded });
    this.handshake(raw, 'starttls', discarded);
  }

  private handshake(raw: Socket, mode: 'implicit' | 'starttls', discarded: number): void {
    const plan = this.plan!;
    this.state = mode === 'implicit' ? 'connecting' : 'upgrading';
    const secure = tlsConnect({
      socket: raw,
      host: plan.remote.host,
      ...(plan.servername ? { servername: plan.servername } : {}),
      // Verification is decided in verifyPeer(): CA chain + name, or the practice pin. A failure
      // is reported (TLS_CERT_INVALID) and the session closed: never a silent downgrade.
      rejectUnauthorized: false,
      ...(this.deps.config.extraCa && !plan.pin ? { ca: [...rootCertificates, this.deps.config.extraCa] } : {}),
    });
    this.tcp = secure;
    const limit = this.deps.config.limits.connectTimeoutMs;
    const timer = setTimeout(
      () =>
        this.fail('TLS_FAILED', `${plan.remote.target} did not finish the TLS handshake within ${limit} ms.`, {
          discardedPlaintextBytes: discarded,
        }),
      limit,
    );
    secure.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (this.state === 'closed') return;
      const reset = err.code === 'ECONNRESET';
      this.fail(
        'TLS_FAILED',
        `The TLS handshake with ${plan.remote.target} failed: ${reset ? 'the server reset the connection' : err.message}.`,
        { discardedPlaintextBytes: discarded },
      );
    });
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      if (this.state === 'closed') return;
      secure.removeAllListeners('error');
      const peer = secure.getPeerX509Certificate();
      const verification = verifyPeer(secure, peer, plan.pin);
      const info = tlsInfo(secure, peer, plan.servername, verification);
      if (!verification.verified) {
        this.fail(
          'TLS_CERT_INVALID',
          `The certificate of ${plan.remote.target} is not valid: ${verification.reason}. The connection was closed rather than continue without verified TLS.`,
          { certificate: info.certificate },
        );
        return;
      }
      this.attachStream(secure);
      this.state = 'tls';
      this.deps.log('relay.tls', {
        id: this.deps.id,
        protocol: info.protocol,
        cipher: info.cipher,
        verified: info.verified,
      });
      if (mode === 'implicit') this.send({ type: 'opened', remote: plan.remote, tls: info });
      else this.send({ type: 'tls', tls: info, discardedPlaintextBytes: discarded });
      const queued = this.upgradeQueue;
      this.upgradeQueue = [];
      this.upgradeQueued = 0;
      for (const data of queued) this.writeTcp(data);
    });
  }

  // ---- server -> browser ----

  private attachStream(socket: Socket | TLSSocket): void {
    // A plain socket with a slab reader has no 'data' events: its reads arrive in onServerRead.
    if (!this.reader)
      socket.on('data', (chunk: Buffer) => {
        this.lastActivity = Date.now();
        // The hot path (issue 18): with no STARTTLS pending the guard is not called at all, so a
        // bulk download pays one property read per chunk for it.
        if (this.state !== 'open' || this.guard.phase === 'idle') return this.sendBytes(chunk);
        this.filterThenSend(chunk);
      });
    socket.on('end', () => this.finish('server', 'The server closed the connection.'));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE')
        this.fail('CONNECTION_RESET', 'The server reset the connection.', {}, 'server');
      else this.fail('INTERNAL', `The connection to the server failed: ${err.code ?? err.message}.`, {}, 'server');
    });
    socket.on('close', () => this.finish('server', 'The server closed the connection.'));
  }

  /** One read of the plain socket landed in the reader's memory. */
  private readonly onServerRead = (n: number): void => {
    const reader = this.reader;
    if (!reader || this.state === 'closed') return;
    this.lastActivity = Date.now();
    if (this.state !== 'open' || this.guard.phase === 'idle') {
      if (this.pendingBytes > 0) this.flushBytes(); // chunks gathered before go first
      return reader.keep(n);
    }
    // A STARTTLS is under way: the guard may hold these bytes, so they leave the reader's memory.
    this.filterThenSend(Buffer.from(reader.view(n)));
  };

  private filterThenSend(chunk: Buffer): void {
    const { forward } = this.guard.filterServerBytes(chunk);
    if (forward && forward.length > 0) this.sendBytes(forward as Buffer);
  }

  private readonly frameSlabBytes = (frame: Buffer, done?: FrameDone): void => this.frameBytes(frame, done);

  /** A reply (a short read) as its own frame, in one write when it can be; `bytes` may be the reader's scratch memory. */
  private readonly frameReply = (bytes: Buffer, owned = false): void => {
    const ws = this.ws;
    if (ws instanceof BridgeWebSocket && ws.sendReplyNow(bytes)) return;
    this.frameBytes(owned ? bytes : Buffer.from(bytes));
  };

  private sendBytes(chunk: Buffer): void {
    this.reader?.flush(); // bytes the slabs gathered before go first
    // A short read means the server has nothing more for now: a reply goes out at once, as its
    // own frame. Full reads (a download) are gathered until the event loop has read what is there,
    // then sent as one frame: a quarter as many frames, writes and wake-ups of the browser.
    if (this.pendingBytes === 0 && chunk.length < FULL_READ) return this.frameReply(chunk, true);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (chunk.length < FULL_READ || this.pendingBytes >= this.gatherCap) return this.flushBytes();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushLater);
    }
  }

  private readonly flushLater = (): void => {
    this.flushScheduled = false;
    this.flushBytes();
  };

  private flushBytes(): void {
    this.reader?.flush();
    if (this.pendingBytes === 0) return;
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.frameBytes(data);
  }

  /** Sends one binary frame; `done` (a slab frame's release) is called once the frame is no longer needed. */
  private frameBytes(chunk: Buffer, done?: FrameDone): void {
    const ws = this.ws;
    if (ws.readyState !== ws.OPEN) return done?.();
    const unsent = ws.bufferedAmount;
    if (unsent + chunk.length > this.budget) {
      done?.();
      return this.overBudget();
    }
    // The browser reads slower than the server writes: stop reading the server above the high
    // water mark, and read again once the frames above the low mark have reached the kernel (not
    // only once everything has: the pipe stays full while the server is read again).
    if (unsent + chunk.length > this.highWater && !this.tcpPaused) {
      this.tcpPaused = true;
      this.tcp?.pause();
    }
    if (done)
      ws.send(chunk, { binary: true }, () => {
        done();
        this.onFlushed();
      });
    else if (unsent + chunk.length > this.lowWater) ws.send(chunk, { binary: true }, this.onFlushed);
    else ws.send(chunk, { binary: true });
  }

  private readonly onFlushed = (): void => {
    if (this.tcpPaused && this.ws.bufferedAmount <= this.lowWater) {
      this.tcpPaused = false;
      if (this.state === 'open' || this.state === 'tls') this.tcp?.resume();
    }
  };

  private send(msg: ServerMessage): void {
    this.flushBytes(); // bytes read before this message go first

    const ws = this.ws;
    if (ws.readyState !== ws.OPEN) return;
    const text = JSON.stringify(msg);
    if (!this.ending && ws.bufferedAmount + this.upgradeQueued + text.length > this.budget) return this.overBudget();
    ws.send(text);
  }

  /** The browser leaves too much unread: stop reading it, say why, and drop it if it never reads. */
  private overBudget(): void {
    if (this.state === 'closed') return;
    const unsent = this.ws.bufferedAmount + this.upgradeQueued;
    this.ws.pause();
    this.fail(
      'LIMIT_REACHED',
      `The browser left ${unsent} bytes unread, over this bridge's budget of ${this.budget} (--max-unsent), so the session was closed. Open a new connection; a page that reads what it is sent never meets this limit.`,
    );
    const ws = this.ws;
    setTimeout(() => ws.terminate(), STALLED_CLOSE_GRACE_MS).unref();
  }

  // ---- ending ----

  private clientClose(): void {
    const tcp = this.tcp;
    if (tcp) {
      tcp.removeAllListeners('close');
      tcp.removeAllListeners('end');
      tcp.end();
      tcp.setTimeout(5000, () => tcp.destroy());
    }
    this.finish('client', 'The browser asked to close the connection.');
  }

  /** Ends the session with an error (sent first) and a `closed`. */
  fail(
    code: ErrorCode,
    message: string,
    extra: { certificate?: TlsCertificateInfo | null; discardedPlaintextBytes?: number } = {},
    by: ClosedBy = 'bridge',
  ): void {
    if (this.state === 'closed') return;
    this.ending = true;
    this.deps.log('relay.error', { id: this.deps.id, code });
    this.send({ type: 'error', code, message, ...extra });
    this.finish(by, message);
  }

  private finish(by: ClosedBy, reason: string, notify = true): void {
    if (this.state === 'closed') return;
    const from = this.state;
    this.state = 'closed';
    this.ending = true;
    if (notify) this.send({ type: 'closed', by, reason });
    this.reader?.close(); // after the last bytes went out; a socket still draining reads into scratch
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(1000);
    const tcp = this.tcp;
    if (tcp && !tcp.destroyed && !(by === 'client' && from !== 'connecting' && tcp.writableEnded)) tcp.destroy();
    this.upgradeQueue = [];
    if (this.scenarioPort !== null) this.deps.targets?.unregister(this.scenarioPort);
    this.deps.log('relay.closed', {
      id: this.deps.id,
      by,
      from,
      seconds: Math.round((Date.now() - this.startedAt) / 1000),
    });
    this.deps.onEnd();
  }
}
