// The bounce: a delivery status notification (RFC 3464) the MTA sends to the original sender
// with the null reverse-path (RFC 5321 section 4.5.5, RFC 3461 section 6). multipart/report with
// report-type=delivery-status (RFC 6522): a sentence for the person, the machine-readable
// message/delivery-status part, and the original header section (text/rfc822-headers).
// Pure apart from Buffer: the caller passes dates and ids.
import { randomBytes } from 'node:crypto';
import { rfc5322Date } from '../smtp/trace.ts';

export interface FailedRecipient {
  recipient: string;
  /** The remote reply or our own reason, e.g. "550 5.1.1 <nobody@faraway.test>: No such user here." */
  reply: string;
  /** The MX host that gave the reply; null when none answered. */
  host: string | null;
  /** true when the server said so (Diagnostic-Code: smtp); false for our own verdict (retries gave up). */
  remote: boolean;
}

export interface DsnInput {
  reportingMta: string; // mail.practice.test
  to: string; // the original sender
  arrival: Date;
  lastAttempt: Date;
  failed: FailedRecipient[];
  original: Uint8Array;
  messageId: string;
  /**
   * 'relayed' (RFC 3464 section 2.3.3): a success notice asked for with NOTIFY=SUCCESS, sent when the
   * next hop took the message but does not offer DSN itself (RFC 3461 section 5.2.2.1).
   */
  action?: 'failed' | 'relayed';
  /** RFC 3461 section 4.3: FULL returns the whole message, HDRS (and no RET) its header section. */
  ret?: 'FULL' | 'HDRS' | null;
  /** RFC 3461 section 4.4, echoed as Original-Envelope-Id (RFC 3464 section 2.2.1). */
  envid?: string | null;
  /** RFC 3461 section 4.2 ORCPT of a recipient ("rfc822;carol@faraway.test"), echoed as Original-Recipient. */
  orcpt?: (recipient: string) => string | null;
}

/** The enhanced status code in a reply (RFC 3463), else a general one for its class. */
export function statusOf(reply: string, permanent: boolean): string {
  const m = /(?:^|\s)([245]\.\d{1,3}\.\d{1,3})(?=\s|$)/.exec(reply);
  return m ? m[1]! : permanent ? '5.0.0' : '4.0.0';
}

/** One line of at most ~900 characters without control characters (RFC 5322 section 2.1.1 allows 998). */
function oneLine(s: string): string {
  return s
    .replace(/[\x00-\x1f\x7f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 900);
}

function headerSection(message: Uint8Array): string {
  const text = Buffer.from(message.subarray(0, Math.min(message.length, 64 * 1024))).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return (end === -1 ? text : text.slice(0, end)).replace(/\r?\n/g, '\r\n');
}

export function buildDsn(d: DsnInput): Buffer {
  const boundary = `=_dsn_${randomBytes(8).toString('hex')}`;
  const who = d.failed.map((f) => `  <${f.recipient}>: ${oneLine(f.reply)}`).join('\r\n');
  const relayed = d.action === 'relayed';
  const human = relayed
    ? [
        `This is the mail system at ${d.reportingMta}.`,
        '',
        'You asked for a notice of delivery (NOTIFY=SUCCESS, RFC 3461). Your message was handed to the',
        "recipient's server, which took responsibility for it; that server does not offer delivery",
        'notices itself (no DSN in its EHLO reply), so this is the last one you get ("relayed"):',
        '',
        who,
      ].join('\r\n')
    : [
        `This is the mail system at ${d.reportingMta}.`,
        '',
        'Your message could not be delivered to one or more recipients. It has been returned below',
        `(${d.ret === 'FULL' ? 'all of it, as RET=FULL asked' : 'its header only'}). The reasons, as the receiving servers or this server gave them:`,
        '',
        who,
        '',
        'A 5.x.x status is permanent: check the address before sending again. 5.4.7 means the',
        'receiving server never answered while this server kept retrying.',
      ].join('\r\n');
  const perRecipient = d.failed.map((f) =>
    [
      // RFC 3464 section 2.3.1: the ORCPT the sender gave, as given (address type; address).
      ...(d.orcpt?.(f.recipient) ? [`Original-Recipient: ${oneLine(d.orcpt(f.recipient)!)}`] : []),
      `Final-Recipient: rfc822; ${f.recipient}`,
      `Action: ${relayed ? 'relayed' : 'failed'}`,
      `Status: ${relayed ? statusOf(f.reply, false).replace(/^[45]/, '2') : f.remote ? statusOf(f.reply, true) : '5.4.7'}`,
      ...(f.host ? [`Remote-MTA: dns; ${f.host}`] : []),
      f.remote ? `Diagnostic-Code: smtp; ${oneLine(f.reply)}` : `X-Last-Reply: ${oneLine(f.reply) || 'none'}`,
      `Last-Attempt-Date: ${rfc5322Date(d.lastAttempt)}`,
    ].join('\r\n'),
  );
  const status =
    [
      ...(d.envid ? [`Original-Envelope-Id: ${oneLine(d.envid)}`] : []),
      `Reporting-MTA: dns; ${d.reportingMta}`,
      `Arrival-Date: ${rfc5322Date(d.arrival)}`,
    ].join('\r\n') +
    '\r\n\r\n' +
    perRecipient.join('\r\n\r\n');
  const head = [
    `From: Mail Delivery System <MAILER-DAEMON@${d.reportingMta}>`,
    `To: <${d.to}>`,
    relayed ? 'Subject: Successful Mail Delivery Report' : 'Subject: Undelivered Mail Returned to Sender',
    `Date: ${rfc5322Date(d.lastAttempt)}`,
    `Message-ID: <${d.messageId}>`,
    // Machine-generated: no vacation responder answers it (RFC 3834 section 5).
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary="${boundary}"`,
  ].join('\r\n');
  const body = [
    'This is a MIME-encapsulated delivery status notification (RFC 3464).',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Description: Notification',
    '',
    human,
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    'Content-Description: Delivery report',
    '',
    status,
    '',
    `--${boundary}`,
    ...(d.ret === 'FULL'
      ? [
          'Content-Type: message/rfc822',
          'Content-Description: Undelivered message',
          '',
          Buffer.from(d.original).toString('latin1').replace(/\r?\n/g, '\r\n').replace(/\r\n$/, ''),
        ]
      : [
          'Content-Type: text/rfc822-headers',
          'Content-Description: Undelivered message headers',
          '',
          headerSection(d.original),
        ]),
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'utf8'), Buffer.from(body, 'latin1')]);
}
