// Mailbox management in the authenticated state: CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE,
// LIST, LSUB (RFC 3501 sections 6.3.3-6.3.9), NAMESPACE (RFC 2342). Hierarchy separator "/".
// LIST's extended form (RFC 5258) is in list-extended.ts.
import { mailboxName } from '../encode.ts';
import { mailboxMatcher } from '../glob.ts';
import { mailboxArg, patternArg } from '../names.ts';
import { expectArgs } from '../parser.ts';
import type { CommandHandler, Session } from '../session.ts';
import { extendedList, isExtendedList } from './list-extended.ts';
import { rev2LenientNote } from '../revision.ts';

/** Special-use attributes by lower-cased name (RFC 6154 section 2), as LIST shows them. */
export const SPECIAL_USE: Record<string, string> = {
  sent: '\\Sent',
  drafts: '\\Drafts',
  trash: '\\Trash',
  junk: '\\Junk',
  spam: '\\Junk',
  archive: '\\Archive',
};

function store(session: Session) {
  if (!session.accountStore) throw new Error('no account store in an authenticated session');
  return session.accountStore;
}

export const createCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 1, 1, 'CREATE mailbox');
  // A trailing separator only declares intent to hold children (RFC 3501 section 6.3.3).
  const { wire, name } = mailboxArg(cmd.args[0], 'a mailbox name', session.utf8Names);
  const trimmed = name.replace(/\/+$/, '');
  if (!trimmed) return { status: 'NO', code: 'CANNOT', text: 'A mailbox needs a name.' };
  await store(session).createMailbox(trimmed);
  return { status: 'OK', text: `Mailbox "${wire.replace(/\/+$/, '')}" created.` };
};

export const deleteCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 1, 1, 'DELETE mailbox');
  const { wire, name } = mailboxArg(cmd.args[0], 'a mailbox name', session.utf8Names);
  if (session.selected && session.selected.mailbox.name === name) {
    return { status: 'NO', code: 'INUSE', text: 'Close or unselect the mailbox before deleting it.' };
  }
  await store(session).deleteMailbox(name);
  return { status: 'OK', text: `Mailbox "${wire}" deleted.` };
};

export const renameCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 2, 2, 'RENAME old-name new-name');
  const from = mailboxArg(cmd.args[0], 'the current mailbox name', session.utf8Names);
  const to = mailboxArg(cmd.args[1], 'the new mailbox name', session.utf8Names);
  await store(session).renameMailbox(from.name, to.name);
  return { status: 'OK', text: `Mailbox "${from.wire}" renamed to "${to.wire}".` };
};

export const subscribeCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 1, 1, 'SUBSCRIBE mailbox');
  const { wire, name } = mailboxArg(cmd.args[0], 'a mailbox name', session.utf8Names);
  if (!store(session).mailbox(name))
    return { status: 'NO', code: 'NONEXISTENT', text: `There is no mailbox "${wire}" to subscribe to.` };
  await store(session).setSubscribed(name, true);
  return { status: 'OK', text: 'SUBSCRIBE completed.' };
};

export const unsubscribeCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 1, 1, 'UNSUBSCRIBE mailbox');
  await store(session).setSubscribed(mailboxArg(cmd.args[0], 'a mailbox name', session.utf8Names).name, false);
  return { status: 'OK', text: 'UNSUBSCRIBE completed.' };
};

export const listCommand: CommandHandler = async (session, cmd) => {
  if (!isExtendedList(cmd.args)) return listing(session, cmd.args, 'LIST');
  const ctx = {
    all: store(session).listMailboxes(),
    subscribed: store(session).subscriptions(),
    specialUse: (name: string) => SPECIAL_USE[name.toLowerCase()],
    mailboxMatcher,
  };
  return extendedList(session, cmd.args, ctx);
};
export const lsubCommand: CommandHandler = async (session, cmd) => listing(session, cmd.args, 'LSUB');

async function listing(session: Session, args: Parameters<CommandHandler>[1]['args'], kind: 'LIST' | 'LSUB') {
  expectArgs(args, 2, 2, `${kind} reference pattern`);
  const reference = patternArg(args[0], 'a reference name (often "")', session.utf8Names);
  const pattern = patternArg(args[1], 'a mailbox pattern such as "*" or "%"', session.utf8Names);
  if (kind === 'LIST' && pattern.wire === '') {
    // The hierarchy delimiter query (RFC 3501 section 6.3.8).
    session.untagged('LIST (\\Noselect) "/" ""');
    return { status: 'OK' as const, text: 'LIST completed.' };
  }
  if (reference.pattern === null || pattern.pattern === null) {
    // No stored name encodes to an invalid wire form, so nothing matches (Dovecot says OK too).
    return {
      status: 'OK' as const,
      text: `${kind} completed; no mailbox matches, as the ${reference.pattern === null ? 'reference' : 'pattern'} is not valid modified UTF-7. ${reference.reason ?? pattern.reason}`,
    };
  }
  const all = store(session).listMailboxes();
  const names = kind === 'LIST' ? all : store(session).subscriptions();
  const matches = mailboxMatcher(reference.pattern + pattern.pattern);
  for (const name of names) {
    if (!matches(name)) continue;
    const attrs = kind === 'LIST' ? listAttributes(all, name) : listAttributes(all, name).slice(0, 1);
    if (kind === 'LSUB' && !all.includes(name)) attrs.push('\\Noselect');
    session.untagged([`${kind} (${attrs.join(' ')}) "/" `, ...mailboxName(name, session.utf8Names)]);
  }
  if (kind === 'LSUB') {
    for (const parent of unsubscribedParents(names, matches, pattern.pattern)) {
      session.untagged(['LSUB (\\Noselect) "/" ', ...mailboxName(parent, session.utf8Names)]);
    }
  }
  return {
    status: 'OK' as const,
    text: `${kind} completed.${kind === 'LSUB' ? rev2LenientNote(session, 'LSUB') : ''}`,
  };
}

/** A mailbox's LIST attributes: children (RFC 3348) and special use (RFC 6154 section 2). */
export function listAttributes(all: string[], name: string): string[] {
  const attrs = [all.some((n) => n.startsWith(name + '/')) ? '\\HasChildren' : '\\HasNoChildren'];
  const special = SPECIAL_USE[name.toLowerCase()];
  if (special) attrs.push(special);
  return attrs;
}

/**
 * With "%", LSUB names the parent of a subscribed child that "%" does not reach, as \Noselect,
 * when the parent is not subscribed itself: "foo/bar" subscribed, LSUB "" "%" gives foo
 * (RFC 3501 section 6.3.9).
 */
function unsubscribedParents(subscribed: string[], matches: (name: string) => boolean, pattern: string): string[] {
  if (!pattern.includes('%')) return [];
  const shown = new Set(subscribed.filter((n) => matches(n)));
  const out: string[] = [];
  for (const name of subscribed) {
    if (matches(name)) continue;
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (shown.has(parent) || !matches(parent)) continue;
      shown.add(parent);
      out.push(parent);
    }
  }
  return out;
}

export const namespaceCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 0, 0, 'NAMESPACE');
  session.untagged('NAMESPACE (("" "/")) NIL NIL');
  return { status: 'OK', text: 'NAMESPACE completed.' };
};
