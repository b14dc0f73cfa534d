// The IMAP session state machine (RFC 3501 section 3): which commands each state allows, and the
// dispatch that turns one parsed command into untagged data and a tagged OK/NO/BAD.
import type { Account, AccountStore, MailboxClosedEvent, MailstoreApi } from '../mailstore-types.ts';
import { MailstoreError } from '../mailstore-types.ts';
import type { AuthThrottle } from '../limits/throttle.ts';
import type { Limits, Logger, Scenarios } from '../types.ts';
import { closedNotice, closedRefusal } from './closed.ts';
import { COMMANDS } from './commands/index.ts';
import { QUOTA_CAPABILITIES } from './commands/quota.ts';
import { refreshSearchUpdates } from './commands/search.ts';
import { wireText } from './names.ts';
import { Notifier } from './notify.ts';
import {
  ANY_STATE as ANY,
  AUTHENTICATED,
  NOT_AUTHENTICATED,
  SELECTED,
} from '../../../app/src/protocols/imap/commands-by-state.ts';
import type { Chunk } from './encode.ts';
import type { Frame } from './framer.ts';
import { ArgumentError, CommandRefusal, type ParsedCommand } from './parser.ts';
import type { SelectedView } from './view.ts';

export type ImapState = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

/** The commands each state accepts, in one place (RFC 3501 sections 6.1-6.4). */
export const ALLOWED: Record<ImapState, ReadonlySet<string>> = {
  'not-authenticated': new Set([...ANY, ...NOT_AUTHENTICATED]),
  authenticated: new Set([...ANY, ...AUTHENTICATED]),
  selected: new Set([...ANY, ...AUTHENTICATED, ...SELECTED]),
  logout: new Set(),
};
/** What moves a session from one state to another. */
export type ImapTransition = 'login' | 'select' | 'deselect' | 'mailbox-closed' | 'logout';

/**
 * The state changes, in one place (RFC 3501 section 3). 'deselect' is CLOSE, UNSELECT or a failed
 * SELECT/EXAMINE; 'mailbox-closed' is the server's own: the selected mailbox went away under the
 * session (a practice reset, or DELETE or RENAME in another session; RFC 2180 section 3), and the
 * client was told with an untagged OK [CLOSED].
 */
export const TRANSITIONS: Record<ImapState, Partial<Record<ImapTransition, ImapState>>> = {
  'not-authenticated': { login: 'authenticated', logout: 'logout' },
  authenticated: { select: 'selected', logout: 'logout' },
  selected: { select: 'selected', deselect: 'authenticated', 'mailbox-closed': 'authenticated', logout: 'logout' },
  logout: {},
};

/** Commands that take the UID prefix (RFC 3501 section 6.4.8, RFC 4315, RFC 6851, RFC 5256). */
export const UID_COMMANDS = new Set(['FETCH', 'STORE', 'SEARCH', 'SORT', 'THREAD', 'COPY', 'MOVE', 'EXPUNGE']);

const STATE_WORDS: Record<ImapState, string> = {
  'not-authenticated': 'not authenticated (log in first with LOGIN or AUTHENTICATE)',
  authenticated: 'authenticated but with no mailbox selected (SELECT or EXAMINE one first)',
  selected: 'selected',
  logout: 'logging out',
};

/** How a session talks to its connection. */
export interface SessionIO {
  write(chunks: Chunk[]): void;
  /** The next complete command frame (or continuation line); null when the client went away. */
  nextFrame(): Promise<Frame | null>;
  /** Upgrade to TLS after the tagged OK was written. */
  startTls(): Promise<void>;
  readonly secure: boolean;
  readonly security: 'none' | 'starttls' | 'implicit';
  /** Octets written but not yet taken by the socket: a client that stops reading (NOTIFY's bound). */
  unsent?(): number;
  scenarios(): Scenarios;
}

export interface Tagged {
  status: 'OK' | 'NO' | 'BAD';
  code?: string;
  text: string;
}

export interface SessionEnv {
  store: MailstoreApi;
  hostname: string;
  limits: Limits;
  log: Logger;
  /** The client's real address and the login throttle it is counted in (absent: no throttling). */
  client?: { address: string; throttle: AuthThrottle };
}

export class Session {
  state: ImapState = 'not-authenticated';
  account: Account | null = null;
  accountStore: AccountStore | null = null;
  selected: SelectedView | null = null;
  /** Set while IDLE waits for DONE: mailbox changes are sent at once. */
  idling = false;
  /** Set while a command runs: NOTIFY's notifications wait for its end (RFC 5465 section 3.1). */
  busy = false;
  /** NOTIFY (RFC 5465, notify.ts): what this session asked to hear of, between commands too. */
  readonly notify = new Notifier(this);
  /** Work that must follow the tagged reply on the wire (the TLS handshake after STARTTLS). */
  afterReply: (() => Promise<void>) | null = null;
  /** The mailbox the server closed under this session, until the next SELECT or EXAMINE. */
  lastClosed: MailboxClosedEvent | null = null;
  /**
   * CONDSTORE is on once a CONDSTORE enabling command ran (RFC 7162 section 3.1): FETCH responses
   * to STORE carry MODSEQ, SELECT reports HIGHESTMODSEQ. QRESYNC (ENABLE QRESYNC, section 3.2.3)
   * turns CONDSTORE on too, and expunges are reported as VANISHED instead of EXPUNGE.
   */
  condstore = false;
  qresync = false;
  /**
   * ENABLE UTF8=ACCEPT ran (RFC 6855 section 3): mailbox names and quoted strings are UTF-8, SEARCH
   * takes no CHARSET, APPEND takes UTF-8 headers. ENABLE IMAP4rev2 (RFC 9051 Appendix A) sets `rev2`,
   * which answers the rev2 way (revision.ts); both make names UTF-8 (`utf8Names`).
   */
  utf8Accept = false;
  rev2 = false;
  get utf8Names(): boolean {
    return this.utf8Accept || this.rev2;
  }

  constructor(
    readonly io: SessionIO,
    readonly env: SessionEnv,
  ) {}

  capabilities(): string[] {
    const caps = [
      'IMAP4rev1',
      // Both revisions: a client that wants rev2 sends ENABLE IMAP4rev2 (RFC 9051 Appendix A).
      'IMAP4rev2',
      'LITERAL+',
      'SASL-IR',
      'ID',
      'ENABLE',
      'IDLE',
      'NAMESPACE',
      'UIDPLUS',
      'MOVE',
      'UNSELECT',
      'CHILDREN',
      'SPECIAL-USE',
    ];
    // Extensions, each advertised once complete (issue 16): imaptest runs a group only for these.
    caps.push('ESEARCH', 'SORT', 'SORT=DISPLAY', 'ESORT', 'THREAD=ORDEREDSUBJECT', 'THREAD=REFERENCES');
    caps.push('LIST-EXTENDED', 'LIST-STATUS', 'BINARY', 'MULTIAPPEND', 'CATENATE', 'CONDSTORE', 'QRESYNC');
    caps.push('CONTEXT=SEARCH', 'NOTIFY', 'UTF8=ACCEPT');
    if (this.state === 'not-authenticated') {
      if (this.io.security === 'starttls' && !this.io.secure) caps.push('STARTTLS');
      // Plaintext logins are refused until TLS on the STARTTLS port (RFC 3501 sections 6.2.3, 7.2.1).
      if (this.loginDisabled()) caps.push('LOGINDISABLED');
      else caps.push('AUTH=PLAIN', 'AUTH=LOGIN');
    } else {
      caps.push(...QUOTA_CAPABILITIES); // after login, as Dovecot does: the quota is the account's
    }
    return caps;
  }

  /**
   * A CONDSTORE enabling command ran (RFC 7162 section 3.1). The first one while a mailbox is
   * selected is answered with its HIGHESTMODSEQ, which the client has not seen yet (3.1.2).
   */
  enableCondstore(): void {
    if (this.condstore) return;
    this.condstore = true;
    if (this.selected && this.state === 'selected')
      this.untagged(`OK [HIGHESTMODSEQ ${this.selected.mailbox.highestModseq}] Highest mod-sequence of the mailbox.`);
  }

  private searchRefresh: Promise<void> = Promise.resolve();

  /**
   * Runs the kept searches again (CONTEXT=SEARCH, RFC 5267 section 4.3): after each command, and
   * during IDLE after each change the flush reported. One at a time, so no change is told twice.
   */
  refreshSearches(): Promise<void> {
    if (!this.selected?.searchUpdates.length || this.state !== 'selected') return this.searchRefresh;
    this.searchRefresh = this.searchRefresh.then(() =>
      refreshSearchUpdates(this).catch((err: unknown) =>
        this.env.log('imap.error', {
          command: 'SEARCH UPDATE',
          error: err instanceof Error ? err.message : String(err),
        }),
      ),
    );
    return this.searchRefresh;
  }

  loginDisabled(): boolean {
    if (this.io.secure) return false;
    return this.io.security === 'starttls' || Boolean(this.io.scenarios().requireTlsForAuth);
  }

  untagged(text: string | Chunk[]): void {
    this.io.write(typeof text === 'string' ? [`* ${text}\r\n`] : ['* ', ...text, '\r\n']);
  }

  /** Moves along the state table; a move the table lacks is a server bug, never a client's. */
  enter(transition: ImapTransition): void {
    const next = TRANSITIONS[this.state][transition];
    if (!next) throw new Error(`IMAP state table: no '${transition}' from ${this.state}`);
    this.state = next;
    if (transition === 'select') this.lastClosed = null;
  }

  /**
   * The selected mailbox closed under the session, and the changes before that were reported:
   * say so and return to the authenticated state, where a new SELECT finds the mailbox anew.
   */
  mailboxClosed(event: MailboxClosedEvent): void {
    this.selected?.close();
    this.selected = null;
    this.lastClosed = event;
    this.untagged(closedNotice(event));
    this.enter('mailbox-closed');
    this.env.log('imap.mailbox-closed', { user: this.account?.username, reason: event.reason });
  }

  /** Runs one command and writes its tagged result. Never throws. */
  async run(cmd: ParsedCommand): Promise<void> {
    // Safe point for pending mailbox changes; no EXPUNGE after FETCH/STORE/SEARCH by
    // sequence number, whose numbers the client may still be using (RFC 3501 section 7.4.1).
    // SORT and THREAD answer with sequence numbers like SEARCH (RFC 5256 section 3).
    const allowExpunge = !(!cmd.uid && ['FETCH', 'STORE', 'SEARCH', 'SORT', 'THREAD'].includes(cmd.name));
    this.busy = true;
    this.notify.commandStarted(cmd);
    try {
      await this.runCommand(cmd, allowExpunge);
    } finally {
      this.busy = false;
    }
    const after = this.afterReply;
    this.afterReply = null;
    if (after) await after();
  }

  private async runCommand(cmd: ParsedCommand, allowExpunge: boolean): Promise<void> {
    // A practice reset under way is waited out, so no command (SELECT, STATUS, LIST, APPEND...)
    // meets a half-reset store, such as an INBOX that is not there for a moment. Then the flush
    // below reports what the reset did to the selected mailbox.
    const reset = this.accountStore?.resetting();
    if (reset) await reset;
    // A mailbox that closed since the last command is left before this one runs, so the command
    // meets the state the client has just been told about.
    if (this.selected?.gone) this.selected.flush(this, allowExpunge);
    const result = await this.dispatch(cmd);
    if (this.selected && this.state === 'selected') this.selected.flush(this, allowExpunge);
    // Kept searches follow what this command and the flush changed (RFC 5267 section 4.3).
    await this.refreshSearches();
    await this.notify.commandEnding();
    const code = result.code ? `[${result.code}] ` : '';
    // Response text may hold UTF-8 only after ENABLE IMAP4rev2 (RFC 9051 Appendix E item 24); before
    // that, a UTF-8 mailbox name quoted in it goes out in its modified UTF-7 form.
    const text = this.rev2 || /^[\x00-\x7f]*$/.test(result.text) ? result.text : wireText(result.text);
    this.io.write([`${cmd.tag} ${result.status} ${code}${text}\r\n`]);
    const after = this.afterReply;
    this.afterReply = null;
    if (after) await after();
  }

  private async dispatch(cmd: ParsedCommand): Promise<Tagged> {
    const handler = COMMANDS[cmd.name];
    if (!handler)
      return {
        status: 'BAD',
        text: `Unknown command "${cmd.name.slice(0, 40)}". Try CAPABILITY to see what this server offers.`,
      };
    if (cmd.uid && !UID_COMMANDS.has(cmd.name))
      return {
        status: 'BAD',
        text: `UID cannot prefix ${cmd.name}; it goes with FETCH, STORE, SEARCH, COPY, MOVE or EXPUNGE.`,
      };
    if (!ALLOWED[this.state].has(cmd.name)) {
      if (this.lastClosed && this.state === 'authenticated' && ALLOWED.selected.has(cmd.name)) {
        return { status: 'BAD', text: closedRefusal(`${cmd.uid ? 'UID ' : ''}${cmd.name}`, this.lastClosed) };
      }
      return {
        status: 'BAD',
        text: `${cmd.uid ? 'UID ' : ''}${cmd.name} is not allowed now: the session is ${STATE_WORDS[this.state]}.`,
      };
    }
    try {
      return await handler(this, cmd);
    } catch (err) {
      if (err instanceof ArgumentError) return { status: 'BAD', text: err.message };
      if (err instanceof CommandRefusal) return { status: 'NO', code: err.code, text: err.message };
      if (err instanceof MailstoreError) return mailstoreFailure(err);
      this.env.log('imap.error', { command: cmd.name, error: err instanceof Error ? err.message : String(err) });
      return {
        status: 'NO',
        code: 'SERVERBUG',
        text: `${cmd.name} failed inside the server; the session is still usable.`,
      };
    }
  }
}

export function mailstoreFailure(err: MailstoreError): Tagged {
  // Response codes from RFC 5530.
  const codes: Record<string, string> = {
    NO_SUCH_MAILBOX: 'NONEXISTENT',
    ALREADY_EXISTS: 'ALREADYEXISTS',
    BAD_NAME: 'CANNOT',
    CANNOT_DELETE_INBOX: 'CANNOT',
    QUOTA_EXCEEDED: 'OVERQUOTA',
    OVER_QUOTA: 'OVERQUOTA', // RFC 9208 section 4.3.1
    NO_SUCH_ACCOUNT: 'NONEXISTENT',
  };
  // MAILBOX_CLOSED has no code: the untagged OK [CLOSED] before this reply says what happened.
  return { status: 'NO', code: codes[err.code], text: wireText(err.message) };
}

export type CommandHandler = (session: Session, cmd: ParsedCommand) => Promise<Tagged>;
