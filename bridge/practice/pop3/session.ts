// One POP3 session as an explicit state machine (RFC 1939 section 3):
//   AUTHORIZATION --USER/PASS or AUTH--> TRANSACTION --QUIT--> UPDATE (deletions applied, close)
// The table below is the single place that says which command is allowed in which state.
// No sockets here: the server feeds lines in and writes the responses out.
import type { Account } from '../mailstore-types.ts';
import { clip, latin1, parseCommandLine, type Pop3Command } from './command-line.ts';
import { auth, pass, saslResponse, user } from './commands/authorization.ts';
import { capa, quit, stls } from './commands/control.ts';
import { dele, list, noop, retr, rset, stat, top, uidl } from './commands/transaction.ts';
import type { Pop3Context, Pop3State, SessionEnv } from './context.ts';
import type { Maildrop } from './maildrop.ts';
import { err, respond, type Response } from './replies.ts';

export type { Pop3State, SessionEnv } from './context.ts';

type Handler = (ctx: Pop3Context, cmd: Pop3Command) => Response | Promise<Response>;

/** Commands allowed per state. NOOP is TRANSACTION-only, as in RFC 1939 (and Dovecot). */
export const COMMANDS_BY_STATE: Readonly<Record<Pop3State, Readonly<Record<string, Handler>>>> = {
  AUTHORIZATION: { CAPA: capa, STLS: stls, USER: user, PASS: pass, AUTH: auth, QUIT: quit },
  TRANSACTION: {
    CAPA: capa,
    STAT: stat,
    LIST: list,
    RETR: retr,
    DELE: dele,
    NOOP: noop,
    RSET: rset,
    TOP: top,
    UIDL: uidl,
    QUIT: quit,
  },
  UPDATE: {},
};

/** Commands of POP3 this server knows but does not offer, with what to use instead. */
const NOT_OFFERED: Readonly<Record<string, string>> = {
  APOP: 'APOP is not offered here: log in with USER and PASS, or AUTH PLAIN.',
  LAST: 'LAST was removed from POP3 in RFC 1725: use UIDL to see which messages are new.',
};

/** After this many bad commands in a row the connection is closed (a client that is clearly lost). */
export const MAX_BAD_COMMANDS = 20;

export class Pop3Session implements Pop3Context {
  state: Pop3State = 'AUTHORIZATION';
  pendingUser: string | null = null;
  awaitingSaslResponse = false;
  account: Account | null = null;
  maildrop: Maildrop | null = null;
  releaseLock: (() => void) | null = null;
  private tlsActive: boolean;
  private badCommands = 0;

  constructor(readonly env: SessionEnv) {
    this.tlsActive = env.security === 'implicit';
  }

  get tls(): boolean {
    return this.tlsActive;
  }

  greeting(): string {
    return `+OK ${this.env.hostname} POP3 practice server ready\r\n`;
  }

  /** One line from the client, without its CRLF. Never throws. */
  async handleLine(bytes: Uint8Array): Promise<Response> {
    try {
      if (this.awaitingSaslResponse) return saslResponse(this, latin1(bytes).trim());
      const parsed = parseCommandLine(bytes);
      if (!parsed.ok) return this.bad(parsed.message);
      const { keyword } = parsed.command;
      this.env.log('pop3.command', { keyword, state: this.state }); // never the arguments: PASS/AUTH carry secrets
      const handler = COMMANDS_BY_STATE[this.state][keyword];
      if (!handler) return this.bad(this.whyNot(keyword));
      const response = await handler(this, parsed.command);
      if (String(response.chunks[0]).startsWith('+')) this.badCommands = 0; // only a run of bad commands closes
      return response;
    } catch (error) {
      this.env.log('pop3.internal-error', { message: error instanceof Error ? error.message : String(error) });
      return respond(err('The server hit an internal error on this command; try again.', 'SYS/TEMP'));
    }
  }

  /** A line longer than the configured limit was skipped. */
  lineTooLong(octets: number, limit: number): Response {
    this.awaitingSaslResponse = false;
    return this.bad(`Line too long (${octets} octets; the limit is ${limit}, CRLF included): send shorter commands.`);
  }

  /** The connection is now under TLS (after STLS): start afresh in AUTHORIZATION. */
  tlsStarted(): void {
    this.tlsActive = true;
    this.pendingUser = null;
  }

  /** The connection ended. Outside UPDATE nothing is deleted (RFC 1939 section 6); the lock goes. */
  disconnected(): void {
    this.releaseLock?.();
    this.releaseLock = null;
  }

  private whyNot(keyword: string): string {
    if (NOT_OFFERED[keyword]) return NOT_OFFERED[keyword];
    const states = (Object.keys(COMMANDS_BY_STATE) as Pop3State[]).filter((s) => keyword in COMMANDS_BY_STATE[s]);
    if (states.length === 0) return `Unknown command ${clip(keyword)}: CAPA lists what this server offers.`;
    if (this.state === 'AUTHORIZATION')
      return `${keyword} needs a login first: USER name then PASS password, or AUTH PLAIN.`;
    return `${keyword} is only allowed before login (${states.join(', ')} state); you are logged in.`;
  }

  private bad(message: string): Response {
    this.badCommands++;
    if (this.badCommands >= MAX_BAD_COMMANDS) {
      return { chunks: [err(`${message} Too many bad commands: closing the connection.`)], after: 'close' };
    }
    return respond(err(message));
  }
}
