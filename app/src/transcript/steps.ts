// Groups the raw events of a transcript into steps: one command and its reply (what one arrow pair
// of the sequence diagram shows, and what one press of "next" reveals in replay).
//
// A deliberately small splitter (the full parsers are in app/src/protocols; it shares only the
// POP3 list of multi-line commands with them):
// - SMTP: a reply is complete at its last line, "ddd " (RFC 5321 4.2.1); replies match commands
//   in order, which also covers PIPELINING (RFC 2920). After 354 the client's lines up to "."
//   are the message: one step.
// - IMAP: by tag (RFC 3501 2.2.1); untagged data goes to the oldest command in progress, a "+"
//   continuation to the newest; literals {n} are counted, not scanned for line ends.
// - POP3: one status line, or, for CAPA/LIST/UIDL/RETR/TOP after +OK, lines up to "." (RFC 1939 3).
// A received chunk can hold the replies of several commands, so a step holds byte ranges of events.

import { isMultilineCommand } from '../protocols/pop3/parse.ts';
import { latin1 } from './bytes.ts';
import { MASK } from './mask.ts';
import { tlsFlags, type Protocol, type Transcript, type TranscriptEvent } from './model.ts';

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

/** `raw`: counted literal bytes; `partial`: the stream ended inside a line (it completes nothing). */
type LineHandler = (parts: StepPart[], text: string, raw: boolean, partial?: boolean) => void;

/** Cuts one direction of the stream into lines (or counted raw runs, for IMAP literals). */
class LineReader {
  private parts: StepPart[] = [];
  private raw = 0;
  constructor(
    private readonly events: TranscriptEvent[],
    private readonly onLine: LineHandler,
  ) {}
  push(event: number, data: Uint8Array): void {
    let p = 0;
    while (p < data.length) {
      if (this.raw > 0) {
        const n = Math.min(this.raw, data.length - p);
        this.add(event, p, p + n);
        this.raw -= n;
        p += n;
        if (this.raw === 0) this.flush(true);
        continue;
      }
      const lf = data.indexOf(10, p);
      const end = lf < 0 ? data.length : lf + 1;
      this.add(event, p, end);
      p = end;
      if (lf >= 0) this.flush(false);
    }
  }
  expectRaw(n: number): void {
    this.raw = n;
  }
  end(): void {
    if (this.parts.length) this.flush(this.raw > 0, true);
    this.raw = 0;
  }
  private add(event: number, start: number, end: number): void {
    const last = this.parts.at(-1);
    if (last && last.event === event && last.end === start) last.end = end;
    else this.parts.push({ event, start, end });
  }
  private flush(raw: boolean, partial = false): void {
    const parts = this.parts;
    this.parts = [];
    this.onLine(parts, partsText(this.events, parts, true), raw, partial);
  }
}

/** The bytes of some parts as a latin1 string, secret ranges replaced by the mask when `masked`. */
export function partsText(events: TranscriptEvent[], parts: StepPart[], masked = true): string {
  let out = '';
  for (const { event, start, end } of parts) {
    const e = events[event];
    if (!e || !('data' in e)) continue;
    const secrets = masked && !e.masked ? (e.secret ?? []) : [];
    let p = start;
    for (const r of [...secrets].sort((a, b) => a.start - b.start)) {
      if (r.end <= p || r.start >= end) continue;
      out += latin1(e.data, p, Math.max(p, r.start)) + MASK;
      p = Math.min(end, r.end);
    }
    out += latin1(e.data, p, end);
  }
  return out;
}

const literalAtEnd = (text: string) => /\{(\d+)\+?\}\r?\n$/.exec(text);

export function splitSteps(transcript: Transcript): Step[] {
  const { events } = transcript;
  const protocol: Protocol = transcript.meta.protocol;
  const inTls = tlsFlags(events);
  const steps: Step[] = [];
  const pending: Step[] = []; // commands (and the greeting) waiting for their reply, oldest first
  const state = {
    smtpData: null as Step | null, // the message step after 354, until "."
    smtpDataNext: false, // 354 arrived: the client's next line starts the message
    imapClientContinue: null as Step | null, // the client's line continues after a literal
    imapAwaitingContinuation: null as Step | null, // the server sent "+": the next client line answers it
    imapServerContinue: null as Step | null,
    pop3Body: new Set<Step>(),
    tags: new Map<Step, string>(),
  };

  const newStep = (kind: StepKind, label: string, event: number): Step => {
    const step: Step = {
      index: steps.length,
      kind,
      label,
      status: null,
      statusLine: null,
      complete: false,
      tls: inTls[event] ?? false,
      sent: [],
      received: [],
      events: [],
      t: events[event]?.t ?? 0,
    };
    steps.push(step);
    return step;
  };
  const attach = (step: Step, side: 'sent' | 'received', parts: StepPart[]) => {
    step[side].push(...parts);
    for (const p of parts) if (!step.events.includes(p.event)) step.events.push(p.event);
    step.events.sort((a, b) => a - b);
  };
  const finish = (step: Step, status: string, line: string) => {
    step.status = status;
    step.statusLine = line.replace(/\r?\n$/, '');
    step.complete = true;
    const at = pending.indexOf(step);
    if (at >= 0) pending.splice(at, 1);
  };
  const serverTarget = (parts: StepPart[]): Step => {
    // Unsolicited lines in a row (an IMAP burst of untagged data, a 421 before closing) share a step.
    const lastServer = steps.at(-1)?.kind === 'server' ? steps.at(-1) : undefined;
    const step =
      pending[0] ?? lastServer ?? newStep(steps.length === 0 ? 'connect' : 'server', steps.length === 0 ? 'greeting' : '(from the server)', parts[0]!.event);
    if (!pending.includes(step) && step.kind === 'connect') pending.push(step);
    return step;
  };

  // ---- the client side ----
  const onClientLine: LineHandler = (parts, text, raw) => {
    const line = text.replace(/\r?\n$/, '');
    if (protocol === 'smtp') {
      if (state.smtpDataNext) {
        state.smtpDataNext = false;
        state.smtpData = newStep('command', '(message content)', parts[0]!.event);
        pending.push(state.smtpData);
      }
      if (state.smtpData) {
        attach(state.smtpData, 'sent', parts);
        if (line === '.') state.smtpData = null;
        return;
      }
      const step = newStep('command', line, parts[0]!.event);
      attach(step, 'sent', parts);
      pending.push(step);
      return;
    }
    if (protocol === 'imap') {
      let step = state.imapClientContinue ?? state.imapAwaitingContinuation;
      state.imapClientContinue = null;
      state.imapAwaitingContinuation = null;
      if (!step) {
        step = newStep('command', line, parts[0]!.event);
        state.tags.set(step, line.split(' ')[0]!);
        pending.push(step);
      }
      attach(step, 'sent', parts);
      const lit = raw ? null : literalAtEnd(text);
      if (lit) {
        clientReader.expectRaw(Number(lit[1]));
        state.imapClientContinue = step;
      } else if (raw) state.imapClientContinue = step; // the rest of the line follows the literal
      return;
    }
    const step = newStep('command', line, parts[0]!.event);
    attach(step, 'sent', parts);
    pending.push(step);
  };

  // ---- the server side ----
  const onServerLine: LineHandler = (parts, text, raw, partial) => {
    const line = text.replace(/\r?\n$/, '');
    if (partial) {
      attach(pending[0] ?? steps.at(-1) ?? serverTarget(parts), 'received', parts);
      return;
    }
    if (protocol === 'smtp') {
      const step = serverTarget(parts);
      attach(step, 'received', parts);
      const m = /^(\d{3})(-)?/.exec(line);
      if (m && !m[2]) {
        if (m[1] === '354' && step.kind === 'command' && /^DATA$/i.test(step.label)) state.smtpDataNext = true;
        finish(step, m[1]!, line);
      }
      return;
    }
    if (protocol === 'pop3') {
      const step = serverTarget(parts);
      attach(step, 'received', parts);
      if (state.pop3Body.has(step)) {
        if (line === '.') {
          state.pop3Body.delete(step);
          finish(step, step.status ?? '+OK', step.statusLine ?? '+OK'); // keeps the +OK line as the status
        }
        return;
      }
      const status = line.startsWith('+OK') ? '+OK' : line.startsWith('-ERR') ? '-ERR' : line.startsWith('+') ? '+' : null;
      if (!status) return;
      if (status === '+OK' && step.kind === 'command' && isMultilineCommand(step.label)) {
        step.status = status;
        step.statusLine = line;
        state.pop3Body.add(step);
      } else finish(step, status, line);
      return;
    }
    // IMAP
    let step: Step;
    if (state.imapServerContinue) {
      step = state.imapServerContinue;
      state.imapServerContinue = null;
      attach(step, 'received', parts);
    } else if (line.startsWith('+')) {
      step = pending.at(-1) ?? serverTarget(parts);
      attach(step, 'received', parts);
      if (!state.imapClientContinue) state.imapAwaitingContinuation = step;
    } else if (line.startsWith('* ')) {
      step = serverTarget(parts);
      attach(step, 'received', parts);
      if (step.kind === 'connect') finish(step, (line.split(' ')[1] ?? '').toUpperCase(), line);
      else if (step.kind === 'server') step.complete = true; // untagged data needs no completion
    } else {
      const [tag, status] = line.split(' ');
      step = pending.find((s) => state.tags.get(s) === tag) ?? serverTarget(parts);
      attach(step, 'received', parts);
      if (state.tags.get(step) === tag) finish(step, (status ?? '').toUpperCase(), line);
    }
    const lit = raw ? null : literalAtEnd(text);
    if (lit) {
      serverReader.expectRaw(Number(lit[1]));
      state.imapServerContinue = step;
    } else if (raw) state.imapServerContinue = step;
  };

  const clientReader = new LineReader(events, onClientLine);
  const serverReader = new LineReader(events, onServerLine);

  events.forEach((e, i) => {
    switch (e.kind) {
      case 'sent':
        return clientReader.push(i, e.data);
      case 'received':
        return serverReader.push(i, e.data);
      case 'opened': {
        const step = newStep('connect', `connect ${transcript.meta.target}`, i);
        step.events.push(i);
        pending.push(step);
        return;
      }
      case 'tls': {
        const step = newStep('tls', `TLS ${e.tls.protocol} ${e.tls.cipher}`, i);
        step.events.push(i);
        step.complete = true;
        return;
      }
      case 'error': {
        const step = newStep('error', `${e.code}: ${e.message}`, i);
        step.events.push(i);
        step.complete = true;
        return;
      }
      case 'closed': {
        clientReader.end();
        serverReader.end();
        const step = newStep('closed', `closed by ${e.by}${e.reason ? `: ${e.reason}` : ''}`, i);
        step.events.push(i);
        step.complete = true;
        return;
      }
    }
  });
  clientReader.end();
  serverReader.end();
  return steps;
}
