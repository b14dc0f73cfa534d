// CAPA (RFC 2449), STLS (RFC 2595) and QUIT with the UPDATE state (RFC 1939 section 6).
import type { Pop3Command } from '../command-line.ts';
import { authAllowedNow, type Pop3Context } from '../context.ts';
import { err, multiline, ok, respond, type Response } from '../replies.ts';

/** RFC 2449 section 5. USER, SASL and STLS only while they can be used. */
export function capa(ctx: Pop3Context, _cmd: Pop3Command): Response {
  const caps = ['CAPA', 'TOP', 'UIDL', 'RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING'];
  if (ctx.state === 'AUTHORIZATION') {
    if (ctx.env.security === 'starttls' && !ctx.tls) caps.push('STLS');
    if (authAllowedNow(ctx)) caps.push('USER', 'SASL PLAIN');
  }
  caps.push('IMPLEMENTATION mailwire-practice');
  return multiline(ok('Capability list follows'), caps);
}

export function stls(ctx: Pop3Context, cmd: Pop3Command): Response {
  if (ctx.tls) return respond(err('This connection is already under TLS.'));
  if (ctx.env.security !== 'starttls') return respond(err('STLS is not offered on this port.'));
  if (cmd.args.length > 0) return respond(err('STLS takes no arguments.'));
  ctx.pendingUser = null; // nothing learnt in the clear carries over (RFC 2595 section 4)
  return { chunks: [ok('Begin TLS negotiation now.')], after: 'starttls' };
}

export async function quit(ctx: Pop3Context, _cmd: Pop3Command): Promise<Response> {
  const bye = `${ctx.env.hostname} closing the connection`;
  if (ctx.state !== 'TRANSACTION' || !ctx.maildrop) return { chunks: [ok(`${bye}.`)], after: 'close' };
  ctx.state = 'UPDATE';
  const wanted = ctx.maildrop.deletedUids();
  let removed: number[] = [];
  try {
    removed = wanted.length > 0 ? await ctx.maildrop.mailbox.expunge(wanted) : [];
  } catch {
    removed = [];
  }
  ctx.releaseLock?.();
  ctx.releaseLock = null;
  // A message another session expunged meanwhile is gone either way: count it as removed.
  const stillThere = new Set(ctx.maildrop.mailbox.messages().map((m) => m.uid));
  const failed = wanted.filter((uid) => !removed.includes(uid) && stillThere.has(uid));
  if (failed.length > 0) {
    return {
      chunks: [err(`${failed.length} deleted message(s) could not be removed; they stay in the maildrop.`, 'SYS/TEMP')],
      after: 'close',
    };
  }
  const left = ctx.maildrop.mailbox.messages().length;
  return { chunks: [ok(`${bye}: ${wanted.length} removed, ${left} left.`)], after: 'close' };
}
