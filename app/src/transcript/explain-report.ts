// Replays transcript steps (read-logs.ts) through the console's protocol modules and writes every
// server line with its explanation; a reply the catalogs cannot explain is marked "?", with why.
// Client lines are shown with credentials masked. Pure: printed by `npm run explain`.
import { createConsole, imap, pop3, smtp, type ConsoleReply, type ProtocolName } from '../protocols/index.ts';
import { vendorEntry } from '../protocols/vendors/index.ts';
import { createSecretDetector, maskData } from './mask.ts';
import type { Input } from './read-logs.ts';

const encoder = new TextEncoder();

const fallbackImapCode = imap.explainResponseCode('X-MAILWIRE-NOT-A-CODE').meaning;
const fallbackPop3Code = pop3.explainPop3Code('X-MAILWIRE-NOT-A-CODE').meaning;

/**
 * Why a reply is a gap, or [] when it is explained. A gap is unparsable input, or a code or name
 * with no exact catalog entry: an unknown SMTP code is still described by its class digit
 * (RFC 5321 4.2.1), but that is a guess, not an explanation of that code.
 */
export function gapsOf(protocol: ProtocolName, reply: ConsoleReply): string[] {
  if (reply.kind === 'unparsed') return [`not a valid ${protocol.toUpperCase()} reply: ${reply.annotation.meaning}`];
  const gaps: string[] = [];
  if (!reply.annotation.meaning.trim()) gaps.push('the explanation is empty');
  if (protocol === 'smtp') {
    const r = reply.parsed as smtp.SmtpReply;
    if (!smtp.SMTP_REPLY_CODES[r.code]) gaps.push(`no catalog entry for reply code ${r.code}`);
    // A provider's own detail code (Microsoft's 5.7.139 ...) is explained by the vendor knowledge base.
    const known = vendorEntry({ protocol: 'smtp', code: r.code, enhanced: r.enhanced?.code, text: r.text.join(' ') });
    if (r.enhanced && !smtp.isRegisteredEnhanced(r.enhanced.code) && !known)
      gaps.push(`enhanced status code ${r.enhanced.code} is not in the registry`);
  } else if (protocol === 'imap') {
    const r = reply.parsed as imap.ImapResponse;
    if (r.kind === 'untagged' && !imap.IMAP_RESPONSES[r.name ?? ''])
      gaps.push(`no catalog entry for untagged response ${r.name}`);
    if (r.code && imap.explainResponseCode(r.code.name).meaning === fallbackImapCode)
      gaps.push(`no catalog entry for response code [${r.code.name}]`);
  } else {
    const r = reply.parsed as pop3.Pop3Response;
    if (r.code && pop3.explainPop3Code(r.code).meaning === fallbackPop3Code)
      gaps.push(`no catalog entry for response code [${r.code}]`);
  }
  return gaps;
}

const ref = (r: { doc: string; section?: string }) => (r.section ? `${r.doc} section ${r.section}` : r.doc);

const GREETING: Record<ProtocolName, string> = {
  smtp: '220 greeting\r\n',
  imap: '* OK greeting\r\n',
  pop3: '+OK greeting\r\n',
};

export interface Report {
  lines: string[];
  replies: number;
  unexplained: number;
}

export function explain(input: Input, protocol: ProtocolName): Report {
  const out: string[] = [];
  const console = createConsole(protocol);
  const secrets = createSecretDetector(protocol);
  let replies = 0;
  let unexplained = 0;
  const show = (list: ConsoleReply[]) => {
    for (const reply of list) {
      replies++;
      for (const l of reply.raw.replace(/\r?\n$/, '').split(/\r?\n/)) out.push(`S: ${l}`);
      const gaps = gapsOf(protocol, reply);
      const a = reply.annotation;
      out.push(`  ${gaps.length ? '?' : '='} ${a.title}: ${a.meaning} [${ref(a.rfc)}]`);
      for (const d of a.details ?? []) out.push(`      ${d.term}: ${d.text}${d.rfc ? ` [${ref(d.rfc)}]` : ''}`);
      if (a.decoded !== undefined) out.push(`      decoded: ${JSON.stringify(a.decoded)}`);
      for (const g of gaps) out.push(`  ? gap: ${g}`);
      if (gaps.length) unexplained++;
      if (reply.startTls && !input.explicitTls) console.tlsStarted();
    }
  };
  // Client debug logs (smtplib, imaplib) often start after the greeting: a silent stand-in keeps
  // each later reply paired with the command it answers.
  if (input.steps.find((s) => s.dir !== 'TLS')?.dir === 'C') {
    console.received(encoder.encode(GREETING[protocol]));
    out.push('# (the input has no server greeting; one was assumed so replies pair with their commands)');
  }
  for (const step of input.steps) {
    if (step.note) out.push(`# ${step.note}`);
    if (step.dir === 'TLS') {
      console.tlsStarted();
      out.push('-- TLS handshake done: everything below was encrypted on the wire --');
    } else if (step.dir === 'C') {
      const masked = maskData(step.data, secrets.sent(step.data)).data;
      console.sent(new TextDecoder().decode(step.data));
      for (const l of new TextDecoder()
        .decode(masked)
        .replace(/\r?\n$/, '')
        .split(/\r?\n/))
        out.push(`C: ${l}`);
    } else {
      secrets.received(step.data);
      show(console.received(step.data));
    }
  }
  show(console.closed());
  return { lines: out, replies, unexplained };
}
