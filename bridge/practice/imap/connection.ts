// One client connection: bytes in through the framer, commands run one at a time through the
// session, replies out; STARTTLS swaps the socket for a TLS one mid-connection.
// Budgets: before login, literals are capped at limits.preAuthLiteralMax (Dovecot's imap-login
// allows 8192 octets per command line, literals included, and answers a bigger one with BYE) and
// the idle timeout is the shorter preAuthIdleTimeoutMs; after login they become maxMessageSize and
// idleTimeoutMs (RFC 9051 section 5.4: at least 30 minutes, IDLE included). Every literal is also
// reserved in the memory budget the whole practice server shares, and given back once its
// command has run.
import type net from 'node:net';
import tls from 'node:tls';
import type { PracticeGuards } from '../limits/guards.ts';
import { resolveLimits, type ProtocolServerOptions } from '../types.ts';
import type { Chunk } from './encode.ts';
import { CommandFramer, type Frame, type FramerEvent } from './framer.ts';
import { ImapSyntaxError, parseCommand } from './parser.ts';
import { Session, type SessionIO } from './session.ts';

type Item = { frame: Frame; reserved: number } | { reject: Extract<FramerEvent, { kind: 'reject' }> };

/** Who the connection is for: the client's real address and what the practice server shares. */
export interface ConnectionOrigin {
  address: string;
  guards: PracticeGuards;
  /** Runs once when the connection ends (gives its place under the caps back). */
  onClose: () => void;
}

export function serveConnection(
  initial: net.Socket,
  opts: ProtocolServerOptions,
  secureFromStart: boolean,
  origin: ConnectionOrigin,
): void {
  let socket: net.Socket = initial;
  let secure = secureFromStart;
  let closed = false;
  let loggedIn = false;
  const limits = resolveLimits(opts.limits);
  const clientPort = initial.remotePort;
  const { budget } = origin.guards;
  /** Octets reserved for the literals of the command being read. */
  let reserving = 0;
  // The "mailbox full" lesson answers APPEND before the client sends the message, as a real
  // server refusing a synchronising literal would (RFC 3501 section 7.5).
  const literalGate = (head: string, size: number, nonSync: boolean): [string, string] | null => {
    if (!nonSync && /^\S+ APPEND /i.test(head) && opts.scenarios.lookup(clientPort).mailboxFull) {
      return ['OVERQUOTA', 'The mailbox is full (practice scenario "mailbox full"); do not send the message.'];
    }
    if (!budget.reserve(size)) {
      // RFC 5530 LIMIT: a server-wide limit, not this message's fault.
      return [
        'LIMIT',
        `The server is holding too much incoming mail in memory right now (${budget.total} octets for all connections); try again in a moment.`,
      ];
    }
    reserving += size;
    return null;
  };
  const releaseReserving = () => {
    budget.release(reserving);
    reserving = 0;
  };
  const frameLimits = { maxLineLength: limits.maxLineLength, maxLiteralSize: limits.preAuthLiteralMax };
  const framer = new CommandFramer(frameLimits, literalGate);
  const queue: Item[] = [];
  let waiter: ((item: Item | null) => void) | null = null;

  // One command's reply leaves in one write: the socket is corked while a command runs and
  // uncorked when it ends, waits for the client (IDLE, AUTHENTICATE) or has 64 KiB pending, so
  // untagged data and the tagged OK share one segment, as Dovecot's corked output does (issue 18:
  // socket writes were half the practice server's time with 100 learners at once).
  let corked: net.Socket | null = null;
  const hold = () => {
    if (corked || closed || socket.destroyed) return;
    corked = socket;
    socket.cork();
  };
  const release = () => {
    const s = corked;
    corked = null;
    if (s && !s.destroyed) s.uncork();
  };
  const write = (chunks: Chunk[]) => {
    if (closed || socket.destroyed) return;
    writeNow(chunks);
    if (corked && socket.writableLength >= 64 * 1024) {
      release();
      hold();
    }
  };
  const writeNow = (chunks: Chunk[]) => {
    // Adjacent text is joined first: a FETCH response is many small pieces.
    const parts: Buffer[] = [];
    let text = '';
    for (const c of chunks) {
      if (typeof c === 'string') text += c;
      else {
        if (text) parts.push(Buffer.from(text, 'utf8'));
        text = '';
        parts.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
      }
    }
    if (!parts.length) socket.write(text, 'utf8');
    else {
      if (text) parts.push(Buffer.from(text, 'utf8'));
      socket.write(Buffer.concat(parts));
    }
  };
  const push = (item: Item) => {
    if (waiter) {
      const w = waiter;
      waiter = null;
      w(item);
    } else {
      queue.push(item);
      // A client pipelining faster than commands run is paused, so the queue stays bounded.
      if (queue.length > 256 && !socket.isPaused()) socket.pause();
    }
  };
  const next = (): Promise<Item | null> => {
    if (queue.length) {
      const item = queue.shift()!;
      if (queue.length < 32 && socket.isPaused()) socket.resume();
      return Promise.resolve(item);
    }
    if (closed) return Promise.resolve(null);
    return new Promise((resolve) => (waiter = resolve));
  };
  const shutdown = () => {
    if (closed) return;
    closed = true;
    releaseReserving();
    for (const item of queue) if ('frame' in item) budget.release(item.reserved);
    origin.onClose();
    session.selected?.close();
    session.notify.close();
    if (waiter) waiter(null);
    waiter = null;
    if (!socket.destroyed) socket.destroy();
  };

  /** Set once the connection is closing on its own: input is no longer read. */
  let ending = false;
  const onData = (chunk: Buffer) => {
    if (ending) return;
    for (const event of framer.feed(chunk)) {
      if (event.kind === 'continue') {
        // The client waits for this before it sends the literal: it goes out at once.
        const wasCorked = corked !== null;
        release();
        write(['+ Ready for literal\r\n']);
        if (wasCorked) hold();
      } else if (event.kind === 'frame') {
        push({ frame: event.frame, reserved: reserving });
        reserving = 0;
      } else {
        releaseReserving();
        push({ reject: event });
      }
    }
  };
  const attach = (s: net.Socket) => {
    s.on('data', onData);
    s.on('error', (err) => opts.log('imap.socket.error', { error: err.message }));
    s.on('close', shutdown);
    s.setTimeout(loggedIn ? limits.idleTimeoutMs : limits.preAuthIdleTimeoutMs, () => {
      const limitMs = loggedIn ? limits.idleTimeoutMs : limits.preAuthIdleTimeoutMs;
      opts.log('imap.idle-timeout', { clientPort, loggedIn, limitMs });
      // RFC 9051 section 5.4: the autologout timer; before login it is shorter.
      write([`* BYE Idle for too long${loggedIn ? '' : ' before logging in'}; closing the connection.\r\n`]);
      s.end();
      setTimeout(() => s.destroy(), 2000).unref();
    });
  };

  const io: SessionIO = {
    write,
    get secure() {
      return secure;
    },
    security: opts.security,
    unsent: () => socket.writableLength,
    scenarios: () => opts.scenarios.lookup(clientPort),
    async nextFrame() {
      release(); // the client is waiting for what was written (a continuation, IDLE's "+")
      const item = await next();
      if (!item) return null;
      if (!('frame' in item)) return { lines: [''], literals: [] };
      budget.release(item.reserved); // a continuation line (AUTHENTICATE) is read at once
      return item.frame;
    },
    async startTls() {
      // Anything pipelined after STARTTLS arrived in plaintext and must not be obeyed once TLS
      // is up (the CVE-2011-0411 class of injection), so it is dropped here.
      release(); // the tagged OK goes out in plaintext before the handshake
      framer.reset();
      releaseReserving();
      for (const item of queue) if ('frame' in item) budget.release(item.reserved);
      queue.length = 0;
      const plain = socket;
      plain.removeListener('data', onData);
      plain.removeListener('close', shutdown);
      plain.setTimeout(0);
      if (plain.isPaused()) plain.resume();
      const upgraded = new tls.TLSSocket(plain, {
        isServer: true,
        key: opts.credentials.key,
        cert: opts.credentials.cert,
      });
      socket = upgraded;
      secure = true;
      attach(upgraded);
      plain.on('close', shutdown);
    },
  };
  const session = new Session(io, {
    store: opts.store,
    hostname: opts.hostname,
    limits: opts.limits,
    log: opts.log,
    client: { address: origin.address, throttle: origin.guards.throttle },
  });

  attach(socket);
  write([`* OK [CAPABILITY ${session.capabilities().join(' ')}] ${opts.hostname} IMAP4rev1 practice server ready\r\n`]);
  opts.log('imap.connect', { clientPort, secure });
  void run();

  async function run(): Promise<void> {
    let commands = 0;
    for (;;) {
      const item = await next();
      if (!item || closed) return;
      if ('reject' in item) {
        const r = item.reject;
        const code = r.code === 'LITERAL_TOO_BIG' ? 'NO [TOOBIG]' : r.code === 'REFUSED' ? 'NO' : 'BAD';
        const why =
          r.code === 'LITERAL_TOO_BIG' && !loggedIn
            ? ' Before login the limit is this low, as in Dovecot; log in first.'
            : '';
        if (r.code !== 'LINE_TOO_LONG')
          opts.log('imap.literal-refused', { clientPort, loggedIn, reason: r.text.slice(0, 80) });
        write([`${r.tag ?? '*'} ${code} ${r.text}${why}\r\n`]);
        if (r.fatal) {
          write(['* BYE The connection cannot recover from that literal; closing.\r\n']);
          // The rest of the literal is not read: the socket goes once the BYE is out.
          ending = true;
          const s = socket;
          s.end();
          setTimeout(() => s.destroy(), 1000).unref();
          return;
        }
        continue;
      }
      let cmd;
      try {
        cmd = parseCommand(item.frame);
      } catch (err) {
        const tag = err instanceof ImapSyntaxError ? err.tag : null;
        const text = err instanceof Error ? err.message : 'Unreadable command.';
        write([`${tag ?? '*'} BAD ${text}\r\n`]);
        budget.release(item.reserved);
        continue;
      }
      const scenarios = io.scenarios();
      commands++;
      if (scenarios.dropAfterCommands && commands >= scenarios.dropAfterCommands) {
        opts.log('imap.scenario.drop', { commands });
        budget.release(item.reserved);
        shutdown();
        return;
      }
      if (scenarios.slowRepliesMs) await new Promise((r) => setTimeout(r, scenarios.slowRepliesMs));
      hold();
      try {
        await session.run(cmd);
      } catch (err) {
        // session.run already answers failures; this only guards the connection itself.
        opts.log('imap.error', { error: err instanceof Error ? err.message : String(err) });
        write([`${cmd.tag} NO [SERVERBUG] The server failed on this command.\r\n`]);
      } finally {
        release();
        budget.release(item.reserved);
      }
      if (!loggedIn && session.state !== 'not-authenticated' && session.state !== 'logout') {
        // Logged in: the post-login budgets apply from the next command on.
        loggedIn = true;
        frameLimits.maxLiteralSize = limits.maxMessageSize;
        socket.setTimeout(limits.idleTimeoutMs);
      }
      if (session.state === 'logout') {
        socket.end(); // 'close' then runs shutdown, after the BYE and OK are flushed
        return;
      }
    }
  }
}
