// Explain an SMTP reply in the context of the command it answers.

import { base64ToText } from '../common/bytes.ts';
import { rfc, type Annotation, type AnnotationDetail, type Outcome } from '../common/types.ts';
import { explainEhloKeyword, explainEnhanced, replyCodeEntry } from './catalog.ts';
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

function outcome(code: number): Outcome {
  return code < 300 ? 'success' : code < 400 ? 'continue' : code < 500 ? 'transient' : 'permanent';
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
    case 'EHLO': return ok ? `The server accepted your EHLO and lists ${Math.max(0, reply.lines.length - 1)} extension(s) it supports, one per line after its name.` : undefined;
    case 'HELO': return ok ? 'The server accepted HELO; with HELO you get no extension list (use EHLO to see it).' : undefined;
    case 'MAIL': return ok ? `The server accepted ${address(ctx.command)} as the envelope sender; now add recipients with RCPT TO.` : undefined;
    case 'RCPT':
      if (ok) return `The server accepted ${address(ctx.command)} as a recipient; add more with RCPT TO or continue with DATA.`;
      if (c === 550 || c === 551 || c === 553 || c === 554) return `The server refused recipient ${address(ctx.command)}: the mailbox does not exist there or the server will not relay to it.`;
      return undefined;
    case 'DATA': return c === 354 ? 'Go ahead: type the message (headers, a blank line, the body) and end it with a line holding a single dot.' : undefined;
    case 'DATA-END':
      if (ok) return 'The message was accepted: the server now takes responsibility for delivering it.';
      return c >= 500 ? 'The server refused the message after reading it; nothing was delivered.' : 'The server could not take the message now; it may work if you send it again later.';
    case 'STARTTLS': return c === 220 ? 'The server is ready for the TLS handshake; after it, send EHLO again (the extension list may change).' : undefined;
    case 'AUTH':
    case 'AUTH-RESPONSE':
      if (c === 334) return 'The server waits for your next AUTH line; its prompt is base64 (decoded below).';
      if (c === 235) return 'You are logged in; the server will now accept mail from you as this user.';
      if (c === 535) return 'Login failed: the user name or password was wrong (or the base64 was malformed).';
      if (c === 538 || c === 530) return ctx.tls ? undefined : 'The server will not take credentials over an unencrypted connection: send STARTTLS first.';
      return undefined;
    case 'RSET': return ok ? 'The transaction was cancelled; sender and recipients are forgotten, the session stays open.' : undefined;
    case 'QUIT': return c === 221 ? 'The server acknowledged QUIT and closes the connection.' : undefined;
    case 'NOOP': return ok ? 'NOOP does nothing; this 250 just shows the connection is alive.' : undefined;
    case 'VRFY': return c === 252 ? 'The server will not say whether this user exists (a common privacy policy), but would accept mail for it.' : undefined;
    default: return undefined;
  }
}

export function annotateSmtpReply(reply: SmtpReply, ctx: SmtpReplyContext = {}): Annotation {
  const entry = replyCodeEntry(reply.code);
  const details: AnnotationDetail[] = [];
  let meaning = contextual(reply, ctx) ?? entry.meaning;
  let aboutState = false;
  let ref = entry.rfc;

  if (reply.code === 503 && ctx.stateBefore) {
    aboutState = true;
    const st = SMTP_STATES[ctx.stateBefore];
    meaning = `Bad sequence: ${ctx.command?.verb ?? 'this command'} is not allowed in state "${st.label}"; allowed there: ${st.commands.join(', ') || 'nothing'}.`;
    ref = rfc(5321, '4.1.4');
  }
  if (reply.enhanced) {
    const e = explainEnhanced(reply.enhanced.code);
    if (e) details.push({ term: e.code, text: `${e.classText}: ${e.subjectText} - ${e.summary}.`, rfc: e.rfc });
  }
  if (ctx.command?.verb === 'EHLO' && reply.code === 250) {
    for (const k of ehloKeywords(reply)) {
      const info = explainEhloKeyword(k.keyword);
      const params = k.params.length ? ` (${k.params.join(' ')})` : '';
      details.push({ term: k.keyword + params, text: info.meaning, rfc: info.rfc });
    }
  }
  const annotation: Annotation = { title: `${reply.code} ${entry.title}`, meaning, rfc: ref, outcome: outcome(reply.code) };
  if (reply.code === 334) {
    const decoded = base64ToText(reply.text[0]?.trim() ?? '');
    if (decoded !== undefined) annotation.decoded = decoded;
  }
  if (details.length) annotation.details = details;
  if (aboutState) annotation.aboutState = true;
  return annotation;
}
