// Finds a whole message inside a reply, so the console can open it in the MIME studio:
// IMAP FETCH BODY[] / RFC822 (RFC 3501 7.4.2) or POP3 RETR (RFC 1939 section 7).
import type { ReplyView } from './tracker.ts';

const encoder = new TextEncoder();

export function messageOfReply(reply: ReplyView | null): Uint8Array | null {
  if (!reply) return null;
  const whole = reply.fetch?.sections.find(
    (s) => s.section === '' && (s.item.startsWith('BODY') || s.item === 'RFC822') && s.origin === undefined,
  );
  if (whole) return whole.bytes ?? encoder.encode(whole.text);
  if (reply.command && /^RETR\s+\d+\s*$/i.test(reply.command) && reply.raw.startsWith('+OK')) {
    const body = reply.raw.slice(reply.raw.indexOf('\n') + 1).replace(/\r?\n\.\r?\n$/, '\r\n');
    // Undo dot-stuffing (RFC 1939 section 3): a leading ".." was a "." in the message.
    return encoder.encode(body.replace(/^\.\./gm, '.'));
  }
  return null;
}

/**
 * The message a selected reply stands for: its own, or, for the tagged completion the console
 * selects by default after a FETCH, the one in that command's untagged FETCH data (the last one,
 * when the command fetched several). So "open in the studio" is there without hunting for the
 * `* n FETCH` line far up a long literal.
 */
export function messageOfSelection(replies: readonly ReplyView[], index: number | null): Uint8Array | null {
  if (index === null) return null;
  const chosen = replies[index];
  if (!chosen) return null;
  const own = messageOfReply(chosen);
  if (own || !chosen.command || !/\bFETCH\b/i.test(chosen.command)) return own;
  // The untagged data came between the previous completion (a reply naming its command) and this one.
  for (let i = index - 1; i >= 0 && replies[i]!.command === undefined; i--) {
    const found = messageOfReply(replies[i]!);
    if (found) return found;
  }
  return null;
}
