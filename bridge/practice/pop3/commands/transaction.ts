// The TRANSACTION state (RFC 1939 sections 5 and 7): STAT, LIST, RETR, DELE, NOOP, RSET, TOP, UIDL.
// Deletions are only marked here; the UPDATE state (QUIT) applies them.
import { cachedMessage } from '../../imap/message-cache.ts';
import { parseMessageNumber, type Pop3Command } from '../command-line.ts';
import type { Pop3Context } from '../context.ts';
import { dotStuff, topOf } from '../dot-stuffing.ts';
import type { Maildrop, MaildropEntry } from '../maildrop.ts';
import { err, multiline, ok, respond, type Response } from '../replies.ts';

type Found = { ok: true; entry: MaildropEntry } | { ok: false; response: Response };

/** Resolves the message-number argument, with a reply that says what was wrong. */
function findMessage(maildrop: Maildrop, keyword: string, arg: string | undefined): Found {
  const number = parseMessageNumber(arg);
  if (number === null) {
    const shown = arg === undefined ? 'nothing' : `"${arg.slice(0, 20)}"`;
    return {
      ok: false,
      response: respond(err(`${keyword} needs a message number (1, 2, ...), not ${shown}: e.g. ${keyword} 1`)),
    };
  }
  const found = maildrop.lookup(number);
  if (found.ok) return found;
  const text =
    found.reason === 'deleted'
      ? `Message ${number} is marked as deleted: RSET unmarks it.`
      : `There is no message ${number}: STAT or LIST shows the message numbers.`;
  return { ok: false, response: respond(err(text)) };
}

function drop(ctx: Pop3Context): Maildrop {
  if (!ctx.maildrop) throw new Error('TRANSACTION state without a maildrop');
  return ctx.maildrop;
}

export function stat(ctx: Pop3Context, cmd: Pop3Command): Response {
  if (cmd.args.length > 0) return respond(err('STAT takes no arguments.'));
  const { count, octets } = drop(ctx).stat();
  return respond(ok(`${count} ${octets}`)); // RFC 1939 section 5: exactly "nn mm" first
}

export function list(ctx: Pop3Context, cmd: Pop3Command): Response {
  return scanListing(ctx, cmd, 'LIST', (e) => String(e.meta.size));
}

/** UIDL (RFC 1939 section 7): the unique-id listing, from the store's stable per-account ids. */
export function uidl(ctx: Pop3Context, cmd: Pop3Command): Response {
  return scanListing(ctx, cmd, 'UIDL', (e) => e.meta.uniqueId);
}

function scanListing(
  ctx: Pop3Context,
  cmd: Pop3Command,
  keyword: string,
  value: (e: MaildropEntry) => string,
): Response {
  const maildrop = drop(ctx);
  if (cmd.args.length > 1)
    return respond(err(`${keyword} takes at most one message number: ${keyword} or ${keyword} 1`));
  if (cmd.args.length === 1) {
    const found = findMessage(maildrop, keyword, cmd.args[0]);
    return found.ok ? respond(ok(`${found.entry.number} ${value(found.entry)}`)) : found.response;
  }
  const live = maildrop.live();
  const status =
    keyword === 'LIST'
      ? ok(`${live.length} message${live.length === 1 ? '' : 's'} (${maildrop.stat().octets} octets)`)
      : ok('Unique-id listing follows');
  return multiline(
    status,
    live.map((e) => `${e.number} ${value(e)}`),
  );
}

export async function retr(ctx: Pop3Context, cmd: Pop3Command): Promise<Response> {
  const maildrop = drop(ctx);
  if (cmd.args.length !== 1) return respond(err('RETR takes one message number: RETR 1'));
  const found = findMessage(maildrop, 'RETR', cmd.args[0]);
  if (!found.ok) return found.response;
  const raw = await readMessage(maildrop, found.entry);
  if (!raw.ok) return raw.response;
  // Like Dovecot (pop3 marks messages \Seen on RETR), so IMAP then shows the message as read.
  await maildrop.mailbox.setFlags([found.entry.meta.uid], 'add', ['\\Seen']).catch(() => undefined);
  return respond(ok(`${raw.bytes.length} octets`), dotStuff(raw.bytes));
}

export async function top(ctx: Pop3Context, cmd: Pop3Command): Promise<Response> {
  const maildrop = drop(ctx);
  if (cmd.args.length !== 2) return respond(err('TOP takes a message number and a line count: TOP 1 10'));
  const found = findMessage(maildrop, 'TOP', cmd.args[0]);
  if (!found.ok) return found.response;
  const lines = parseMessageNumber(cmd.args[1]);
  if (lines === null)
    return respond(
      err(`TOP needs a line count of 0 or more as its second argument: e.g. TOP ${found.entry.number} 10`),
    );
  const raw = await readMessage(maildrop, found.entry);
  if (!raw.ok) return raw.response;
  return respond(ok(`Top of message ${found.entry.number} follows`), dotStuff(topOf(raw.bytes, lines)));
}

async function readMessage(
  maildrop: Maildrop,
  entry: MaildropEntry,
): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; response: Response }> {
  let bytes: Uint8Array | null;
  try {
    // The process's message cache, shared with IMAP: a message's bytes never change under its UID,
    // so a RETR or TOP again (or after an IMAP FETCH) is served from memory, not open/stat/read/close
    // on the file each time (4 trips through libuv's thread pool: most of RETR's round trip).
    bytes = (await cachedMessage(maildrop.mailbox, entry.meta.uid))?.raw ?? null;
  } catch {
    return {
      ok: false,
      response: respond(err(`Message ${entry.number} could not be read from the store: try again.`, 'SYS/TEMP')),
    };
  }
  if (!bytes) {
    return {
      ok: false,
      response: respond(
        err(
          `Message ${entry.number} was removed after you logged in (by another session or a reset); QUIT and log in again to see the maildrop as it is now.`,
        ),
      ),
    };
  }
  return { ok: true, bytes };
}

export function dele(ctx: Pop3Context, cmd: Pop3Command): Response {
  const maildrop = drop(ctx);
  if (cmd.args.length !== 1) return respond(err('DELE takes one message number: DELE 1'));
  const found = findMessage(maildrop, 'DELE', cmd.args[0]);
  if (!found.ok) return found.response;
  maildrop.markDeleted(found.entry.number);
  return respond(ok(`Message ${found.entry.number} marked as deleted; QUIT removes it, RSET unmarks it.`));
}

export function noop(_ctx: Pop3Context, cmd: Pop3Command): Response {
  if (cmd.args.length > 0) return respond(err('NOOP takes no arguments.'));
  return respond(ok('Nothing done.'));
}

export function rset(ctx: Pop3Context, cmd: Pop3Command): Response {
  if (cmd.args.length > 0) return respond(err('RSET takes no arguments.'));
  const maildrop = drop(ctx);
  maildrop.unmarkAll();
  const { count, octets } = maildrop.stat();
  return respond(ok(`Deletion marks removed: maildrop has ${count} messages (${octets} octets).`));
}
