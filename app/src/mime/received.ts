// One Received: field read as a hop: who handed the message over, who took it, how (the `with`
// keyword), the id, the recipient and the date. The grammar is RFC 5321 section 4.4
// (Time-stamp-line); the `with` keywords are RFC 3848's registry. Pure: text in, plain data out.

export interface Hop {
  /** 1 for the first server the message reached (the last Received: field), and so on. */
  n: number;
  /** What the sending side called itself (its EHLO name). */
  from: string | null;
  /** What the receiving server wrote about the sender: its reverse-DNS name and address, in a comment. */
  fromComment: string | null;
  /** The address literal the receiving server saw, when it wrote one. */
  address: string | null;
  by: string | null;
  byComment: string | null;
  with: string | null;
  /** What `with` says, in words (RFC 3848). */
  withMeaning: string | null;
  id: string | null;
  for: string | null;
  date: string | null;
  /** Seconds since the hop before (null for the first, or without dates). */
  delay: number | null;
  /** The hop used TLS: ESMTPS/ESMTPSA (RFC 3848) or a "using TLS" comment (Postfix). */
  tls: boolean;
  authenticated: boolean;
  raw: string;
}

// RFC 3848 section 2 (and RFC 5321 section 4.4 for SMTP; RFC 2033 for LMTP; RFC 6531 for UTF8).
const WITH: Record<string, string> = {
  SMTP: 'SMTP after HELO (no extensions)',
  ESMTP: 'SMTP with extensions (EHLO), no TLS, no AUTH',
  ESMTPA: 'ESMTP after AUTH, without TLS',
  ESMTPS: 'ESMTP inside TLS (STARTTLS or implicit TLS), no AUTH',
  ESMTPSA: 'ESMTP inside TLS, after AUTH: a mail program submitting',
  LMTP: 'LMTP, local delivery to the mailbox store (RFC 2033)',
  LMTPA: 'LMTP after AUTH',
  LMTPS: 'LMTP inside TLS',
  LMTPSA: 'LMTP inside TLS, after AUTH',
  UTF8SMTP: 'SMTP with SMTPUTF8 (RFC 6531)',
  UTF8SMTPS: 'SMTPUTF8 inside TLS (RFC 6531)',
  UTF8SMTPA: 'SMTPUTF8 after AUTH (RFC 6531)',
  UTF8SMTPSA: 'SMTPUTF8 inside TLS, after AUTH (RFC 6531)',
  HTTP: 'handed in over HTTP (a web mail program or an API)',
};

const CLAUSES = ['from', 'by', 'via', 'with', 'id', 'for'] as const;
type Clause = (typeof CLAUSES)[number];

/** Splits "from a (b) by c ..." into clauses, keeping each clause's comments apart (RFC 5322 3.2.2). */
function clauses(text: string): Map<Clause, { value: string; comment: string }> {
  const out = new Map<Clause, { value: string; comment: string }>();
  let current: { value: string; comment: string } | null = null;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '(') {
      let depth = 0;
      let j = i;
      for (; j < text.length; j++) {
        if (text[j] === '\\') j++;
        else if (text[j] === '(') depth++;
        else if (text[j] === ')' && --depth === 0) break;
      }
      const comment = text.slice(i + 1, j).trim();
      if (current) current.comment = current.comment ? `${current.comment} ${comment}` : comment;
      i = j + 1;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const m = /^[^\s()]+/.exec(text.slice(i))!;
    const word = m[0];
    const lower = word.toLowerCase() as Clause;
    if (CLAUSES.includes(lower) && !out.has(lower)) {
      current = { value: '', comment: '' };
      out.set(lower, current);
    } else if (current) current.value = current.value ? `${current.value} ${word}` : word;
    i += word.length;
  }
  return out;
}

export function parseReceived(value: string, n = 0): Omit<Hop, 'delay'> {
  const flat = value.replace(/\s+/g, ' ').trim();
  const semi = flat.lastIndexOf(';');
  const body = semi >= 0 ? flat.slice(0, semi) : flat;
  const date = semi >= 0 ? flat.slice(semi + 1).trim() || null : null;
  const c = clauses(body);
  const fromComment = c.get('from')?.comment || null;
  const address = /\[(?:IPv6:)?[0-9a-f.:]+\]/i.exec(fromComment ?? c.get('from')?.value ?? '')?.[0] ?? null;
  const withValue = c.get('with')?.value.split(' ')[0] || null;
  const proto = withValue?.toUpperCase() ?? '';
  const comments = `${fromComment ?? ''} ${c.get('by')?.comment ?? ''} ${c.get('with')?.comment ?? ''}`;
  const tls = /^(ESMTP|LMTP|UTF8SMTP)S/.test(proto) || /\b(using TLS|TLSv1|version=TLS)/i.test(comments);
  const forValue = c.get('for')?.value ?? null;
  return {
    n,
    from: c.get('from')?.value || null,
    fromComment,
    address,
    by: c.get('by')?.value || null,
    byComment: c.get('by')?.comment || null,
    with: withValue,
    withMeaning: WITH[proto] ?? null,
    id: c.get('id')?.value || null,
    for: forValue ? forValue.replace(/^<|>$/g, '') : null,
    date,
    tls,
    authenticated: /^(ESMTP|LMTP|UTF8SMTP)S?A$/.test(proto),
    raw: flat,
  };
}
