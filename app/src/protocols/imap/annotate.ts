// Explain an IMAP response in the context of the command it answers (paired by tag).

import { base64ToText } from '../common/bytes.ts';
import { rfc, type Annotation, type AnnotationDetail, type Outcome } from '../common/types.ts';
import { IMAP_RESPONSES, explainCapability, explainFlag, explainResponseCode } from './catalog.ts';
import { valueStrings, type ImapResponse, type ImapValue } from './parse.ts';
import { IMAP_STATES, type ImapCommand, type ImapState } from './state.ts';
import { imapCommand } from './commands.ts';
import { decodeMailboxName } from './mutf7.ts';
import { practiceDeviations } from './practice-deviations.ts';
import { revisionDifference, revisionDifferences } from './revisions.ts';
import { vendorDetail } from '../common/vendor-detail.ts';
import { vendorEntry } from '../vendors/index.ts';

export interface ImapResponseContext {
  command?: ImapCommand;
  stateBefore?: ImapState;
  /** What the server confirmed with ENABLED in this session, upper-case (IMAP4REV2, UTF8=ACCEPT ...). */
  enabled?: string[];
}

const said = (text: string) => text.replace(/\.$/, '') || 'no reason given';

/**
 * RFC 9051 section 7.1: NO is an operational error (the command was understood and failed: no such
 * mailbox, wrong password, over quota; it may work later or elsewhere), BAD a protocol or syntax error
 * (the command, as sent, cannot work). Neither says "temporary" or "permanent" on its own.
 */
function outcome(r: ImapResponse): Outcome {
  if (r.kind === 'continuation') return 'continue';
  if (r.status === 'NO') return 'failed';
  if (r.status === 'BAD') return 'error';
  if (r.kind === 'tagged' || r.status) return r.status === 'BYE' ? 'info' : 'success';
  return 'info';
}

function badge(r: ImapResponse): string {
  if (r.kind === 'continuation') return 'go on (+)';
  if (r.status === 'NO') return 'NO: operational error';
  if (r.status === 'BAD') return 'BAD: protocol error';
  if (r.status === 'OK') return r.kind === 'tagged' ? 'OK: success' : 'OK: information';
  return r.status === 'BYE' ? 'BYE: closing' : r.status === 'PREAUTH' ? 'PREAUTH: logged in' : 'data';
}

function tagged(r: ImapResponse, cmd: ImapCommand | undefined, stateBefore?: ImapState): string | undefined {
  const name = cmd?.name;
  const what = name ? `your ${name}` : `the command tagged ${r.tag}`;
  if (r.status === 'OK') {
    switch (name) {
      case 'LOGIN':
      case 'AUTHENTICATE':
        return 'You are logged in: the session moves to the authenticated state, where you can list and select mailboxes.';
      case 'SELECT':
      case 'EXAMINE':
        return `The mailbox is open${r.code?.name === 'READ-ONLY' ? ' read-only' : ''}; you are now in the selected state and can SEARCH and FETCH.`;
      case 'STARTTLS':
        return 'Start the TLS handshake now; afterwards ask CAPABILITY again, as the list may change.';
      case 'LOGOUT':
        return 'Logout is complete; the server closes the connection.';
      case 'CLOSE':
        return 'The mailbox is closed (messages marked \\Deleted were removed); you are back in the authenticated state.';
      case 'UNSELECT':
        return 'The mailbox is closed without expunging; you are back in the authenticated state.';
      default:
        return `The server completed ${what} (tag ${r.tag}); the untagged lines before this one were its results.`;
    }
  }
  if (r.status === 'NO')
    return `${name ? `Your ${name}` : 'The command'} (tag ${r.tag}) was understood but failed: ${said(r.text)}.`;
  if (r.status === 'BAD') {
    if (!cmd && r.tag && !/^[A-Za-z0-9.]+\d$/.test(r.tag))
      return `The server read "${r.tag}" as the tag and found no valid command after it: the line probably lacks a tag.`;
    if (name && !imapCommand(name)) return `The server does not know a command called ${name}: ${said(r.text)}.`;
    if (stateBefore && name && !IMAP_STATES[stateBefore].commands.includes(name.split(' ')[0])) {
      return `${name} is not allowed in state "${IMAP_STATES[stateBefore].label}"; allowed there: ${IMAP_STATES[stateBefore].commands.join(', ')}.`;
    }
    return `The server rejected ${what} as malformed or not allowed now: ${said(r.text)}.`;
  }
  return undefined;
}

/**
 * The mailbox name of a LIST/LSUB/STATUS line as sent, and its modified UTF-7 reading when it holds
 * "&" (RFC 3501 section 5.1.3). A name with raw non-ASCII is UTF-8 (UTF8=ACCEPT), not modified UTF-7.
 */
function mailboxName(v: ImapValue | undefined): { wire: string; utf7?: ReturnType<typeof decodeMailboxName> } {
  const wire = v ? valueStrings([v])[0] : '';
  return wire.includes('&') && /^[\x20-\x7e]*$/.test(wire) ? { wire, utf7: decodeMailboxName(wire) } : { wire };
}

function mailboxShown(v: ImapValue | undefined): string {
  const { wire, utf7 } = mailboxName(v);
  if (!utf7) return wire;
  return utf7.ok ? `${wire} (= "${utf7.name}" in modified UTF-7)` : `${wire} (not valid modified UTF-7)`;
}

function mailboxDetail(v: ImapValue | undefined): AnnotationDetail | undefined {
  const { wire, utf7 } = mailboxName(v);
  if (!utf7 && /[^\x00-\x7f]/.test(wire)) {
    // RFC 6855 section 3 and RFC 9051 Appendix A: no UTF-8 in quoted strings before either ENABLE.
    const row = revisionDifference('utf8-names');
    return {
      term: wire,
      text: `This name travels in UTF-8, which a server may send only after ENABLE UTF8=ACCEPT (RFC 6855 section 3) or ENABLE IMAP4rev2. ${row.rev1}`,
      rfc: row.rfc,
    };
  }
  if (!utf7) return undefined;
  const text = utf7.ok
    ? `Mailbox names travel in modified UTF-7: this one is "${utf7.name}". "&" starts base64 of the UTF-16 characters, "-" ends it, and "&-" is a plain "&". After ENABLE UTF8=ACCEPT or IMAP4rev2 the name comes in UTF-8 instead (RFC 6855 section 3, RFC 9051 section 5.1).`
    : `This name is not valid modified UTF-7 (${utf7.code}): ${utf7.message}`;
  return { term: wire, text, rfc: rfc(3501, '5.1.3') };
}

function untagged(r: ImapResponse): string | undefined {
  const n = r.number;
  switch (r.name) {
    case 'EXISTS':
      return `The mailbox holds ${n} message${n === 1 ? '' : 's'}.`;
    case 'RECENT':
      return `${n} message${n === 1 ? ' is' : 's are'} new since the last session looked (IMAP4rev1).`;
    case 'EXPUNGE':
      return `Message ${n} was removed; every message after it moves down by one number.`;
    case 'FETCH':
      return `Data about message ${n}${r.fetch?.uid !== undefined ? ` (UID ${r.fetch.uid})` : ''}: ${r.fetch?.items.map((i) => i.name).join(', ') || 'no items'}.`;
    case 'SEARCH':
      return r.values.length ? `Matching messages: ${valueStrings(r.values).join(' ')}.` : 'No message matched.';
    case 'CAPABILITY':
      return `The server supports ${r.values.length} capabilities right now (listed below).`;
    case 'LIST':
    case 'LSUB':
      return `Mailbox ${mailboxShown(r.values[2])} exists${r.values[0]?.type === 'list' && r.values[0].items.length ? ` with attributes ${valueStrings(r.values[0].items).join(' ')}` : ''}.`;
    case 'STATUS':
      return `Counters of mailbox ${mailboxShown(r.values[0])}: ${r.values[1]?.type === 'list' ? valueStrings(r.values[1].items).join(' ') : ''}.`;
    case 'BYE':
      return `The server is closing the connection: ${said(r.text)}.`;
    case 'PREAUTH':
      return 'The server greets you already logged in; you start in the authenticated state.';
    default:
      return undefined;
  }
}

export function annotateImapResponse(r: ImapResponse, ctx: ImapResponseContext = {}): Annotation {
  const details: AnnotationDetail[] = [];
  let title: string;
  let meaning: string | undefined;
  let ref = rfc(9051, '7');
  let aboutState = false;
  if (r.kind === 'continuation') {
    title = '+ continuation';
    const decoded = r.text ? base64ToText(r.text) : undefined;
    const name = ctx.command?.name;
    ref = rfc(9051, '7.6');
    if (name === 'AUTHENTICATE') meaning = 'The server waits for your next AUTHENTICATE line (base64).';
    else if (name === 'IDLE') {
      // RFC 9051 6.3.13 (RFC 2177 section 3): "+ idling" starts the wait; only DONE ends it.
      meaning =
        'The server is idling: it will push untagged updates (EXISTS, EXPUNGE, FETCH) as they happen; send DONE to end the IDLE.';
      ref = rfc(9051, '6.3.13');
    } else meaning = "Go ahead: the server is ready for the rest of your command (send the literal's octets now).";
    const a: Annotation = { title, meaning, rfc: ref, outcome: 'continue', badge: badge(r) };
    if (decoded && ctx.command?.name === 'AUTHENTICATE') a.decoded = decoded;
    return a;
  }
  const entry = IMAP_RESPONSES[r.name ?? ''];
  if (r.kind === 'tagged') {
    title = `${r.tag} ${r.status}${r.code ? ` [${r.code.name}]` : ''}${ctx.command ? ` (answers ${ctx.command.name})` : ''}`;
    meaning = tagged(r, ctx.command, ctx.stateBefore);
    aboutState =
      r.status === 'BAD' &&
      !!ctx.stateBefore &&
      !!ctx.command &&
      !!imapCommand(ctx.command.name) &&
      !IMAP_STATES[ctx.stateBefore].commands.includes(ctx.command.name.split(' ')[0]);
    ref = entry?.rfc ?? ref;
  } else {
    title = `* ${r.number !== undefined ? `${r.number} ` : ''}${r.name}${r.code ? ` [${r.code.name}]` : ''}`;
    meaning =
      untagged(r) ?? (r.status && r.text ? `${entry?.meaning ?? ''} Server text: "${r.text}".`.trim() : entry?.meaning);
    ref = entry?.rfc ?? ref;
  }
  if (r.code) {
    const c = explainResponseCode(r.code.name);
    const args = r.code.args.length ? ` ${valueStrings(r.code.args).join(' ')}` : '';
    details.push({ term: `[${r.code.name}${args}]`, text: c.meaning, rfc: c.rfc });
    if (r.kind === 'untagged' && r.status === 'OK') {
      meaning = c.meaning;
      ref = c.rfc;
    }
    if (r.code.name === 'ALERT') {
      meaning = `An alert the server wants a human to read: "${r.text}"`;
      ref = c.rfc;
    }
    if (r.code.name === 'CAPABILITY') for (const cap of valueStrings(r.code.args)) details.push(capDetail(cap));
    if (r.code.name === 'PERMANENTFLAGS' && r.code.args[0]?.type === 'list')
      for (const f of valueStrings(r.code.args[0].items)) details.push(flagDetail(f));
  }
  if (r.status) {
    const v = vendorEntry({ protocol: 'imap', code: r.status, respCode: r.code?.name, text: r.text });
    if (v) {
      if (!aboutState) meaning = `${v.vendor}: ${v.meaning} ${v.todo}`;
      details.push(vendorDetail(v));
    }
  }
  if (r.name === 'CAPABILITY') for (const cap of valueStrings(r.values)) details.push(capDetail(cap));
  if (r.name === 'FLAGS' && r.values[0]?.type === 'list')
    for (const f of valueStrings(r.values[0].items)) details.push(flagDetail(f));
  if (r.name === 'ENABLED') for (const cap of valueStrings(r.values)) details.push(capDetail(cap));
  if (r.kind === 'untagged') {
    const name = r.name === 'LIST' || r.name === 'LSUB' ? r.values[2] : r.name === 'STATUS' ? r.values[0] : undefined;
    const d = name && mailboxDetail(name);
    if (d) details.push(d);
  }
  details.push(...revisionNotes(r, ctx));
  // Where the practice server is stricter or looser than Dovecot on purpose (issue 16, point 4).
  for (const d of practiceDeviations(ctx.command, r, ctx.enabled)) {
    details.push({ term: DEVIATION_TERMS[d.kind], text: d.text, rfc: d.rfc });
  }
  const a: Annotation = {
    title,
    meaning:
      meaning || entry?.meaning || `An untagged ${r.name} response from an extension this catalog does not describe.`,
    rfc: ref,
    outcome: outcome(r),
    badge: badge(r),
  };
  if (details.length) a.details = details;
  if (aboutState) a.aboutState = true;
  return a;
}

/**
 * Where this reply would differ between IMAP4rev1 and IMAP4rev2 (the table in revisions.ts), so a
 * learner comparing the two sees why; it says which one this session speaks (ENABLE IMAP4rev2,
 * RFC 9051 Appendix A). Untagged replies match by their names, codes, FETCH items and flags;
 * tagged ones by the command they complete.
 */
function revisionNotes(r: ImapResponse, ctx: ImapResponseContext): AnnotationDetail[] {
  if (r.kind === 'continuation') return [];
  const tagged = r.kind === 'tagged';
  const names: string[] = [];
  if (tagged) {
    if (r.status !== 'OK' || !ctx.command) return [];
    names.push(...ctx.command.name.split(' '));
  } else {
    if (r.name) names.push(r.name);
    if (r.code) names.push(r.code.name);
    for (const item of r.fetch?.items ?? []) names.push(item.name);
    const flags = [
      ...(r.fetch?.flags ?? []),
      ...(r.name === 'FLAGS' && r.values[0]?.type === 'list' ? valueStrings(r.values[0].items) : []),
    ];
    if (flags.some((f) => f.toLowerCase() === '\\recent')) names.push('\\Recent');
  }
  const rev2 = ctx.enabled?.includes('IMAP4REV2') ?? false;
  return revisionDifferences({ tagged, names }).map((d) => ({
    term: rev2 ? 'IMAP4rev2 (enabled here)' : 'IMAP4rev1 here; IMAP4rev2 differs',
    text: `${rev2 ? 'This session sent ENABLE IMAP4rev2. ' : ''}IMAP4rev1: ${d.rev1} IMAP4rev2: ${d.rev2}`,
    rfc: d.rfc,
  }));
}

const DEVIATION_TERMS = {
  stricter: 'Practice server: stricter than Dovecot, on purpose',
  looser: 'Practice server: looser than Dovecot, on purpose',
  'both-looser': 'Practice server and Dovecot: looser than the RFC',
} as const;

function capDetail(cap: string): AnnotationDetail {
  const e = explainCapability(cap);
  return { term: cap, text: e.meaning, rfc: e.rfc };
}

function flagDetail(flag: string): AnnotationDetail {
  const e = explainFlag(flag);
  return { term: flag, text: e.meaning, rfc: e.rfc };
}
