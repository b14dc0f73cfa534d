// The practice SMTP server on three ports, built on `smtp-server`:
//  relay (port 25 style): STARTTLS, no AUTH, delivers only to local users;
//  submission (RFC 6409): STARTTLS, AUTH required and offered only after TLS (RFC 3207, RFC 4954);
//  smtps (RFC 8314): TLS from the first byte, AUTH required.
// Scenarios (types.ts) are looked up per connection by the client's port.
// Limits: a connection over the caps per client address or per port gets 421 4.7.0 and is closed
// (RFC 5321 section 3.8); the idle timeout is preAuthIdleTimeoutMs until AUTH or MAIL FROM, then
// idleTimeoutMs; DATA is streamed to a spool file, never held in memory, and cut off at
// maxMessageSize while it streams; a failed AUTH is answered late (limits/throttle.ts).
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { MailstoreError, OverQuotaError } from './mailstore-types.ts';
import { createGuards } from './limits/guards.ts';
import { throttleNote } from './limits/throttle.ts';
import { createGreylist, DEFAULT_GREYLIST_DELAY_MS } from './smtp/greylist.ts';
import { createSmtpListener } from './smtp/listener.ts';
import { replies, smtpError } from './smtp/replies.ts';
import { hopFromSession, withTraceHeaders } from './smtp/trace.ts';
import { resolveLimits, type ProtocolServerOptions, type RunningServer } from './types.ts';
import { QueueFullError } from './mta/caps.ts';
import type { EnvelopeMeta } from './mta/mta.ts';

export type SmtpMode = 'relay' | 'submission' | 'smtps';

/** Where an authenticated sender's mail for another practice domain goes (mta/mta.ts). */
export interface Outbound {
  relaysTo(domain: string): boolean;
  /** Resolves once the message is durably queued (before the 250). */
  enqueue(mailFrom: string, recipients: string[], message: Buffer, meta?: EnvelopeMeta): Promise<string[]>;
  /** Why one more message from this account would not fit in the queue, or null: checked at RCPT already. */
  refusal?(account: string): string | null;
}

/** The DSN parameters of the transaction (RFC 3461), as smtp-server parsed them (xtext decoded). */
function dsnOf(session: SMTPServerSession): Pick<EnvelopeMeta, 'ret' | 'envid' | 'rcptDsn'> {
  const env = session.envelope as SMTPServerSession['envelope'] & {
    dsn?: { ret: string | null; envid: string | null };
  };
  const rcptDsn: NonNullable<EnvelopeMeta['rcptDsn']> = {};
  for (const r of session.envelope.rcptTo as Array<{ address: string; dsn?: { notify?: string[]; orcpt?: string } }>)
    if (r.dsn) rcptDsn[r.address] = { ...r.dsn };
  const ret = env.dsn?.ret === 'FULL' || env.dsn?.ret === 'HDRS' ? env.dsn.ret : null;
  return { ret, envid: env.dsn?.envid ?? null, rcptDsn };
}

export async function startSmtpServer(
  opts: ProtocolServerOptions & { mode: SmtpMode; outbound?: Outbound },
): Promise<RunningServer> {
  const { store, scenarios, log, mode, outbound } = opts;
  const limits = resolveLimits(opts.limits);
  const guards = opts.guards ?? createGuards(limits);
  /** Places under the caps, by session id, given back in onClose. */
  const admitted = new Map<string, () => void>();
  /** Sessions between STARTTLS and their TLS part (smtp/listener.ts): one client, one place. */
  const handingOver = new Set<string>();
  /** Where DATA goes while it arrives: one file per transfer, removed once stored or refused. */
  const spool = await mkdtemp(join(tmpdir(), 'mailwire-smtp-'));
  let spooled = 0;
  let listenPort = opts.port;
  const domain = store.domain;
  const maxSize = limits.maxMessageSize;
  /** RFC 6647 triplets (client address, sender, recipient) of the greylist scenario. */
  const greylist = createGreylist();

  const options: SMTPServerOptions = {
    name: opts.hostname,
    heloResponse: '%s Hello %s, pleased to meet you',
    banner: `mailwire practice SMTP (${mode}) ready; mail only for @${domain}`,
    secure: mode === 'smtps' || opts.security === 'implicit',
    key: opts.credentials.key,
    cert: opts.credentials.cert,
    size: maxSize,
    maxCommandLength: limits.maxLineLength,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: mode === 'relay',
    // The sendmail jokes (WIZ, SHELL, KILL) would only confuse a learner.
    disabledCommands: [
      ...(mode === 'relay' ? ['AUTH'] : []),
      ...(opts.security === 'starttls' ? [] : ['STARTTLS']),
      'WIZ',
      'SHELL',
      'KILL',
    ],
    hideSTARTTLS: opts.security !== 'starttls',
    allowInsecureAuth: false,
    hideENHANCEDSTATUSCODES: false,
    hidePIPELINING: false,
    hide8BITMIME: false,
    hideSMTPUTF8: false,
    // DSN (RFC 3461) where mail may be queued for another domain: the MTA honours NOTIFY, RET,
    // ENVID and ORCPT in its bounces. Elsewhere nothing would ever send the notices it promises.
    hideDSN: !outbound || mode === 'relay',
    hideREQUIRETLS: true,
    // No reverse DNS of the client: it is loopback, and a lookup could leave the machine.
    disableReverseLookup: true,
    logger: false, // its debug log would carry addresses; our own log never carries credentials
    socketTimeout: limits.preAuthIdleTimeoutMs, // raised to idleTimeoutMs after AUTH or MAIL FROM (smtp/wrapped-socket.ts)
    closeTimeout: 2000,
    maxAllowedUnauthenticatedCommands: 50,

    onConnect(session, callback) {
      // The same client continues under TLS: admitted, greeted and logged before STARTTLS.
      if (handingOver.delete(session.id)) return callback();
      const delay = scenarios.lookup(session.remotePort).slowRepliesMs ?? 0;
      log('smtp.connect', { mode, id: session.id, remote: `${session.remoteAddress}:${session.remotePort}` });
      // smtp-server calls this about 100 ms after the accept: the bridge has registered by then.
      const address = scenarios.address(session.remotePort, session.remoteAddress);
      const refusal = guards.caps.admit(listenPort, address);
      if (refusal) {
        log('smtp.refused', { mode, id: session.id, address, cap: refusal });
        return callback(smtpError(replies.tooManyConnections(refusal, guards.caps.limits)));
      }
      admitted.set(session.id, () => guards.caps.release(listenPort, address));
      if (delay > 0) setTimeout(() => callback(), delay);
      else callback();
    },

    onClose(session) {
      if (handingOver.has(session.id)) return;
      admitted.get(session.id)?.();
      admitted.delete(session.id);
    },

    onAuth(auth, session, callback) {
      if (!session.secure) return callback(smtpError(replies.tlsRequired()));
      const account = store.authenticate(auth.username ?? '', auth.password ?? '');
      const address = scenarios.address(session.remotePort, session.remoteAddress);
      if (account) {
        guards.throttle.succeeded(address, account.username);
        log('smtp.auth', { mode, id: session.id, method: auth.method, ok: true, user: account.username });
        return callback(null, { user: account.username });
      }
      // Never log the password or the AUTH payload; the user only when the account exists.
      const known = store.findAccount(auth.username ?? '')?.username ?? null;
      const delay = guards.throttle.failed(address, known);
      log('smtp.auth', {
        mode,
        id: session.id,
        method: auth.method,
        ok: false,
        user: known ?? '(unknown)',
        delayMs: delay,
      });
      const failed = replies.authFailed();
      const answer = () => callback(smtpError({ ...failed, message: failed.message + throttleNote(delay) }));
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    },

    onMailFrom(address, session, callback) {
      const envid = (session.envelope as { dsn?: { envid?: string | null } }).dsn?.envid;
      if (envid && envid.length > 100) return callback(smtpError(replies.dsnParamTooLong('ENVID', 100, '4.4')));
      // Submission and smtps: an authenticated user sends as themselves (RFC 6409 section 6.1;
      // RFC 5321 section 3.3 leaves the refusal to the server). The relay port keeps accepting any
      // sender: that is where a lesson shows how easily an unauthenticated sender is forged.
      const user = typeof session.user === 'string' ? session.user : null;
      if (mode !== 'relay' && user && address.address !== '') {
        const owner = store.findAccount(address.address)?.username;
        if (owner !== user) {
          log('smtp.sender-refused', { mode, id: session.id, user });
          return callback(smtpError(replies.senderNotOwned(address.address, `${user}@${domain}`)));
        }
      }
      callback();
    },

    onRcptTo(address, session, callback) {
      const rcpt = address.address;
      const orcpt = (address as { dsn?: { orcpt?: string } }).dsn?.orcpt;
      if (orcpt && orcpt.length > 500) return callback(smtpError(replies.dsnParamTooLong('ORCPT', 500, '4.2')));
      const at = rcpt.lastIndexOf('@');
      const rcptDomain = at === -1 ? domain : rcpt.slice(at + 1).toLowerCase();
      if (rcptDomain !== domain) {
        // Relaying only after AUTH on 587/465 (RFC 6409 section 4.3), and only to the practice domains.
        if (mode !== 'relay' && session.user && outbound?.relaysTo(rcptDomain)) {
          // Before the client sends the message: the queue's caps (mta/caps.ts) answered at RCPT.
          const full = outbound.refusal?.(session.user);
          return callback(full ? smtpError(replies.queueFull(full)) : null);
        }
        return callback(smtpError(replies.relayDenied(rcpt, domain)));
      }
      if (!localMailbox(rcpt)) return callback(smtpError(replies.noSuchUser(rcpt, domain)));
      const active = scenarios.lookup(session.remotePort);
      if (active.mailboxFull) return callback(smtpError(replies.mailboxFull(rcpt)));
      const full = quotaFull(rcpt);
      if (full) return callback(smtpError(replies.overQuota(rcpt, full.used, full.limit)));
      if (active.greylist) {
        const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const verdict = greylist.check(
          session.remoteAddress,
          sender,
          rcpt,
          active.greylistDelayMs ?? DEFAULT_GREYLIST_DELAY_MS,
        );
        if (!verdict.pass) return callback(smtpError(replies.greylisted(verdict.retryInMs, verdict.first)));
      }
      callback();
    },

    onData(stream, session, callback) {
      // The reply to the final dot is not a command reply, so slowRepliesMs is applied here too.
      const later = (fn: () => void) => {
        const delay = scenarios.lookup(session.remotePort).slowRepliesMs ?? 0;
        if (delay > 0) setTimeout(fn, delay);
        else fn();
      };
      void receive(stream, session).then(
        (reply) => later(() => callback(reply.responseCode >= 400 ? smtpError(reply) : null, reply.message)),
        () => later(() => callback(smtpError(replies.storeFailed()))),
      );
    },
  };

  /** The account address that receives mail for `rcpt`; "postmaster" must always work (RFC 5321 4.5.1). */
  function localMailbox(rcpt: string): string | null {
    const account = store.findAccount(rcpt);
    if (account) return account.address;
    if (/^postmaster(@|$)/i.test(rcpt)) return store.accounts()[0]?.address ?? null;
    return null;
  }

  /** The recipient's quota when it has no room left at all (a message of any size would not fit). */
  function quotaFull(rcpt: string): { used: number; limit: number } | null {
    const address = localMailbox(rcpt);
    const account = address ? store.findAccount(address) : null;
    if (!account) return null;
    const usage = store.forAccount(account.username).quota();
    return usage.limit > 0 && usage.used >= usage.limit ? usage : null;
  }

  /**
   * Streams the message to a spool file (an unfinished DATA holds disk, not memory), stopping
   * at maxSize; stores it only if it ended with <CRLF>.<CRLF> and fit. It is read back into
   * memory only to be stored, within the practice server's memory budget.
   */
  async function receive(stream: Readable & { sizeExceeded?: boolean }, session: SMTPServerSession) {
    const file = join(spool, `${process.pid}-${++spooled}.eml`);
    const out = createWriteStream(file, { flags: 'wx' });
    let complete = false;
    let total = 0;
    try {
      await new Promise<void>((resolve) => {
        stream.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > maxSize) return; // read on to the final dot, keep nothing more
          // The client is paused while the disk catches up, so memory stays bounded.
          if (!out.write(chunk)) {
            stream.pause();
            out.once('drain', () => stream.resume());
          }
        });
        stream.on('end', () => {
          complete = true;
          resolve();
        });
        // The client vanished mid-DATA: smtp-server destroys the stream; the message is dropped.
        stream.on('error', () => resolve());
        stream.on('close', () => resolve());
        out.on('error', () => resolve());
      });
      await new Promise<void>((resolve) => {
        out.once('close', () => resolve());
        out.end();
      });
      if (!complete) {
        log('smtp.data-cut-off', { mode, id: session.id, octets: total });
        return replies.storeFailed();
      }
      if (stream.sizeExceeded || total > maxSize) return replies.tooBig(maxSize);
      if (out.errored) {
        log('smtp.store-failed', { mode, id: session.id, error: 'spool write failed' });
        return replies.storeFailed();
      }
      if (!guards.budget.reserve(total)) {
        log('smtp.budget-full', { mode, id: session.id, octets: total });
        return replies.busy(guards.budget.total);
      }
      try {
        const isRemote = (a: string) => a.includes('@') && a.slice(a.lastIndexOf('@') + 1).toLowerCase() !== domain;
        const all = session.envelope.rcptTo.map((r) => r.address);
        const remote = outbound ? all.filter(isRemote) : [];
        const recipients = all.filter((a) => !remote.includes(a)).map((a) => localMailbox(a) ?? a);
        let queueIds: string[] = [];
        try {
          // Final delivery: Return-Path and Received (RFC 5321 4.4); on 587/465 also Date and Message-ID (RFC 6409 8).
          const now = new Date();
          const raw = await readFile(file);
          const trace = {
            hop: hopFromSession(session, opts.hostname, now),
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            submission: mode === 'relay' ? undefined : { date: now, messageId: `${randomUUID()}@${opts.hostname}` },
          };
          // Each copy names its own recipient in Delivered-To: (RFC 9228 section 4).
          if (recipients.length)
            await store.deliver(recipients, withTraceHeaders(raw, trace), (to) =>
              withTraceHeaders(raw, { ...trace, deliveredTo: to }),
            );
          // Mail for another domain: our Received line, then the queue; its 250 means it is on disk.
          if (remote.length)
            queueIds = await outbound!.enqueue(
              trace.mailFrom,
              remote,
              withTraceHeaders(raw, { ...trace, relay: true }),
              {
                account: session.user ?? '',
                ...dsnOf(session),
              },
            );
        } catch (err) {
          log('smtp.store-failed', {
            mode,
            id: session.id,
            error: err instanceof MailstoreError ? err.code : String(err),
          });
          if (err instanceof QueueFullError) return replies.queueFull(err.message);
          if (err instanceof OverQuotaError)
            return replies.messageOverQuota(err.address, err.octets, err.usage.used, err.usage.limit);
          return err instanceof MailstoreError && err.code === 'QUOTA_EXCEEDED'
            ? replies.tooBig(maxSize)
            : replies.storeFailed();
        }
        log('smtp.delivered', {
          mode,
          id: session.id,
          recipients: recipients.length,
          queued: remote.length,
          octets: total,
        });
        return remote.length ? replies.queued(recipients.length, remote.length, queueIds) : replies.stored(all.length);
      } finally {
        guards.budget.release(total);
      }
    } finally {
      out.destroy();
      await rm(file, { force: true });
    }
  }

  const implicit = options.secure === true;
  const plain = implicit ? null : new SMTPServer({ ...options, secure: false });
  const secured =
    implicit || opts.security === 'starttls' ? new SMTPServer({ ...options, secure: true, secured: true }) : null;
  const listener = createSmtpListener({
    plain,
    secured,
    key: opts.credentials.key,
    cert: opts.credentials.cert,
    handshakeTimeoutMs: limits.preAuthIdleTimeoutMs,
    closeTimeoutMs: 2000,
    wrap: { scenarios, maxSize, maxLine: limits.maxLineLength, idleTimeoutMs: limits.idleTimeoutMs },
    hideAuthBeforeTls: mode === 'submission',
    onHandover(id, ok) {
      if (ok) return void handingOver.add(id);
      handingOver.delete(id);
      admitted.get(id)?.();
      admitted.delete(id);
    },
  });
  for (const s of [plain, secured]) s?.on('error', (err: Error) => log('smtp.error', { mode, error: err.message }));
  const server = listener.server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    await rm(spool, { recursive: true, force: true });
    throw err;
  });
  server.on('error', (err: Error) => log('smtp.error', { mode, error: err.message }));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  listenPort = port;
  log('smtp.listening', { mode, host: opts.host, port, spool });
  return {
    port,
    close: () => listener.close().then(() => rm(spool, { recursive: true, force: true })),
  };
}
