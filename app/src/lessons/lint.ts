// The lesson lint: what a lesson teaches must be right, not just parse. It runs over parsed lessons
// (npm test runs it on every file in lessons/, test/unit/lessons/lint.test.ts) and reports, with the
// step's line and a sentence saying what to do:
//  - SMTP groups that RFC 2920 section 3.1 forbids: EHLO, DATA, QUIT, NOOP, VRFY, EXPN, TURN,
//    STARTTLS (RFC 3207) and AUTH (RFC 4954 section 4, except with the initial response of a
//    one-round-trip mechanism such as PLAIN) only as the last command of a group, and
//    any group only after EHLO listed PIPELINING; POP3 groups only after CAPA listed PIPELINING
//    (RFC 2449 section 6.6);
//  - IMAP LOGIN after LOGINDISABLED (RFC 9051 / RFC 3501 section 6.2.3: the client MUST NOT);
//  - STATUS on the selected mailbox (RFC 9051 section 6.3.11: SHOULD NOT);
//  - letters sent with DATA without `Date:` (RFC 5322 section 3.6: it is required);
//  - placeholders prose cannot fill, {password} in prose, hard-coded practice accounts;
//  - `match`/`nomatch` without words for the learner;
//  - RFC citations whose RFC or section is not in the bundled table (rfc-sections.ts), and an
//    obsoleted RFC cited without the one that replaced it.

import { PROSE_PLACEHOLDERS } from './placeholders.ts';
import { RFC_SECTIONS } from './rfc-sections.ts';
import type { Lesson, LessonError, Step } from './types.ts';

export type LintCode =
  | 'PIPELINING_GROUP'
  | 'PIPELINING_NOT_OFFERED'
  | 'LOGIN_AFTER_LOGINDISABLED'
  | 'STATUS_ON_SELECTED'
  | 'LETTER_WITHOUT_DATE'
  | 'UNFILLED_PLACEHOLDER'
  | 'HARD_CODED_ACCOUNT'
  | 'MATCH_WITHOUT_WORDS'
  | 'UNKNOWN_RFC'
  | 'UNKNOWN_RFC_SECTION'
  | 'OBSOLETE_RFC_ALONE';

export interface LintProblem extends Omit<LessonError, 'code'> {
  code: LintCode;
}

/** The commands that may only end a pipelined group, each with the rule that says so. RFC 2920
 *  section 3.1 names EHLO, DATA, VRFY, EXPN, TURN, QUIT and NOOP (their outcome changes what the
 *  client may send next) and gives the same place to any later extension's command that does not
 *  say otherwise. */
const RFC2920 = 'RFC 2920 section 3.1 lets it only end a group (what follows depends on its reply)';
const LAST_IN_GROUP: Record<string, string> = {
  EHLO: RFC2920,
  DATA: RFC2920,
  VRFY: RFC2920,
  EXPN: RFC2920,
  TURN: RFC2920,
  QUIT: RFC2920,
  NOOP: RFC2920,
  // Not in RFC 2920's list (a HELO session has no extensions, PIPELINING among them), but it opens
  // the session again as EHLO does, and its reply decides what may follow.
  HELO: 'like EHLO (RFC 2920 section 3.1) it opens the session again (RFC 5321 section 4.1.1.1)',
  // RFC 2920's rule for extension commands; what follows STARTTLS belongs inside TLS (RFC 3207 4.2).
  STARTTLS:
    'RFC 2920 section 3.1 lets it only end a group, and what follows it belongs inside TLS (RFC 3207 section 4.2)',
  // AUTH is the exception checked by authMayContinueGroup below.
  AUTH:
    'RFC 4954 section 4 lets AUTH only end a group, unless it carries the initial response of a mechanism ' +
    'that completes in one round trip without a security layer, such as PLAIN or EXTERNAL',
};
/** RFC 4954 section 4: AUTH may stand inside a group when it carries an initial response for a
 *  mechanism in which the client speaks first, that completes in one round trip and negotiates no
 *  security layer. The RFC names PLAIN (RFC 4616) and EXTERNAL (RFC 4422 appendix A); ANONYMOUS is
 *  one message from the client too (RFC 4505 section 2). LOGIN asks a second time (the password),
 *  so it never qualifies. `=` alone is an empty initial response (RFC 4954 section 4), still one. */
const ONE_ROUND_TRIP = ['PLAIN', 'EXTERNAL', 'ANONYMOUS'];
function authMayContinueGroup(line: string): boolean {
  const [, mechanism, initial] = /^\s*AUTH\s+(\S+)(?:\s+(\S+))?/i.exec(line) ?? [];
  return initial !== undefined && ONE_ROUND_TRIP.includes(mechanism.toUpperCase());
}
/** The practice accounts and domain: prose says {user}, {peer}, {domain} so a class reads its own. */
const HARD_CODED = /\b(alice|bob)\b|practice\.test/i;

export function lintLesson(lesson: Lesson): LintProblem[] {
  const out: LintProblem[] = [];
  const add = (line: number, code: LintCode, message: string) => out.push({ file: lesson.fileName, line, code, message });
  lintProse(lesson, add);
  lintCitations(lesson, add);
  lintConnections(lesson, add);
  for (const s of lesson.steps) {
    for (const e of s.expect) {
      if ((e.condition.kind === 'match' || e.condition.kind === 'nomatch') && !e.condition.words) {
        add(e.line, 'MATCH_WITHOUT_WORDS',
          `\`${e.text}\` needs, in quotes after the pattern, what it looks for in words (such as \`"PIPELINING ` +
            `in the keyword list"\`): a learner whose reply fails it reads those words, not the regex.`);
      }
    }
  }
  return out;
}

export function lintLessons(lessons: Lesson[]): LintProblem[] {
  return lessons.flatMap(lintLesson);
}

type Add = (line: number, code: LintCode, message: string) => void;

/** The prose a learner reads: intro, each step's text, each hint. */
function readable(lesson: Lesson): { line: number; text: string; hint: boolean }[] {
  return [
    { line: 1, text: lesson.intro, hint: false },
    ...lesson.steps.flatMap((s) => [{ line: s.line, text: s.prose, hint: false }, ...(s.hint ? [{ line: s.line, text: s.hint, hint: true }] : [])]),
  ];
}

function lintProse(lesson: Lesson, add: Add): void {
  const known = new Set<string>(PROSE_PLACEHOLDERS);
  const names = [...known].map((n) => `{${n}}`).join(' ');
  for (const { line, text, hint } of readable(lesson)) {
    const where = hint ? 'this hint' : 'this text';
    // Inside `code` a placeholder is being shown, not filled (`{studio}`, `{base64:...}`).
    const outsideCode = text.replace(/`[^`\n]*`/g, '');
    for (const m of outsideCode.matchAll(/(?<!\{)\{([A-Za-z]+)\}(?!\})/g)) {
      if (m[1] === 'password') add(line, 'UNFILLED_PLACEHOLDER',
        `${where} shows {password}, which prose never fills (the text is projected in class); say "your ` +
          `password" instead.`);
      else if (!known.has(m[1])) add(line, 'UNFILLED_PLACEHOLDER',
        `${where} holds {${m[1]}}, which prose cannot fill; use ${names} or {base64:...} of them.`);
    }
    const hard = HARD_CODED.exec(text);
    if (hard) add(line, 'HARD_CODED_ACCOUNT',
      `${where} names ${JSON.stringify(hard[0])}; write {user}, {peer}, {address}, {peerAddress} or ` +
        `{domain} so every student reads their own account.`);
  }
  for (const s of lesson.steps) {
    const hard = s.send ? HARD_CODED.exec(s.send) : null;
    if (hard) add(s.line, 'HARD_CODED_ACCOUNT',
      `the send block names ${JSON.stringify(hard[0])}; write {user}, {address}, {peerAddress} or ` +
        `{domain} so every student uses their own account.`);
  }
}

/** "RFC 5321 section 4.5.3.1.10", "RFC 3501" (no section): every citation in what the learner reads. */
export function citations(text: string): { rfc: number; section: string | null }[] {
  return [...text.matchAll(/\bRFC\s+(\d{3,5})(?:,?\s+sections?\s+(\d+(?:\.\d+)*))?/g)].map((m) => ({ rfc: Number(m[1]), section: m[2] ?? null }));
}

function lintCitations(lesson: Lesson, add: Add): void {
  const all = readable(lesson);
  const cited = new Set(all.flatMap((r) => citations(r.text).map((c) => c.rfc)));
  for (const { line, text } of all) {
    for (const c of citations(text)) {
      const entry = RFC_SECTIONS[c.rfc];
      if (!entry) {
        add(line, 'UNKNOWN_RFC',
          `RFC ${c.rfc} is not in the bundled table (app/src/lessons/rfc-sections.ts); check the number, ` +
            `or add the RFC with its section titles.`);
        continue;
      }
      if (c.section && !entry.sections[c.section]) {
        const near = Object.keys(entry.sections).filter((k) => k.split('.')[0] === c.section!.split('.')[0]).slice(0, 8);
        add(line, 'UNKNOWN_RFC_SECTION',
          `RFC ${c.rfc} (${entry.title}) has no section ${c.section}${entry.source === 'toc' ? ' in the bundled table' : ''}; ` +
            `${near.length ? `its sections there are ${near.join(', ')}` : 'check the number'}.`);
      }
      if (entry.obsoletedBy && !cited.has(entry.obsoletedBy)) {
        add(line, 'OBSOLETE_RFC_ALONE',
          `RFC ${c.rfc} was replaced by RFC ${entry.obsoletedBy}; say so, and cite both where their behaviour ` +
            `differs.`);
        cited.add(entry.obsoletedBy); // once per lesson is enough
      }
    }
  }
}

/** Walks the steps connection by connection, with what the client knows of each server so far. */
function lintConnections(lesson: Lesson, add: Add): void {
  let smtp = { pipelining: false, inData: false };
  let imap = { loginDisabled: false, selected: null as string | null };
  let pop3 = { pipelining: false };
  for (const s of lesson.steps) {
    if (s.kind === 'studio') continue;
    if (s.kind === 'greeting') {
      smtp = { pipelining: false, inData: false };
      // The practice IMAP port on plain text always says LOGINDISABLED (README); others say it in CAPABILITY.
      imap = { loginDisabled: s.connect === 'practice/imap', selected: null };
      pop3 = { pipelining: false };
    }
    const lines = s.send ? s.send.split('\n') : [];
    if (s.protocol === 'smtp') lintSmtpStep(s, lines, smtp, add);
    else if (s.protocol === 'imap') lintImapStep(s, lines, imap, add);
    else if (s.protocol === 'pop3') lintPop3Step(s, lines, pop3, add);
  }
}

const shows = (s: Step, word: RegExp) => s.expect.some((e) => e.condition.kind === 'match' && word.test(e.condition.regex.source));

function lintSmtpStep(s: Step, lines: string[], st: { pipelining: boolean; inData: boolean }, add: Add): void {
  // One group = one send block. Content after a 354 counts as one "command" and may open a group.
  const commands: string[] = [];
  /** The line each command came from, by index (the content after 354 has none). */
  const sent: string[] = [];
  let inData = st.inData;
  let header = inData;
  let hasDate = false;
  for (const l of lines) {
    if (inData) {
      if (header && l === '') header = false;
      // The MIME studio always writes Date: (app/src/mime/generate.ts).
      if (header && (/^Date:/i.test(l) || l === '{studio}')) hasDate = true;
      if (l === '.') {
        commands.push('(message)');
        if (!hasDate) add(s.line, 'LETTER_WITHOUT_DATE',
          'the letter has no `Date:` header, which RFC 5322 section 3.6 requires of every message; add ' +
            '`Date: {date}` to its headers.');
        inData = false;
      }
      continue;
    }
    const verb = (/^\s*(\S+)/.exec(l)?.[1] ?? '').toUpperCase();
    commands.push(verb);
    sent[commands.length - 1] = l;
    if (verb === 'DATA') {
      inData = true;
      header = true;
      hasDate = false;
    }
  }
  if (commands.length > 1) {
    if (!st.pipelining) add(s.line, 'PIPELINING_NOT_OFFERED',
      'this step sends several commands at once, but no earlier step on this connection checked that ' +
        'EHLO listed PIPELINING (RFC 2920 section 3); add `match /PIPELINING/ "PIPELINING in the keyword ' +
        'list"` to the EHLO step, or send one command per step.');
    commands.slice(0, -1).forEach((c, i) => {
      const rule = LAST_IN_GROUP[c];
      if (rule && !(c === 'AUTH' && authMayContinueGroup(sent[i]))) {
        add(s.line, 'PIPELINING_GROUP',
          `${c} is command ${i + 1} of ${commands.length} in this group, but ${rule}; end the send block ` +
            `after ${c} and put the rest in the next step.`);
      }
    });
  }
  // What the next step of this connection starts with.
  const last = commands[commands.length - 1];
  st.inData = inData || (last === 'DATA' && s.expect.some((e) => e.condition.kind === 'code' && e.condition.pattern.split('|').includes('354')));
  if (commands.some((c) => c === 'EHLO') && shows(s, /PIPELINING/)) st.pipelining = true;
  if (commands.some((c) => c === 'HELO' || c === 'STARTTLS')) st.pipelining = false; // RFC 3207 section 4.2: forget it
}

function lintImapStep(s: Step, lines: string[], st: { loginDisabled: boolean; selected: string | null }, add: Add): void {
  if (shows(s, /LOGINDISABLED/)) st.loginDisabled = true;
  for (const l of lines) {
    const m = /^\S+\s+(?:UID\s+)?(\S+)\s*(.*)$/i.exec(l);
    if (!m) continue;
    const cmd = m[1].toUpperCase();
    const arg = mailboxArg(m[2]);
    if (cmd === 'LOGIN' && st.loginDisabled) {
      add(s.line, 'LOGIN_AFTER_LOGINDISABLED',
        'this step sends LOGIN while the server says LOGINDISABLED; RFC 9051 and RFC 3501 section 6.2.3 ' +
          'say the client MUST NOT (the password would cross the wire in clear, whatever the server answers). ' +
          'Run STARTTLS first.');
    }
    if (cmd === 'SELECT' || cmd === 'EXAMINE') st.selected = arg;
    else if (cmd === 'CLOSE' || cmd === 'UNSELECT' || cmd === 'LOGOUT') st.selected = null;
    else if (cmd === 'STATUS' && st.selected !== null && sameMailbox(arg, st.selected)) {
      add(s.line, 'STATUS_ON_SELECTED',
        `STATUS ${arg} asks about the mailbox that is selected; RFC 9051 section 6.3.11 says a client ` +
          `SHOULD NOT (the selected mailbox's untagged updates already say it). Ask about another mailbox, ` +
          `or CLOSE or UNSELECT first.`);
    }
  }
  if (s.action === 'starttls') st.loginDisabled = false;
}

/** The first argument, a mailbox name: atom or quoted string. */
function mailboxArg(rest: string): string {
  const q = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
  return q ? q[1] : (rest.split(/\s+/)[0] ?? '');
}

/** INBOX is case-insensitive (RFC 9051 section 5.1); other names compare as written. */
function sameMailbox(a: string, b: string): boolean {
  return a === b || (a.toUpperCase() === 'INBOX' && b.toUpperCase() === 'INBOX');
}

function lintPop3Step(s: Step, lines: string[], st: { pipelining: boolean }, add: Add): void {
  if (lines.length > 1 && !st.pipelining) {
    add(s.line, 'PIPELINING_NOT_OFFERED',
      'this step sends several POP3 commands at once, but no earlier step on this connection checked ' +
        'that CAPA listed PIPELINING (RFC 2449 section 6.6); add `match /^PIPELINING/m "PIPELINING in ' +
        'the list"` to a CAPA step, or send one command per step.');
  }
  if (lines.some((l) => /^CAPA\b/i.test(l)) && shows(s, /PIPELINING/)) st.pipelining = true;
  if (s.action === 'starttls') st.pipelining = false; // RFC 2595 section 4: ask CAPA again after STLS
}
