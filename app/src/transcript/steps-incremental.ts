// The step splitter, fed one transcript event at a time, so a live console keeps its sequence
// diagram current in amortized O(1) work per new line (splitSteps in steps.ts is this, fed a whole
// transcript). See steps.ts for what a step is.
//
// The rules, kept deliberately small (the full parsers are in app/src/protocols):
// - SMTP: a reply is complete at its last line, "ddd " (RFC 5321 4.2.1); replies match commands
//   in order, which also covers PIPELINING (RFC 2920). After 354 the client's lines up to "."
//   are the message: one step.
// - IMAP: by tag (RFC 3501 2.2.1); untagged data goes to the oldest command in progress, a "+"
//   continuation to the newest; literals {n} are counted, not scanned for line ends.
// - POP3: one status line, or, for CAPA/LIST/UIDL/RETR/TOP after +OK, lines up to "." (RFC 1939 3).
//
// A live stream often stops inside a line. view() shows the steps as if the stream ended there
// (what splitSteps gives for the same events), by applying the unfinished lines with a journal that
// the next push() rolls back before it goes on.

import { isMultilineCommand } from '../protocols/pop3/parse.ts';
import type { Protocol, TranscriptEvent, TranscriptMeta } from './model.ts';
import { LineReader, type LineHandler } from './step-lines.ts';
import type { Step, StepKind, StepPart } from './steps.ts';

const literalAtEnd = (text: string) => /\{(\d+)\+?\}\r?\n$/.exec(text);

/** What applying the unfinished lines changed, to put back before the next event. */
interface Journal {
  steps: number;
  pending: number;
  state: SplitState;
  touched: Map<Step, { sent: number; received: number; events: number[] | number }>;
}

interface SplitState {
  smtpData: Step | null; // the message step after 354, until "."
  smtpDataNext: boolean; // 354 arrived: the client's next line starts the message
  imapClientContinue: Step | null; // the client's line continues after a literal
  imapAwaitingContinuation: Step | null; // the server sent "+": the next client line answers it
  imapServerContinue: Step | null;
}

/** Steps waiting for their reply, oldest first. Replies mostly answer the oldest (a pipelined burst
 *  can leave thousands waiting), so taking that one is O(1). */
class Pending {
  private items: Step[] = [];
  private head = 0;
  get first(): Step | undefined {
    return this.items[this.head];
  }
  get last(): Step | undefined {
    return this.items.length > this.head ? this.items[this.items.length - 1] : undefined;
  }
  /** For the journal: only push() happens between reading it and truncate(). */
  get size(): number {
    return this.items.length;
  }
  push(step: Step): void {
    this.items.push(step);
  }
  truncate(size: number): void {
    this.items.length = size;
  }
  has(step: Step): boolean {
    return this.items.indexOf(step, this.head) >= 0;
  }
  find(test: (step: Step) => boolean): Step | undefined {
    for (let i = this.head; i < this.items.length; i++) if (test(this.items[i]!)) return this.items[i];
    return undefined;
  }
  remove(step: Step): void {
    const at = this.items.indexOf(step, this.head);
    if (at < 0) return;
    if (at > this.head) {
      this.items.splice(at, 1);
      return;
    }
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

export class StepSplitter {
  private readonly list: Step[] = [];
  private readonly events: TranscriptEvent[] = [];
  private readonly tlsAt: boolean[] = [];
  private inTls = false;
  private readonly pending = new Pending(); // commands (and the greeting) waiting for their reply
  private state: SplitState = {
    smtpData: null,
    smtpDataNext: false,
    imapClientContinue: null,
    imapAwaitingContinuation: null,
    imapServerContinue: null,
  };
  private readonly pop3Body = new Set<Step>();
  private readonly tags = new Map<Step, string>();
  private readonly protocol: Protocol;
  private readonly clientReader: LineReader;
  private readonly serverReader: LineReader;
  private journal: Journal | null = null;

  constructor(private readonly meta: Pick<TranscriptMeta, 'protocol' | 'target'>) {
    this.protocol = meta.protocol;
    this.clientReader = new LineReader(this.events, this.onClientLine);
    this.serverReader = new LineReader(this.events, this.onServerLine);
  }

  /** Events consumed so far. */
  get eventCount(): number {
    return this.events.length;
  }

  push(e: TranscriptEvent): void {
    this.rollback();
    const i = this.events.length;
    this.events.push(e);
    if (e.kind === 'opened') this.inTls = e.tls !== null;
    else if (e.kind === 'tls') this.inTls = true;
    this.tlsAt.push(this.inTls);
    switch (e.kind) {
      case 'sent':
        return this.clientReader.push(i, e.data);
      case 'received':
        return this.serverReader.push(i, e.data);
      case 'opened': {
        const step = this.newStep('connect', `connect ${this.meta.target}`, i);
        step.events.push(i);
        this.pending.push(step);
        return;
      }
      case 'tls':
        return this.metaStep('tls', `TLS ${e.tls.protocol} ${e.tls.cipher}`, i);
      case 'error':
        return this.metaStep('error', `${e.code}: ${e.message}`, i);
      case 'closed':
        this.clientReader.end();
        this.serverReader.end();
        return this.metaStep('closed', `closed by ${e.by}${e.reason ? `: ${e.reason}` : ''}`, i);
    }
  }

  /**
   * The steps so far, as if the stream ended here. The array and its steps are the splitter's own:
   * read them before the next push(), which may change them in place.
   */
  view(): readonly Step[] {
    this.rollback();
    const client = this.clientReader.peek();
    const server = this.serverReader.peek();
    if (!client && !server) return this.list;
    this.journal = {
      steps: this.list.length,
      pending: this.pending.size,
      state: { ...this.state },
      touched: new Map(),
    };
    // In the order end() takes them: the client's line first, then the server's.
    if (client) {
      // A literal in progress continues a known step: its text (maybe megabytes) is not needed.
      const known = client.raw && (this.state.imapClientContinue ?? this.state.imapAwaitingContinuation);
      this.onClientLine(client.parts, known ? '' : client.text(), client.raw, true);
    }
    if (server) this.serverPartial(server.parts);
    return this.list;
  }

  /** The stream is over: the unfinished lines complete nothing but belong to their steps. */
  end(): Step[] {
    this.rollback();
    this.clientReader.end();
    this.serverReader.end();
    return this.list;
  }

  private rollback(): void {
    const j = this.journal;
    if (!j) return;
    this.journal = null;
    for (const s of this.list.splice(j.steps)) this.tags.delete(s);
    this.pending.truncate(j.pending);
    this.state = j.state;
    for (const [step, was] of j.touched) {
      step.sent.length = was.sent;
      step.received.length = was.received;
      if (typeof was.events === 'number') step.events.length = was.events;
      else step.events = was.events;
    }
  }

  private newStep(kind: StepKind, label: string, event: number): Step {
    const step: Step = {
      index: this.list.length,
      kind,
      label,
      status: null,
      statusLine: null,
      complete: false,
      tls: this.tlsAt[event] ?? false,
      sent: [],
      received: [],
      events: [],
      t: this.events[event]?.t ?? 0,
    };
    this.list.push(step);
    return step;
  }

  private metaStep(kind: StepKind, label: string, event: number): void {
    const step = this.newStep(kind, label, event);
    step.events.push(event);
    step.complete = true;
  }

  private attach(step: Step, side: 'sent' | 'received', parts: StepPart[]): void {
    const j = this.journal;
    if (j && step.index < j.steps && !j.touched.has(step)) {
      j.touched.set(step, { sent: step.sent.length, received: step.received.length, events: step.events.length });
    }
    step[side].push(...parts);
    // Events arrive in order, so a new one is almost always past the last: an append.
    const ev = step.events;
    for (const { event } of parts) {
      const last = ev.length ? ev[ev.length - 1]! : -1;
      if (event > last) ev.push(event);
      else if (!ev.includes(event)) {
        const was = j?.touched.get(step);
        if (was && typeof was.events === 'number') was.events = ev.slice(0, was.events);
        ev.splice(
          ev.findIndex((x) => x > event),
          0,
          event,
        );
      }
    }
  }

  private finish(step: Step, status: string, line: string): void {
    step.status = status;
    step.statusLine = line.replace(/\r?\n$/, '');
    step.complete = true;
    this.pending.remove(step);
  }

  private serverTarget(parts: StepPart[]): Step {
    // Unsolicited lines in a row (an IMAP burst of untagged data, a 421 before closing) share a step.
    const list = this.list;
    const lastServer = list.at(-1)?.kind === 'server' ? list.at(-1) : undefined;
    const step =
      this.pending.first ??
      lastServer ??
      this.newStep(
        list.length === 0 ? 'connect' : 'server',
        list.length === 0 ? 'greeting' : '(from the server)',
        parts[0]!.event,
      );
    if (step.kind === 'connect' && !this.pending.has(step)) this.pending.push(step);
    return step;
  }

  private serverPartial(parts: StepPart[]): void {
    this.attach(this.pending.first ?? this.list.at(-1) ?? this.serverTarget(parts), 'received', parts);
  }

  // ---- the client side ----
  private readonly onClientLine: LineHandler = (parts, text, raw) => {
    const line = text.replace(/\r?\n$/, '');
    const state = this.state;
    if (this.protocol === 'smtp') {
      if (state.smtpDataNext) {
        state.smtpDataNext = false;
        state.smtpData = this.newStep('command', '(message content)', parts[0]!.event);
        this.pending.push(state.smtpData);
      }
      if (state.smtpData) {
        this.attach(state.smtpData, 'sent', parts);
        if (line === '.') state.smtpData = null;
        return;
      }
    } else if (this.protocol === 'imap') {
      let step = state.imapClientContinue ?? state.imapAwaitingContinuation;
      state.imapClientContinue = null;
      state.imapAwaitingContinuation = null;
      if (!step) {
        step = this.newStep('command', line, parts[0]!.event);
        this.tags.set(step, line.split(' ')[0]!);
        this.pending.push(step);
      }
      this.attach(step, 'sent', parts);
      const lit = raw ? null : literalAtEnd(text);
      if (lit) {
        this.clientReader.expectRaw(Number(lit[1]));
        state.imapClientContinue = step;
      } else if (raw) state.imapClientContinue = step; // the rest of the line follows the literal
      return;
    }
    const step = this.newStep('command', line, parts[0]!.event);
    this.attach(step, 'sent', parts);
    this.pending.push(step);
  };

  // ---- the server side ----
  private readonly onServerLine: LineHandler = (parts, text, raw, partial) => {
    if (partial) return this.serverPartial(parts);
    const line = text.replace(/\r?\n$/, '');
    if (this.protocol === 'smtp') {
      const step = this.serverTarget(parts);
      this.attach(step, 'received', parts);
      const m = /^(\d{3})(-)?/.exec(line);
      if (m && m[2] && step.firstLine === undefined) step.firstLine = line;
      if (m && !m[2]) {
        if (m[1] === '354' && step.kind === 'command' && /^DATA$/i.test(step.label)) this.state.smtpDataNext = true;
        this.finish(step, m[1]!, line);
      }
      return;
    }
    if (this.protocol === 'pop3') return this.onPop3Line(parts, line);
    this.onImapLine(parts, text, line, raw);
  };

  private onPop3Line(parts: StepPart[], line: string): void {
    const step = this.serverTarget(parts);
    this.attach(step, 'received', parts);
    if (this.pop3Body.has(step)) {
      if (line === '.') {
        this.pop3Body.delete(step);
        this.finish(step, step.status ?? '+OK', step.statusLine ?? '+OK'); // keeps the +OK line as the status
      }
      return;
    }
    const status = line.startsWith('+OK')
      ? '+OK'
      : line.startsWith('-ERR')
        ? '-ERR'
        : line.startsWith('+')
          ? '+'
          : null;
    if (!status) return;
    if (status === '+OK' && step.kind === 'command' && isMultilineCommand(step.label)) {
      step.status = status;
      step.statusLine = line;
      this.pop3Body.add(step);
    } else this.finish(step, status, line);
  }

  private onImapLine(parts: StepPart[], text: string, line: string, raw: boolean): void {
    const state = this.state;
    let step: Step;
    if (state.imapServerContinue) {
      step = state.imapServerContinue;
      state.imapServerContinue = null;
      this.attach(step, 'received', parts);
    } else if (line.startsWith('+')) {
      step = this.pending.last ?? this.serverTarget(parts);
      this.attach(step, 'received', parts);
      if (!state.imapClientContinue) state.imapAwaitingContinuation = step;
    } else if (line.startsWith('* ')) {
      step = this.serverTarget(parts);
      this.attach(step, 'received', parts);
      if (step.kind === 'connect') this.finish(step, (line.split(' ')[1] ?? '').toUpperCase(), line);
      else if (step.kind === 'server') step.complete = true; // untagged data needs no completion
    } else {
      const [tag, status] = line.split(' ');
      step = this.pending.find((s) => this.tags.get(s) === tag) ?? this.serverTarget(parts);
      this.attach(step, 'received', parts);
      if (this.tags.get(step) === tag) this.finish(step, (status ?? '').toUpperCase(), line);
    }
    const lit = raw ? null : literalAtEnd(text);
    if (lit) {
      this.serverReader.expectRaw(Number(lit[1]));
      state.imapServerContinue = step;
    } else if (raw) state.imapServerContinue = step;
  }
}
