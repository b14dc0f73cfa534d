// The AUTHORIZATION state: USER/PASS (RFC 1939 section 7) and AUTH PLAIN (RFC 5034 with the
// PLAIN mechanism of RFC 4616). A successful login locks the maildrop and snapshots the INBOX.
import { decodeSaslResponse, parsePlainMessage } from '../../../../app/src/protocols/common/sasl-wire.ts';
import { throttleNote } from '../../limits/throttle.ts';
import type { Account, AccountStore } from '../../mailstore-types.ts';
import type { Pop3Command } from '../command-line.ts';
import { authAllowedNow, type Pop3Context } from '../context.ts';
import { Maildrop, tryLockMaildrop } from '../maildrop.ts';
import { err, ok, respond, type Response } from '../replies.ts';

const TLS_FIRST = 'Plaintext login is disabled on this connection until TLS is active: send STLS first.';

export function user(ctx: Pop3Context, cmd: Pop3Command): Response {
  if (!authAllowedNow(ctx)) return respond(err(TLS_FIRST, 'AUTH'));
  if (cmd.args.length !== 1) return respond(err('USER takes exactly one argument, the mailbox name: USER alice'));
  // Any name is accepted here so that USER does not reveal which accounts exist (RFC 1939 section 13).
  ctx.pendingUser = cmd.args[0];
  return respond(ok(`Send PASS with the password for ${cmd.args[0]}.`));
}

export function pass(ctx: Pop3Context, cmd: Pop3Command): Response | Promise<Response> {
  if (!authAllowedNow(ctx)) return respond(err(TLS_FIRST, 'AUTH'));
  const login = ctx.pendingUser;
  ctx.pendingUser = null;
  if (login === null) return respond(err('PASS must follow USER: send USER name first, then PASS.'));
  if (cmd.rest.length === 0) return respond(err('PASS needs the password as its argument: PASS secret'));
  return logIn(ctx, login, cmd.rest);
}

/** AUTH with no argument lists the SASL mechanisms (the pre-RFC 5034 form many clients still send). */
export function auth(ctx: Pop3Context, cmd: Pop3Command): Response | Promise<Response> {
  if (cmd.args.length === 0) return respond('+OK SASL mechanisms follow\r\nPLAIN\r\n.\r\n');
  if (!authAllowedNow(ctx)) return respond(err(TLS_FIRST, 'AUTH'));
  const mechanism = cmd.args[0].toUpperCase();
  if (mechanism !== 'PLAIN') {
    return respond(err(`The SASL mechanism ${mechanism.slice(0, 20)} is not supported here: use AUTH PLAIN.`));
  }
  if (cmd.args.length > 2) return respond(err('AUTH PLAIN takes at most one initial response: AUTH PLAIN <base64>'));
  if (cmd.args.length === 2) return saslPlain(ctx, cmd.args[1]);
  ctx.awaitingSaslResponse = true;
  return respond('+ \r\n'); // RFC 5034 section 4: an empty challenge
}

/** The line that answers the empty challenge of AUTH PLAIN. */
export function saslResponse(ctx: Pop3Context, line: string): Response | Promise<Response> {
  ctx.awaitingSaslResponse = false;
  if (line === '*') return respond(err('Authentication cancelled by the client.'));
  return saslPlain(ctx, line);
}

function saslPlain(ctx: Pop3Context, base64: string): Response | Promise<Response> {
  // "=" stands for an empty initial response (RFC 5034 section 4).
  const decoded = decodeSaslResponse(base64);
  if (decoded.kind !== 'bytes')
    return respond(err('The SASL response is not valid base64: send base64("\\0user\\0password").'));
  const plain = parsePlainMessage(decoded.bytes);
  if (!plain) {
    return respond(err('The PLAIN response must be authzid NUL authcid NUL password (RFC 4616), in base64.'));
  }
  const { authzid, authcid, passwd: password } = plain;
  const account = ctx.env.store.authenticate(authcid, password);
  if (!account) return loginFailed(ctx, authcid);
  // Acting as another user (a non-empty, different authzid) is not allowed here.
  if (authzid !== '' && ctx.env.store.findAccount(authzid)?.username !== account.username) {
    return respond(err(`You may not act as ${authzid.slice(0, 40)}: leave the authorization identity empty.`, 'AUTH'));
  }
  return openMaildrop(ctx, account);
}

function logIn(ctx: Pop3Context, login: string, password: string): Response | Promise<Response> {
  const account = ctx.env.store.authenticate(login, password);
  return account ? openMaildrop(ctx, account) : loginFailed(ctx, login);
}

/**
 * A failed login is answered late, on a timer (limits/throttle.ts), and says why. The log names
 * the user only when the account exists: a password typed as the user name never reaches stderr.
 */
async function loginFailed(ctx: Pop3Context, login: string): Promise<Response> {
  const known = ctx.env.store.findAccount(login)?.username ?? null;
  const client = ctx.env.client;
  const delay = client ? client.throttle.failed(client.address, known) : 0;
  ctx.env.log('pop3.login-failed', { login: known ?? '(unknown)', delayMs: delay });
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const text = `Authentication failed: check the user name and the password (a class account's password is on your slip).${throttleNote(delay)}`;
  return respond(err(text, 'AUTH'));
}

function openMaildrop(ctx: Pop3Context, account: Account): Response | Promise<Response> {
  if (ctx.env.client) ctx.env.client.throttle.succeeded(ctx.env.client.address, account.username);
  const release = tryLockMaildrop(ctx.env.store, account.username);
  if (!release) {
    return respond(
      err(
        `The maildrop of ${account.username} is in use by another POP3 session: QUIT that one, then retry.`,
        'IN-USE',
      ),
    );
  }
  // Held from here on, so a connection that drops while a reset is waited out still lets it go.
  ctx.releaseLock = release;
  const store = ctx.env.store.forAccount(account.username);
  // The snapshot is taken after a practice reset under way, never of a half-reset INBOX.
  const reset = store.resetting();
  return reset ? reset.then(() => snapshotMaildrop(ctx, account, store)) : snapshotMaildrop(ctx, account, store);
}

function snapshotMaildrop(ctx: Pop3Context, account: Account, store: AccountStore): Response {
  const inbox = store.mailbox('INBOX');
  if (!inbox) {
    ctx.releaseLock?.();
    ctx.releaseLock = null;
    return respond(err(`The account ${account.username} has no INBOX.`, 'SYS/PERM'));
  }
  ctx.account = account;
  ctx.maildrop = new Maildrop(inbox);
  ctx.state = 'TRANSACTION';
  ctx.env.log('pop3.login', { user: account.username });
  const { count, octets } = ctx.maildrop.stat();
  return respond(
    ok(`Logged in as ${account.address}: maildrop has ${count} message${count === 1 ? '' : 's'} (${octets} octets).`),
  );
}
