// Extended LIST (RFC 5258): selection options before the reference, several patterns in
// parentheses, RETURN options after; SPECIAL-USE as a selection and return option (RFC 6154
// section 3) and STATUS as a return option (LIST-STATUS, RFC 5819).
//   LIST (SUBSCRIBED RECURSIVEMATCH) "" ("a/*" "b") RETURN (CHILDREN STATUS (MESSAGES UNSEEN))
import { mailboxName } from '../encode.ts';
import { patternArg } from '../names.ts';
import { ArgumentError, listOf, type Token } from '../parser.ts';
import type { Session, Tagged } from '../session.ts';
import { statusItemNames, statusResponse } from './status.ts';

const SELECTION = ['SUBSCRIBED', 'REMOTE', 'RECURSIVEMATCH', 'SPECIAL-USE'];
const RETURNS = ['SUBSCRIBED', 'CHILDREN', 'SPECIAL-USE', 'STATUS'];

/** True when LIST has the extended form: a selection list, a pattern list, or RETURN. */
export function isExtendedList(args: Token[]): boolean {
  return args[0]?.type === 'list' || args[1]?.type === 'list' || args.length > 2;
}

export interface ListContext {
  all: string[];
  subscribed: string[];
  specialUse(name: string): string | undefined;
  /** A linear-time matcher for a LIST pattern (imap/glob.ts). */
  mailboxMatcher(pattern: string): (name: string) => boolean;
}

export function extendedList(session: Session, args: Token[], ctx: ListContext): Tagged {
  let at = 0;
  const selection =
    args[0]?.type === 'list' ? words(listOf(args[at++], 'selection options'), SELECTION, 'selection option') : [];
  const reference = patternArg(args[at++], 'a reference name (often "")', session.utf8Names);
  const patternToken = args[at++];
  const patterns = (patternToken?.type === 'list' ? patternToken.items : [patternToken]).map((t) =>
    patternArg(t, 'a mailbox pattern', session.utf8Names),
  );
  let returns: string[] = [];
  let statusItems: string[] | null = null;
  if (at < args.length) {
    const kw = args[at++];
    if (kw.type !== 'atom' || kw.value.toUpperCase() !== 'RETURN') {
      throw new ArgumentError('After the patterns only RETURN (options) may follow (RFC 5258).');
    }
    const items = listOf(args[at++], 'return options');
    for (let i = 0; i < items.length; i++) {
      const word = items[i].type === 'atom' ? (items[i] as { value: string }).value.toUpperCase() : '';
      if (!RETURNS.includes(word)) throw new ArgumentError(`Unknown LIST return option; use ${RETURNS.join(', ')}.`);
      if (word === 'STATUS') statusItems = statusItemNames(listOf(items[++i], 'STATUS items'), session.rev2);
      returns.push(word);
    }
    if (at < args.length) throw new ArgumentError('Nothing may follow the RETURN options.');
  }
  // RECURSIVEMATCH only refines another selection option, and REMOTE is not one (RFC 5258 section 3).
  if (selection.includes('RECURSIVEMATCH') && !selection.some((o) => o === 'SUBSCRIBED' || o === 'SPECIAL-USE')) {
    throw new ArgumentError('RECURSIVEMATCH needs another selection option, such as (SUBSCRIBED RECURSIVEMATCH).');
  }
  returns = [...new Set(returns)];
  if (reference.pattern === null || patterns.some((p) => p.pattern === null)) {
    return { status: 'OK', text: 'LIST completed; no mailbox matches, as a name is not valid modified UTF-7.' };
  }
  const matchers = patterns.map((p) => ctx.mailboxMatcher(reference.pattern + p.pattern!));
  const matches = (name: string) => matchers.some((m) => m(name));
  const subscribed = new Set(ctx.subscribed);
  const existing = new Set(ctx.all);
  const bySubscription = selection.includes('SUBSCRIBED');
  const bySpecialUse = selection.includes('SPECIAL-USE');
  const selected = (name: string) =>
    (!bySubscription || subscribed.has(name)) && (!bySpecialUse || Boolean(ctx.specialUse(name)));

  // Candidates: every mailbox, every subscription (it may no longer exist), and their parents.
  const candidates = new Set<string>([...ctx.all, ...ctx.subscribed]);
  for (const name of [...candidates]) {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) candidates.add(parts.slice(0, i).join('/'));
  }
  for (const name of [...candidates].sort()) {
    if (!matches(name)) continue;
    // CHILDINFO: a descendant meets the selection but is not itself matched (RFC 5258 section 3.5).
    const childInfo =
      selection.includes('RECURSIVEMATCH') &&
      [...candidates].some((c) => c.startsWith(name + '/') && selected(c) && !matches(c));
    if (!selected(name) && !childInfo) continue;
    if (!existing.has(name) && !subscribed.has(name) && !childInfo) continue;
    const attrs: string[] = [];
    if (!existing.has(name)) attrs.push('\\NonExistent');
    else attrs.push(ctx.all.some((n) => n.startsWith(name + '/')) ? '\\HasChildren' : '\\HasNoChildren');
    if (subscribed.has(name) && (bySubscription || returns.includes('SUBSCRIBED'))) attrs.push('\\Subscribed');
    const special = ctx.specialUse(name);
    if (special && existing.has(name)) attrs.push(special);
    const extra = childInfo ? ' ("CHILDINFO" ("SUBSCRIBED"))' : '';
    session.untagged([`LIST (${attrs.join(' ')}) "/" `, ...mailboxName(name, session.utf8Names), extra]);
    const mailbox = statusItems && existing.has(name) ? session.accountStore?.mailbox(name) : null;
    if (mailbox && statusItems) session.untagged(statusResponse(mailbox, statusItems, session.utf8Names));
  }
  return { status: 'OK', text: 'LIST completed.' };
}

function words(items: Token[], allowed: string[], what: string): string[] {
  return items.map((t) => {
    const word = t.type === 'atom' ? t.value.toUpperCase() : '';
    if (!allowed.includes(word)) throw new ArgumentError(`Unknown LIST ${what}; use ${allowed.join(', ')}.`);
    return word;
  });
}
