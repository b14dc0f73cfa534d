// The practice MTA: what the submission ports accept for another practice domain goes into the
// durable queue (queue.ts), is delivered by MX (attempt.ts), retried after each delay of
// `retrySeconds` (hours compressed to seconds for a class; RFC 5321 section 4.5.4.1 asks for at
// least 30 minutes and 4-5 days in all), and finally bounced to the sender (dsn.ts).
import { randomUUID } from 'node:crypto';
import type { QueueMessage } from '../../../app/src/wire/queue.ts';
import type { PracticeResolver } from '../dns/resolver.ts';
import type { MailstoreApi } from '../mailstore-types.ts';
import { withOwnDeliveryFields } from '../smtp/trace.ts';
import type { Logger } from '../types.ts';
import { attemptDelivery, type HopTranscript } from './attempt.ts';
import { buildDsn, type FailedRecipient } from './dsn.ts';
import { DEFAULT_QUEUE_CAPS, queueRefusal, type QueueCaps } from './caps.ts';
import { newQueueId, openQueue, type QueueEntry } from './queue.ts';
import { KEEP_RECENT, KEEP_SESSIONS, openSessionStore, type MessageSessions, type QueueOutcome } from './sessions.ts';

export interface MtaOptions {
  dataDir: string;
  /** Our name: the EHLO name, Reporting-MTA and MAILER-DAEMON's domain. */
  hostname: string;
  /** The domains mail is relayed to after AUTH (the other practice domains). */
  relayDomains: string[];
  resolver: PracticeResolver;
  portFor(domain: string): number;
  /** Delays between attempts in seconds; after the last one fails too, the message bounces. */
  retrySeconds: number[];
  /** Connect, greeting and idle timeout of one SMTP attempt, ms. */
  timeoutMs: number;
  /** The local store, where bounces to local senders go. */
  store: MailstoreApi;
  log: Logger;
  /** Caps per sender account and in all (caps.ts); DEFAULT_QUEUE_CAPS when absent. */
  caps?: QueueCaps;
}

/** What the submission server knows of the envelope besides addresses: who, and the DSN parameters (RFC 3461). */
export interface EnvelopeMeta {
  account: string;
  ret?: 'FULL' | 'HDRS' | null;
  envid?: string | null;
  rcptDsn?: Record<string, { notify?: string[]; orcpt?: string }>;
}

/** What the queue view shows of an entry (no message body): the wire's, with the sender account
 *  ('' for a bounce) that decides who may see it. */
export type QueueItem = QueueMessage & { account: string };

export type { QueueOutcome } from './sessions.ts';

export interface Mta {
  relaysTo(domain: string): boolean;
  /**
   * Queues the message durably (one entry per domain); resolves with the queue ids once on disk.
   * Rejects with a QueueFullError (caps.ts) when the sender's or everyone's share is used up.
   */
  enqueue(mailFrom: string, recipients: string[], message: Buffer, meta?: EnvelopeMeta): Promise<string[]>;
  queue(): QueueItem[];
  /** Why one more message from this account would not fit in the queue (caps.ts), or null. */
  refusal(account: string): string | null;
  /** The n-th recorded outbound SMTP session of a message (queued or recently gone), or null. */
  transcript(id: string, n: number): HopTranscript | null;
  /** Messages that left the queue lately, newest first. */
  recent(): QueueOutcome[];
  /** Stops the timers and waits for the attempts under way; the queue stays on disk for the next start. */
  close(): Promise<void>;
}

export async function startMta(opts: MtaOptions): Promise<Mta> {
  const disk = await openQueue(opts.dataDir);
  const relay = new Set(opts.relayDomains.map((d) => d.toLowerCase()));
  const entries = new Map<string, QueueEntry>();
  const caps = opts.caps ?? DEFAULT_QUEUE_CAPS;
  /** Entries being written: counted against the caps before they are on disk. */
  const reserved = new Set<{ account: string; octets: number }>();
  const waiting = () =>
    [...entries.values()].map((e) => ({ account: e.account ?? '', octets: Math.floor((e.message.length * 3) / 4) }));
  /** The recorded sessions, in memory and in DATA_DIR/queue/<ID>.sessions (sessions.ts), so a restart keeps them. */
  const sessions = new Map<string, MessageSessions>();
  const recordings = openSessionStore(disk.dir);
  const recent: QueueOutcome[] = [];
  /** A recording is a convenience: a disk error writing one is logged, never a reason to deliver twice. */
  const record = async (id: string, what: () => Promise<void>) => {
    try {
      await what();
    } catch (err) {
      opts.log('mta.sessions-error', { id, error: (err as Error).message });
    }
  };
  /** Sessions of messages listed nowhere (not queued, not among the recent) go, from memory and disk. */
  const forget = async () => {
    const listed = new Set([...entries.keys(), ...recent.map((r) => r.id)]);
    for (const id of [...sessions.keys()])
      if (!listed.has(id)) {
        sessions.delete(id);
        await record(id, () => recordings.remove(id));
      }
  };
  /** The message leaves the queue: its outcomes are written beside its sessions before the queue file goes. */
  const leave = async (entry: QueueEntry, outcomes: QueueOutcome[]) => {
    const rec = sessions.get(entry.id) ?? { next: 1, list: [], outcomes: [] };
    rec.outcomes = outcomes;
    sessions.set(entry.id, rec);
    if (outcomes.length) await record(entry.id, () => recordings.put(entry.id, rec));
    await disk.remove(entry.id);
    entries.delete(entry.id);
    for (const o of outcomes) recent.unshift(o);
    recent.length = Math.min(recent.length, KEEP_RECENT);
    await forget();
  };
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let closed = false;

  const schedule = (entry: QueueEntry) => {
    if (closed) return;
    clearTimeout(timers.get(entry.id));
    const wait = Math.max(0, Date.parse(entry.nextAttempt) - Date.now());
    timers.set(
      entry.id,
      setTimeout(() => {
        timers.delete(entry.id);
        const p = attempt(entry).catch((err: Error) => {
          // A disk error while recording the outcome: try again later, the file still holds the entry.
          opts.log('mta.error', { id: entry.id, error: err.message });
          entry.nextAttempt = new Date(Date.now() + 1000 * (opts.retrySeconds[0] ?? 5)).toISOString();
          schedule(entry);
        });
        running.add(p);
        void p.finally(() => running.delete(p));
      }, wait),
    );
  };

  async function attempt(entry: QueueEntry): Promise<void> {
    const r = await attemptDelivery(entry, {
      resolver: opts.resolver,
      portFor: opts.portFor,
      heloName: opts.hostname,
      timeoutMs: opts.timeoutMs,
    });
    entry.attempts += 1;
    const rec = sessions.get(entry.id) ?? { next: 1, list: [], outcomes: [] };
    for (const h of r.transcripts) rec.list.push({ ...h, n: rec.next++ });
    rec.list.splice(0, Math.max(0, rec.list.length - KEEP_SESSIONS));
    sessions.set(entry.id, rec);
    entry.lastReply = r.lastReply;
    entry.lastHost = r.lastHost ?? entry.lastHost;
    if (r.delivered.length)
      opts.log('mta.delivered', {
        id: entry.id,
        domain: entry.domain,
        recipients: r.delivered.length,
        host: r.lastHost,
      });
    const failed: FailedRecipient[] = r.failed.map((f) => ({ ...f, remote: f.host !== null }));
    const giveUp = r.deferred.length > 0 && entry.attempts > opts.retrySeconds.length;
    if (giveUp)
      failed.push(
        ...r.deferred.map((recipient) => ({
          recipient,
          reply: r.lastReply ?? '',
          host: r.lastHost,
          remote: false,
        })),
      );
    // The bounce is stored before the queue file changes: a crash in between may send it twice, never lose it.
    if (failed.length) await bounce(entry, failed);
    // NOTIFY=SUCCESS: the practice MX hosts offer no DSN, so this server reports "relayed" (RFC 3461 5.2.2.1).
    const success = r.delivered.filter((rcpt) => entry.rcptDsn?.[rcpt]?.notify?.includes('SUCCESS'));
    if (success.length && entry.mailFrom !== '')
      await sendDsn(
        entry,
        success.map((recipient) => ({ recipient, reply: r.lastReply ?? '', host: r.lastHost, remote: true })),
        'relayed',
      );
    if (r.deferred.length && !giveUp) {
      entry.recipients = r.deferred;
      const delay = opts.retrySeconds[entry.attempts - 1] ?? 0;
      entry.nextAttempt = new Date(Date.now() + delay * 1000).toISOString();
      await record(entry.id, () => recordings.put(entry.id, rec));
      await disk.put(entry);
      opts.log('mta.deferred', {
        id: entry.id,
        domain: entry.domain,
        attempts: entry.attempts,
        retryInSeconds: delay,
        reply: entry.lastReply,
      });
      schedule(entry);
      return;
    }
    const at = new Date().toISOString();
    const outcome = (o: QueueOutcome['outcome'], recipients: string[]): QueueOutcome => ({
      id: entry.id,
      account: entry.account ?? '',
      domain: entry.domain,
      recipients,
      outcome: o,
      at,
    });
    await leave(entry, [
      ...(r.delivered.length ? [outcome('delivered', r.delivered)] : []),
      ...(failed.length
        ? [
            outcome(
              'bounced',
              failed.map((f) => f.recipient),
            ),
          ]
        : []),
    ]);
  }

  async function bounce(entry: QueueEntry, failed: FailedRecipient[]): Promise<void> {
    opts.log('mta.bounced', {
      id: entry.id,
      domain: entry.domain,
      recipients: failed.length,
      to: entry.mailFrom ? 'sender' : 'nobody',
    });
    // A bounce is never bounced (RFC 5321 section 4.5.5: the null reverse-path).
    if (entry.mailFrom === '') return;
    // NOTIFY=NEVER, or a list without FAILURE: no bounce for that recipient (RFC 3461 section 4.1).
    const wanted = failed.filter((f) => {
      const notify = entry.rcptDsn?.[f.recipient]?.notify;
      return !notify || notify.includes('FAILURE');
    });
    if (wanted.length < failed.length)
      opts.log('mta.bounce-not-wanted', { id: entry.id, recipients: failed.length - wanted.length });
    if (wanted.length) await sendDsn(entry, wanted, 'failed');
  }

  /** A DSN to the sender (never for the null sender): stored locally, or queued for a practice domain. */
  async function sendDsn(entry: QueueEntry, wanted: FailedRecipient[], action: 'failed' | 'relayed'): Promise<void> {
    const dsn = buildDsn({
      action,
      ret: entry.ret ?? null,
      envid: entry.envid ?? null,
      orcpt: (recipient) => entry.rcptDsn?.[recipient]?.orcpt ?? null,
      reportingMta: opts.hostname,
      to: entry.mailFrom,
      arrival: new Date(entry.arrival),
      lastAttempt: new Date(),
      failed: wanted,
      original: Buffer.from(entry.message, 'base64'),
      messageId: `${randomUUID()}@${opts.hostname}`,
    });
    const local = opts.store.findAccount(entry.mailFrom);
    if (local) {
      // Final delivery here, so the same trace fields as any other (Return-Path <>, Delivered-To).
      await opts.store.deliver([local.address], withOwnDeliveryFields(local.address, dsn));
      return;
    }
    const at = entry.mailFrom.lastIndexOf('@');
    const domain = entry.mailFrom.slice(at + 1).toLowerCase();
    if (at > 0 && relay.has(domain)) await enqueueOne('', [entry.mailFrom], domain, dsn);
    else
      opts.log('mta.bounce-dropped', { id: entry.id, reason: 'the sender is neither local nor at a practice domain' });
  }

  async function enqueueOne(
    mailFrom: string,
    recipients: string[],
    domain: string,
    message: Buffer,
    meta: EnvelopeMeta = { account: '' },
  ): Promise<string> {
    const now = new Date().toISOString();
    const rcptDsn = Object.fromEntries(
      recipients.filter((r) => meta.rcptDsn?.[r]).map((r) => [r, meta.rcptDsn![r]!] as const),
    );
    const entry: QueueEntry = {
      id: newQueueId(),
      mailFrom,
      recipients,
      domain,
      account: meta.account,
      ret: meta.ret ?? null,
      envid: meta.envid ?? null,
      rcptDsn,
      arrival: now,
      attempts: 0,
      nextAttempt: now,
      lastReply: null,
      lastHost: null,
      message: message.toString('base64'),
    };
    await disk.put(entry);
    entries.set(entry.id, entry);
    opts.log('mta.queued', { id: entry.id, domain, recipients: recipients.length, octets: message.length });
    schedule(entry);
    return entry.id;
  }

  // What an earlier run left: each is tried at once (its due time may have passed while we were down).
  const left = await disk.load();
  for (const name of left.unreadable) opts.log('mta.unreadable', { file: name });
  for (const e of left.entries) entries.set(e.id, e);
  // The recordings an earlier run left: those of queued messages, and where the recent ones went.
  const kept = await recordings.load();
  for (const name of kept.unreadable) opts.log('mta.sessions-unreadable', { file: name });
  for (const [id, rec] of kept.byId) {
    if (entries.has(id)) rec.outcomes = []; // still queued: a crash before its file went (it is tried again)
    sessions.set(id, rec);
  }
  recent.push(
    ...[...kept.byId.entries()]
      .filter(([id]) => !entries.has(id))
      .flatMap(([, rec]) => rec.outcomes)
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
      .slice(0, KEEP_RECENT),
  );
  await forget();
  // Only now, with the recordings in place: an attempt numbers its sessions after the loaded ones.
  for (const e of left.entries) schedule(e);
  if (left.entries.length) opts.log('mta.resumed', { messages: left.entries.length });

  return {
    relaysTo: (domain) => relay.has(domain.toLowerCase()),
    async enqueue(mailFrom, recipients, message, meta = { account: '' }) {
      const byDomain = new Map<string, string[]>();
      for (const r of recipients) {
        const d = r.slice(r.lastIndexOf('@') + 1).toLowerCase();
        byDomain.set(d, [...(byDomain.get(d) ?? []), r]);
      }
      // Checked and counted in one synchronous step with the reservation below, so two sessions
      // finishing DATA at once cannot both squeeze under the cap.
      const refusal = queueRefusal(caps, [...waiting(), ...reserved], {
        account: meta.account,
        entries: byDomain.size,
        octets: message.length,
      });
      if (refusal) {
        opts.log('mta.queue-full', { scope: refusal.scope, account: meta.account });
        throw refusal;
      }
      const hold = [...byDomain.keys()].map(() => ({ account: meta.account, octets: message.length }));
      for (const h of hold) reserved.add(h);
      try {
        const ids: string[] = [];
        for (const [domain, list] of byDomain) {
          ids.push(await enqueueOne(mailFrom, list, domain, message, meta));
          reserved.delete(hold.pop()!);
        }
        return ids;
      } finally {
        for (const h of hold) reserved.delete(h);
      }
    },
    queue: () =>
      [...entries.values()].map(({ message: _m, mailFrom, ret: _r, envid: _e, rcptDsn: _d, account, ...rest }) => ({
        ...rest,
        account: account ?? '',
        from: mailFrom,
        transcripts: (sessions.get(rest.id)?.list ?? []).map(({ n, host, startedAt }) => ({ n, host, startedAt })),
      })),
    refusal: (account) =>
      queueRefusal(caps, [...waiting(), ...reserved], { account, entries: 1, octets: 0 })?.message ?? null,
    transcript: (id, n) => sessions.get(id)?.list.find((h) => h.n === n) ?? null,
    recent: () => recent.map((r) => ({ ...r })),
    async close() {
      closed = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}
