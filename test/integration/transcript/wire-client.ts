// A small client for tests and for recording the bundled examples: talks to a server over a real
// socket (node:net, upgraded in place with node:tls for STARTTLS) and records every byte and event
// in the transcript recorder, as the bridge would report them to the app.

import net from 'node:net';
import tls from 'node:tls';
import type { RemoteInfo, TlsInfo } from '../../../app/src/wire/messages.ts';
import { createRecorder, type Recorder } from '../../../app/src/transcript/recorder.ts';
import type { Protocol, Transcript } from '../../../app/src/transcript/model.ts';

export interface WireClientOptions {
  protocol: Protocol;
  /** A practice target name, or host:port. */
  target: string;
  host: string;
  port: number;
  implicitTls?: boolean;
  client?: string;
  /** SHA-256 fingerprint of the expected (self-signed) certificate: pinned, as the bridge does. */
  pinnedFingerprint?: string;
}

export interface WireClient {
  recorder: Recorder;
  send(data: string | Uint8Array): void;
  /** Waits until the bytes received since the last call satisfy `done`, and returns them. */
  reply(done: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Sends a line (CRLF added) and waits for the reply. */
  command(line: string, done: (text: string) => boolean): Promise<string>;
  starttls(): Promise<void>;
  /** Waits for the connection to end (closing it from this side after `waitMs`). */
  close(waitMs?: number): Promise<Transcript>;
}

export const smtpReplyDone = (text: string) => /(^|\n)\d{3}( [^\n]*)?\r\n$/.test(text);
export const imapTaggedDone = (tag: string) => (text: string) =>
  new RegExp(`(^|\\n)${tag} (OK|NO|BAD)[^\\n]*\\r\\n$`).test(text);
export const imapContinuationOrTagged = (tag: string) => (text: string) =>
  /(^|\n)\+[^\n]*\r\n$/.test(text) || imapTaggedDone(tag)(text);
export const imapGreetingDone = (text: string) => /^\* [^\n]*\r\n$/.test(text);
export const pop3LineDone = (text: string) => /^[+-][^\n]*\r\n$/.test(text);
export const pop3MultiDone = (text: string) =>
  text.startsWith('-ERR') ? text.endsWith('\r\n') : /\r\n\.\r\n$/.test(text);

function tlsInfo(socket: tls.TLSSocket, servername: string | null, pinned: string | undefined): TlsInfo {
  const cert = socket.getPeerX509Certificate();
  const matches = !!cert && !!pinned && cert.fingerprint256 === pinned;
  return {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher().standardName,
    servername,
    certificate: cert
      ? {
          subject: cert.subject.replace(/\n/g, ', '),
          issuer: cert.issuer.replace(/\n/g, ', '),
          validFrom: new Date(cert.validFrom).toISOString(),
          validTo: new Date(cert.validTo).toISOString(),
          fingerprint256: cert.fingerprint256,
          subjectAltNames: (cert.subjectAltName ?? '').split(', ').filter(Boolean),
        }
      : null,
    verified: matches,
    verifyReason: matches ? 'pinned practice certificate' : 'not verified',
  };
}

export async function connectRecording(options: WireClientOptions): Promise<WireClient> {
  const recorder = createRecorder({
    protocol: options.protocol,
    target: options.target,
    client: options.client ?? 'mailwire test client',
  });
  let buffer = '';
  let waiter: (() => void) | null = null;
  let closedBy: 'server' | 'client' | null = null;
  let closedPromise: Promise<void>;
  const onData = (chunk: Buffer) => {
    recorder.received(new Uint8Array(chunk));
    buffer += chunk.toString('latin1');
    waiter?.();
  };

  let socket: net.Socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = options.implicitTls
      ? tls.connect({ host: options.host, port: options.port, rejectUnauthorized: false }, () => resolve(s))
      : net.connect({ host: options.host, port: options.port }, () => resolve(s));
    s.once('error', reject);
  });
  const watchClose = (s: net.Socket) =>
    new Promise<void>((resolve) => {
      s.once('end', () => (closedBy ??= 'server'));
      s.once('close', () => resolve());
    });
  closedPromise = watchClose(socket);
  const remote: RemoteInfo = {
    target: options.target,
    host: options.host,
    port: options.port,
    address: socket.remoteAddress ?? options.host,
    family: socket.remoteFamily === 'IPv6' ? 'IPv6' : 'IPv4',
  };
  recorder.opened({
    remote,
    tls: options.implicitTls ? tlsInfo(socket as tls.TLSSocket, null, options.pinnedFingerprint) : null,
  });
  socket.on('data', onData);

  const client: WireClient = {
    recorder,
    send(data) {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
      recorder.sent(new Uint8Array(bytes));
      socket.write(bytes);
    },
    reply(done, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = null;
          reject(new Error(`No complete reply within ${timeoutMs} ms; got ${JSON.stringify(buffer)}`));
        }, timeoutMs);
        const check = () => {
          if (!done(buffer)) return;
          clearTimeout(timer);
          waiter = null;
          const text = buffer;
          buffer = '';
          resolve(text);
        };
        waiter = check;
        check();
      });
    },
    async command(line, done) {
      client.send(`${line}\r\n`);
      return client.reply(done);
    },
    async starttls() {
      socket.off('data', onData);
      const plain = socket;
      const secure = await new Promise<tls.TLSSocket>((resolve, reject) => {
        const s = tls.connect({ socket: plain, rejectUnauthorized: false }, () => resolve(s));
        s.once('error', reject);
      });
      recorder.tls({ tls: tlsInfo(secure, null, options.pinnedFingerprint), discardedPlaintextBytes: 0 });
      socket = secure;
      closedPromise = watchClose(secure);
      secure.on('data', onData);
    },
    async close(waitMs = 2000) {
      const timer = setTimeout(() => {
        closedBy ??= 'client';
        socket.end();
      }, waitMs);
      await closedPromise;
      clearTimeout(timer);
      recorder.closed(
        closedBy ?? 'client',
        closedBy === 'server' ? 'the server closed the connection' : 'the client closed the connection',
      );
      return recorder.transcript();
    },
  };
  return client;
}
