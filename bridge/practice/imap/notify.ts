// IMAP NOTIFY (RFC 5465): what a NOTIFY SET asks for (the parsed request), which mailboxes and
// events each of its event groups covers, and the per-session notifier that turns the account's
// events (AccountStore.subscribe) into unsolicited STATUS and LIST responses, and pushes the
// selected mailbox's changes between commands. Bounded: a request names at most
// MAX_NOTIFY_MAILBOXES mailboxes, and a session holds at most MAX_PENDING notifications; past that
// it says NOTIFICATIONOVERFLOW and behaves as after NOTIFY NONE (section 5.8).
import type { AccountEvent, AccountStore, Mailbox } from '../mailstore-types.ts';
import { type Chunk, mailboxName } from './encode.ts';
import { fetchMessage, needsBody, parseFetchAttributes, renderFetchItems, type FetchAttr } from './fetch.ts';
import { cachedMessage, heldMessage } from './message-cache.ts';
import { mailboxFromWire } from './names.ts';
import { ArgumentError, CommandRefusal, tokenText, type ParsedCommand, type Token } from './parser.ts';
import { SPECIAL_USE } from './commands/mailboxes.ts';
import { statusResponse } from './commands/status.ts';
import type { Session } from './session.ts';
import type { SelectedView } from './view.ts';

/**
 * Mailbox specifications one NOTIFY SET may hold: each name under SUBTREE or MAILBOXES counts, and
 * each other event group counts one.
 */
export const MAX_NOTIFY_MAILBOXES = 100;
/** Notifications a session may hold for the client before it overflows (RFC 5465 section 5.8). */
export const MAX_PENDING = 1000;
/** Octets of replies the client has not read yet, past which notifications overflow (section 9). */
export const MAX_UNSENT = 1024 * 1024;

/** The events this server reports (RFC 5465 section 5), in the order BADEVENT lists them. */
export const SUPPORTED_EVENTS = ['MessageNew', 'MessageExpunge', 'FlagChange', 'MailboxName', 'SubscriptionChange'];
const MESSAGE_EVENTS = new Set(['MESSAGENEW', 'MESSAGEEXPUNGE', 'FLAGCHANGE', 'ANNOTATIONCHANGE']);

export type NotifyFilter =
  | { kind: 'selected'; delayed: boolean }
  | { kind: 'inboxes' }
  | { kind: 'personal' }
  | { kind: 'subscribed' }
  | { kind: 'subtree'; names: string[] }
  | { kind: 'mailboxes'; names: string[] };

export interface EventGroup {
  filter: NotifyFilter;
  /** Canonical event names (SUPPORTED_EVENTS spelling). Empty for NONE. */
  events: Set<string>;
  /** MessageNew's fetch-att list: only with SELECTED or SELECTED-DELAYED (section 8). */
  fetch: FetchAttr[] | null;
}

export interface NotifyRequest {
  /** The STATUS indicator: the mailboxes' current STATUS goes out before the tagged OK (3.1). */
  status: boolean;
  groups: EventGroup[];
}

function atom(t: Token | undefined): string | null {
  return t?.type === 'atom' ? t.value : null;
}

/** NOTIFY's arguments (RFC 5465 section 8): null for NOTIFY NONE, else the request. */
export function parseNotify(args: Token[], utf8 = false): NotifyRequest | null {
  const verb = atom(args[0])?.toUpperCase();
  if (verb === 'NONE') {
    if (args.length !== 1) throw new ArgumentError('NOTIFY NONE takes nothing after NONE.');
    return null;
  }
  if (verb !== 'SET')
    throw new ArgumentError('NOTIFY needs SET or NONE: NOTIFY SET [STATUS] (filter (events)) ... or NOTIFY NONE.');
  let rest = args.slice(1);
  const status = atom(rest[0])?.toUpperCase() === 'STATUS';
  if (status) rest = rest.slice(1);
  if (!rest.length)
    throw new ArgumentError(
      'NOTIFY SET needs at least one event group, such as (selected (MessageNew MessageExpunge)).',
    );
  const groups: EventGroup[] = [];
  let names = 0;
  const unsupported = new Set<string>();
  for (const t of rest) {
    if (t.type !== 'list')
      throw new ArgumentError('Each event group is in parentheses: (filter (events)), e.g. (personal (MailboxName)).');
    const group = parseGroup(t.items, unsupported, utf8);
    if (group.filter.kind === 'selected' && groups.some((g) => g.filter.kind === 'selected'))
      throw new ArgumentError(
        'Only one of SELECTED and SELECTED-DELAYED may appear in a NOTIFY (RFC 5465 section 6.1).',
      );
    names += group.filter.kind === 'subtree' || group.filter.kind === 'mailboxes' ? group.filter.names.length : 1;
    groups.push(group);
  }
  if (unsupported.size)
    // Unsupported events get NO, not BAD, with all the events this server supports (section 3.1).
    throw new CommandRefusal(
      `BADEVENT (${SUPPORTED_EVENTS.join(' ')})`,
      `This server cannot report ${[...unsupported].join(', ')}; the events it supports are listed in the code.`,
    );
  if (names > MAX_NOTIFY_MAILBOXES)
    throw new CommandRefusal(
      'NOTIFICATIONOVERFLOW',
      `NOTIFY holds ${names} mailbox specifications; this server takes at most ${MAX_NOTIFY_MAILBOXES}. Use SUBTREE or PERSONAL instead of many names.`,
    );
  return { status, groups };
}

function parseGroup(items: Token[], unsupported: Set<string>, utf8: boolean): EventGroup {
  const word = atom(items[0])?.toUpperCase();
  let filter: NotifyFilter;
  let at = 1;
  if (word === 'SELECTED' || word === 'SELECTED-DELAYED') filter = { kind: 'selected', delayed: word !== 'SELECTED' };
  else if (word === 'INBOXES' || word === 'PERSONAL' || word === 'SUBSCRIBED')
    filter = { kind: word.toLowerCase() as 'inboxes' | 'personal' | 'subscribed' };
  else if (word === 'SUBTREE' || word === 'MAILBOXES') {
    const arg = items[1];
    const tokens = arg?.type === 'list' ? arg.items : arg ? [arg] : [];
    if (!tokens.length) throw new ArgumentError(`${word} needs a mailbox name or a list of them.`);
    // No wildcard expansion: "*" and "%" are plain characters here (section 6.6).
    const names = tokens.map((n) => {
      const text = tokenText(n);
      if (text === null) throw new ArgumentError(`${word} takes mailbox names, not nested lists.`);
      const name = mailboxFromWire(text, utf8);
      return /^inbox$/i.test(name) ? 'INBOX' : name;
    });
    filter = { kind: word === 'SUBTREE' ? 'subtree' : 'mailboxes', names };
    at = 2;
  } else
    throw new ArgumentError(
      'Unknown NOTIFY filter; use SELECTED, SELECTED-DELAYED, INBOXES, PERSONAL, SUBSCRIBED, SUBTREE or MAILBOXES.',
    );
  const eventsToken = items[at];
  if (items.length !== at + 1 || !eventsToken)
    throw new ArgumentError('An event group is (filter events), the events a list in parentheses or NONE.');
  const events = new Set<string>();
  let fetch: FetchAttr[] | null = null;
  if (atom(eventsToken)?.toUpperCase() === 'NONE') return { filter, events, fetch };
  if (eventsToken.type !== 'list' || !eventsToken.items.length)
    throw new ArgumentError('The events of a group go in parentheses, e.g. (MessageNew MessageExpunge), or NONE.');
  const list = eventsToken.items;
  for (let i = 0; i < list.length; i++) {
    const name = atom(list[i]);
    if (name === null) throw new ArgumentError('Events are atoms such as MessageNew or MailboxName.');
    const upper = name.toUpperCase();
    if (upper === 'MESSAGENEW' && list[i + 1]?.type === 'list') {
      // fetch-att after MessageNew is for the selected mailbox only (section 8, message-event).
      if (filter.kind !== 'selected')
        throw new ArgumentError('MessageNew takes fetch attributes only with SELECTED or SELECTED-DELAYED.');
      fetch = parseFetchAttributes(list[++i]);
    }
    if (filter.kind === 'selected' && !MESSAGE_EVENTS.has(upper))
      throw new ArgumentError(`${name} is not a message event; SELECTED and SELECTED-DELAYED take only those (6.1).`);
    const known = SUPPORTED_EVENTS.find((e) => e.toUpperCase() === upper);
    if (known) events.add(known);
    else unsupported.add(name.slice(0, 40));
  }
  // RFC 5465 section 5 asks for BAD when MessageNew and MessageExpunge are not given together, or
  // FlagChange without both. Dovecot accepts either alone, and imaptest's notify script counts on
  // that; the practice server does the same, so each event reports only what was asked for.
  return { filter, events, fetch };
}

/** Mailboxes that receive mail from the delivery agent (section 6.3): here, INBOX alone. */
const INBOXES = ['INBOX'];

/** Whether a non-selected filter covers a mailbox name (RFC 5465 sections 6.2-6.6). */
export function covers(filter: NotifyFilter, name: string, subscriptions: readonly string[]): boolean {
  switch (filter.kind) {
    case 'selected':
      return false;
    case 'personal':
      return true; // one personal namespace, the whole account (NAMESPACE (("" "/")))
    case 'inboxes':
      return INBOXES.includes(name);
    case 'subscribed':
      return subscriptions.includes(name);
    case 'subtree':
      return filter.names.some((n) => name === n || name.startsWith(`${n}/`));
    case 'mailboxes':
      return filter.names.includes(name);
  }
}

/** The events that apply to one (non-selected) mailbox name: the union over the groups covering it. */
export function eventsFor(request: NotifyRequest, name: string, subscriptions: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const g of request.groups) if (covers(g.filter, name, subscriptions)) for (const e of g.events) out.add(e);
  return out;
}

const ITEM_ORDER = ['MESSAGES', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'HIGHESTMODSEQ'];
const ordered = (items: Set<string>) => ITEM_ORDER.filter((i) => items.has(i));

/**
 * What NOTIFY SET STATUS reports first for a mailbox, by the message events asked for (3.1):
 * MessageNew needs MESSAGES, UIDNEXT and UIDVALIDITY; MessageExpunge MESSAGES; FlagChange
 * UIDVALIDITY and HIGHESTMODSEQ, as this server has CONDSTORE.
 */
export function initialStatusItems(events: Set<string>): string[] {
  const items = new Set<string>();
  if (events.has('MessageNew')) ['MESSAGES', 'UIDNEXT', 'UIDVALIDITY'].forEach((i) => items.add(i));
  if (events.has('MessageExpunge')) items.add('MESSAGES');
  if (events.has('FlagChange')) ['UIDVALIDITY', 'HIGHESTMODSEQ'].forEach((i) => items.add(i));
  return ordered(items);
}

/**
 * What one message event in another mailbox is reported with (sections 5.1-5.3): new and expunged
 * messages as UIDNEXT and MESSAGES (with HIGHESTMODSEQ under CONDSTORE for new ones, QRESYNC for
 * expunges); a flag change as HIGHESTMODSEQ and UIDVALIDITY under CONDSTORE, else as UNSEEN.
 * Null: the event was not asked for.
 */
export function eventStatusItems(
  kind: 'exists' | 'expunge' | 'flags',
  events: Set<string>,
  modes: { condstore: boolean; qresync: boolean },
): string[] | null {
  if (kind === 'exists' && events.has('MessageNew'))
    return ['MESSAGES', 'UIDNEXT', ...(modes.condstore ? ['HIGHESTMODSEQ'] : [])];
  if (kind === 'expunge' && events.has('MessageExpunge'))
    return ['MESSAGES', 'UIDNEXT', ...(modes.qresync ? ['HIGHESTMODSEQ'] : [])];
  if (kind === 'flags' && events.has('FlagChange'))
    return modes.condstore ? ['UIDVALIDITY', 'HIGHESTMODSEQ'] : ['UNSEEN'];
  return null;
}

/** The LIST response for a name after a MailboxName or SubscriptionChange event (5.4, 5.5). */
export function listLine(store: AccountStore, name: string, oldName?: string, utf8 = false): Chunk[] {
  const all = store.listMailboxes();
  const attrs: string[] = [];
  if (!all.includes(name)) attrs.push('\\NonExistent');
  else {
    attrs.push(all.some((n) => n.startsWith(`${name}/`)) ? '\\HasChildren' : '\\HasNoChildren');
    const special = SPECIAL_USE[name.toLowerCase()];
    if (special) attrs.push(special); // as LIST shows it: every attribute, computed (section 5.5)
  }
  if (store.subscriptions().includes(name)) attrs.push('\\Subscribed');
  const line: Chunk[] = [`LIST (${attrs.join(' ')}) "/" `, ...mailboxName(name, utf8)];
  if (oldName !== undefined) line.push(' ("OLDNAME" (', ...mailboxName(oldName, utf8), '))');
  return line;
}

/** Commands whose own changes to these mailboxes the session is not told of again (section 5). */
const CHANGING = new Set(['CREATE', 'DELETE', 'RENAME', 'SUBSCRIBE', 'UNSUBSCRIBE', 'APPEND', 'COPY', 'MOVE']);

/** The mailbox names a command acts on, superiors included (CREATE and RENAME make them). */
export function ownNames(cmd: ParsedCommand, utf8 = false): Set<string> {
  const out = new Set<string>();
  if (!CHANGING.has(cmd.name)) return out;
  for (const t of cmd.args) {
    const text = tokenText(t);
    if (text === null) continue;
    let name: string;
    try {
      name = mailboxFromWire(text, utf8).replace(/\/+$/, '');
    } catch {
      continue;
    }
    if (/^inbox$/i.test(name)) name = 'INBOX';
    const parts = name.split('/');
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join('/'));
  }
  return out;
}

type Pending = { kind: 'status'; name: string; items: Set<string> } | { kind: 'list'; line: Chunk[] };

/** One session's NOTIFY: the request in force, its subscription to the account, what waits. */
export class Notifier {
  request: NotifyRequest | null = null;
  private unsubscribe: (() => void) | null = null;
  private pending: Pending[] = [];
  private statusByName = new Map<string, Extract<Pending, { kind: 'status' }>>();
  /** Names this session's running command acts on: its own changes are not reported back (section 5). */
  private own: { names: Set<string>; messages: boolean } | null = null;
  /** The selected view whose new messages get the MessageNew fetch-atts, and the last UID done. */
  private fetchView: SelectedView | null = null;
  private fetchedUpTo = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly session: Session,
    private readonly limits = { pending: MAX_PENDING, unsent: MAX_UNSENT },
  ) {}

  /** NOTIFY SET or NOTIFY NONE (null). */
  set(request: NotifyRequest | null): void {
    this.close();
    this.request = request;
    if (!request || !this.session.accountStore) return;
    this.unsubscribe = this.session.accountStore.subscribe((event) => this.heard(event));
    this.trackView();
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.request = null;
    this.pending = [];
    this.statusByName.clear();
  }

  /** The SELECTED or SELECTED-DELAYED group, if any. */
  selectedGroup(): EventGroup | null {
    return this.request?.groups.find((g) => g.filter.kind === 'selected') ?? null;
  }

  /** NOTIFY SET STATUS: the STATUS of each covered mailbox but the selected one (section 3.1). */
  initialStatus(): void {
    const store = this.session.accountStore;
    if (!this.request?.status || !store) return;
    const subs = store.subscriptions();
    for (const name of store.listMailboxes()) {
      if (this.isSelected(name)) continue;
      const items = initialStatusItems(eventsFor(this.request, name, subs));
      const box = store.mailbox(name);
      if (items.length && box) this.session.untagged(statusResponse(box, items, this.session.utf8Names));
    }
  }

  /** A command of this session starts: changes it makes to the mailboxes it names are its own. */
  commandStarted(cmd: ParsedCommand): void {
    this.own = {
      names: ownNames(cmd, this.session.utf8Names),
      messages: ['APPEND', 'COPY', 'MOVE'].includes(cmd.name),
    };
  }

  /**
   * Before the tagged reply: what waited during the command goes out, and the fetch-atts of the
   * messages its EXISTS announced, unless the command added them itself (section 5.2).
   */
  async commandEnding(): Promise<void> {
    this.deliver();
    await this.fetchNew(!this.own?.messages);
    this.own = null;
  }

  private isSelected(name: string): boolean {
    return this.session.state === 'selected' && this.session.selected?.mailbox.name === name;
  }

  private heard(event: AccountEvent): void {
    const request = this.request;
    const store = this.session.accountStore;
    if (!request || !store) return;
    const subs = store.subscriptions();
    if (event.kind === 'message') {
      if (this.isSelected(event.mailbox)) {
        this.pushSelected(event.event.kind);
        return;
      }
      if (this.own?.messages && this.own.names.has(event.mailbox)) return;
      const items = eventStatusItems(event.event.kind, eventsFor(request, event.mailbox, subs), this.session);
      if (items) this.queueStatus(event.mailbox, items);
    } else if (event.kind === 'recreated') {
      // A new UIDVALIDITY must reach a FlagChange watcher (section 5.1); the counts start anew too.
      if (this.isSelected(event.name)) return; // the session was told [CLOSED] and selects again
      const items = initialStatusItems(eventsFor(request, event.name, subs));
      if (items.length) this.queueStatus(event.name, items);
    } else {
      const name = event.kind === 'renamed' ? event.to : event.name;
      if (this.own?.names.has(name) && !this.own.messages) return;
      const wanted = event.kind === 'subscribed' ? 'SubscriptionChange' : 'MailboxName';
      // A renamed mailbox is covered by its new name or its old one; an unsubscribed one by
      // SUBSCRIBED too, as it was subscribed until now (section 6.4).
      const before = event.kind === 'subscribed' && !event.subscribed ? [...subs, name] : subs;
      const covered =
        eventsFor(request, name, before).has(wanted) ||
        (event.kind === 'renamed' && eventsFor(request, event.from, subs).has(wanted));
      if (!covered) return;
      this.queue({
        kind: 'list',
        line: listLine(store, name, event.kind === 'renamed' ? event.from : undefined, this.session.utf8Names),
      });
    }
    if (!this.session.busy || this.session.idling) this.deliver();
  }

  private queueStatus(name: string, items: string[]): void {
    const queued = this.statusByName.get(name);
    if (queued) {
      for (const i of items) queued.items.add(i);
      return;
    }
    const entry = { kind: 'status' as const, name, items: new Set(items) };
    if (this.queue(entry)) this.statusByName.set(name, entry);
  }

  private queue(entry: Pending): boolean {
    // A client that does not read its replies (section 9) fills the socket instead of the queue.
    const unread = this.session.io.unsent?.() ?? 0;
    if (this.pending.length >= this.limits.pending || unread > this.limits.unsent) {
      this.overflow(
        unread > this.limits.unsent
          ? `${unread} octets of replies were unread`
          : `${this.pending.length} notifications waited`,
      );
      return false;
    }
    this.pending.push(entry);
    return true;
  }

  /** Too much for this session: say so, then behave as after NOTIFY NONE (section 5.8). */
  private overflow(why: string): void {
    this.close();
    this.session.untagged(
      `OK [NOTIFICATIONOVERFLOW] ${why}, so NOTIFY is now off. Read the replies, then NOTIFY SET again.`,
    );
    this.session.env.log('imap.notify-overflow', { user: this.session.account?.username, why });
  }

  /** Writes what waits: STATUS as the mailbox is now (a deleted one is left out), LIST as queued. */
  deliver(): void {
    const store = this.session.accountStore;
    const pending = this.pending;
    this.pending = [];
    this.statusByName.clear();
    if (!store) return;
    for (const p of pending) {
      if (p.kind === 'list') this.session.untagged(p.line);
      else {
        const box = store.mailbox(p.name);
        if (box && !this.isSelected(p.name))
          this.session.untagged(statusResponse(box, ordered(p.items), this.session.utf8Names));
      }
    }
  }

  /**
   * Between commands (or in IDLE), with SELECTED: the selected mailbox's changes of the kinds asked
   * for go out now (6.1); the others wait for the next command's end, as without NOTIFY.
   */
  private pushSelected(kind: 'exists' | 'expunge' | 'flags'): void {
    const group = this.selectedGroup();
    const view = this.session.selected;
    if (!group || !view) return;
    if (this.session.idling) {
      void this.fetchNew(true); // IDLE flushed the view itself (RFC 5465 section 4)
      return;
    }
    if (this.session.busy) return; // the command's end reports it
    const wanted = { exists: 'MessageNew', expunge: 'MessageExpunge', flags: 'FlagChange' }[kind];
    if (!group.events.has(wanted)) return;
    const delayed = group.filter.kind === 'selected' && group.filter.delayed;
    // SELECTED-DELAYED keeps expunges for a command that may carry them (section 6.1.2), and so
    // does a group without MessageExpunge.
    view.flush(this.session, !delayed && group.events.has('MessageExpunge'));
    void this.session.refreshSearches();
    void this.fetchNew(true);
  }

  private trackView(): void {
    const view = this.session.state === 'selected' ? this.session.selected : null;
    if (view === this.fetchView) return;
    this.fetchView = view;
    this.fetchedUpTo = view?.uids[view.uids.length - 1] ?? 0;
  }

  /**
   * MessageNew with fetch-atts: one FETCH per new message of the selected mailbox, after its
   * EXISTS (section 5.2). Not for messages this session's own APPEND, COPY or MOVE made.
   */
  fetchNew(send: boolean): Promise<void> {
    this.chain = this.chain.then(async () => {
      const view = this.session.state === 'selected' ? this.session.selected : null;
      if (view !== this.fetchView) {
        this.trackView();
        return;
      }
      if (!view) return;
      const fresh = view.uids.filter((u) => u > this.fetchedUpTo); // ascending, as view.uids
      this.fetchedUpTo = fresh[fresh.length - 1] ?? this.fetchedUpTo;
      const attrs = this.selectedGroup()?.fetch;
      if (!send || !attrs?.length || !this.selectedGroup()?.events.has('MessageNew')) return;
      for (const uid of fresh) await this.fetchOne(view, view.mailbox, uid, attrs);
    });
    // A message that cannot be read is logged and skipped; the session goes on.
    this.chain = this.chain.catch((err: unknown) =>
      this.session.env.log('imap.error', {
        command: 'NOTIFY MessageNew',
        error: err instanceof Error ? err.message : String(err),
      }),
    );
    return this.chain;
  }

  private async fetchOne(view: SelectedView, mailbox: Mailbox, uid: number, attrs: FetchAttr[]): Promise<void> {
    const cached = needsBody(attrs) ? (heldMessage(mailbox, uid) ?? (await cachedMessage(mailbox, uid))) : null;
    const meta = mailbox.message(uid);
    const seq = view.uids.indexOf(uid) + 1;
    if (!meta || seq === 0 || (needsBody(attrs) && !cached)) return; // gone meanwhile: its EXPUNGE says so
    const wantsEnvelope = attrs.some((a) => a.kind === 'ENVELOPE');
    // The client's attributes as given; nothing here sets \Seen, whatever BODY[] asks (5.2 advises PEEK).
    const body = renderFetchItems(fetchMessage(meta, view.flagsFor(meta), cached, wantsEnvelope), attrs, false);
    view.noteFlags(uid, meta.flags);
    this.session.untagged([`${seq} FETCH `, ...body]);
  }
}
