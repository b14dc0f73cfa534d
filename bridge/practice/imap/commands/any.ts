// Commands valid in any state: CAPABILITY, NOOP, LOGOUT (RFC 3501 section 6.1), ID (RFC 2971),
// and ENABLE (RFC 5161, authenticated state).
import { join, nstr, paren, str } from '../encode.ts';
import { listOf, tokenText } from '../parser.ts';
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

/** No extensions need enabling here; the answer lists none (RFC 5161 section 3.1). */
export const enableCommand: CommandHandler = async (session, cmd) => {
  for (const t of cmd.args) tokenText(t);
  session.untagged('ENABLED');
  return { status: 'OK', text: 'ENABLE completed; no extensions needed enabling.' };
};
