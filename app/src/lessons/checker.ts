// checkReply(step, reply): does what arrived match the step's ```expect block? On failure the
// message says what was expected, what came, and what it means, in words for a learner.
// `code`, `enhanced`, `imap` and `pop3` look at the reply to the LAST command of the send block;
// `match`, `nomatch` and `untagged` look at the whole reply.

import { explainImapStatus, explainPop3Status, explainSmtp } from './explain.ts';
import { imapTags, splitReplies } from './replies.ts';
import type { CheckResult, Condition, ConditionFailure, Step, StepReply } from './types.ts';

export function checkReply(step: Step, reply: StepReply): CheckResult {
  const failures: ConditionFailure[] = [];
  const ctx = context(step, reply);
  for (const e of step.expect) {
    const problem = check(e.condition, ctx, reply);
    if (problem) failures.push({ condition: e.text, message: problem });
  }
  if (failures.length === 0) return { pass: true };
  const merged = mergeCodeAndEnhanced(step, ctx, failures);
  return { pass: false, message: merged.map((f) => f.message).join(' '), failures: merged };
}

/**
 * `code 250` and `enhanced 2.1.0` failing on the same reply are one mistake, not two: say it once,
 * with both expected values and the one meaning (RFC 3463 section 2: the enhanced code refines the
 * basic one).
 */
function mergeCodeAndEnhanced(step: Step, ctx: Ctx, failures: ConditionFailure[]): ConditionFailure[] {
  const code = step.expect.find((e) => e.condition.kind === 'code');
  const enhanced = step.expect.find((e) => e.condition.kind === 'enhanced');
  const f = smtpFinal(ctx.last);
  if (!code || !enhanced || !f || !f.enhanced) return failures;
  const codeFailed = failures.find((x) => x.condition === code.text);
  const enhancedFailed = failures.find((x) => x.condition === enhanced.text);
  if (!codeFailed || !enhancedFailed) return failures;
  const wanted = `${(code.condition as { pattern: string }).pattern} ${(enhanced.condition as { pattern: string }).pattern}`;
  const one: ConditionFailure = {
    condition: `${code.text}, ${enhanced.text}`,
    message: end(`Expected ${wanted} but the server answered ${f.code} ${f.enhanced}: that means ${explainSmtp(f.code, f.enhanced)}`),
  };
  return failures.flatMap((x) => (x === codeFailed ? [one] : x === enhancedFailed ? [] : [x]));
}

/** The step expects the server to close: the runner waits for the close before checking. */
export function expectsClose(step: Step): boolean {
  return step.expect.some((e) => e.condition.kind === 'closed');
}

interface Ctx {
  step: Step;
  text: string;
  lines: string[];
  /** The reply to the last command (or the greeting). */
  last: string[];
  sentLines: string[];
}

function context(step: Step, reply: StepReply): Ctx {
  const sentLines = reply.sentLines ?? (step.send ? step.send.split('\n') : []);
  const text = reply.text;
  const lines = text.split(/\r?\n/).filter((l, i, a) => l !== '' || i < a.length - 1);
  if (step.kind === 'studio' || !step.protocol) return { step, text, lines, last: lines, sentLines };
  const { replies } = splitReplies(step.protocol, sentLines, text);
  return { step, text, lines, last: replies[replies.length - 1] ?? [], sentLines };
}

const wildcardOne = (pattern: string, value: string) =>
  new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/x/gi, '\\d+?')}$`).test(value) && pattern.split('.').length === value.split('.').length;
/** `451|250`: any alternative matches. */
const wildcard = (pattern: string, value: string) => pattern.split('|').some((p) => wildcardOne(p, value));
/** `451|250` -> "451 or 250", for sentences. */
const either = (pattern: string) => pattern.split('|').join(' or ');

function nothingCame(reply: StepReply): string {
  return reply.closed
    ? 'The server closed the connection without answering — a command may have been refused or the session timed out; reconnect and start the step again.'
    : 'No reply has arrived yet; wait a moment, or check that the command ended with Enter.';
}

function smtpFinal(last: string[]): { code: string; enhanced: string | null; line: string } | null {
  const line = last[last.length - 1];
  if (!line) return null;
  const m = /^(\d{3})(?:[ -](\d\.\d{1,3}\.\d{1,3})\b)?/.exec(line);
  if (!m) return null;
  return { code: m[1], enhanced: m[2] ?? null, line };
}

function check(c: Condition, ctx: Ctx, reply: StepReply): string | null {
  switch (c.kind) {
    case 'code':
    case 'enhanced': {
      const f = smtpFinal(ctx.last);
      if (!f) return ctx.text.trim() === '' ? nothingCame(reply) : `Expected an SMTP reply ${c.pattern} but what came does not start with a three-digit code: ${JSON.stringify(ctx.last.join(' ') || ctx.text.trim())}.`;
      const got = `${f.code}${f.enhanced ? ` ${f.enhanced}` : ''}`;
      const meaning = explainSmtp(f.code, f.enhanced);
      if (c.kind === 'code') {
        if (wildcard(c.pattern, f.code)) return null;
        return end(`Expected ${either(c.pattern)} but the server answered ${got}: that means ${meaning}`);
      }
      if (f.enhanced && wildcard(c.pattern, f.enhanced)) return null;
      // RFC 2034 section 3: no ENHANCEDSTATUSCODES offered (or HELO), so none are owed.
      if (!f.enhanced && reply.enhancedCodes === false) return null;
      if (!f.enhanced) return `Expected the enhanced status code ${c.pattern} but the reply ${JSON.stringify(f.line)} has none.`;
      return end(`Expected the enhanced status code ${c.pattern} but the server answered ${got}: that means ${meaning}`);
    }
    case 'imap': {
      // The learner's own tag: whatever they typed in front of their last command.
      const tags = imapTags(ctx.sentLines);
      const tag = tags[tags.length - 1];
      const wanted = `${c.statuses.join(' or ')}${c.code ? ` with [${c.code}]` : ''}`;
      if (!tag) return `Expected a tagged ${wanted}, but the command has no tag; IMAP commands start with a tag of your choice, such as \`a1\`.`;
      const line = ctx.lines.find((l) => l.toLowerCase().startsWith(`${tag.toLowerCase()} `));
      if (!line) {
        if (ctx.text.trim() === '') return nothingCame(reply);
        return `Expected your command tagged ${tag} to finish with ${wanted}, but no line starting with ${tag} came back${reply.closed ? ' before the server closed the connection' : ''}.`;
      }
      const status = (/^\S+\s+(\S+)/.exec(line)?.[1] ?? '').toUpperCase();
      if (!(c.statuses as string[]).includes(status)) {
        return `Expected ${tag} ${wanted} but the server answered ${JSON.stringify(line)}: ${status} means ${explainImapStatus(status)}.`;
      }
      if (!c.code) return null;
      const code = /^\S+\s+\S+\s+\[([A-Za-z0-9.-]+)/.exec(line)?.[1]?.toUpperCase() ?? null;
      if (code === c.code) return null;
      return `Expected ${tag} ${status} to carry the response code [${c.code}], but the server answered ${JSON.stringify(line)}${code ? ` with [${code}] instead` : ''}.`;
    }
    case 'untagged': {
      const found = c.name.startsWith('[')
        ? ctx.lines.some((l) => l.startsWith('* ') && l.toUpperCase().includes(c.name.slice(0, -1)))
        : ctx.lines.some((l) => new RegExp(`^\\* (\\d+ )?${escape(c.name)}\\b`, 'i').test(l));
      if (found) return null;
      if (ctx.text.trim() === '') return nothingCame(reply);
      return `Expected an untagged ${c.name.startsWith('[') ? `response code ${c.name}` : `* ${c.name}`} line, but none came${reply.closed ? ' (the server closed the connection)' : ''}.`;
    }
    case 'pop3': {
      const status = ctx.last[0];
      if (!status) return nothingCame(reply);
      const got = status.startsWith('+OK') ? '+OK' : status.startsWith('-ERR') ? '-ERR' : null;
      if (got === c.status) return null;
      if (!got) return `Expected ${c.status} but the server answered ${JSON.stringify(status)}, which is not a POP3 status line.`;
      return `Expected ${c.status} but the server answered ${JSON.stringify(status)}: ${explainPop3Status(got)}.`;
    }
    case 'match': {
      if (c.regex.test(ctx.text)) return null;
      if (ctx.text.trim() === '') return ctx.step.kind === 'studio' ? 'The MIME studio has no message yet; build one first.' : nothingCame(reply);
      const what = ctx.step.kind === 'studio' ? 'message' : 'reply';
      return end(`Expected the ${what} to show ${c.words ?? `the pattern ${c.source}`}, but it does not${heloNote(ctx)}`);
    }
    case 'nomatch': {
      if (!c.regex.test(ctx.text)) return null;
      const what = ctx.step.kind === 'studio' ? 'message' : 'reply';
      return `Expected the ${what} not to show ${c.words ?? `the pattern ${c.source}`}, but it does: ${JSON.stringify(c.regex.exec(ctx.text)?.[0])}.`;
    }
    case 'tls':
      if (reply.tlsActive === c.active) return null;
      return c.active
        ? 'Expected the connection to be encrypted with TLS, but it is still plain text — run STARTTLS (or STLS) and wait for its go-ahead first.'
        : 'Expected a plain-text connection, but TLS is already active.';
    case 'closed':
      if (reply.closed) return null;
      return 'Expected the server to close the connection, but it is still open.';
    case 'mime': {
      const types = contentTypes(ctx.text);
      const [want, sub] = c.contentType.split('/');
      if (types.some((t) => t.split('/')[0] === want && (sub === '*' || t.split('/')[1] === sub))) return null;
      return `Expected the message to have a ${c.contentType} part, but its parts are: ${types.length ? types.join(', ') : 'none (no Content-Type at all, so plain text)'}. Add it in the MIME studio.`;
    }
    case 'header': {
      const head = ctx.text.split(/\r?\n\r?\n/)[0];
      if (new RegExp(`^${escape(c.name)}:`, 'im').test(head)) return null;
      return `Expected the message to have a ${c.name}: header, but it has none. Fill it in in the MIME studio.`;
    }
  }
}

/**
 * The lesson says EHLO, the learner said HELO: HELO is fine where only `250` is asked (RFC 5321
 * section 4.1.1.1 keeps it), but its reply carries no extension keywords to look for.
 */
function heloNote(ctx: Ctx): string {
  const template = ctx.step.send?.split('\n')[0] ?? '';
  const typed = ctx.sentLines.find((l) => /^HELO\b/i.test(l.trim()));
  if (!/^EHLO\b/i.test(template) || !typed) return '';
  return ': you sent HELO, whose reply lists no extensions; send EHLO to see them';
}

/** Ends a sentence with a full stop unless it already ends with ? or . */
function end(s: string): string {
  return /[.?!]$/.test(s) ? s : `${s}.`;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every Content-Type value in a message, top level and parts (folded headers unfolded). */
export function contentTypes(message: string): string[] {
  const unfolded = message.replace(/\r?\n[ \t]+/g, ' ');
  const out: string[] = [];
  for (const m of unfolded.matchAll(/^content-type:\s*([^;\s]+)/gim)) out.push(m[1].toLowerCase());
  return out;
}
