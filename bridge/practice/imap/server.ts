// The practice IMAP4rev1 server (RFC 3501): plain with STARTTLS, or implicit TLS (IMAPS).
// Limits (opts.limits): a line longer than maxLineLength gets BAD and is skipped; a literal over
// the cap (preAuthLiteralMax before login, maxMessageSize after) gets NO [TOOBIG] (a LITERAL+ one
// also closes the connection, its bytes being already on the way); idle time ends the connection
// with BYE. A connection over the caps per client address or per port gets `* BYE` at once and is
// closed (RFC 9051 section 7.1.5). Layout: framer.ts (bytes -> commands), parser.ts (tokens),
// session.ts (states), commands/*.ts, fetch.ts.
import net from 'node:net';
import tls from 'node:tls';
import { admitConnection, createGuards, refuseAndClose, type Admission } from '../limits/guards.ts';
import { resolveLimits, type ProtocolServerOptions, type RunningServer } from '../types.ts';
import { serveConnection } from './connection.ts';

export async function startImapServer(opts: ProtocolServerOptions): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    // A reply is often two writes (untagged data, then the tagged OK): with Nagle's algorithm the
    // second waited for the client's delayed ACK, 40 ms on Linux (issue 18: every SEARCH took 48 ms).
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const guards = opts.guards ?? createGuards(opts.limits);
  let listenPort = opts.port;
  const refusal = (text: string) => `* BYE [UNAVAILABLE] ${text}\r\n`;
  let server: net.Server;
  if (opts.security === 'implicit') {
    // Counted at the TCP accept, so connections that never finish the TLS handshake count too;
    // one over the cap is cut before TLS (there is no way to say BYE before the handshake).
    const admissions = new Map<number | undefined, Promise<Admission>>();
    // A handshake that never finishes is given up as soon as a silent client before login would be.
    const handshakeTimeout = Math.min(120_000, resolveLimits(opts.limits).preAuthIdleTimeoutMs);
    server = tls.createServer(
      { key: opts.credentials.key, cert: opts.credentials.cert, handshakeTimeout },
      (socket) => {
        track(socket);
        const admission = admissions.get(socket.remotePort);
        if (!admission) return void socket.destroy();
        void admission.then((a) => {
          if (!a.ok || socket.destroyed) return;
          serveConnection(socket, opts, true, { address: a.address, guards, onClose: a.release });
        });
      },
    );
    server.on('connection', (raw: net.Socket) => {
      track(raw);
      const port = raw.remotePort;
      const admission = admitConnection(raw, listenPort, opts.scenarios, guards);
      admissions.set(port, admission);
      raw.once('close', () => {
        if (admissions.get(port) === admission) admissions.delete(port);
        void admission.then((a) => (a.ok ? a.release() : undefined));
      });
      void admission.then((a) => {
        if (a.ok) return;
        opts.log('imap.refused', { address: a.address, reason: a.text });
        raw.destroy();
      });
    });
    server.on('tlsClientError', (err, socket) => {
      opts.log('imap.tls.error', { error: err.message });
      socket.destroy(); // with a listener here, Node leaves that to us (a handshake timeout, say)
    });
  } else {
    server = net.createServer((socket) => {
      track(socket);
      socket.pause();
      void admitConnection(socket, listenPort, opts.scenarios, guards).then((a) => {
        if (socket.destroyed) return a.ok ? a.release() : undefined;
        if (!a.ok) {
          opts.log('imap.refused', { address: a.address, reason: a.text });
          return refuseAndClose(socket, refusal(a.text));
        }
        socket.resume();
        serveConnection(socket, opts, false, { address: a.address, guards, onClose: a.release });
      });
    });
  }
  server.on('error', (err) => opts.log('imap.server.error', { error: err.message }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  listenPort = port;
  opts.log('imap.listening', { port, security: opts.security });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
