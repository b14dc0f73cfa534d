// The practice SMTP server on three ports, built on `smtp-server`:
//  relay (port 25 style): STARTTLS, no AUTH, delivers only to local users;
//  submission (RFC 6409): STARTTLS, AUTH required and offered only after TLS (RFC 3207, RFC 4954);
//  smtps (RFC 8314): TLS from the first byte, AUTH required.
// Scenarios (types.ts) are looked up per connection by the client's port.
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { Readable } from 'node:stream';
import { MailstoreError } from './mailstore-types.ts';
import { createGreylist, DEFAULT_GREYLIST_DELAY_MS } from './smtp/greylist.ts';
import { installConnectionHooks } from './smtp/hooks.ts';
import { replies, smtpError } from './smtp/replies.ts';
import type { ProtocolServerOptions, RunningServer } from './types.ts';

export type SmtpMode = 'relay' | 'submission' | 'smtps';

export async function startSmtpServer(opts: ProtocolServerOptions & { mode: SmtpMode }): Promise<RunningServer> {
  const { store, scenarios, limits, log, mode } = opts;
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
    disabledCommands: [...(mode === 'relay' ? ['AUTH'] : []), ...(opts.security === 'starttls' ? [] : ['STARTTLS']), 'WIZ', 'SHELL', 'KILL'],
    hideSTARTTLS: opts.security !== 'starttls',
    allowInsecureAuth: false,
    hideENHANCEDSTATUSCODES: false,
    hidePIPELINING: false,
    hide8BITMIME: false,
    hideSMTPUTF8: false,
    hideDSN: true,
    hideREQUIRETLS: true,
    // No reverse DNS of the client: it is loopback, and a lookup could leave the machine.
    disableReverseLookup: true,
    logger: false, // its debug log would carry addresses; our own log never carries credentials
    socketTimeout: limits.idleTimeoutMs,
    closeTimeout: 2000,
    maxAllowedUnauthenticatedCommands: 50,

    onConnect(session, callback) {
      const delay = scenarios.lookup(session.remotePort).slowRepliesMs ?? 0;
      log('smtp.connect', { mode, id: session.id, remote: `${session.remoteAddress}:${session.remotePort}` });
      if (delay > 0) setTimeout(() => callback(), delay);
      else callback();
    },

    onAuth(auth, session, callback) {
      if (!session.secure) return callback(smtpError(replies.tlsRequired()));
      const account = store.authenticate(auth.username ?? '', auth.password ?? '');
      // Never log the password or the AUTH payload, only the outcome.
      log('smtp.auth', { mode, id: session.id, method: auth.method, ok: account !== null });
      if (!account) return callback(smtpError(replies.authFailed()));
      callback(null, { user: account.username });
    },

    onMailFrom(_address, _session, callback) {
      callback();
    },

    onRcptTo(address, session, callback) {
      const rcpt = address.address;
      const at = rcpt.lastIndexOf('@');
      const rcptDomain = at === -1 ? domain : rcpt.slice(at + 1).toLowerCase();
      if (rcptDomain !== domain) return callback(smtpError(replies.relayDenied(rcpt, domain)));
      if (!localMailbox(rcpt)) return callback(smtpError(replies.noSuchUser(rcpt, domain)));
      const active = scenarios.lookup(session.remotePort);
      if (active.mailboxFull) return callback(smtpError(replies.mailboxFull(rcpt)));
      if (active.greylist) {
        const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const verdict = greylist.check(session.remoteAddress, sender, rcpt, active.greylistDelayMs ?? DEFAULT_GREYLIST_DELAY_MS);
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

  /** Reads the whole message; stores it only if it ended with <CRLF>.<CRLF> and fits. */
  async function receive(stream: Readable & { sizeExceeded?: boolean }, session: SMTPServerSession) {
    const chunks: Buffer[] = [];
    let complete = false;
    let total = 0;
    await new Promise<void>((resolve) => {
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total <= maxSize) chunks.push(chunk);
      });
      stream.on('end', () => {
        complete = true;
        resolve();
      });
      // The client vanished mid-DATA: smtp-server destroys the stream; the message is dropped.
      stream.on('error', () => resolve());
      stream.on('close', () => resolve());
    });
    if (!complete) {
      log('smtp.data-cut-off', { mode, id: session.id, octets: total });
      return replies.storeFailed();
    }
    if (stream.sizeExceeded || total > maxSize) return replies.tooBig(maxSize);
    const recipients = session.envelope.rcptTo.map((r) => localMailbox(r.address) ?? r.address);
    try {
      await store.deliver(recipients, Buffer.concat(chunks));
    } catch (err) {
      log('smtp.store-failed', { mode, id: session.id, error: err instanceof MailstoreError ? err.code : String(err) });
      return err instanceof MailstoreError && err.code === 'QUOTA_EXCEEDED' ? replies.tooBig(maxSize) : replies.storeFailed();
    }
    log('smtp.delivered', { mode, id: session.id, recipients: recipients.length, octets: total });
    return replies.stored(recipients.length);
  }

  const server = new SMTPServer(options);
  installConnectionHooks(server, { mode, scenarios, maxSize, maxLine: limits.maxLineLength });
  server.on('error', (err: Error) => log('smtp.error', { mode, error: err.message }));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  log('smtp.listening', { mode, host: opts.host, port });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
