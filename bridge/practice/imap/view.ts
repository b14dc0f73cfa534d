// What one session knows of its selected mailbox: the sequence numbers it has told the client
// about, its \Recent messages, and the changes from other sessions not yet reported (RFC 3501
// sections 5.2, 7.3.1, 7.4.1). Changes wait for a safe point and go out as untagged responses.
import type { Mailbox, MailboxClosedEvent, MailboxEvent, MessageMeta } from '../mailstore-types.ts';
import { flagList } from './encode.ts';
import type { SearchKey } from './search.ts';
import { formatSet } from './sequence.ts';
import type { ImapState } from './session.ts';

interface UpdateSink {
  untagged(text: string): void;
  state: ImapState;
  idling: boolean;
  /** During IDLE, after a change went out: kept searches follow it (RFC 5267 section 4.3). */
  refreshSearches(): Promise<void>;
  /** FETCH updates carry MODSEQ (RFC 7162 section 3.1.4.1). */
  condstore: boolean;
  /** Expunges go out as VANISHED (RFC 7162 section 3.2.10). */
  qresync: boolean;
  /** ENABLE IMAP4rev2 ran: no \Recent in FLAGS (RFC 9051 section 2.3.2; revisions.ts, 'recent-flag'). */
  rev2: boolean;
  /** The mailbox closed under the session and every change before that was reported: leave it. */
  mailboxClosed(event: MailboxClosedEvent): void;
}

/** A SEARCH RETURN (UPDATE) kept up to date (RFC 5267 section 4.3). */
export interface SearchUpdate {
  tag: string;
  uid: boolean;
  key: SearchKey;
  /** The other RETURN options: ALL (or none) gets ADDTO/REMOVEFROM, MIN/MAX/COUNT fresh values. */
  options: string[];
  /** The UIDs in the result as last reported, ascending. */
  result: number[];
}

export const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

export class SelectedView {
  /** UIDs by sequence number (index + 1), as the client knows them. */
  uids: number[];
  readonly recent = new Set<number>();
  /**
   * \Recent claimed for this session (RFC 3501 section 2.3.2) but for messages whose EXISTS it has
   * not been sent yet: a claim can take several new messages at once, and RECENT must never count
   * more messages than the last EXISTS did (imaptest's stress run checks exactly that).
   */
  private claimedAhead = new Set<number>();
  /** Flags last reported to the client, to skip echoes of its own STORE. */
  private readonly known = new Map<number, string>();
  private pending: MailboxEvent[] = [];
  private readonly unsubscribe: () => void;
  /** Set once the mailbox said it closed (a reset, or DELETE/RENAME anywhere): nothing follows. */
  gone: MailboxClosedEvent | null = null;
  /** Searches kept up to date with ESEARCH ADDTO/REMOVEFROM until CANCELUPDATE or the mailbox closes. */
  readonly searchUpdates: SearchUpdate[] = [];
  /** Keywords the client was told of in FLAGS, by lower-cased name (keywords are case-insensitive). */
  private readonly keywords = new Map<string, string>();

  constructor(
    readonly mailbox: Mailbox,
    readonly readOnly: boolean,
    private readonly sink: UpdateSink,
  ) {
    const metas = mailbox.messages();
    this.uids = metas.map((m) => m.uid);
    for (const m of metas) {
      this.known.set(m.uid, m.flags.join(' '));
      this.addKeywords(m.flags);
    }
    if (!readOnly) for (const uid of mailbox.claimRecent()) this.recent.add(uid);
    this.unsubscribe = mailbox.subscribe((event) => {
      if (this.gone) return;
      if (event.kind === 'closed') this.gone = event;
      this.pending.push(event);
      // During IDLE every change goes out at once (RFC 2177).
      if (this.sink.idling) {
        this.flush(this.sink, true);
        if (this.searchUpdates.length && !this.gone) void this.sink.refreshSearches();
      }
    });
  }

  close(): void {
    this.unsubscribe();
    this.pending = [];
  }

  /** Current metadata by UID (messages another session expunged are absent). */
  metas(): Map<number, MessageMeta> {
    return new Map(this.mailbox.messages().map((m) => [m.uid, m]));
  }

  flagsFor(meta: { uid: number; flags: string[] }): string[] {
    return this.recent.has(meta.uid) && !this.sink.rev2 ? [...meta.flags, '\\Recent'] : meta.flags;
  }

  /** FLAGS and PERMANENTFLAGS for this mailbox, as SELECT sends them (RFC 3501 sections 7.2.6, 7.1). */
  announceFlags(sink: Pick<UpdateSink, 'untagged'>): void {
    const flags = [...SYSTEM_FLAGS, ...this.keywords.values()];
    sink.untagged(`FLAGS (${flags.join(' ')})`);
    const permanent = this.readOnly ? '' : [...flags, '\\*'].join(' ');
    sink.untagged(
      `OK [PERMANENTFLAGS (${permanent})] Flags you can change${this.readOnly ? ': none, read-only' : ''}.`,
    );
  }

  /**
   * Before a FETCH shows a keyword the client has not seen in FLAGS, the updated FLAGS and
   * PERMANENTFLAGS go out, so its flag list stays complete (RFC 3501 sections 7.2.6, 2.3.2).
   */
  announceNewKeywords(flags: string[], sink: Pick<UpdateSink, 'untagged'>): void {
    if (this.addKeywords(flags)) this.announceFlags(sink);
  }

  private addKeywords(flags: string[]): boolean {
    let added = false;
    for (const f of flags) {
      if (f.startsWith('\\') || this.keywords.has(f.toLowerCase())) continue;
      this.keywords.set(f.toLowerCase(), f);
      added = true;
    }
    return added;
  }

  /** Records flags the client was just told about (FETCH, STORE) so the echo is not repeated. */
  noteFlags(uid: number, flags: string[]): void {
    this.known.set(uid, flags.join(' '));
  }

  /**
   * These were expunged: report EXPUNGE for each in ascending sequence order, or, once QRESYNC
   * is enabled, one VANISHED with their UIDs (RFC 7162 section 3.2.10).
   */
  reportExpunged(uids: number[], sink: UpdateSink): void {
    this.removeFromSearches(uids, sink);
    const gone: number[] = [];
    for (const uid of uids) {
      const i = this.uids.indexOf(uid);
      if (i < 0) continue;
      this.uids.splice(i, 1);
      this.known.delete(uid);
      this.recent.delete(uid);
      gone.push(uid);
      if (!sink.qresync) sink.untagged(`${i + 1} EXPUNGE`);
    }
    if (sink.qresync && gone.length) sink.untagged(`VANISHED ${formatSet(gone.sort((a, b) => a - b))}`);
  }

  /**
   * Expunged messages leave every kept search result first, by the numbers the client still
   * knows them by: REMOVEFROM before the EXPUNGE that renumbers (RFC 5267 section 4.3, as Dovecot);
   * position 0, as for every unsorted result (see refreshSearchUpdates).
   */
  private removeFromSearches(uids: number[], sink: UpdateSink): void {
    const gone = new Set(uids);
    for (const update of this.searchUpdates) {
      const removed = update.result.filter((u) => gone.has(u));
      if (!removed.length) continue;
      update.result = update.result.filter((u) => !gone.has(u));
      if (update.options.length && !update.options.includes('ALL')) continue; // MIN/MAX/COUNT: sent anew after
      const numbers = removed
        .map((u) => (update.uid ? u : this.uids.indexOf(u) + 1))
        .filter((n) => n > 0)
        .sort((a, b) => a - b);
      const tag = update.tag.replace(/["\\]/g, '\\$&');
      sink.untagged(`ESEARCH (TAG "${tag}")${update.uid ? ' UID' : ''} REMOVEFROM (0 ${formatSet(numbers)})`);
    }
  }

  /**
   * Sends pending changes. Without `allowExpunge`, stops before the first expunge, unless the
   * mailbox is gone: then its message numbers mean nothing any more, so the EXPUNGEs this command
   * may not carry (RFC 3501 section 7.4.1) are dropped rather than kept, and only the closing is
   * reported. A `closed` event ends the flush: the sink leaves the mailbox.
   */
  flush(sink: UpdateSink, allowExpunge: boolean): void {
    if (this.gone && !allowExpunge) this.pending = this.pending.filter((e) => e.kind === 'closed');
    let grew = false;
    const announce = () => {
      if (!grew) return;
      sink.untagged(`${this.uids.length} EXISTS`);
      // No RECENT for an IMAP4rev2 session (RFC 9051 Appendix E item 12; revisions.ts, 'select-recent').
      if (!sink.rev2) sink.untagged(`${this.recent.size} RECENT`);
      grew = false;
    };
    while (this.pending.length) {
      const event = this.pending[0];
      if (event.kind === 'expunge' && !allowExpunge) break;
      this.pending.shift();
      if (event.kind === 'exists') {
        const last = this.uids[this.uids.length - 1] ?? 0;
        if (event.uid <= last) continue;
        this.uids.push(event.uid);
        if (!this.readOnly) for (const uid of this.mailbox.claimRecent()) this.claimedAhead.add(uid);
        for (const uid of this.claimedAhead) {
          if (uid > event.uid) continue; // still ahead of what this session has been told
          this.claimedAhead.delete(uid);
          if (this.uids.includes(uid)) this.recent.add(uid);
        }
        grew = true;
      } else if (event.kind === 'expunge') {
        announce();
        this.reportExpunged(event.uids, sink);
      } else if (event.kind === 'closed') {
        announce();
        this.pending = [];
        sink.mailboxClosed(event);
        return;
      } else {
        const i = this.uids.indexOf(event.uid);
        // The message as it is now, not as the event saw it: a change reported later than one the
        // client already saw (its own FETCH or STORE) must not take its flags or MODSEQ back
        // (imaptest's stress run checks that a MODSEQ never drops). Once expunged, its flags no
        // longer matter: the EXPUNGE (or VANISHED) that follows says all there is.
        const now = this.mailbox.message(event.uid);
        if (!now) continue;
        const text = now.flags.join(' ');
        if (i < 0 || this.known.get(event.uid) === text) continue;
        announce();
        this.known.set(event.uid, text);
        this.announceNewKeywords(now.flags, sink);
        const modseq = sink.condstore ? ` MODSEQ (${now.modseq})` : '';
        sink.untagged(`${i + 1} FETCH (UID ${event.uid} FLAGS ${flagList(this.flagsFor(now))}${modseq})`);
      }
    }
    announce();
  }
}
