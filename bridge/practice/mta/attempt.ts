// One delivery attempt of a queue entry: the MX hosts of its domain from the practice resolver
// (never the system resolver), tried by preference, lowest first, falling back to the next on a
// connection failure or a temporary reply (RFC 5321 section 5.1); no MX but an A record is the
// implicit MX. The SMTP client is nodemailer's SMTPConnection; STARTTLS is used when offered
// without checking the certificate (opportunistic TLS between MTAs: RFC 3207 section 4.1, RFC 7435).
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { TRANSCRIPT_SCHEMA_VERSION, type Transcript, type TranscriptEvent } from '../../../app/src/transcript/model.ts';
import { createSecretDetector } from '../../../app/src/transcript/mask.ts';
import type { PracticeResolver } from '../dns/resolver.ts';
import type { QueueEntry } from './queue.ts';

export interface AttemptOptions {
  resolver: PracticeResolver;
  /** The SMTP port of a practice domain's MX hosts. */
  portFor(domain: string): number;
  /** Our EHLO name. */
  heloName: string;
  timeoutMs: number;
}

export interface AttemptResult {
  delivered: string[];
  /** Refused for good (5xx): these bounce now. */
  failed: Array<{ recipient: string; reply: string; host: string | null }>;
  /** Not delivered yet (4xx, no answer): these wait for the next attempt. */
  deferred: string[];
  /** The last reply or error, for the queue view and a later DSN. */
  lastReply: string | null;
  lastHost: string | null;
  /** The SMTP session with each MX host tried, in the app's transcript format (Replay opens it). */
  transcripts: HopTranscript[];
}

export interface HopTranscript {
  host: string;
  startedAt: string;
  transcript: Transcript;
}

interface Hop {
  host: string;
  address: string;
}

type SendError = Error & {
  code?: string;
  responseCode?: number;
  response?: string;
  rejectedErrors?: SendError[];
  recipient?: string;
};

/** The hosts to try, in order; a permanent DNS answer (no such domain, no MX and no A) is a string. */
async function route(domain: string, resolver: PracticeResolver): Promise<Hop[] | string> {
  const mx = await resolver.mx(domain);
  const names = mx.length ? mx.map((m) => m.exchange) : [domain];
  const hops: Hop[] = [];
  for (const host of names) for (const address of await resolver.a(host)) hops.push({ host, address });
  if (!hops.length)
    return `5.1.2 The domain ${domain} has no MX and no A record in the practice DNS (RFC 5321 section 5.1).`;
  return hops;
}

/**
 * Records the conversation from nodemailer's transaction log: each command it sends and each reply
 * it reads (the message itself is not logged, only its size), as the transcript's sent and received
 * events. The outbound MTA never sends AUTH; the transcript's secrets detector reads every line
 * anyway, so that if it ever did, every export (and the file beside the queue, sessions.ts) masks it.
 */
function recorder(hop: Hop, port: number, heloName: string) {
  const started = Date.now();
  const events: TranscriptEvent[] = [];
  const secrets = createSecretDetector('smtp');
  const t = () => Date.now() - started;
  const bytes = (text: string) => new TextEncoder().encode(`${text.replace(/\r?\n/g, '\r\n')}\r\n`);
  const line = (args: unknown[]) => args.map(String).join(' ');
  const logger = {
    trace() {},
    debug(entry: { tnx?: string }, ...args: unknown[]) {
      if (entry?.tnx === 'client') {
        const data = bytes(line(args));
        const secret = secrets.sent(data);
        events.push({ t: t(), kind: 'sent', data, ...(secret.length ? { secret } : {}) });
      } else if (entry?.tnx === 'server') {
        const data = bytes(line(args));
        secrets.received(data);
        events.push({ t: t(), kind: 'received', data });
      }
    },
    info(entry: { tnx?: string }, ...args: unknown[]) {
      if (/upgraded with STARTTLS/.test(line(args)))
        events.push({
          t: t(),
          kind: 'tls',
          tls: {
            protocol: 'TLS',
            cipher: '',
            servername: hop.host,
            certificate: null,
            verified: false,
            verifyReason: 'opportunistic TLS between MTAs: the certificate is not checked (RFC 7435)',
          },
          discardedPlaintextBytes: 0,
        });
    },
    warn() {},
    error() {},
    fatal() {},
  };
  return {
    logger,
    done(outcome: string): HopTranscript {
      const endEvent: TranscriptEvent = { t: t(), kind: 'closed', by: 'client', reason: outcome };
      return {
        host: hop.host,
        startedAt: new Date(started).toISOString(),
        transcript: {
          version: TRANSCRIPT_SCHEMA_VERSION,
          meta: {
            protocol: 'smtp',
            target: `${hop.host}:${port}`,
            startedAt: new Date(started).toISOString(),
            client: `mailwire MTA (${heloName})`,
          },
          // No byte exchanged: the connection never opened (refused, timed out), which is what the learner sees.
          events: events.length
            ? [
                {
                  t: 0,
                  kind: 'opened',
                  remote: { target: `${hop.host}:${port}`, host: hop.host, port, address: hop.address, family: 'IPv4' },
                  tls: null,
                },
                ...events,
                endEvent,
              ]
            : [{ t: t(), kind: 'error', code: 'CONNECT_FAILED', message: outcome }],
        },
      };
    },
  };
}

function send(hop: Hop, port: number, entry: QueueEntry, opts: AttemptOptions, rec: ReturnType<typeof recorder>) {
  return new Promise<{ accepted: string[]; rejected: SendError[]; response: string }>((resolve, reject) => {
    const conn = new SMTPConnection({
      host: hop.address,
      port,
      name: opts.heloName,
      servername: hop.host,
      tls: { rejectUnauthorized: false },
      connectionTimeout: opts.timeoutMs,
      greetingTimeout: opts.timeoutMs,
      socketTimeout: opts.timeoutMs,
      logger: rec.logger,
      transactionLog: true,
    } as ConstructorParameters<typeof SMTPConnection>[0]);
    let settled = false;
    const done = (err: SendError | null, value?: { accepted: string[]; rejected: SendError[]; response: string }) => {
      if (settled) return;
      settled = true;
      if (err) {
        conn.close();
        reject(err);
      } else {
        conn.quit();
        resolve(value!);
      }
    };
    conn.on('error', (err: SendError) => done(err));
    conn.connect((err?: SendError | null) => {
      if (err) return done(err);
      const from = entry.mailFrom === '' ? false : entry.mailFrom;
      conn.send({ from, to: entry.recipients }, Buffer.from(entry.message, 'base64'), (sendErr, info) => {
        if (sendErr) return done(sendErr as SendError);
        done(null, {
          accepted: info.accepted,
          rejected: (info.rejectedErrors ?? []) as SendError[],
          response: info.response,
        });
      });
    });
  });
}

const describe = (err: SendError) => err.response ?? `${err.code ?? 'ERROR'}: ${err.message}`;

export async function attemptDelivery(entry: QueueEntry, opts: AttemptOptions): Promise<AttemptResult> {
  const result: AttemptResult = {
    delivered: [],
    failed: [],
    deferred: [],
    lastReply: null,
    lastHost: null,
    transcripts: [],
  };
  let hops: Hop[] | string;
  try {
    hops = await route(entry.domain, opts.resolver);
  } catch (err) {
    return {
      ...result,
      deferred: [...entry.recipients],
      lastReply: `4.4.3 DNS lookup failed: ${(err as Error).message}`,
    };
  }
  if (typeof hops === 'string') {
    return {
      ...result,
      failed: entry.recipients.map((recipient) => ({ recipient, reply: hops as string, host: null })),
      lastReply: hops,
    };
  }
  const port = opts.portFor(entry.domain);
  for (const hop of hops) {
    const rec = recorder(hop, port, opts.heloName);
    try {
      const sent = await send(hop, port, entry, opts, rec);
      result.transcripts.push(rec.done(`delivered: ${sent.accepted.length} accepted`));
      result.delivered = sent.accepted;
      result.lastReply = sent.response;
      result.lastHost = hop.host;
      sortRejected(sent.rejected, hop, result);
      return result;
    } catch (e) {
      const err = e as SendError;
      result.transcripts.push(rec.done(describe(err)));
      result.lastReply = describe(err);
      result.lastHost = err.responseCode ? hop.host : result.lastHost;
      // Every recipient refused at RCPT: the permanent ones bounce, the others wait.
      if (err.code === 'EENVELOPE' && err.rejectedErrors?.length) {
        sortRejected(err.rejectedErrors, hop, result);
        return result;
      }
      // A permanent refusal of the whole transaction (MAIL FROM or DATA 5xx) is final too.
      if (err.responseCode && err.responseCode >= 500) {
        result.failed = entry.recipients.map((recipient) => ({ recipient, reply: describe(err), host: hop.host }));
        return result;
      }
      // No answer or a temporary reply: the next MX host (RFC 5321 section 5.1).
    }
  }
  result.deferred = [...entry.recipients];
  return result;
}

function sortRejected(rejected: SendError[], hop: Hop, result: AttemptResult): void {
  for (const r of rejected) {
    const recipient = r.recipient ?? '';
    if ((r.responseCode ?? 0) >= 500) result.failed.push({ recipient, reply: describe(r), host: hop.host });
    else result.deferred.push(recipient);
  }
}
