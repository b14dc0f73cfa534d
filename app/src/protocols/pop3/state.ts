// The POP3 session as the learner sees it (RFC 1939 section 3): AUTHORIZATION, TRANSACTION, UPDATE,
// the commands valid in each, CAPA lists before and after STLS and login, and marked deletions.

import { splitClientText } from '../common/lines.ts';
import type { Pop3Response } from './parse.ts';

export type Pop3State = 'connecting' | 'authorization' | 'transaction' | 'update' | 'closed';

export const POP3_STATES: Record<Pop3State, { label: string; commands: string[] }> = {
  connecting: { label: 'waiting for the greeting', commands: [] },
  authorization: { label: 'authorization', commands: ['USER', 'PASS', 'APOP', 'AUTH', 'STLS', 'CAPA', 'UTF8', 'QUIT'] },
  transaction: {
    label: 'transaction',
    commands: ['STAT', 'LIST', 'RETR', 'DELE', 'NOOP', 'RSET', 'TOP', 'UIDL', 'CAPA', 'QUIT'],
  },
  update: { label: 'update (deleting marked messages, closing)', commands: [] },
  closed: { label: 'closed', commands: [] },
};

const NEEDS_CAPA: Record<string, string> = { STLS: 'STLS', AUTH: 'SASL', TOP: 'TOP', UIDL: 'UIDL', UTF8: 'UTF8' };

export type Pop3Phase = 'plaintext' | 'tls' | 'authenticated';

export interface Pop3Exchange {
  response: Pop3Response;
  command?: string;
  /** The command verb, or AUTH-RESPONSE for a line answering a SASL challenge. */
  verb?: string;
  /** For AUTH-RESPONSE: the "+ " challenge it answered (base64), so a LOGIN user name stays visible. */
  challenge?: string;
  stateBefore: Pop3State;
  stateAfter: Pop3State;
}

export class Pop3Session {
  state: Pop3State = 'connecting';
  tls = false;
  /** The user name accepted by USER, waiting for PASS. */
  user?: string;
  capabilities: string[] = [];
  capaHistory: Array<{ phase: Pop3Phase; capabilities: string[] }> = [];
  /** Message numbers marked with DELE (undone by RSET, removed at QUIT). */
  deleted = new Set<number>();
  /** Set when the server refused USER/PASS with [AUTH] before TLS, or when CAPA before TLS lacks USER. */
  tlsRequiredForLogin = false;
  private pending: string[] = [];
  private sasl = false;
  /** The text of the last "+ " challenge (RFC 5034 section 4). */
  private lastChallenge = '';

  /** An AUTH exchange is running: lines are base64 answers, not commands. */
  get inSasl(): boolean {
    return this.sasl;
  }

  /** Every line the learner sends gets exactly one response (SASL lines included). */
  clientSent(text: string): string[] {
    const lines = splitClientText(text).map((l) => l.text);
    this.pending.push(...lines);
    return lines;
  }

  tlsStarted(): void {
    this.tls = true;
    this.capabilities = []; // RFC 2595 4: discard what was learned before TLS
  }

  get phase(): Pop3Phase {
    return this.state === 'transaction' ? 'authenticated' : this.tls ? 'tls' : 'plaintext';
  }

  has(tag: string): boolean {
    return this.capabilities.some((c) => c.split(' ')[0] === tag);
  }

  validCommands(): string[] {
    return POP3_STATES[this.state].commands.filter((c) => {
      if (c === 'STLS' && this.tls) return false;
      if (c === 'PASS' && !this.user) return false;
      const needs = NEEDS_CAPA[c];
      return !needs || this.capabilities.length === 0 || this.has(needs);
    });
  }

  serverResponse(r: Pop3Response): Pop3Exchange {
    const before = this.state;
    const command = this.state === 'connecting' ? undefined : this.pending.shift();
    if (!command) {
      this.state = r.status === '+OK' ? 'authorization' : 'closed';
      return { response: r, command, stateBefore: before, stateAfter: this.state };
    }
    const [v, ...args] = command.trim().split(/\s+/);
    const verb = this.sasl ? 'AUTH-RESPONSE' : (v ?? '').toUpperCase();
    const challenge = verb === 'AUTH-RESPONSE' ? this.lastChallenge : undefined;
    this.lastChallenge = r.status === '+' ? r.text.trim() : '';
    const ok = r.status === '+OK';
    switch (verb) {
      case 'USER':
        this.user = ok ? args[0] : undefined;
        if (!ok && r.code?.toUpperCase() === 'AUTH' && !this.tls && this.has('STLS')) this.tlsRequiredForLogin = true;
        break;
      case 'PASS':
      case 'APOP':
        if (ok) this.state = 'transaction';
        else this.user = undefined; // RFC 1939 7: after a failed PASS, start again with USER
        break;
      case 'AUTH':
      case 'AUTH-RESPONSE':
        this.sasl = r.status === '+';
        if (ok) this.state = 'transaction';
        break;
      case 'CAPA':
        if (ok && r.lines) {
          this.capabilities = r.lines.map((l) => l.trim()).filter(Boolean);
          this.capaHistory.push({ phase: this.phase, capabilities: this.capabilities });
          if (!this.tls && this.has('STLS') && !this.has('USER')) this.tlsRequiredForLogin = true;
        }
        break;
      case 'DELE':
        if (ok) this.deleted.add(Number(args[0]));
        break;
      case 'RSET':
        if (ok) this.deleted.clear();
        break;
      case 'QUIT':
        // RFC 1939 6: QUIT in TRANSACTION enters UPDATE (deletions happen); in AUTHORIZATION it just closes.
        this.state = before === 'transaction' ? 'update' : 'closed';
        break;
      default:
    }
    return {
      response: r,
      command,
      verb,
      ...(challenge !== undefined ? { challenge } : {}),
      stateBefore: before,
      stateAfter: this.state,
    };
  }

  /** The bridge reports the connection closed. */
  closed(): void {
    this.state = 'closed';
  }
}
