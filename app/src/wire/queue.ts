// The queue's part of the wire contract: what GET /api/queue answers (bridge/queue-api.ts writes
// it, app/src/ui/queue/ reads it). Pure types and one pure helper. QueueMessage is also the source
// of the practice MTA's own types (bridge/practice/mta/mta.ts and queue.ts derive from it).

/** One message waiting in the practice MTA's queue, for one destination domain. */
export interface QueueMessage {
  /** The queue id, also in the 250 reply after the dot and the Received line's "id", and the name
   *  of its queue file: letters and digits only. */
  id: string;
  /** The reverse-path; '' for a bounce (the null sender, RFC 5321 section 4.5.5). */
  from: string;
  recipients: string[];
  domain: string;
  /** ISO time it was accepted (a bounce's Arrival-Date, RFC 3464 section 2.2.5). */
  arrival: string;
  /** Attempts made so far. */
  attempts: number;
  /** ISO time of the next attempt. */
  nextAttempt: string;
  /** The last reply or connection error, e.g. "ECONNREFUSED: connect ECONNREFUSED 127.0.1.9:10025". */
  lastReply: string | null;
  /** The MX host that gave the last reply. */
  lastHost: string | null;
  /** Outbound SMTP sessions recorded for it so far (GET /api/queue/transcript?id=..&n=..), oldest first. */
  transcripts: Array<{ n: number; host: string; startedAt: string }>;
}

export interface QueueBody {
  /** The server's clock (ISO), so a countdown does not depend on the page's clock. */
  now: string;
  /** False when mailwire runs with --no-relay or --no-practice: nothing is ever queued. */
  relay: boolean;
  /** Delays between attempts, seconds (--retry-schedule); after the last, a bounce. */
  retrySeconds: number[];
  /** 'all' for the teacher and outside a class; 'account' when a student sees only their own. */
  scope: 'all' | 'account';
  account: string | null;
  messages: QueueMessage[];
  /** Messages that left the queue lately (delivered or bounced), newest first, so the view can say where they went. */
  recent: QueueGone[];
}

/** A message that left the queue: delivered or bounced. */
export interface QueueGone {
  id: string;
  domain: string;
  recipients: string[];
  outcome: 'delivered' | 'bounced';
  at: string;
}

export type QueueErrorCode = 'QUEUE_SIGN_IN' | 'QUEUE_NOT_FOUND' | 'QUEUE_BAD_REQUEST';

/** Seconds until the next attempt (0 when due), from the server's ISO time and the page's clock. */
export function secondsUntil(iso: string, now: number): number {
  const at = Date.parse(iso);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - now) / 1000)) : 0;
}

/**
 * GET /api/practice/outage: whether outage.test's one MX is down (its SMTP listener closed, so a
 * connection is refused); POST {"down": true|false} takes it down or brings it back.
 */
export interface OutageBody {
  host: 'mx.outage.test';
  address: string;
  port: number;
  down: boolean;
}

export type OutageErrorCode =
  | 'OUTAGE_OFF'
  | 'OUTAGE_SIGN_IN'
  | 'OUTAGE_TEACHER_ONLY'
  | 'OUTAGE_BAD_REQUEST'
  | 'OUTAGE_FAILED'
  | 'ORIGIN_REQUIRED'
  | 'BODY_TOO_LARGE'
  | 'BAD_JSON';
