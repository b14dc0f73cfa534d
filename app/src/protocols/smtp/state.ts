// The SMTP session as the learner sees it, driven by the lines they send and the replies they get.
// States and the commands valid in each are in one table (RFC 5321 sections 3.1-3.3, 4.1.4).

import { splitClientText } from '../common/lines.ts';
import { ehloKeywords, type EhloKeyword, type SmtpReply } from './parse.ts';

export type SmtpState =
  | 'connecting' // waiting for the greeting
  | 'greeted' // 220 seen; EHLO (or HELO) comes next
  | 'ready' // EHLO done, no transaction
  | 'mail' // MAIL FROM accepted
  | 'rcpt' // at least one RCPT TO accepted
  | 'data' // 354 seen: the learner is sending the message
  | 'auth' // 334 seen: the learner answers the AUTH challenge
  | 'tls' // 220 to STARTTLS: the TLS handshake happens now
  | 'quit' // 221 seen
  | 'closed'; // 421 or a refused greeting

/** Label, and the commands RFC 5321 allows in each state (extensions are filtered by EHLO). */
export const SMTP_STATES: Record<SmtpState, { label: string; commands: string[] }> = {
  connecting: { label: 'waiting for the greeting', commands: [] },
  greeted: { label: 'greeted', commands: ['EHLO', 'HELO', 'NOOP', 'RSET', 'HELP', 'VRFY', 'QUIT'] },
  ready: {
    label: 'EHLO done',
    commands: ['MAIL', 'STARTTLS', 'AUTH', 'EHLO', 'HELO', 'RSET', 'NOOP', 'HELP', 'VRFY', 'EXPN', 'QUIT'],
  },
  mail: { label: 'in a transaction (MAIL accepted)', commands: ['RCPT', 'RSET', 'NOOP', 'HELP', 'VRFY', 'QUIT'] },
  rcpt: {
    label: 'in a transaction (RCPT accepted)',
    commands: ['RCPT', 'DATA', 'BDAT', 'RSET', 'NOOP', 'HELP', 'VRFY', 'QUIT'],
  },
  data: { label: 'in DATA', commands: [] },
  auth: { label: 'answering an AUTH challenge', commands: [] },
  tls: { label: 'TLS handshake', commands: [] },
  quit: { label: 'quit', commands: [] },
  closed: { label: 'closed', commands: [] },
};

/** Commands that only exist when EHLO listed their keyword. */
const NEEDS_KEYWORD: Record<string, string> = { STARTTLS: 'STARTTLS', AUTH: 'AUTH', BDAT: 'CHUNKING', EXPN: 'EXPN' };

export type SmtpPhase = 'plaintext' | 'tls' | 'authenticated';

export interface SentCommand {
  /** The command verb in upper case, or DATA-END for the final "." line, AUTH-RESPONSE for a SASL line. */
  verb: string;
  line: string;
  args: string;
  /** For AUTH-RESPONSE: the 334 challenge it answers (base64), so a LOGIN user name stays visible. */
  challenge?: string;
}

export interface Exchange {
  command?: SentCommand;
  reply: SmtpReply;
  stateBefore: SmtpState;
  stateAfter: SmtpState;
}

export class SmtpSession {
  /** The text of the last 334 challenge, '' after any other reply (RFC 4954 section 4). */
  private lastChallenge = '';
  state: SmtpState = 'connecting';
  tls = false;
  authenticated = false;
  /** The EHLO keywords now in force (cleared by STARTTLS: RFC 3207 section 4.2). */
  ehloKeywords: EhloKeyword[] = [];
  /** Each EHLO list the server gave, with the phase it came in: shows what STARTTLS and AUTH changed. */
  ehloHistory: Array<{ phase: SmtpPhase; keywords: EhloKeyword[] }> = [];
  /** Set when the server made clear that AUTH needs TLS first (no AUTH before TLS, or a 530/538 to AUTH). */
  tlsRequiredForAuth = false;
  /** Commands sent and not answered yet (pipelining allows several). */
  private pending: SentCommand[] = [];
  private stateBeforeAuth: SmtpState = 'ready';

  /** The learner sent this text (one or more lines). */
  clientSent(text: string): void {
    for (const { text: line } of splitClientText(text)) this.clientLine(line);
  }

  private clientLine(line: string): void {
    if (this.state === 'data' && !this.pending.some((p) => p.verb === 'DATA-END')) {
      if (line === '.') this.pending.push({ verb: 'DATA-END', line, args: '' });
      return; // a body line: no reply expected
    }
    const last = this.pending.at(-1);
    // An AUTH without initial response is followed by challenge answers, not commands.
    if (this.state === 'auth' || (last?.verb === 'AUTH' && !/\s/.test(last.args.trim()))) {
      this.pending.push({ verb: 'AUTH-RESPONSE', line, args: '', challenge: this.lastChallenge });
      return;
    }
    const m = /^\s*(\S+)\s*(.*)$/.exec(line);
    if (!m) return;
    this.pending.push({ verb: m[1].toUpperCase(), line, args: m[2] });
  }

  /** The verb of the command the next reply will answer (for the annotator). */
  get awaiting(): SentCommand | undefined {
    return this.pending[0];
  }

  /** A complete reply arrived; returns it paired with the command it answers. */
  serverReply(reply: SmtpReply): Exchange {
    const before = this.state;
    this.lastChallenge = reply.code === 334 ? (reply.lines[0]?.text.trim() ?? '') : '';
    const command = this.state === 'connecting' ? undefined : this.pending.shift();
    const ok = reply.code >= 200 && reply.code < 300;
    if (reply.code === 421) this.state = 'closed';
    else if (!command) this.onGreeting(reply);
    else this.onReply(command, reply, ok);
    return { command, reply, stateBefore: before, stateAfter: this.state };
  }

  /** The bridge reports the TLS handshake done: the session restarts at "greeted" (RFC 3207 4.2). */
  tlsStarted(): void {
    this.tls = true;
    this.state = 'greeted';
    this.ehloKeywords = [];
  }

  get phase(): SmtpPhase {
    return this.authenticated ? 'authenticated' : this.tls ? 'tls' : 'plaintext';
  }

  hasKeyword(k: string): boolean {
    return this.ehloKeywords.some((e) => e.keyword === k);
  }

  /** Commands valid right now, in protocol order. */
  validCommands(): string[] {
    return SMTP_STATES[this.state].commands.filter((c) => {
      const needs = NEEDS_KEYWORD[c];
      if (c === 'STARTTLS' && this.tls) return false;
      if (c === 'AUTH' && this.authenticated) return false;
      return !needs || this.hasKeyword(needs);
    });
  }

  private onGreeting(reply: SmtpReply): void {
    this.state = reply.code === 220 ? 'greeted' : 'closed';
  }

  private onReply(cmd: SentCommand, reply: SmtpReply, ok: boolean): void {
    switch (cmd.verb) {
      case 'EHLO':
      case 'HELO':
        if (!ok) return;
        this.state = 'ready';
        this.ehloKeywords = cmd.verb === 'EHLO' ? ehloKeywords(reply) : [];
        if (cmd.verb === 'EHLO') {
          this.ehloHistory.push({ phase: this.phase, keywords: this.ehloKeywords });
          if (!this.tls && this.hasKeyword('STARTTLS') && !this.hasKeyword('AUTH')) this.tlsRequiredForAuth = true;
        }
        return;
      case 'MAIL':
        if (ok) this.state = 'mail';
        return;
      case 'RCPT':
        if (ok && (this.state === 'mail' || this.state === 'rcpt')) this.state = 'rcpt';
        return;
      case 'DATA':
        if (reply.code === 354) this.state = 'data';
        return;
      case 'DATA-END':
        this.state = 'ready'; // accepted or refused, the transaction is over (RFC 5321 4.1.1.4)
        return;
      case 'BDAT':
        if (/\bLAST\b/i.test(cmd.args) || !ok) this.state = 'ready';
        return;
      case 'RSET':
        if (ok && this.state !== 'greeted') this.state = 'ready';
        return;
      case 'STARTTLS':
        if (reply.code === 220) this.state = 'tls';
        return;
      case 'AUTH':
      case 'AUTH-RESPONSE':
        if (cmd.verb === 'AUTH' && this.state !== 'auth') this.stateBeforeAuth = this.state;
        if (reply.code === 334) this.state = 'auth';
        else {
          this.state = this.stateBeforeAuth;
          if (reply.code === 235) this.authenticated = true;
          if ((reply.code === 530 || reply.code === 538) && !this.tls) this.tlsRequiredForAuth = true;
        }
        return;
      case 'QUIT':
        if (reply.code === 221) this.state = 'quit';
        return;
      default:
        return;
    }
  }
}
