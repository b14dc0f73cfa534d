// The POP3 listener: plain with STLS offered ('starttls'), TLS from the first byte ('implicit', the
// pop3s port of RFC 8314), or plain only ('none').
//
// Choices, documented:
// - USER/PASS and AUTH PLAIN are allowed in the clear on the STLS port by default, so a lesson can
//   show STLS and also a login without it (the server is loopback-only). Dovecot's default
//   (disable_plaintext_auth=yes) is the requireTlsForAuth scenario: then CAPA hides USER and SASL
//   before TLS and they get "-ERR [AUTH] ... send STLS first" (RFC 2595 section 4).
// - RETR marks the message \Seen, as Dovecot's pop3 does; TOP does not.
// - The maildrop is locked per account across all POP3 ports: a second login gets -ERR [IN-USE].
// - [LOGIN-DELAY] is never sent: the practice server has no minimum delay between logins.
// - Limits: limits.maxLineLength (a longer line gets -ERR and is skipped), limits.idleTimeoutMs
//   (then "-ERR Disconnected for inactivity."), and MAX_BAD_COMMANDS in a row (then a close).
import net from 'node:net';
import tls from 'node:tls';
import type { ProtocolServerOptions, RunningServer } from '../types.ts';
import { Pop3Connection } from './connection.ts';

export async function startPop3Server(opts: ProtocolServerOptions): Promise<RunningServer> {
  const secureContext = tls.createSecureContext({ key: opts.credentials.key, cert: opts.credentials.cert });
  const open = new Set<net.Socket>();
  const serve = (socket: net.Socket) => {
    void new Pop3Connection(socket, opts, secureContext).start().catch((error: unknown) => {
      opts.log('pop3.connection-error', { message: error instanceof Error ? error.message : String(error) });
      socket.destroy();
    });
  };
  const server =
    opts.security === 'implicit' ? tls.createServer({ key: opts.credentials.key, cert: opts.credentials.cert }, serve) : net.createServer(serve);
  server.on('connection', (socket: net.Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  server.on('tlsClientError', (error: Error, socket: tls.TLSSocket) => {
    opts.log('pop3.tls-handshake-failed', { message: error.message });
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => opts.log('pop3.server-error', { message: error.message }));
  const port = (server.address() as net.AddressInfo).port;
  opts.log('pop3.listening', { host: opts.host, port, security: opts.security });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}
