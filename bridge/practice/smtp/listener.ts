// The practice SMTP port's own listener: it accepts the client, does the TLS handshakes itself
// (from the first byte on smtps, RFC 8314; after STARTTLS, RFC 3207) and hands each session to
// smtp-server through its public `connect(socket)`, wrapped (wrapped-socket.ts). The TLS is ours
// because smtp-server would run it on top of the wrapper, where only ciphertext passes: so
// cleartext sessions go to `plain`, sessions under TLS to `secured` (an smtp-server with
// `secure: true, secured: true`, "TLS handled upstream"). After STARTTLS the session continues
// on `secured` under the same id, with its state discarded as RFC 3207 section 4.2 asks.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { SMTPServer } from 'smtp-server';
import { WrappedSocket, type WrapOptions } from './wrapped-socket.ts';

export interface SmtpListenerOptions {
  /** Cleartext sessions; null on an implicit-TLS port. */
  plain: SMTPServer | null;
  /** Sessions under TLS; null on a port without TLS. */
  secured: SMTPServer | null;
  key: string | Buffer;
  cert: string | Buffer;
  /** A client that has not finished its TLS handshake by then is dropped. */
  handshakeTimeoutMs: number;
  /** After close(), sessions still open this long are told 421 and closed. */
  closeTimeoutMs: number;
  wrap: Pick<WrapOptions, 'scenarios' | 'maxSize' | 'maxLine' | 'idleTimeoutMs'>;
  /** Submission: AUTH is not offered before TLS (RFC 3207 section 4). */
  hideAuthBeforeTls: boolean;
  /** The session `id` leaves `plain` for `secured` (STARTTLS); `ok` false: its handshake failed. */
  onHandover(id: string, ok: boolean): void;
}

export interface SmtpListener {
  server: net.Server;
  close(): Promise<void>;
}

/** smtp-server's own id format (16 base-32 digits), so that logs and Received ids look alike. */
function sessionId(): string {
  return BigInt('0x' + randomBytes(10).toString('hex'))
    .toString(32)
    .padStart(16, '0');
}

export function createSmtpListener(o: SmtpListenerOptions): SmtpListener {
  // The TLS settings smtp-server's own handshakes use (its tls-options.js), with our certificate.
  const secureContext = o.secured
    ? tls.createSecureContext({ key: o.key, cert: o.cert, honorCipherOrder: true, minVersion: 'TLSv1' })
    : null;
  const open = new Set<WrappedSocket>();
  const raw = new Set<net.Socket>();

  function addresses(socket: net.Socket, id: string) {
    return {
      id,
      remoteAddress: socket.remoteAddress,
      remotePort: socket.remotePort,
      localAddress: socket.localAddress,
      localPort: socket.localPort,
    };
  }

  function hand(server: SMTPServer, socket: net.Socket | tls.TLSSocket, wrap: WrappedSocket, id: string): void {
    open.add(wrap);
    wrap.once('close', () => open.delete(wrap));
    server.connect(wrap as unknown as net.Socket, addresses(socket, id));
  }

  /** A server-side TLS handshake on the client's socket; `done` gets null if it failed. */
  function handshake(socket: net.Socket, done: (secure: tls.TLSSocket | null) => void): void {
    let settled = false;
    const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: secureContext! });
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      secure.off('error', fail);
      secure.off('close', fail);
      if (!ok) {
        secure.destroy();
        socket.destroy();
      }
      done(ok ? secure : null);
    };
    const fail = () => settle(false);
    const timer = setTimeout(fail, o.handshakeTimeoutMs);
    secure.once('secure', () => settle(true));
    secure.once('error', fail);
    secure.once('close', fail);
  }

  function startSecured(socket: net.Socket, secure: tls.TLSSocket, id: string, continued: boolean): void {
    const wrap = new WrappedSocket(secure, { ...o.wrap, hideAuth: false, swallowGreeting: continued });
    hand(o.secured!, socket, wrap, id);
  }

  function startPlain(socket: net.Socket): void {
    const id = sessionId();
    const wrap = new WrappedSocket(socket, {
      ...o.wrap,
      hideAuth: o.hideAuthBeforeTls,
      swallowGreeting: false,
      onStartTls: o.secured
        ? (client) => {
            o.onHandover(id, true);
            handshake(client, (secure) => {
              if (secure) startSecured(client, secure, id, true);
              else o.onHandover(id, false);
            });
          }
        : undefined,
    });
    hand(o.plain!, socket, wrap, id);
  }

  const server = net.createServer((socket) => {
    raw.add(socket);
    socket.once('close', () => raw.delete(socket));
    // Until a wrapper listens, an error (a reset) must not be unhandled.
    socket.on('error', () => {});
    if (!socket.remoteAddress) return socket.destroy(); // gone before we saw it
    if (o.plain) return startPlain(socket);
    handshake(socket, (secure) => {
      if (secure) startSecured(socket, secure, sessionId(), false);
    });
  });

  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // New commands are answered 421 from now on; the sessions still open later are ended.
        o.plain?.close();
        o.secured?.close();
        const timer = setTimeout(() => {
          for (const wrap of open) wrap.shutDown();
          // Those still in a handshake, or deaf to the 421.
          setTimeout(() => raw.forEach((socket) => socket.destroy()), 1000).unref();
        }, o.closeTimeoutMs);
        timer.unref();
        server.once('close', () => clearTimeout(timer));
      }),
  };
}
