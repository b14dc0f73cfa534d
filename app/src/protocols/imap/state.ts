// The IMAP session as the learner sees it (RFC 9051 section 3): states, the commands valid in each,
// the capability list and how it changed, the selected mailbox, and tag pairing of completions.

import { splitClientText } from '../common/lines.ts';
import { utf8Length } from '../common/bytes.ts';
import { valueStrings, type ImapResponse } from './parse.ts';
import { ANY_STATE as ANY, AUTHENTICATED as AUTHED, NOT_AUTHENTICATED, SELECTED } from './commands-by-state.ts';

export type ImapState = 'connecting' | 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

/** Labels and the commands each state allows (RFC 9051 sections 6.1-6.4). */
export const IMAP_STATES: Record<ImapState, { label: string; commands: string[] }> = {
  connecting: { label: 'waiting for the greeting', commands: [] },
  'not-authenticated': { label: 'not authenticated', commands: [...ANY, ...NOT_AUTHENTICATED] },
  authenticated: { label: 'authenticated', commands: [...ANY, ...AUTHED] },
  // UID is a command name to the console: UID FETCH, UID SEARCH... (RFC 9051 section 6.4.9).
  selected: { label: 'selected', commands: [...ANY, ...AUTHED, ...SELECTED, 'UID'] },
  logout: { label: 'logout', commands: [] },
};

/** Commands that exist only when the server lists a capability. */
const NEEDS_CAPABILITY: Record<string, string> = {
  STARTTLS: 'STARTTLS',
  IDLE: 'IDLE',
  ENABLE: 'ENABLE',
  ID: 'ID',
  MOVE: 'MOVE',
  UNSELECT: 'UNSELECT',
  NAMESPACE: 'NAMESPACE',
  GETQUOTA: 'QUOTA',
  GETQUOTAROOT: 'QUOTA',
  // SETQUOTA needs its own capability, QUOTASET (RFC 9208 sections 3 and 4.1.3).
  SETQUOTA: 'QUOTASET',
  SORT: 'SORT',
  CANCELUPDATE: 'CONTEXT=SEARCH',
  NOTIFY: 'NOTIFY',
};

export type ImapPhase = 'plaintext' | 'tls' | 'authenticated';

export interface ImapCommand {
  tag: string;
  name: string;
  line: string;
  args: string;
}

export interface MailboxInfo {
  name: string;
  readOnly: boolean;
  exists?: number;
  recent?: number;
  uidValidity?: number;
  uidNext?: number;
  flags?: string[];
  permanentFlags?: string[];
}

export interface ImapExchange {
  response: ImapResponse;
  command?: ImapCommand;
  stateBefore: ImapState;
  stateAfter: ImapState;
}

export function parseImapCommandLine(line: string): ImapCommand | undefined {
  const m = /^(\S+)\s+(\S+)\s*(.*)$/.exec(line.trim());
  if (!m) return undefined;
  let name = m[2].toUpperCase();
  let args = m[3];
  if (name === 'UID') {
    const sub = /^(\S+)\s*(.*)$/.exec(args);
    if (sub) {
      name = `UID ${sub[1].toUpperCase()}`;
      args = sub[2];
    }
  }
  return { tag: m[1], name, line, args };
}

export class ImapSession {
  state: ImapState = 'connecting';
  tls = false;
  capabilities: string[] = [];
  /** Each capability list the server gave, with the phase it came in (what STARTTLS and login changed). */
  capabilityHistory: Array<{ phase: ImapPhase; capabilities: string[] }> = [];
  mailbox?: MailboxInfo;
  /** Extensions the server confirmed with `* ENABLED` (RFC 5161 section 3.2), upper-case. */
  enabled: string[] = [];
  /** Tagged commands sent and not completed yet, by tag. */
  readonly pending = new Map<string, ImapCommand>();
  /** Octets of a client literal still to come (then the command line continues). */
  private literalLeft = 0;
  private continuing?: ImapCommand;
  private authenticating?: ImapCommand;
  private loginMark = 0;
  /** The highest number at the end of any tag the learner used (a7 -> 7). */
  private highestTagNumber = 0;

  clientSent(text: string): void {
    for (const { text: line, ending } of splitClientText(text)) {
      if (this.literalLeft > 0) {
        this.literalLeft -= utf8Length(line) + (ending === 'CRLF' ? 2 : ending === 'none' ? 0 : 1);
        if (this.literalLeft < 0) this.literalLeft = 0; // the literal ended inside this line; the rest continues the command
        if (this.literalLeft === 0 && this.continuing) this.watchLiteral(line);
        continue;
      }
      if (this.authenticating) continue; // a SASL response line, not a command
      if (this.idling && /^DONE$/i.test(line.trim())) continue; // ends IDLE; the tagged OK follows
      const cmd = parseImapCommandLine(line);
      if (!cmd) continue;
      this.pending.set(cmd.tag, cmd);
      this.highestTagNumber = Math.max(this.highestTagNumber, Number(/\d+$/.exec(cmd.tag)?.[0] ?? 0));
      if (cmd.name === 'AUTHENTICATE') this.authenticating = cmd;
      if (cmd.name === 'LOGIN' || cmd.name === 'AUTHENTICATE') this.loginMark = this.capabilityHistory.length;
      // SELECT's untagged data (EXISTS, FLAGS, UIDVALIDITY ...) arrives before its completion.
      if (cmd.name === 'SELECT' || cmd.name === 'EXAMINE')
        this.mailbox = { name: cmd.args.trim().replace(/^"|"$/g, ''), readOnly: cmd.name === 'EXAMINE' };
      this.continuing = cmd;
      this.watchLiteral(line);
    }
  }

  private watchLiteral(line: string): void {
    const m = /\{(\d+)\+?\}$/.exec(line);
    this.literalLeft = m ? Number(m[1]) : 0;
    if (!m) this.continuing = undefined;
  }

  /** The learner is sending literal octets (after {n}): those lines are data, not commands. */
  get inLiteral(): boolean {
    return this.literalLeft > 0;
  }

  /** An AUTHENTICATE exchange is running: lines are base64 answers. */
  get inAuthentication(): boolean {
    return this.authenticating !== undefined;
  }

  /** An IDLE is running: the only thing to send is DONE. */
  get idling(): boolean {
    return [...this.pending.values()].some((c) => c.name === 'IDLE');
  }

  tlsStarted(): void {
    this.tls = true;
    this.capabilities = []; // RFC 9051 6.2.1: discard what was learned before TLS
  }

  get phase(): ImapPhase {
    return this.state === 'authenticated' || this.state === 'selected'
      ? 'authenticated'
      : this.tls
        ? 'tls'
        : 'plaintext';
  }

  has(capability: string): boolean {
    return this.capabilities.includes(capability.toUpperCase());
  }

  validCommands(): string[] {
    return IMAP_STATES[this.state].commands.filter((c) => {
      if (c === 'STARTTLS' && this.tls) return false;
      if (c === 'LOGIN' && this.has('LOGINDISABLED')) return false;
      const needs = NEEDS_CAPABILITY[c];
      return !needs || this.capabilities.length === 0 || this.has(needs);
    });
  }

  /** The next fresh tag in the learner's style (a1, a2 ...), for suggestions: one past the highest
   *  number used so far, completed or not, so that replies can always be told apart (RFC 3501 2.2.1). */
  nextTag(): string {
    let n = Math.max(this.pending.size, this.highestTagNumber) + 1;
    for (const c of this.pending.values()) n = Math.max(n, Number(/\d+$/.exec(c.tag)?.[0] ?? 0) + 1);
    return `a${n}`;
  }

  serverResponse(r: ImapResponse): ImapExchange {
    const before = this.state;
    let command: ImapCommand | undefined;
    if (r.code?.name === 'CAPABILITY') this.setCapabilities(valueStrings(r.code.args));
    if (r.kind === 'untagged') this.onUntagged(r);
    else if (r.kind === 'tagged' && r.tag) {
      command = this.pending.get(r.tag);
      this.pending.delete(r.tag);
      // A command refused before its literal was sent (NO [TOOBIG] instead of "+"): the client
      // will not send the literal, so what comes next is a new command (RFC 9051 section 7.6).
      if (command && command === this.continuing) {
        this.literalLeft = 0;
        this.continuing = undefined;
      }
      if (command) this.onCompleted(command, r);
    } else if (r.kind === 'continuation') {
      command = this.authenticating ?? this.continuing ?? [...this.pending.values()].at(-1);
    }
    return { response: r, command, stateBefore: before, stateAfter: this.state };
  }

  private setCapabilities(list: string[]): void {
    this.capabilities = list.map((c) => c.toUpperCase());
    const last = this.capabilityHistory.at(-1);
    if (!last || last.phase !== this.phase || last.capabilities.join(' ') !== this.capabilities.join(' ')) {
      this.capabilityHistory.push({ phase: this.phase, capabilities: this.capabilities });
    }
  }

  private onUntagged(r: ImapResponse): void {
    if (this.state === 'connecting') {
      this.state = r.status === 'PREAUTH' ? 'authenticated' : r.status === 'BYE' ? 'logout' : 'not-authenticated';
      return;
    }
    if (r.name === 'BYE') {
      this.state = 'logout';
      return;
    }
    if (r.name === 'CAPABILITY') {
      this.setCapabilities(valueStrings(r.values));
      return;
    }
    if (r.name === 'ENABLED') {
      this.enabled = [...new Set([...this.enabled, ...valueStrings(r.values).map((c) => c.toUpperCase())])];
      return;
    }
    const box = this.mailbox;
    if (!box) return;
    if (r.name === 'EXISTS') box.exists = r.number;
    else if (r.name === 'RECENT') box.recent = r.number;
    else if (r.name === 'EXPUNGE' && box.exists) box.exists -= 1;
    else if (r.name === 'FLAGS' && r.values[0]?.type === 'list') box.flags = valueStrings(r.values[0].items);
    else if (r.code?.name === 'UIDVALIDITY' && r.code.args[0]?.type === 'number')
      box.uidValidity = r.code.args[0].value;
    else if (r.code?.name === 'UIDNEXT' && r.code.args[0]?.type === 'number') box.uidNext = r.code.args[0].value;
    else if (r.code?.name === 'PERMANENTFLAGS' && r.code.args[0]?.type === 'list')
      box.permanentFlags = valueStrings(r.code.args[0].items);
  }

  private onCompleted(cmd: ImapCommand, r: ImapResponse): void {
    if (cmd === this.authenticating) this.authenticating = undefined;
    const ok = r.status === 'OK';
    switch (cmd.name) {
      case 'LOGIN':
      case 'AUTHENTICATE':
        if (!ok) return;
        this.state = 'authenticated';
        // Lists sent while the login was pending (untagged, or [CAPABILITY] in the OK) are post-login lists.
        for (const h of this.capabilityHistory.slice(this.loginMark)) h.phase = 'authenticated';
        if (this.capabilityHistory.length === this.loginMark) this.capabilities = []; // none sent: the old list is stale
        return;
      case 'SELECT':
      case 'EXAMINE':
        // RFC 9051 6.3.2: a failed SELECT leaves no mailbox selected.
        if (ok && this.mailbox) this.mailbox.readOnly = cmd.name === 'EXAMINE' || r.code?.name === 'READ-ONLY';
        else this.mailbox = undefined;
        if (ok) this.state = 'selected';
        else if (r.status === 'NO' && this.state === 'selected') this.state = 'authenticated';
        return;
      case 'CLOSE':
      case 'UNSELECT':
        if (ok) {
          this.state = 'authenticated';
          this.mailbox = undefined;
        }
        return;
      case 'LOGOUT':
        this.state = 'logout';
        return;
      default:
    }
  }
}
