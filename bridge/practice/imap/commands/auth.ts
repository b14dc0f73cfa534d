// Not-authenticated state: STARTTLS (RFC 3501 6.2.1), LOGIN (6.2.3), AUTHENTICATE PLAIN
// (6.2.2, RFC 4616) with SASL-IR (RFC 4959). Passwords never reach the log.
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

export const authenticateCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 1, 2, 'AUTHENTICATE PLAIN [initial-response]');
  const mechanism = (tokenText(cmd.args[0]) ?? '').toUpperCase();
  if (mechanism !== 'PLAIN') return { status: 'NO', code: 'CANNOT', text: `SASL mechanism "${mechanism.slice(0, 40)}" is not supported; use PLAIN.` };
  const refused = privacyCheck(session);
  if (refused) return refused;
  let response = tokenText(cmd.args[1]);
  if (response === null) {
    session.io.write(['+ \r\n']);
    const frame = await session.io.nextFrame();
    if (!frame) return { status: 'BAD', text: 'The connection closed during AUTHENTICATE.' };
    response = frame.lines.join('');
  }
  if (response.trim() === '*') return { status: 'BAD', text: 'AUTHENTICATE cancelled by the client.' };
  const decoded = decodeBase64(response.trim() === '=' ? '' : response.trim());
  const fields = decoded?.split('\u0000');
  if (!fields || fields.length !== 3) {
    return { status: 'BAD', text: 'The PLAIN response must be base64 of "authzid NUL username NUL password".' };
  }
  const [authzid, username, password] = fields;
  if (authzid && authzid.toLowerCase() !== username.toLowerCase()) {
    return { status: 'NO', code: 'AUTHORIZATIONFAILED', text: 'Acting as another user is not allowed here; leave the authorization identity empty.' };
  }
  return finishLogin(session, username, password);
};

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
    return { status: 'NO', code: 'AUTHENTICATIONFAILED', text: 'Wrong user name or password: check both and try again (a class account\'s password is on your slip).' };
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
