// Trace headers and submission hygiene for what the practice server stores. Pure apart from Buffer:
// no sockets, no clock, no randomness of its own (the caller passes the date and the ids).
//  - Received: on every hop (RFC 5321 section 4.4, Time-stamp-line): from (the EHLO name and the
//    client's address literal), by, with (RFC 3848: ESMTP, ESMTPS, ESMTPA, ESMTPSA; SMTP after HELO),
//    id, for (only with a single recipient, so a Bcc is not revealed), and the date.
//  - Return-Path: at final delivery, from MAIL FROM (RFC 5321 section 4.4: a MUST); <> for bounces.
//  - Delivered-To: at final delivery, the recipient this copy was delivered for (RFC 9228 section 4),
//    one per copy, so a Bcc recipient's address is only in its own copy.
//  - On submission (RFC 6409 section 8.2, 8.3): Date: and Message-ID: when the message has none.
import type { SMTPServerSession } from 'smtp-server';

export interface HopInfo {
  /** What the client gave after EHLO/HELO (it may lie or be junk: shown as a comment then). */
  helo: string;
  /** Whether the session opened with EHLO (HELO gives "with SMTP"). */
  ehlo: boolean;
  remoteAddress: string;
  tls: boolean;
  authenticated: boolean;
  /** This server's name (the "by" domain). */
  by: string;
  /** The session or queue id. */
  id: string;
  recipients: string[];
  date: Date;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** RFC 5322 section 3.3 date-time, in UTC: "Thu, 03 Dec 2026 14:05:09 +0000". */
export function rfc5322Date(d: Date): string {
  return (
    `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}

/** RFC 3848 section 2 (and RFC 5321 section 4.4 for plain SMTP). */
export function withProtocol(h: Pick<HopInfo, 'ehlo' | 'tls' | 'authenticated'>): string {
  if (!h.ehlo) return 'SMTP';
  return `ESMTP${h.tls ? 'S' : ''}${h.authenticated ? 'A' : ''}`;
}

/** "[127.0.0.1]" or "[IPv6:::1]" (RFC 5321 section 4.1.3). */
export function addressLiteral(ip: string): string {
  const bare = ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return bare.includes(':') ? `[IPv6:${bare}]` : `[${bare}]`;
}

const DOMAIN =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const LITERAL = /^\[[^\][\\\s]{1,60}\]$/;

/** Text safe inside a header comment: printable ASCII without parentheses or backslashes, bounded. */
function commentSafe(s: string): string {
  return s.replace(/[^\x21-\x7e]|[()\\]/g, '?').slice(0, 64);
}

/** The Received: field, folded over lines of at most 78 characters (RFC 5322 section 2.1.1). */
export function receivedHeader(h: HopInfo): string {
  const ip = addressLiteral(h.remoteAddress);
  const helo = h.helo.trim();
  // Extended-Domain (RFC 5321 4.4): the EHLO name with the TCP-info in a comment; a name that is
  // neither a domain nor an address literal is only reported, inside the comment.
  const from =
    DOMAIN.test(helo) || LITERAL.test(helo)
      ? `from ${helo} (${ip})`
      : `from ${ip} (helo=${commentSafe(helo) || 'none'})`;
  const parts = [from, `by ${h.by}`, `with ${withProtocol(h)}`, `id ${h.id.replace(/[^A-Za-z0-9.-]/g, '')}`];
  if (h.recipients.length === 1) parts.push(`for <${h.recipients[0]}>`);
  return `Received: ${parts.join('\r\n\t')};\r\n\t${rfc5322Date(h.date)}\r\n`;
}

/** Return-Path: <mailbox>, or <> for the null reverse-path of a bounce (RFC 5321 section 4.4). */
export function returnPathHeader(mailFrom: string | undefined): string {
  return `Return-Path: <${(mailFrom ?? '').replace(/[\r\n<>]/g, '')}>\r\n`;
}

/** Delivered-To: <address> of this copy's recipient (RFC 9228 section 4: addr-spec, no angle brackets). */
export function deliveredToHeader(address: string): string {
  return `Delivered-To: ${address.replace(/[\r\n<>]/g, '')}\r\n`;
}

/**
 * A message this server wrote itself (a bounce, the echo robot's reply), as delivered here: sent
 * from the null reverse-path, so Return-Path: <> (RFC 5321 section 4.4), then the Delivered-To of
 * its one recipient (RFC 9228 section 4).
 */
export function withOwnDeliveryFields(recipient: string, message: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(returnPathHeader('') + deliveredToHeader(recipient), 'utf8'), message]);
}

/** The header section of a message, as text (latin1 keeps one char per octet), and where it ends. */
function headerSection(message: Uint8Array): { text: string; hasHeader: boolean } {
  const head = Buffer.from(message.subarray(0, Math.min(message.length, 256 * 1024))).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const text = end === -1 ? head : head.slice(0, end);
  // A message must start with a header field (RFC 5322 section 2.1) or an empty line (no header).
  const hasHeader = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/.test(head) || /^\r?\n/.test(head);
  return { text, hasHeader };
}

const hasField = (headers: string, name: string) => new RegExp(`^${name}[ \\t]*:`, 'im').test(headers);

export interface SubmissionIds {
  date: Date;
  messageId: string;
}

/** Date: and Message-ID: lines to add on submission when the message has none (RFC 6409 section 8). */
export function submissionFields(message: Uint8Array, ids: SubmissionIds): string {
  const { text } = headerSection(message);
  let out = '';
  if (!hasField(text, 'Date')) out += `Date: ${rfc5322Date(ids.date)}\r\n`;
  if (!hasField(text, 'Message-ID')) out += `Message-ID: <${ids.messageId}>\r\n`;
  return out;
}

export interface TraceOptions {
  hop: HopInfo;
  mailFrom: string | undefined;
  /** Set on the submission ports (587 and 465): add Date: and Message-ID: if missing. */
  submission?: SubmissionIds;
  /** Passed on to another server (the MTA's queue): no Return-Path, which only final delivery adds. */
  relay?: boolean;
  /** Final delivery to this recipient: add Delivered-To: (RFC 9228). */
  deliveredTo?: string;
}

/**
 * The message as stored: Return-Path, Delivered-To, Received, then (on submission) the missing Date and
 * Message-ID, then the message as sent. A message that does not start with a header field gets an
 * empty line after the added fields, so its first line stays in the body.
 */
export function withTraceHeaders(message: Uint8Array, t: TraceOptions): Buffer {
  let added = t.relay ? '' : returnPathHeader(t.mailFrom);
  if (!t.relay && t.deliveredTo) added += deliveredToHeader(t.deliveredTo);
  added += receivedHeader(t.hop);
  if (t.submission) added += submissionFields(message, t.submission);
  if (!headerSection(message).hasHeader) added += '\r\n';
  return Buffer.concat([Buffer.from(added, 'utf8'), message]); // SMTPUTF8 addresses stay UTF-8 (RFC 6532)
}

/** The facts of an smtp-server session that the Received: line reports. */
export function hopFromSession(
  session: Pick<
    SMTPServerSession,
    'hostNameAppearsAs' | 'openingCommand' | 'remoteAddress' | 'secure' | 'user' | 'id' | 'envelope'
  >,
  by: string,
  date: Date,
): HopInfo {
  return {
    helo: session.hostNameAppearsAs ?? '',
    ehlo: session.openingCommand === 'EHLO',
    remoteAddress: session.remoteAddress,
    tls: session.secure,
    authenticated: !!session.user,
    by,
    id: session.id,
    recipients: session.envelope.rcptTo.map((r) => r.address),
    date,
  };
}
