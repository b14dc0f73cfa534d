// Explain an SMTP reply in the context of the command it answers.

import { base64ToText } from '../common/bytes.ts';
import { explainSaslMechanism } from '../common/sasl.ts';
import { vendorDetail } from '../common/vendor-detail.ts';
import { vendorEntry } from '../vendors/index.ts';
import { rfc, type Annotation, type AnnotationDetail, type Outcome } from '../common/types.ts';
import { explainEhloKeyword, explainEnhanced, replyCodeEntry, type EnhancedExplanation } from './catalog.ts';
import { enhancedText } from './enhanced.ts';
import { ehloKeywords, type SmtpReply } from './parse.ts';
import { SMTP_STATES, type SentCommand, type SmtpState } from './state.ts';

export interface SmtpReplyContext {
  /** The command this reply answers (undefined for the greeting). */
  command?: SentCommand;
  /** The session state before the command, for 503 explanations. */
  stateBefore?: SmtpState;
  /** Whether the connection was encrypted, for AUTH-related replies. */
  tls?: boolean;
}

/** The first digit decides (RFC 5321 section 4.2.1): 2 done, 3 send more, 4 try later, 5 do not repeat as is. */
function outcome(code: number): Outcome {
  return code < 300 ? 'success' : code < 400 ? 'continue' : code < 500 ? 'transient' : 'permanent';
}

const BADGE: Record<Outcome, string> = {
  success: 'success (2yz)',
  continue: 'go on (3yz)',
  transient: 'transient failure (4yz)',
  permanent: 'permanent failure (5yz)',
  info: 'information',
  failed: 'failure',
  error: 'error',
};

/** Our sentence for the reply's enhanced code (RFC 3463 section 3), when it has one. */
function enhancedMeaning(reply: SmtpReply): string | undefined {
  const e = reply.enhanced ? explainEnhanced(reply.enhanced.code) : undefined;
  return e?.meaning && !/^\d\.0+\.0+$/.test(e.code) ? `${e.meaning} ${e.todo ?? ''}`.trim() : undefined;
}

function address(cmd?: SentCommand): string {
  const m = /<[^>]*>/.exec(cmd?.args ?? '');
  return m ? m[0] : (cmd?.args.split(':')[1]?.trim().split(/\s+/)[0] ?? 'the address');
}

/** A sentence for this code after this command, when the pair says more than the code alone. */
function contextual(reply: SmtpReply, ctx: SmtpReplyContext): string | undefined {
  const c = reply.code;
  const verb = ctx.command?.verb;
  const ok = c >= 200 && c < 300;
  if (!ctx.command) {
    if (c === 220) return 'The server greets you and is ready; introduce yourself with EHLO.';
    if (c === 554) return 'The server refuses to talk to you at all; it will only accept QUIT.';
    return undefined;
  }
  switch (verb) {
    case 'EHLO':
      return ok
        ? `The server accepted your EHLO and lists ${Math.max(0, reply.lines.length - 1)} extension(s) it supports, one per line after its name.`
        : undefined;
    case 'HELO':
      return ok ? 'The server accepted HELO; with HELO you get no extension list (use EHLO to see it).' : undefined;
    case 'MAIL':
      return ok
        ? `The server accepted ${address(ctx.command)} as the envelope sender; now add recipients with RCPT TO.`
        : undefined;
    case 'RCPT': {
      const who = address(ctx.command);
      if (ok) return `The server accepted ${who} as a recipient; add more with RCPT TO or continue with DATA.`;
      // RFC 5321 4.5.3.1.10: a 552 to RCPT is read as temporary (RFC 821 listed it wrongly for "too many recipients").
      const late =
        c === 552 ? ' A 552 to RCPT counts as temporary (RFC 5321 section 4.5.3.1.10), so a sender retries later.' : '';
      const why = enhancedMeaning(reply);
      if (why) return `The server ${c < 500 ? 'turned down for now' : 'refused'} recipient ${who}: ${why}${late}`;
      if (c >= 500)
        return `The server refused recipient ${who}; the reply text says why (no such mailbox, relaying refused, policy).${late}`;
      return `The server cannot take recipient ${who} now; try again later.`;
    }
    case 'DATA':
      return c === 354
        ? 'Go ahead: type the message (headers, a blank line, the body) and end it with a line holding a single dot.'
        : undefined;
    case 'DATA-END':
      if (ok) return 'The message was accepted: the server now takes responsibility for delivering it.';
      if (c >= 400 && enhancedMeaning(reply))
        return `The server ${c >= 500 ? 'refused' : 'could not take'} the message: ${enhancedMeaning(reply)}`;
      return c >= 500
        ? 'The server refused the message after reading it; nothing was delivered.'
        : 'The server could not take the message now; it may work if you send it again later.';
    case 'STARTTLS':
      return c === 220
        ? 'The server is ready for the TLS handshake; after it, send EHLO again (the extension list may change).'
        : undefined;
    case 'AUTH':
    case 'AUTH-RESPONSE':
      if (c === 334) return 'The server waits for your next AUTH line; its prompt is base64 (decoded below).';
      if (c === 235) return 'You are logged in; the server will now accept mail from you as this user.';
      if (c === 535 && (!reply.enhanced || reply.enhanced.code === '5.7.8'))
        return 'Login failed: the user name or password was wrong (or the base64 was malformed).';
      if ((c === 538 || c === 530) && !ctx.tls)
        return 'The server will not take credentials over an unencrypted connection: send STARTTLS first.';
      if (c >= 400) {
        const why = enhancedMeaning(reply);
        return why ? `Login refused: ${why}` : undefined;
      }
      return undefined;
    case 'RSET':
      return ok
        ? 'The transaction was cancelled; sender and recipients are forgotten, the session stays open.'
        : undefined;
    case 'QUIT':
      return c === 221 ? 'The server acknowledged QUIT and closes the connection.' : undefined;
    case 'NOOP':
      return ok ? 'NOOP does nothing; this 250 just shows the connection is alive.' : undefined;
    case 'VRFY':
      return c === 252
        ? 'The server will not say whether this user exists (a common privacy policy), but would accept mail for it.'
        : undefined;
    default:
      return undefined;
  }
}

export function annotateSmtpReply(reply: SmtpReply, ctx: SmtpReplyContext = {}): Annotation {
  const entry = replyCodeEntry(reply.code);
  const details: AnnotationDetail[] = [];
  // The enhanced code refines the generic RFC 5321 codes (550, 451 ...); a code with its own definition
  // (530, 535 in RFC 4954) keeps it.
  const generic = reply.code >= 400 && entry.rfc.doc === 'RFC 5321';
  let meaning = contextual(reply, ctx) ?? (generic ? enhancedMeaning(reply) : undefined) ?? entry.meaning;
  let aboutState = false;
  let ref = entry.rfc;

  if (reply.code === 503 && ctx.stateBefore) {
    aboutState = true;
    const st = SMTP_STATES[ctx.stateBefore];
    meaning = `Bad sequence: ${ctx.command?.verb ?? 'this command'} is not allowed in state "${st.label}"; allowed there: ${st.commands.join(', ') || 'nothing'}.`;
    ref = rfc(5321, '4.1.4');
  }
  // A refusal explained by its enhanced code cites where that code is defined (RFC 3463 section 3.x, RFC 4954 section 6).
  const ex = reply.enhanced && reply.code >= 400 ? enhancedText(reply.enhanced.code) : undefined;
  if (ex && !aboutState && ref.doc === 'RFC 5321' && meaning.includes(ex.meaning)) ref = ex.rfc;
  // A real provider's own meaning (Gmail, Microsoft 365 ...) beats the generic one; the RFC stays cited.
  const v = vendorEntry({
    protocol: 'smtp',
    code: reply.code,
    enhanced: reply.enhanced?.code,
    text: reply.text.join(' '),
  });
  if (v) {
    if (!aboutState) meaning = `${v.vendor}: ${v.meaning} ${v.todo}`;
    details.push(vendorDetail(v));
  }
  if (reply.enhanced) {
    const e = explainEnhanced(reply.enhanced.code);
    if (e) details.push({ term: e.code, text: enhancedDetail(e), rfc: e.rfc });
  }
  if (ctx.command?.verb === 'EHLO' && reply.code === 250) {
    for (const k of ehloKeywords(reply)) {
      const info = explainEhloKeyword(k.keyword);
      const params = k.params.length ? ` (${k.params.join(' ')})` : '';
      details.push({ term: k.keyword + params, text: info.meaning, rfc: info.rfc });
      if (k.keyword.toUpperCase() === 'AUTH') {
        for (const mech of k.params) {
          const m = explainSaslMechanism(mech);
          details.push({ term: `AUTH ${m.name}`, text: m.meaning, rfc: m.rfc });
        }
      }
    }
  }
  const o = outcome(reply.code);
  const annotation: Annotation = {
    title: `${reply.code} ${entry.title}`,
    meaning,
    rfc: ref,
    outcome: o,
    badge: BADGE[o],
  };
  if (reply.code === 334) {
    const decoded = base64ToText(reply.text[0]?.trim() ?? '');
    if (decoded !== undefined) annotation.decoded = decoded;
  }
  if (details.length) annotation.details = details;
  if (aboutState) annotation.aboutState = true;
  return annotation;
}

/**
 * The enhanced code read out: class, subject and the registry's name of the detail. A success (class 2)
 * with detail 0 names only its subject: the registry's X.6.0 "Other or undefined media error" is written
 * for failures, and 250 2.6.0 after DATA just says the content was taken (RFC 3463 section 3.1).
 */
function enhancedDetail(e: EnhancedExplanation): string {
  if (e.code.startsWith('2.')) {
    const zero = /^2\.\d+\.0+$/.test(e.code);
    return `${e.classText} (${e.subjectText})${zero ? '' : `: ${e.summary}`}.`;
  }
  return `${e.classText}: ${e.subjectText} - ${e.summary}.${e.todo ? ` ${e.todo}` : ''}`;
}
