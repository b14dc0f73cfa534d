// One client connection: bytes in through the framer, commands run one at a time through the
// session, replies out; STARTTLS swaps the socket for a TLS one mid-connection.
import type net from 'node:net';
import tls from 'node:tls';
import type { ProtocolServerOptions } from '../types.ts';
import type { Chunk } from './encode.ts';
import { CommandFramer, type Frame, type FramerEvent } from './framer.ts';
import { ImapSyntaxError, parseCommand } from './parser.ts';
import { Session, type SessionIO } from './session.ts';

type Item = { frame: Frame } | { reject: Extract<FramerEvent, { kind: 'reject' }> };

export function serveConnection(initial: net.Socket, opts: ProtocolServerOptions, secureFromStart: boolean): void {
  let socket: net.Socket = initial;
  let secure = secureFromStart;
  let closed = false;
  const clientPort = initial.remotePort;
  // The "mailbox full" lesson answers APPEND before the client sends the message, as a real
  // server refusing a synchronising literal would (RFC 3501 section 7.5).
  const literalGate = (head: string): [string, string] | null =>
    /^\S+ APPEND /i.test(head) && opts.scenarios.lookup(clientPort).mailboxFull
      ? ['OVERQUOTA', 'The mailbox is full (practice scenario "mailbox full"); do not send the message.']
      : null;
  const framer = new CommandFramer({ maxLineLength: opts.limits.maxLineLength, maxLiteralSize: opts.limits.maxMessageSize }, literalGate);
  const queue: Item[] = [];
  let waiter: ((item: Item | null) => void) | null = null;

  const write = (chunks: Chunk[]) => {
    if (closed || socket.destroyed) return;
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
    session.selected?.close();
    if (waiter) waiter(null);
    waiter = null;
    if (!socket.destroyed) socket.destroy();
  };

  const onData = (chunk: Buffer) => {
    for (const event of framer.feed(chunk)) {
      if (event.kind === 'continue') write(['+ Ready for literal\r\n']);
      else if (event.kind === 'frame') push({ frame: event.frame });
      else push({ reject: event });
    }
  };
  const attach = (s: net.Socket) => {
    s.on('data', onData);
    s.on('error', (err) => opts.log('imap.socket.error', { error: err.message }));
    s.on('close', shutdown);
    s.setTimeout(opts.limits.idleTimeoutMs, () => {
      write(['* BYE Idle for too long; closing the connection.\r\n']);
      s.end();
    });
  };

  const io: SessionIO = {
    write,
    get secure() {
      return secure;
    },
    security: opts.security,
    scenarios: () => opts.scenarios.lookup(clientPort),
    async nextFrame() {
      const item = await next();
      if (!item) return null;
      return 'frame' in item ? item.frame : { lines: [''], literals: [] };
    },
    async startTls() {
      // Anything pipelined after STARTTLS arrived in plaintext and must not be obeyed once TLS
      // is up (the CVE-2011-0411 class of injection), so it is dropped here.
      framer.reset();
      queue.length = 0;
      const plain = socket;
      plain.removeListener('data', onData);
      plain.removeListener('close', shutdown);
      plain.setTimeout(0);
      if (plain.isPaused()) plain.resume();
      const upgraded = new tls.TLSSocket(plain, { isServer: true, key: opts.credentials.key, cert: opts.credentials.cert });
      socket = upgraded;
      secure = true;
      attach(upgraded);
      plain.on('close', shutdown);
    },
  };
  const session = new Session(io, { store: opts.store, hostname: opts.hostname, limits: opts.limits, log: opts.log });

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
        write([`${r.tag ?? '*'} ${code} ${r.text}\r\n`]);
        if (r.fatal) {
          write(['* BYE The connection cannot recover from that literal; closing.\r\n']);
          socket.end();
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
        continue;
      }
      const scenarios = io.scenarios();
      commands++;
      if (scenarios.dropAfterCommands && commands >= scenarios.dropAfterCommands) {
        opts.log('imap.scenario.drop', { commands });
        shutdown();
        return;
      }
      if (scenarios.slowRepliesMs) await new Promise((r) => setTimeout(r, scenarios.slowRepliesMs));
      try {
        await session.run(cmd);
      } catch (err) {
        // session.run already answers failures; this only guards the connection itself.
        opts.log('imap.error', { error: err instanceof Error ? err.message : String(err) });
        write([`${cmd.tag} NO [SERVERBUG] The server failed on this command.\r\n`]);
      }
      if (session.state === 'logout') {
        socket.end(); // 'close' then runs shutdown, after the BYE and OK are flushed
        return;
      }
    }
  }
}
