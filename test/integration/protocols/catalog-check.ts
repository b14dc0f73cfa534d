// Replays recorded sessions through the console modules and checks each reply against the catalogs:
// what the no-gaps test asserts. A "gap" is a code or name with no exact catalog entry.
import {
  createConsole,
  imap,
  pop3,
  smtp,
  type ConsoleReply,
  type ProtocolName,
} from '../../../app/src/protocols/index.ts';
import type { Transcript } from '../../../app/src/transcript/model.ts';

const text = new TextDecoder();

/** Feeds a transcript's events to a fresh console, in order, as the app would. */
export function replayTranscript(protocol: ProtocolName, transcript: Transcript): ConsoleReply[] {
  const c = createConsole(protocol);
  const out: ConsoleReply[] = [];
  for (const e of transcript.events) {
    if (e.kind === 'sent') c.sent(text.decode(e.data));
    else if (e.kind === 'received') out.push(...c.received(e.data));
    else if (e.kind === 'tls') c.tlsStarted();
  }
  out.push(...c.closed());
  return out;
}

/** Fixture events (test/fixtures/transcripts/README.md): one char per byte, TLS marks the upgrade. */
export function replayFixture(fixture: {
  protocol: ProtocolName;
  events: Array<{ dir: string; data: string }>;
}): ConsoleReply[] {
  const c = createConsole(fixture.protocol);
  const out: ConsoleReply[] = [];
  for (const e of fixture.events) {
    const bytes = Uint8Array.from(e.data, (ch) => ch.charCodeAt(0) & 0xff);
    if (e.dir === 'C') c.sent(text.decode(bytes));
    else if (e.dir === 'S') out.push(...c.received(bytes));
    else if (e.dir === 'TLS') c.tlsStarted();
  }
  out.push(...c.closed());
  return out;
}

/** What a set of replies used, by catalog: SMTP codes and enhanced codes, IMAP names and codes, POP3 codes. */
export interface Seen {
  smtpCodes: Set<number>;
  enhanced: Set<string>;
  imapNames: Set<string>;
  imapCodes: Set<string>;
  pop3Codes: Set<string>;
}
export const emptySeen = (): Seen => ({
  smtpCodes: new Set(),
  enhanced: new Set(),
  imapNames: new Set(),
  imapCodes: new Set(),
  pop3Codes: new Set(),
});

export interface Problem {
  /** Stable key, e.g. "smtp enhanced 5.5.9" or "imap code [FOO]": what KNOWN_GAPS lists. */
  key: string;
  reply: string;
}

const fallbackImapCode = imap.explainResponseCode('X-NO-SUCH-CODE-IN-ANY-CATALOG').meaning;
const fallbackPop3Code = pop3.explainPop3Code('X-NO-SUCH-CODE-IN-ANY-CATALOG').meaning;

/**
 * Checks every reply: parsed (never 'unparsed'), explained (non-empty meaning, an RFC reference),
 * and each code or name it carries has an exact catalog entry. Returns the problems, and records
 * what was seen in `seen`.
 */
export function checkReplies(protocol: ProtocolName, replies: ConsoleReply[], seen: Seen): Problem[] {
  const problems: Problem[] = [];
  for (const r of replies) {
    const first = r.raw.split('\r\n')[0]!.slice(0, 160);
    const add = (key: string) => problems.push({ key, reply: first });
    if (r.kind === 'unparsed') {
      add(`${protocol} unparsed ${JSON.stringify(first)}`);
      continue;
    }
    const a = r.annotation;
    if (!a.meaning.trim()) add(`${protocol} empty meaning`);
    if (!a.rfc.doc.trim() || !/^https:\/\//.test(a.rfc.url)) add(`${protocol} no RFC reference`);
    for (const d of a.details ?? []) if (!d.text.trim()) add(`${protocol} empty detail ${d.term}`);
    if (protocol === 'smtp') {
      const p = r.parsed as smtp.SmtpReply;
      seen.smtpCodes.add(p.code);
      if (!smtp.SMTP_REPLY_CODES[p.code]) add(`smtp code ${p.code}`);
      if (p.enhanced) {
        seen.enhanced.add(p.enhanced.code);
        if (!smtp.isRegisteredEnhanced(p.enhanced.code) || !smtp.explainEnhanced(p.enhanced.code))
          add(`smtp enhanced ${p.enhanced.code}`);
      }
    } else if (protocol === 'imap') {
      const p = r.parsed as imap.ImapResponse;
      if (p.kind !== 'continuation') {
        const name = p.kind === 'tagged' ? p.status! : p.name!;
        seen.imapNames.add(name);
        if (!imap.IMAP_RESPONSES[name]) add(`imap response ${name}`);
      }
      if (p.code) {
        seen.imapCodes.add(p.code.name);
        if (imap.explainResponseCode(p.code.name).meaning === fallbackImapCode) add(`imap code [${p.code.name}]`);
      }
    } else {
      const p = r.parsed as pop3.Pop3Response;
      if (p.code) {
        seen.pop3Codes.add(p.code);
        if (pop3.explainPop3Code(p.code).meaning === fallbackPop3Code) add(`pop3 code [${p.code}]`);
      }
    }
  }
  return problems;
}
