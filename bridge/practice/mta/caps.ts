// The queue's caps, so that submission cannot grow the disk without bound: messages and octets
// waiting per sender account and in all. Over a cap the recipient is refused at RCPT, or after the
// dot when only this message's size is too much, with 452 4.3.1 (RFC 5321 sections 4.3.2 and
// 4.5.3.1.10 list 452 at both; RFC 3463 section 3.4: X.3.1 "mail system full"): transient, since
// the queue drains as its messages are delivered or bounced.
// Bounces (the null sender) are not counted against anyone: each queue entry makes at most one,
// and a bounce is never bounced (RFC 5321 section 4.5.5), so they cannot multiply.

export interface QueueCaps {
  /** Messages one sender account may have waiting (one per destination domain). */
  perSenderMessages: number;
  /** Octets one sender account may have waiting. */
  perSenderOctets: number;
  messages: number;
  octets: number;
}

export const DEFAULT_QUEUE_CAPS: QueueCaps = {
  perSenderMessages: 20,
  perSenderOctets: 64 * 1024 * 1024,
  messages: 500,
  octets: 512 * 1024 * 1024,
};

export class QueueFullError extends Error {
  override name = 'QueueFullError';
  constructor(
    message: string,
    readonly scope: 'sender' | 'all',
  ) {
    super(message);
  }
}

export interface Waiting {
  account: string;
  octets: number;
}

/** Null when `adding` (one entry per domain, `octets` each) fits beside `waiting`; else the refusal. */
export function queueRefusal(
  caps: QueueCaps,
  waiting: Iterable<Waiting>,
  adding: { account: string; entries: number; octets: number },
): QueueFullError | null {
  let mine = 0;
  let mineOctets = 0;
  let all = 0;
  let allOctets = 0;
  for (const w of waiting) {
    all += 1;
    allOctets += w.octets;
    if (adding.account && w.account === adding.account) {
      mine += 1;
      mineOctets += w.octets;
    }
  }
  const octets = adding.entries * adding.octets;
  if (adding.account && (mine + adding.entries > caps.perSenderMessages || mineOctets + octets > caps.perSenderOctets))
    return new QueueFullError(
      `Too much of your mail is waiting in the queue (${mine} message${mine === 1 ? '' : 's'}, ${mineOctets} octets; at most ${caps.perSenderMessages} and ${caps.perSenderOctets} per sender). Nothing was queued: send it again once the queue has delivered or bounced some of it.`,
      'sender',
    );
  if (all + adding.entries > caps.messages || allOctets + octets > caps.octets)
    return new QueueFullError(
      `The outbound queue is full (${all} messages, ${allOctets} octets waiting; at most ${caps.messages} and ${caps.octets}). Nothing was queued: try again in a few minutes.`,
      'all',
    );
  return null;
}
