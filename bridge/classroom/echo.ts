// The echo robot: echo@<domain> answers every message it receives, so a student alone at the
// keyboard still sees a reply arrive in their INBOX. It is a responder as RFC 3834 describes one:
// - it answers the delivered message's Return-Path, never Reply-To or From (section 4), and
//   nothing when that is <> (section 2); the caller answers only local accounts, so the robot can
//   never send mail outside the practice domain;
// - it never answers mail marked Auto-Submitted other than "no" (section 2: SHOULD NOT), nor
//   Precedence bulk/list/junk (section 2 allows refusing it);
// - its reply says it is automatic: "Auto:" before the subject (section 3.1.5) and
//   "Auto-Submitted: auto-replied" (section 3.1.7), so two robots cannot loop; it is sent from
//   the null reverse-path <> (section 3.3), so nothing answers it either.

export interface EchoReply {
  /** The address the reply goes to (a local account, checked by the caller). */
  to: string;
  raw: Buffer;
}

const MAX_QUOTED = 2000;

/** Unfolded header fields (RFC 5322 section 2.2.3) of a message, names in lower case. */
export function headerFields(raw: Buffer): Map<string, string> {
  const text = raw.subarray(0, 64 * 1024).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const fields = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const m = /^([!-9;-~]+):[ \t]*(.*)$/.exec(line);
    if (m && !fields.has(m[1]!.toLowerCase())) fields.set(m[1]!.toLowerCase(), m[2]!.trim());
  }
  return fields;
}

/** The first addr-spec in an address field's value: inside <...>, else a bare word with an @. */
export function firstAddress(value: string | undefined): string | null {
  if (!value) return null;
  const m = /<([^<>@\s]+@[^<>\s]+)>/.exec(value) ?? /([^\s<>",;:()]+@[^\s<>",;:()]+)/.exec(value);
  return m ? m[1]!.toLowerCase() : null;
}

export function echoReply(raw: Buffer, echoAddress: string, now = new Date()): EchoReply | null {
  const h = headerFields(raw);
  const auto = h.get('auto-submitted');
  if (auto && auto.toLowerCase() !== 'no') return null;
  if (/^(bulk|list|junk)$/i.test(h.get('precedence') ?? '')) return null;
  // The topmost Return-Path is the one final delivery added (RFC 5321 section 4.4); <> has no address.
  const to = firstAddress(h.get('return-path'));
  if (!to || to === echoAddress.toLowerCase()) return null;
  const subject = (h.get('subject') ?? '').replace(/[\r\n]/g, ' ').slice(0, 200);
  const messageId = /<[^<>\s]+>/.exec(h.get('message-id') ?? '')?.[0];
  const text = raw.toString('utf8');
  const bodyStart = text.search(/\r?\n\r?\n/);
  const body = bodyStart === -1 ? '' : text.slice(bodyStart).replace(/^\r?\n\r?\n/, '');
  const quoted = body
    .slice(0, MAX_QUOTED)
    .split(/\r?\n/)
    .map((l) => `> ${l}`)
    .join('\r\n');
  const domain = echoAddress.slice(echoAddress.indexOf('@') + 1);
  const lines = [
    `From: Echo robot <${echoAddress}>`,
    `To: <${to}>`,
    `Subject: Auto: ${subject || 'your message'}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <echo.${now.getTime().toString(36)}.${Math.random().toString(36).slice(2, 10)}@${domain}>`,
    ...(messageId ? [`In-Reply-To: ${messageId}`, `References: ${messageId}`] : []),
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    `Hello! I am the echo robot of this practice server. Your message${subject ? ` "${subject}"` : ''} arrived;`,
    'here is what it said (the first lines of its body):',
    '',
    quoted,
    '',
  ];
  return { to, raw: Buffer.from(lines.join('\r\n'), 'utf8') };
}
