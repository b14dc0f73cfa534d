// Commands valid in any state: CAPABILITY, NOOP, LOGOUT (RFC 3501 section 6.1), ID (RFC 2971),
// and ENABLE (RFC 5161, authenticated state).
import { join, nstr, paren, str } from '../encode.ts';
import { ArgumentError, listOf, tokenText } from '../parser.ts';
import type { CommandHandler } from '../session.ts';

export const capabilityCommand: CommandHandler = async (session) => {
  session.untagged(`CAPABILITY ${session.capabilities().join(' ')}`);
  return { status: 'OK', text: 'CAPABILITY completed.' };
};

/** Does nothing; its value is the pending mailbox updates sent before the OK. */
export const noopCommand: CommandHandler = async () => ({ status: 'OK', text: 'NOOP completed.' });

export const logoutCommand: CommandHandler = async (session) => {
  session.untagged('BYE Logging out; see you next time.');
  session.enter('logout');
  return { status: 'OK', text: 'LOGOUT completed.' };
};

export const idCommand: CommandHandler = async (session, cmd) => {
  const arg = cmd.args[0];
  if (arg && !(arg.type === 'atom' && arg.value.toUpperCase() === 'NIL')) listOf(arg, 'field-value pairs or NIL');
  const fields: Array<[string, string]> = [
    ['name', 'mailwire practice IMAP'],
    ['vendor', 'mailwire'],
    ['support-url', `https://${session.env.hostname}/`],
  ];
  session.untagged(['ID ', ...paren(join(fields.map(([k, v]) => join([str(k), nstr(v)]))))]);
  return { status: 'OK', text: 'ID completed.' };
};

/**
 * ENABLE (RFC 5161, RFC 9051 section 6.3.1): the extensions that change this server's replies.
 * CONDSTORE and QRESYNC (RFC 7162 sections 3.1, 3.2.3; QRESYNC implies CONDSTORE); UTF8=ACCEPT
 * (RFC 6855 section 3: UTF-8 names and quoted strings, SEARCH without CHARSET, APPEND's UTF8 form);
 * IMAP4rev2 (RFC 9051 Appendix A: rev2 replies, UTF-8 names). ENABLED lists the ones asked for
 * that the server knows, as Dovecot answers (also when they were on already); others are ignored.
 * The CAPABILITY list stays the same (section 6.3.1).
 */
export const enableCommand: CommandHandler = async (session, cmd) => {
  if (!cmd.args.length) throw new ArgumentError('ENABLE needs an extension name, e.g. ENABLE QRESYNC.');
  const enabled: string[] = [];
  for (const t of cmd.args) {
    const name = (tokenText(t) ?? '').toUpperCase();
    const canonical = ENABLEABLE[name];
    if (!canonical || enabled.includes(canonical)) continue;
    enabled.push(canonical);
    if (name === 'UTF8=ACCEPT') session.utf8Accept = true;
    else if (name === 'IMAP4REV2') session.rev2 = true;
    else {
      if (name === 'QRESYNC') session.qresync = true;
      session.enableCondstore();
    }
  }
  session.untagged(`ENABLED${enabled.map((n) => ' ' + n).join('')}`);
  return { status: 'OK', text: enabled.length ? 'ENABLE completed.' : 'ENABLE completed; nothing needed enabling.' };
};

/** What ENABLE knows, by upper-cased name, as the capability list spells it. */
const ENABLEABLE: Record<string, string> = {
  CONDSTORE: 'CONDSTORE',
  QRESYNC: 'QRESYNC',
  'UTF8=ACCEPT': 'UTF8=ACCEPT',
  IMAP4REV2: 'IMAP4rev2',
};
