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
// - Caps: a connection over the cap per client address or per port gets
//   "-ERR [SYS/TEMP] ..." (RFC 3206 section 4: a temporary problem, try later) and is closed;
//   on pop3s it is cut at the TCP accept, before TLS.
import net from 'node:net';
import tls from 'node:tls';
import { admitConnection, createGuards, refuseAndClose, type Admission } from '../limits/guards.ts';
import { resolveLimits, type ProtocolServerOptions, type RunningServer } from '../types.ts';
import { Pop3Connection } from './connection.ts';
import { err } from './replies.ts';

export async function startPop3Server(opts: ProtocolServerOptions): Promise<RunningServer> {
  const secureContext = tls.createSecureContext({ key: opts.credentials.key, cert: opts.credentials.cert });
  const guards = opts.guards ?? createGuards(opts.limits);
  let listenPort = opts.port;
  const open = new Set<net.Socket>();
  const admissions = new Map<number | undefined, Promise<Admission>>();
  const run = (socket: net.Socket, a: Admission & { ok: true }) => {
    void new Pop3Connection(socket, opts, secureContext, { address: a.address, guards, onClose: a.release })
      .start()
      .catch((error: unknown) => {
        opts.log('pop3.connection-error', { message: error instanceof Error ? error.message : String(error) });
        socket.destroy();
      });
  };
  const serve = (socket: net.Socket) => {
    const admission = admissions.get(socket.remotePort);
    if (!admission) return void socket.destroy();
    if (opts.security !== 'implicit') socket.pause();
    void admission.then((a) => {
      if (!a.ok) return opts.security === 'implicit' ? undefined : refuseAndClose(socket, err(a.text, 'SYS/TEMP'));
      if (socket.destroyed) return;
      socket.resume();
      run(socket, a);
    });
  };
  const server =
    opts.security === 'implicit'
      ? // A handshake that never finishes is given up as soon as a silent client before login would be.
        tls.createServer(
          {
            key: opts.credentials.key,
            cert: opts.credentials.cert,
            handshakeTimeout: Math.min(120_000, resolveLimits(opts.limits).preAuthIdleTimeoutMs),
          },
          serve,
        )
      : net.createServer(serve);
  // Registered before the plain server's own listener runs `serve`, so the admission is there.
  server.prependListener('connection', (socket: net.Socket) => {
    // A reply written in two pieces (RETR's status line, then the message) would otherwise hold
    // its second piece back, under Nagle's algorithm, until the client's delayed ACK of the
    // first: 40 ms on Linux for every RETR and TOP (issue 18). Each reply is also one write.
    socket.setNoDelay(true);
    open.add(socket);
    const port = socket.remotePort;
    const admission = admitConnection(socket, listenPort, opts.scenarios, guards);
    admissions.set(port, admission);
    socket.on('close', () => {
      open.delete(socket);
      if (admissions.get(port) === admission) admissions.delete(port);
      void admission.then((a) => (a.ok ? a.release() : undefined));
    });
    void admission.then((a) => {
      if (a.ok) return;
      opts.log('pop3.refused', { address: a.address, reason: a.text });
      if (opts.security === 'implicit') socket.destroy();
    });
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
  listenPort = port;
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
