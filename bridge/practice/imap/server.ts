// The practice IMAP4rev1 server (RFC 3501): plain with STARTTLS, or implicit TLS (IMAPS).
// Limits (opts.limits): a line longer than maxLineLength gets BAD and is skipped; a literal over
// maxMessageSize gets NO [TOOBIG] (a LITERAL+ one also closes the connection, its bytes being
// already on the way); idleTimeoutMs of silence ends the connection with BYE. Layout: framer.ts
// (bytes -> commands), parser.ts (tokens), session.ts (states), commands/*.ts, fetch.ts.
import net from 'node:net';
import tls from 'node:tls';
import type { ProtocolServerOptions, RunningServer } from '../types.ts';
import { serveConnection } from './connection.ts';

export async function startImapServer(opts: ProtocolServerOptions): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  let server: net.Server;
  if (opts.security === 'implicit') {
    server = tls.createServer({ key: opts.credentials.key, cert: opts.credentials.cert }, (socket) => {
      track(socket);
      serveConnection(socket, opts, true);
    });
    server.on('tlsClientError', (err) => opts.log('imap.tls.error', { error: err.message }));
  } else {
    server = net.createServer((socket) => {
      track(socket);
      serveConnection(socket, opts, false);
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
