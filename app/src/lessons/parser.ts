// parseLesson(fileName, text): a lesson file (front matter + `## Step` sections) -> Lesson.
// Every problem is collected with its line and a sentence saying what to do; the format itself
// is described for teachers in lessons/README.md.

import { NAMED_TARGETS, type NamedTarget } from '../wire/messages.ts';
import { parseCondition, conditionScope } from './conditions.ts';
import { parseFrontMatter, type FrontMatter } from './frontmatter.ts';
import { PlaceholderError, placeholdersIn } from './placeholders.ts';
import {
  LESSON_LEVELS,
  LESSON_PROTOCOLS,
  LESSON_SCENARIOS,
  LessonParseError,
  type ExpectLine,
  type Lesson,
  type LessonError,
  type LessonLevel,
  type LessonProtocol,
  type LessonScenario,
  type Step,
  type WireProtocol,
} from './types.ts';

export type LessonParseResult = { ok: true; lesson: Lesson } | { ok: false; errors: LessonError[] };

/** Parses one lesson file; throws LessonParseError listing every problem found. */
export function parseLesson(fileName: string, text: string): Lesson {
  const r = tryParseLesson(fileName, text);
  if (!r.ok) throw new LessonParseError(r.errors);
  return r.lesson;
}

/** As parseLesson, but returns the problems instead of throwing. */
export function tryParseLesson(fileName: string, text: string): LessonParseResult {
  const errors: LessonError[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const fm = parseFrontMatter(fileName, lines, errors);
  if (!fm) return { ok: false, errors };
  const head = readFields(fileName, fm, errors);
  const { intro, sections, pre } = splitSections(lines, fm.bodyStart);
  for (const p of pre) errors.push({ ...p, file: fileName });
  if (sections.length === 0) {
    errors.push(err(fileName, lines.length, 'NO_STEPS', 'a lesson needs at least one step: a `## Step title` heading followed by its prose, ```send and ```expect blocks.'));
  }
  const steps = head ? buildSteps(fileName, sections, head.target, errors) : [];
  if (errors.length > 0 || !head) return { ok: false, errors };
  return { ok: true, lesson: { ...head, intro, steps, fileName } };
}

const err = (file: string, line: number, code: LessonError['code'], message: string): LessonError => ({ file, line, code, message });

type Head = Omit<Lesson, 'intro' | 'steps' | 'fileName'>;
const KNOWN_FIELDS = ['id', 'title', 'protocol', 'target', 'level', 'minutes', 'prerequisites', 'scenario', 'practiceOnly'];

function readFields(file: string, fm: FrontMatter, errors: LessonError[]): Head | null {
  const before = errors.length;
  const f = fm.fields;
  const fmLine = Math.max(1, fm.bodyStart - 1);
  for (const [key, v] of f) {
    if (!KNOWN_FIELDS.includes(key)) errors.push(err(file, v.line, 'UNKNOWN_FIELD', `unknown front-matter field \`${key}\`; the fields are ${KNOWN_FIELDS.join(', ')}.`));
  }
  const str = (key: string, required: boolean): { value: string; line: number } | null => {
    const v = f.get(key);
    if (!v) {
      if (required) errors.push(err(file, fmLine, 'MISSING_FIELD', `the front matter has no \`${key}:\`; add it (see lessons/README.md).`));
      return null;
    }
    if (Array.isArray(v.value) || v.value === '') {
      errors.push(err(file, v.line, 'BAD_FIELD_VALUE', `\`${key}\` needs a single value, such as \`${key}: ${exampleOf(key)}\`.`));
      return null;
    }
    return { value: v.value, line: v.line };
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], required: boolean): T | null => {
    const v = str(key, required);
    if (!v) return null;
    if (!(allowed as readonly string[]).includes(v.value)) {
      errors.push(err(file, v.line, 'BAD_FIELD_VALUE', `unknown ${key} ${JSON.stringify(v.value)}; use one of ${allowed.join(', ')}.`));
      return null;
    }
    return v.value as T;
  };

  const idField = str('id', true);
  if (idField && !/^[a-z0-9][a-z0-9-]*$/.test(idField.value)) {
    errors.push(err(file, idField.line, 'BAD_FIELD_VALUE', `the id ${JSON.stringify(idField.value)} may hold only lowercase letters, digits and dashes, such as \`smtp-first-conversation\`.`));
  }
  const title = str('title', true);
  const protocol = oneOf<LessonProtocol>('protocol', LESSON_PROTOCOLS, true);
  const target = oneOf<NamedTarget>('target', NAMED_TARGETS, true);
  const level = oneOf<LessonLevel>('level', LESSON_LEVELS, true);
  const scenario = oneOf<LessonScenario>('scenario', LESSON_SCENARIOS, false);
  // Why only the practice server can play this lesson (a scenario, a practice-only policy); the
  // real-server test (Dovecot, exim) skips it and prints the reason. A scenario implies it.
  const practiceOnlyField = str('practiceOnly', false);
  const minutesField = str('minutes', true);
  let minutes = 0;
  if (minutesField) {
    minutes = Number(minutesField.value);
    if (!/^\d+$/.test(minutesField.value) || minutes < 1 || minutes > 240) {
      errors.push(err(file, minutesField.line, 'BAD_FIELD_VALUE', `\`minutes\` is a whole number from 1 to 240 (how long the lesson takes); got ${JSON.stringify(minutesField.value)}.`));
    }
  }
  let prerequisites: string[] = [];
  const pre = f.get('prerequisites');
  if (pre) {
    if (!Array.isArray(pre.value)) {
      errors.push(err(file, pre.line, 'BAD_FIELD_VALUE', '`prerequisites` is a list of lesson ids in brackets, such as `prerequisites: [smtp-first-conversation]`, or `[]`.'));
    } else prerequisites = pre.value;
  }
  if (protocol && target && protocol !== 'mime' && wireProtocolOf(target) !== protocol) {
    const line = f.get('target')!.line;
    errors.push(err(file, line, 'BAD_FIELD_VALUE', `the target ${target} speaks ${wireProtocolOf(target).toUpperCase()}, but the lesson's protocol is ${protocol}; pick a ${protocol} target such as practice/${protocol}.`));
  }
  if (idField && prerequisites.includes(idField.value)) {
    errors.push(err(file, pre!.line, 'BAD_FIELD_VALUE', 'a lesson cannot be its own prerequisite; remove its id from `prerequisites`.'));
  }
  if (errors.length > before || !idField || !title || !protocol || !target || !level) return null;
  const practiceOnly = practiceOnlyField?.value ?? (scenario ? `the ${scenario} scenario` : null);
  return { id: idField.value, title: title.value, protocol, target, level, minutes, prerequisites, scenario, practiceOnly };
}

function exampleOf(key: string): string {
  return ({ id: 'smtp-first-conversation', title: 'Your first SMTP conversation', protocol: 'smtp', target: 'practice/smtp', level: 'beginner', minutes: '10', scenario: 'greylist' } as Record<string, string>)[key] ?? 'value';
}

/** practice/smtp, submission, smtps -> smtp; imap, imaps -> imap; pop3, pop3s -> pop3 (faraway/* alike). */
export function wireProtocolOf(target: NamedTarget): WireProtocol {
  if (/^(practice|faraway)\/imap/.test(target)) return 'imap';
  if (target.startsWith('practice/pop3')) return 'pop3';
  return 'smtp';
}

// ---- sections and blocks ----

interface Block {
  info: string;
  lines: string[];
  line: number; // line of the opening fence
}
interface Section {
  title: string;
  line: number;
  prose: string[];
  blocks: Block[];
  directives: { name: string; value: string; line: number }[];
  problems: LessonError[];
}

const PROSE_FENCES = ['', 'text', 'smtp', 'imap', 'pop3', 'mime', 'email', 'console', 'markdown'];
const LESSON_BLOCKS = ['send', 'expect', 'hint'];
const DIRECTIVE = /^(action|connect|studio|wait)\s*:\s*(.*)$/;
/** The longest a `wait:` step keeps asking: long enough for a compressed-time retry, short enough for a class. */
export const MAX_WAIT_SECONDS = 300;

function splitSections(lines: string[], start: number): { intro: string; sections: Section[]; pre: LessonError[] } {
  const pre: LessonError[] = [];
  const intro: string[] = [];
  const sections: Section[] = [];
  let cur: Section | null = null;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^(`{3,})\s*([^`\s]*)[^`]*$/.exec(line.trim());
    if (fence) {
      const info = fence[2].toLowerCase();
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !(lines[j].trim().startsWith(fence[1]) && /^`+$/.test(lines[j].trim()))) body.push(lines[j++]);
      const block: Block = { info, lines: body, line: i + 1 };
      if (j >= lines.length) {
        const problem = err('', i + 1, 'UNTERMINATED_BLOCK', `the \`\`\`${info} block opened here is never closed; add a line with three backticks after its last line.`);
        (cur ? cur.problems : pre).push(problem);
        break;
      }
      if (cur && LESSON_BLOCKS.includes(info)) cur.blocks.push(block);
      else if (!cur && LESSON_BLOCKS.includes(info)) {
        pre.push(err('', i + 1, 'UNKNOWN_BLOCK', `this \`\`\`${info} block comes before the first step; put a \`## Step title\` heading above it.`));
      } else if (!PROSE_FENCES.includes(info)) {
        const problem = err('', i + 1, 'UNKNOWN_BLOCK', `\`\`\`${info} is not a lesson block; use \`\`\`send, \`\`\`expect or \`\`\`hint, or \`\`\`text for an example shown as prose.`);
        (cur ? cur.problems : pre).push(problem);
      } else (cur ? cur.prose : intro).push(...lines.slice(i, j + 1));
      i = j;
      continue;
    }
    const heading = /^##\s+(.*)$/.exec(line);
    if (heading && !line.startsWith('###')) {
      cur = { title: heading[1].trim(), line: i + 1, prose: [], blocks: [], directives: [], problems: [] };
      sections.push(cur);
      continue;
    }
    const dir = cur ? DIRECTIVE.exec(line.trim()) : null;
    if (cur && dir) cur.directives.push({ name: dir[1], value: dir[2].trim(), line: i + 1 });
    else (cur ? cur.prose : intro).push(line);
  }
  return { intro: intro.join('\n').trim(), sections, pre };
}

function slugify(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'step';
}

function buildSteps(file: string, sections: Section[], lessonTarget: NamedTarget, errors: LessonError[]): Step[] {
  const steps: Step[] = [];
  const ids = new Set<string>();
  let connected: NamedTarget | null = null;
  let sawStudio = false;
  for (const s of sections) {
    for (const p of s.problems) errors.push({ ...p, file });
    const e = (line: number, code: LessonError['code'], message: string) => errors.push(err(file, line, code, message));
    if (!s.title) e(s.line, 'EMPTY_STEP_TITLE', 'a step heading needs a title after `## `, such as `## Say hello with EHLO`.');

    const blocks: Record<string, Block> = {};
    for (const b of s.blocks) {
      if (blocks[b.info]) e(b.line, 'DUPLICATE_BLOCK', `this step already has a \`\`\`${b.info} block (line ${blocks[b.info].line}); put all its lines in one block.`);
      else blocks[b.info] = b;
    }
    let action: 'starttls' | null = null;
    let connect: NamedTarget | null = null;
    let studio: string | null = null;
    let waitSeconds: number | null = null;
    let waitLine = 0;
    for (const d of s.directives) {
      if (d.name === 'action') {
        if (d.value.toLowerCase() === 'starttls') action = 'starttls';
        else e(d.line, 'BAD_DIRECTIVE', `unknown action ${JSON.stringify(d.value)}; the only action is \`action: starttls\` (the client upgrades to TLS after this step's reply).`);
      } else if (d.name === 'connect') {
        if ((NAMED_TARGETS as readonly string[]).includes(d.value)) connect = d.value as NamedTarget;
        else e(d.line, 'BAD_DIRECTIVE', `unknown target ${JSON.stringify(d.value)} after \`connect:\`; use one of ${NAMED_TARGETS.join(', ')}.`);
      } else if (d.name === 'wait') {
        const m = /^(\d{1,3})\s*s?$/.exec(d.value);
        if (m && +m[1] >= 1 && +m[1] <= MAX_WAIT_SECONDS) waitSeconds = +m[1];
        else e(d.line, 'BAD_DIRECTIVE', `\`wait:\` takes seconds, 1 to ${MAX_WAIT_SECONDS}, such as \`wait: 60\` (how long to keep asking for mail that arrives later).`);
        waitLine = d.line;
      } else if (d.name === 'studio') {
        if (d.value) studio = d.value;
        else e(d.line, 'BAD_DIRECTIVE', '`studio:` needs a task after it, such as `studio: build`.');
      }
    }

    const isStudio = studio !== null;
    if (isStudio && connect) e(s.line, 'BAD_DIRECTIVE', 'a studio step happens in the MIME studio, not on a connection; move `connect:` to the next network step.');
    if (isStudio && action) e(s.line, 'BAD_DIRECTIVE', '`action: starttls` needs a network step; a studio step has no connection.');
    const opens = !isStudio && (connect !== null || connected === null);
    if (opens) connected = connect ?? (connected === null ? lessonTarget : connected);
    const protocol = isStudio ? null : wireProtocolOf(connected ?? lessonTarget);
    const kind = isStudio ? 'studio' : opens ? 'greeting' : 'command';

    if (waitSeconds !== null && (kind !== 'command' || protocol !== 'imap')) {
      // POP3 sees a fixed maildrop per session (RFC 1939 section 8) and SMTP has no mailbox: only IMAP can see new mail arrive.
      e(waitLine, 'BAD_DIRECTIVE', '`wait:` re-sends an IMAP command (NOOP, STATUS, SEARCH) until new mail shows; use it on an IMAP step with a ```send.');
      waitSeconds = null;
    }

    const send = blocks.send ?? null;
    if (send && kind !== 'command') {
      e(send.line, 'SEND_NOT_ALLOWED', kind === 'studio'
        ? 'a studio step has no ```send block: the learner works in the MIME studio. Put the sending in a later step.'
        : 'this step opens a connection, so its reply is the server greeting and it takes no ```send; move the send to the next step.');
    }
    if (!send && kind === 'command') e(s.line, 'STEP_WITHOUT_SEND', 'this step has no ```send block; add what the learner types, such as ```send / EHLO client.example / ```.');
    let sendText: string | null = null;
    if (send && kind === 'command') {
      const lines = trimBlock(send.lines);
      if (lines.length === 0) e(send.line, 'STEP_WITHOUT_SEND', 'this ```send block is empty; write the command the learner types.');
      sendText = lines.join('\n');
      try {
        const used = placeholdersIn(sendText);
        if (used.includes('studio') && !sawStudio) e(send.line, 'BAD_PLACEHOLDER', '{studio} inserts the message built in the MIME studio, so a `studio: build` step must come before this one.');
      } catch (pe) {
        if (!(pe instanceof PlaceholderError)) throw pe;
        e(send.line, /unknown placeholder/.test(pe.message) ? 'UNKNOWN_PLACEHOLDER' : 'BAD_PLACEHOLDER', pe.message);
      }
    }

    const expect: ExpectLine[] = [];
    const ex = blocks.expect;
    if (!ex) e(s.line, 'MISSING_EXPECT', 'this step has no ```expect block; add one with the reply it expects, such as `code 250`.');
    else {
      let written = 0;
      ex.lines.forEach((raw, k) => {
        const t = raw.trim();
        const line = ex.line + 1 + k;
        if (!t || t.startsWith('#')) return;
        written++;
        const c = parseCondition(t);
        if (!c.ok) return e(line, c.code, c.message);
        const scope = conditionScope(c.condition);
        const ok = scope === 'any' || (kind === 'studio' ? scope === 'studio' : scope === 'network' || scope === protocol);
        if (!ok) {
          const where = kind === 'studio' ? 'a studio step (use `mime`, `header`, `match` or `nomatch`)' : `an ${protocol!.toUpperCase()} step`;
          return e(line, 'CONDITION_WRONG_PROTOCOL', `\`${t}\` cannot be checked on ${where}; ${scopeAdvice(protocol, kind === 'studio')}.`);
        }
        expect.push({ condition: c.condition, text: t, line });
      });
      if (written === 0) e(ex.line, 'EMPTY_EXPECT', `an expect block needs at least one condition, such as \`${kind === 'studio' ? 'mime image/*' : protocol === 'imap' ? 'imap OK' : protocol === 'pop3' ? 'pop3 +OK' : 'code 250'}\`.`);
    }
    if (isStudio) sawStudio = true;

    let id = slugify(s.title);
    for (let n = 2; ids.has(id); n++) id = `${slugify(s.title)}-${n}`;
    ids.add(id);
    const hint = blocks.hint ? trimBlock(blocks.hint.lines).join('\n') || null : null;
    steps.push({ index: steps.length, id, title: s.title, prose: s.prose.join('\n').trim(), kind, protocol, connect: opens ? connected : null, send: sendText, expect, hint, action, waitSeconds, studio, line: s.line });
  }
  return steps;
}

function scopeAdvice(protocol: WireProtocol | null, studio: boolean): string {
  if (studio) return 'a studio step checks the built message';
  if (protocol === 'smtp') return 'SMTP replies are checked with `code`, `enhanced`, `match`, `tls` or `closed`';
  if (protocol === 'imap') return 'IMAP replies are checked with `imap OK|NO|BAD`, `untagged NAME`, `match`, `tls` or `closed`';
  return 'POP3 replies are checked with `pop3 +OK|-ERR`, `match`, `tls` or `closed`';
}

function trimBlock(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return lines.slice(a, b).map((l) => l.replace(/\s+$/, ''));
}
