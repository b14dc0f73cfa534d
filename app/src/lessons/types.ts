// The shapes of a parsed lesson. Pure data: the lesson runner (UI) renders these, the checker
// judges replies against them. See lessons/README.md for the file format teachers write.

import { CONNECTION_SCENARIOS, type ConnectionScenario, type NamedTarget } from '../wire/messages.ts';

export const LESSON_PROTOCOLS = ['smtp', 'imap', 'pop3', 'mime'] as const;
export type LessonProtocol = (typeof LESSON_PROTOCOLS)[number];

export const LESSON_LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export type LessonLevel = (typeof LESSON_LEVELS)[number];

/** Scenario switches a lesson may turn on for its own connection (sent with `open`; see Scenarios). */
export const LESSON_SCENARIOS = CONNECTION_SCENARIOS;
export type LessonScenario = ConnectionScenario;

/** The wire protocol spoken on one connection (a MIME lesson still talks SMTP and IMAP). */
export type WireProtocol = 'smtp' | 'imap' | 'pop3';

export type ImapStatus = 'OK' | 'NO' | 'BAD';

/** One line of an ```expect block, parsed. */
export type Condition =
  | { kind: 'code'; pattern: string } // SMTP reply code, e.g. "250", "2xx" (x = any digit) or "451|250" (either)
  | { kind: 'enhanced'; pattern: string } // RFC 3463 enhanced code, e.g. "2.1.0" or "5.7.x"
  /**
   * Tagged status of the step's last tagged command, read with the learner's own tag: `imap OK`,
   * `imap NO|BAD` (either), `imap OK [READ-ONLY]` (with that response code, RFC 9051 section 7.1).
   */
  | { kind: 'imap'; status: ImapStatus; statuses: ImapStatus[]; code: string | null }
  | { kind: 'untagged'; name: string } // "* 3 EXISTS", "* CAPABILITY ..." or "[UIDNEXT" in an untagged line
  | { kind: 'pop3'; status: '+OK' | '-ERR' } // status of the last command's reply
  /** A pattern found in the reply; `words` (written in quotes after it) say in words what it looks for. */
  | { kind: 'match'; regex: RegExp; source: string; words: string | null }
  | { kind: 'nomatch'; regex: RegExp; source: string; words: string | null } // a pattern NOT found
  | { kind: 'tls'; active: boolean } // the connection is (not) under TLS
  | { kind: 'closed' } // the server closed the connection
  | { kind: 'mime'; contentType: string } // studio steps: the built message has a part of this type
  | { kind: 'header'; name: string }; // studio steps: the built message has this top-level header

export interface ExpectLine {
  condition: Condition;
  /** The line as the teacher wrote it, for messages ("expected `code 250`"). */
  text: string;
  line: number;
}

export type StepKind =
  /** The step's reply is the server's greeting on a freshly opened connection (no send). */
  | 'greeting'
  /** The learner types `send`; the reply to it is checked. */
  | 'command'
  /** The learner works in the MIME studio; the built message (RFC 5322 text) is checked. */
  | 'studio';

export interface Step {
  /** Position in the lesson, from 0. */
  index: number;
  /** Stable id within the lesson (slug of the title, made unique); progress is stored by it. */
  id: string;
  title: string;
  /** Markdown prose shown to the learner. */
  prose: string;
  kind: StepKind;
  /** The wire protocol of this step's connection; null for studio steps. */
  protocol: WireProtocol | null;
  /** Set when this step opens a new connection (the first network step, or `connect:`). */
  connect: NamedTarget | null;
  /** What to type, with placeholders unfilled; lines joined with "\n". Null for greeting/studio. */
  send: string | null;
  expect: ExpectLine[];
  hint: string | null;
  /** After this step's reply passes, the client upgrades the connection (send {type:'starttls'}). */
  action: 'starttls' | null;
  /**
   * `wait: 60`: mail that arrives later (relayed, a bounce). While the reply is whole but the check
   * fails, the runner sends the same command again every RECHECK_EVERY_MS, at most this many
   * seconds' worth of times, before it fails. IMAP command steps only. Null: one check.
   */
  waitSeconds: number | null;
  /** For studio steps: what the studio is asked to do (free words after `studio:`, e.g. "build"). */
  studio: string | null;
  /** Line of the `## ` heading in the file. */
  line: number;
}

export interface Lesson {
  id: string;
  title: string;
  protocol: LessonProtocol;
  target: NamedTarget;
  level: LessonLevel;
  minutes: number;
  prerequisites: string[];
  scenario: LessonScenario | null;
  /**
   * Why this lesson plays only against the practice server (front matter `practiceOnly:`, or its
   * scenario); null when it must also hold against Dovecot and exim (test/integration/lessons/real-servers.test.ts).
   */
  practiceOnly: string | null;
  /** Markdown prose before the first step. */
  intro: string;
  steps: Step[];
  fileName: string;
}

/** One problem in a lesson file, for teachers: where, what is wrong, what to do. */
export interface LessonError {
  file: string;
  line: number;
  /** Stable code, e.g. 'UNKNOWN_CONDITION'. */
  code: LessonErrorCode;
  /** A sentence saying what is wrong and what to do. */
  message: string;
}

export type LessonErrorCode =
  | 'NO_FRONT_MATTER'
  | 'UNTERMINATED_FRONT_MATTER'
  | 'BAD_FRONT_MATTER_LINE'
  | 'UNKNOWN_FIELD'
  | 'DUPLICATE_FIELD'
  | 'MISSING_FIELD'
  | 'BAD_FIELD_VALUE'
  | 'NO_STEPS'
  | 'EMPTY_STEP_TITLE'
  | 'UNTERMINATED_BLOCK'
  | 'UNKNOWN_BLOCK'
  | 'DUPLICATE_BLOCK'
  | 'EMPTY_EXPECT'
  | 'UNKNOWN_CONDITION'
  | 'BAD_CONDITION'
  | 'CONDITION_WRONG_PROTOCOL'
  | 'BAD_REGEX'
  | 'UNKNOWN_PLACEHOLDER'
  | 'BAD_PLACEHOLDER'
  | 'STEP_WITHOUT_SEND'
  | 'SEND_NOT_ALLOWED'
  | 'MISSING_EXPECT'
  | 'BAD_DIRECTIVE'
  | 'DUPLICATE_ID'
  | 'UNKNOWN_PREREQUISITE';

/** Thrown by parseLesson when the file has problems; carries every problem found, not just the first. */
export class LessonParseError extends Error {
  readonly errors: LessonError[];
  constructor(errors: LessonError[]) {
    super(errors.map(formatLessonError).join('\n'));
    this.name = 'LessonParseError';
    this.errors = errors;
  }
}

/** "lessons/smtp-first.md:14: an expect block needs ..." */
export function formatLessonError(e: LessonError): string {
  return `${e.file}:${e.line}: ${e.message}`;
}

/** What arrived from the server for one step (or, for a studio step, the message the studio built). */
export interface StepReply {
  /** The reply text as received (lines end in CRLF or LF); for studio steps the message source. */
  text: string;
  /** The connection is under TLS now (implicit TLS, or after STARTTLS). */
  tlsActive: boolean;
  /** The server closed the connection. */
  closed: boolean;
  /**
   * The lines actually sent for this step, when the learner typed them (their IMAP tag may differ
   * from the lesson's `a1`). Defaults to the step's send template.
   */
  sentLines?: string[];
  /**
   * SMTP: false when this session has no enhanced status codes (the client said HELO, or EHLO did
   * not list ENHANCEDSTATUSCODES): RFC 2034 section 3 lets a server send them only after
   * advertising them, so `enhanced` conditions are then not checked. Unknown when absent.
   */
  enhancedCodes?: boolean;
}

export interface ConditionFailure {
  /** The expect line that failed, as written. */
  condition: string;
  /** What was expected, what came, and what it means. */
  message: string;
}

export type CheckResult =
  | { pass: true }
  | { pass: false; message: string; failures: ConditionFailure[] };

/** Values the placeholders in `send` blocks are filled with. */
export interface PlaceholderValues {
  user: string; // alice
  password: string; // practice
  domain: string; // practice.test
  peer: string; // bob: the other account, to send mail to
  /** Fresh per lesson run (newNonce()), so each run's message and greylist pair are new. */
  nonce: string;
  /** For {date}; absent means the time the send is filled. */
  date?: string;
  /** The message built in the MIME studio (RFC 5322 text), for {studio}. */
  studio?: string;
}
