// Groups the raw events of a transcript into steps: one command and its reply (what one arrow pair
// of the sequence diagram shows, and what one press of "next" reveals in replay).
// The rules are in steps-incremental.ts, which takes events one at a time (the live console);
// splitSteps feeds it a whole transcript (replay, exports). A received chunk can hold the replies
// of several commands, so a step holds byte ranges of events.

import type { Transcript } from './model.ts';
import { StepSplitter } from './steps-incremental.ts';

export { partsText } from './step-lines.ts';
export { StepSplitter } from './steps-incremental.ts';

/** Bytes [start, end) of one event (0..0 for events without data). */
export interface StepPart {
  event: number;
  start: number;
  end: number;
}

export type StepKind = 'connect' | 'command' | 'server' | 'tls' | 'error' | 'closed';

export interface Step {
  index: number;
  kind: StepKind;
  /** What the client said (first line, secrets masked), or a short description of the event. */
  label: string;
  /** The reply status: SMTP code ("250"), IMAP "OK"/"NO"/"BAD"/"PREAUTH"/"BYE", POP3 "+OK"/"-ERR"/"+". */
  status: string | null;
  /** The reply line that gave the status (secrets never occur in replies). */
  statusLine: string | null;
  /** SMTP: the first line of a multi-line reply ("250-mail.example Hello"), which names it (RFC 5321 4.2.1). */
  firstLine?: string;
  /** The reply is complete (false for a command left without an answer). */
  complete: boolean;
  /** The step happened inside TLS. */
  tls: boolean;
  sent: StepPart[];
  received: StepPart[];
  /** Indices of every event the step touches, ascending; meta events have exactly one. */
  events: number[];
  /** Time of the step's first event, ms since start. */
  t: number;
}

export function splitSteps(transcript: Transcript): Step[] {
  const splitter = new StepSplitter(transcript.meta);
  for (const e of transcript.events) splitter.push(e);
  return splitter.end();
}
