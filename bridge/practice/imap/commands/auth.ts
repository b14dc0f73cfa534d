// Not-authenticated state: STARTTLS (RFC 3501 6.2.1), LOGIN (6.2.3), AUTHENTICATE PLAIN
// (6.2.2, RFC 4616) and LOGIN, each with SASL-IR (RFC 4959). Passwords never reach the log.
import {
  decodeSaslResponse,
  LOGIN_PASSWORD_PROMPT,
  LOGIN_USERNAME_PROMPT,
  parsePlainMessage,
} from '../../../../app/src/protocols/common/sasl-wire.ts';
import { throttleNote } from '../../limits/throttle.ts';
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
    return {
      status: 'NO',
      code: 'CANNOT',
      text: `SASL mechanism "${mechanism.slice(0, 40)}" is not supported; use PLAIN or LOGIN.`,
    };
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
  if (!(decoded instanceof Uint8Array)) return decoded;
  const message = parsePlainMessage(decoded);
  if (!message)
    return { status: 'BAD', text: 'The PLAIN response must be base64 of "authzid NUL username NUL password".' };
  const { authzid, authcid: username, passwd: password } = message;
  if (authzid && authzid.toLowerCase() !== username.toLowerCase()) {
    return {
      status: 'NO',
      code: 'AUTHORIZATIONFAILED',
      text: 'Acting as another user is not allowed here; leave the authorization identity empty.',
    };
  }
  return finishLogin(session, username, password);
}

/**
 * LOGIN (draft-murchison-sasl-login, which Dovecot, Exchange and curl's ;AUTH=LOGIN use): the
 * server asks "Username:" then "Password:", both base64; an initial response is the user name.
 */
async function login(session: Session, initial: string | null): Promise<Tagged> {
  const username = await response(session, initial, LOGIN_USERNAME_PROMPT);
  if (!(username instanceof Uint8Array)) return username;
  const password = await response(session, null, LOGIN_PASSWORD_PROMPT);
  if (!(password instanceof Uint8Array)) return password;
  return finishLogin(session, new TextDecoder().decode(username), new TextDecoder().decode(password));
}

/**
 * One step of the exchange: the initial response when there is one, else `+ challenge` and the
 * client's next line. "*" cancels with BAD (RFC 3501 section 6.2.2).
 */
async function response(session: Session, initial: string | null, challenge: string): Promise<Uint8Array | Tagged> {
  let line = initial;
  if (line === null) {
    session.io.write([`+ ${challenge}\r\n`]);
    const frame = await session.io.nextFrame();
    if (!frame) return { status: 'BAD', text: 'The connection closed during AUTHENTICATE.' };
    line = frame.lines.join('');
  }
  const decoded = decodeSaslResponse(line);
  if (decoded.kind === 'cancel') return { status: 'BAD', text: 'AUTHENTICATE cancelled by the client.' };
  if (decoded.kind === 'invalid')
    return { status: 'BAD', text: 'A SASL response is base64 text (or "=" when empty, or "*" to cancel).' };
  return decoded.bytes;
}

function privacyCheck(session: Session): Tagged | null {
  if (!session.loginDisabled()) return null;
  return {
    status: 'NO',
    code: 'PRIVACYREQUIRED',
    text:
      session.io.security === 'starttls'
        ? 'Logging in needs TLS first: send STARTTLS.'
        : 'Logging in needs TLS: connect to the IMAPS port.',
  };
}

/**
 * A failed login is answered late, on a timer (limits/throttle.ts: 2 s, doubling, capped), and
 * says why; a correct one at once. The log names the user only when the account exists, so a
 * password typed into the user field never reaches stderr.
 */
async function finishLogin(session: Session, username: string, password: string): Promise<Tagged> {
  const account: Account | null = session.env.store.authenticate(username, password);
  const client = session.env.client;
  if (!account) {
    const known = session.env.store.findAccount(username)?.username ?? null;
    const delay = client ? client.throttle.failed(client.address, known) : 0;
    session.env.log('imap.login.failed', { user: known ?? '(unknown)', delayMs: delay });
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    return {
      status: 'NO',
      code: 'AUTHENTICATIONFAILED',
      text: `Wrong user name or password: check both and try again (a class account's password is on your slip).${throttleNote(delay)}`,
    };
  }
  client?.throttle.succeeded(client.address, account.username);
  session.account = account;
  session.accountStore = session.env.store.forAccount(account.username);
  session.enter('login');
  session.env.log('imap.login', { user: account.username });
  return {
    status: 'OK',
    code: `CAPABILITY ${session.capabilities().join(' ')}`,
    text: `Logged in as ${account.address}.`,
  };
}
