// Not-authenticated state: STARTTLS (RFC 3501 6.2.1), LOGIN (6.2.3), AUTHENTICATE PLAIN
// (6.2.2, RFC 4616) and LOGIN, each with SASL-IR (RFC 4959). Passwords never reach the log.
import type { Account } from '../../mailstore-types.ts';
import { astring, expectArgs, tokenText } from '../parser.ts';
import type { CommandHandler, Session, Tagged } from '../session.ts';

export const starttlsCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 0, 0, 'STARTTLS');
  if (session.io.security !== 'starttls') return { status: 'BAD', text: 'STARTTLS is not offered on this port.' };
  if (session.io.secure) return { status: 'BAD', text: 'The connection is already under TLS.' };
  session.afterReply = () => session.io.startTls();
  return { status: 'OK', text: 'Begin TLS negotiation now.' };
};

export const loginCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 2, 2, 'LOGIN username password');
  const refused = privacyCheck(session);
  if (refused) return refused;
  return finishLogin(session, astring(cmd.args[0], 'a user name'), astring(cmd.args[1], 'a password'));
};

/** The SASL mechanisms AUTHENTICATE offers, each also with an initial response (SASL-IR, RFC 4959). */
export const MECHANISMS = ['PLAIN', 'LOGIN'];

export const authenticateCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 1, 2, 'AUTHENTICATE PLAIN|LOGIN [initial-response]');
  const mechanism = (tokenText(cmd.args[0]) ?? '').toUpperCase();
  if (!MECHANISMS.includes(mechanism)) {
    return { status: 'NO', code: 'CANNOT', text: `SASL mechanism "${mechanism.slice(0, 40)}" is not supported; use PLAIN or LOGIN.` };
  }
  const refused = privacyCheck(session);
  if (refused) return refused;
  // SASL-IR: the first response may come with the command, "=" standing for an empty one (RFC 4959).
  const initial = cmd.args[1] === undefined ? null : tokenText(cmd.args[1]);
  if (cmd.args[1] !== undefined && initial === null) {
    return { status: 'BAD', text: 'The initial response is base64 text, or "=" for an empty one.' };
  }
  return mechanism === 'PLAIN' ? plain(session, initial) : login(session, initial);
};

/** PLAIN (RFC 4616): one response, base64 of "authzid NUL username NUL password"; an empty challenge first. */
async function plain(session: Session, initial: string | null): Promise<Tagged> {
  const decoded = await response(session, initial, '');
  if (typeof decoded !== 'string') return decoded;
  const fields = decoded.split('\u0000');
  if (fields.length !== 3) return { status: 'BAD', text: 'The PLAIN response must be base64 of "authzid NUL username NUL password".' };
  const [authzid, username, password] = fields;
  if (authzid && authzid.toLowerCase() !== username.toLowerCase()) {
    return { status: 'NO', code: 'AUTHORIZATIONFAILED', text: 'Acting as another user is not allowed here; leave the authorization identity empty.' };
  }
  return finishLogin(session, username, password);
}

/**
 * LOGIN (draft-murchison-sasl-login, which Dovecot, Exchange and curl's ;AUTH=LOGIN use): the
 * server asks "Username:" then "Password:", both base64; an initial response is the user name.
 */
async function login(session: Session, initial: string | null): Promise<Tagged> {
  const username = await response(session, initial, btoa('Username:'));
  if (typeof username !== 'string') return username;
  const password = await response(session, null, btoa('Password:'));
  if (typeof password !== 'string') return password;
  return finishLogin(session, username, password);
}

/**
 * One step of the exchange: the initial response when there is one, else `+ challenge` and the
 * client's next line. "*" cancels with BAD (RFC 3501 section 6.2.2).
 */
async function response(session: Session, initial: string | null, challenge: string): Promise<string | Tagged> {
  let line = initial;
  if (line === null) {
    session.io.write([`+ ${challenge}\r\n`]);
    const frame = await session.io.nextFrame();
    if (!frame) return { status: 'BAD', text: 'The connection closed during AUTHENTICATE.' };
    line = frame.lines.join('');
  }
  const text = line.trim();
  if (text === '*') return { status: 'BAD', text: 'AUTHENTICATE cancelled by the client.' };
  const decoded = decodeBase64(text === '=' ? '' : text);
  if (decoded === null) return { status: 'BAD', text: 'A SASL response is base64 text (or "=" when empty, or "*" to cancel).' };
  return decoded;
}

function privacyCheck(session: Session): Tagged | null {
  if (!session.loginDisabled()) return null;
  return {
    status: 'NO',
    code: 'PRIVACYREQUIRED',
    text: session.io.security === 'starttls' ? 'Logging in needs TLS first: send STARTTLS.' : 'Logging in needs TLS: connect to the IMAPS port.',
  };
}

function finishLogin(session: Session, username: string, password: string): Tagged {
  const account: Account | null = session.env.store.authenticate(username, password);
  if (!account) {
    session.env.log('imap.login.failed', { user: username.slice(0, 64) });
    return { status: 'NO', code: 'AUTHENTICATIONFAILED', text: 'Wrong user name or password (practice accounts use the password "practice").' };
  }
  session.account = account;
  session.accountStore = session.env.store.forAccount(account.username);
  session.enter('login');
  session.env.log('imap.login', { user: account.username });
  return { status: 'OK', code: `CAPABILITY ${session.capabilities().join(' ')}`, text: `Logged in as ${account.address}.` };
}

function decodeBase64(text: string): string | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  try {
    const bin = atob(text);
    return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}
