// Sends one message through a practice (or allowed) SMTP server over the bridge, the way a mail
// client does: EHLO, STARTTLS when offered, EHLO again, AUTH PLAIN, MAIL, RCPT, DATA, QUIT.
// Every byte passes through `observer`, so the studio records the full exchange.

import { base64Encode } from '../protocols/common/bytes.ts';
import { SmtpReplyParser, type SmtpReply } from '../protocols/smtp/parse.ts';
import { dotStuff } from '../mime/smtp-data.ts';
import type { ErrorMessage, OpenedMessage, TlsUpgradedMessage } from '../wire/messages.ts';
import { BridgeSocket, type BridgeTarget, type WebSocketConstructor } from './socket.ts';

export interface SubmitObserver {
  sent?(bytes: Uint8Array): void;
  received?(bytes: Uint8Array): void;
  opened?(msg: OpenedMessage): void;
  tls?(msg: TlsUpgradedMessage): void;
  error?(code: string, message: string): void;
  closed?(by: 'server' | 'client' | 'bridge', reason: string): void;
}

export interface SubmitRequest {
  wsUrl: string;
  target: BridgeTarget;
  from: string;
  to: string[];
  message: Uint8Array;
  /** AUTH PLAIN when given (RFC 4954); only ever sent inside TLS. */
  credentials?: { user: string; password: string };
  ehloName?: string;
  WebSocketImpl?: WebSocketConstructor;
  /** Give up waiting for a reply after this long. */
  timeoutMs?: number;
}

export type SubmitResult =
  { ok: true; reply: SmtpReply } | { ok: false; code: string; message: string; reply?: SmtpReply };

const enc = new TextEncoder();

export async function submitMessage(req: SubmitRequest, observer: SubmitObserver = {}): Promise<SubmitResult> {
  const socket = new BridgeSocket(req.wsUrl, req.WebSocketImpl);
  const parser = new SmtpReplyParser();
  const replies: SmtpReply[] = [];
  let waiter: (() => void) | null = null;
  let failure = null as { code: string; message: string } | null;
  const failed = () => failure;
  let tlsWaiter: (() => void) | null = null;
  const wake = () => {
    const w = waiter;
    waiter = null;
    w?.();
  };

  socket.onOpened = (m) => observer.opened?.(m);
  socket.onData = (bytes) => {
    observer.received?.(bytes);
    for (const r of parser.feed(bytes)) if (r.kind === 'reply') replies.push(r);
    wake();
  };
  socket.onTls = (m) => {
    observer.tls?.(m);
    tlsWaiter?.();
  };
  socket.onError = (m: ErrorMessage) => {
    observer.error?.(m.code, m.message);
    failure ??= { code: m.code, message: m.message };
    wake();
    tlsWaiter?.();
  };
  socket.onClosed = (m) => {
    observer.closed?.(m.by, m.reason);
    failure ??= { code: 'CLOSED', message: `The connection closed before the exchange ended: ${m.reason}` };
    wake();
    tlsWaiter?.();
  };

  const timeoutMs = req.timeoutMs ?? 15_000;
  const nextReply = async (): Promise<SmtpReply> => {
    const started = Date.now();
    while (replies.length === 0) {
      const f = failed();
      if (f) throw Object.assign(new Error(f.message), { code: f.code });
      const left = timeoutMs - (Date.now() - started);
      if (left <= 0) throw Object.assign(new Error('The server did not answer in time.'), { code: 'TIMEOUT' });
      await new Promise<void>((resolve) => {
        waiter = resolve;
        setTimeout(resolve, left);
      });
    }
    return replies.shift()!;
  };
  const send = (text: string | Uint8Array) => {
    const bytes = typeof text === 'string' ? enc.encode(text) : text;
    observer.sent?.(bytes);
    socket.send(bytes);
  };
  const expect = async (line: string | null, ok: (code: number) => boolean, what: string): Promise<SmtpReply> => {
    if (line !== null) send(`${line}\r\n`);
    const reply = await nextReply();
    if (!ok(reply.code))
      throw Object.assign(new Error(`${what} was refused: ${reply.code} ${reply.text.join(' ')}`), {
        code: 'SMTP_REFUSED',
        reply,
      });
    return reply;
  };
  const is2xx = (c: number) => c >= 200 && c < 300;
  const ehlo = `EHLO ${req.ehloName ?? 'mailwire.studio'}`;

  try {
    socket.open(req.target);
    await expect(null, (c) => c === 220, 'The greeting');
    let keywords = await expect(ehlo, is2xx, 'EHLO');
    const offers = (k: string) => keywords.text.slice(1).some((t) => t.toUpperCase().split(/\s+/)[0] === k);
    if (socket.state !== 'tls' && offers('STARTTLS')) {
      await expect('STARTTLS', (c) => c === 220, 'STARTTLS');
      await new Promise<void>((resolve) => {
        tlsWaiter = resolve;
        socket.startTls();
      });
      const f = failed();
      if (f) throw Object.assign(new Error(f.message), { code: f.code });
      keywords = await expect(ehlo, is2xx, 'EHLO after STARTTLS');
    }
    if (req.credentials) {
      if (socket.state !== 'tls')
        throw Object.assign(new Error('The server offers no TLS; mailwire will not send a password in the clear.'), {
          code: 'TLS_REQUIRED',
        });
      const plain = base64Encode(`\0${req.credentials.user}\0${req.credentials.password}`);
      await expect(`AUTH PLAIN ${plain}`, (c) => c === 235, 'AUTH PLAIN');
    }
    await expect(`MAIL FROM:<${req.from}>`, is2xx, 'MAIL FROM');
    for (const rcpt of req.to) await expect(`RCPT TO:<${rcpt}>`, is2xx, `RCPT TO ${rcpt}`);
    await expect('DATA', (c) => c === 354, 'DATA');
    send(dotStuff(req.message));
    const accepted = await nextReply();
    if (!is2xx(accepted.code))
      throw Object.assign(new Error(`The message was refused: ${accepted.code} ${accepted.text.join(' ')}`), {
        code: 'SMTP_REFUSED',
        reply: accepted,
      });
    send('QUIT\r\n');
    await nextReply().catch(() => undefined);
    return { ok: true, reply: accepted };
  } catch (e) {
    const err = e as Error & { code?: string; reply?: SmtpReply };
    return { ok: false, code: err.code ?? 'INTERNAL', message: err.message, reply: err.reply };
  } finally {
    socket.close();
  }
}
