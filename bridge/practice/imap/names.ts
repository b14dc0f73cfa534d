// Mailbox names on the wire are modified UTF-7 (RFC 3501 section 5.1.3); the store keeps Unicode.
// Decoded here, at the edge: commands get Unicode names, responses get the encoded form.
// The codec is the app's pure module (no DOM, no Node APIs), shared rather than copied.
import { decodeMailboxName, encodeMailboxName } from '../../../app/src/protocols/imap/mutf7.ts';
import { astring, CommandRefusal, type Token } from './parser.ts';

/** A mailbox argument: as the client wrote it (for reply texts) and the Unicode name it means. */
export interface MailboxArg {
  wire: string;
  name: string;
}

/**
 * Reads a mailbox-name argument (astring) and decodes it. A name that is not valid modified
 * UTF-7 gets a plain NO, as Dovecot answers, with the codec's reason.
 */
export function mailboxArg(token: Token | undefined, what: string): MailboxArg {
  const wire = astring(token, what);
  return { wire, name: mailboxFromWire(wire) };
}

/** The Unicode name of a wire name already read; throws the same NO as mailboxArg. */
export function mailboxFromWire(wire: string): string {
  const decoded = decodeMailboxName(wire);
  if (!decoded.ok) throw new CommandRefusal('', `The mailbox name is not valid modified UTF-7. ${decoded.message}`);
  return decoded.name;
}

/**
 * A LIST/LSUB reference or pattern, decoded; null when it is not valid modified UTF-7, in which
 * case no mailbox can match it (Dovecot answers such a LIST with OK and no mailboxes).
 */
export function patternArg(
  token: Token | undefined,
  what: string,
): { wire: string; pattern: string | null; reason?: string } {
  const wire = astring(token, what);
  const decoded = decodeMailboxName(wire);
  return decoded.ok ? { wire, pattern: decoded.name } : { wire, pattern: null, reason: decoded.message };
}

export { encodeMailboxName as wireName };

/**
 * Response text is 7-bit (RFC 3501 section 9, TEXT-CHAR). Store messages quote mailbox names in
 * Unicode and hold no "&" of their own, so encoding the whole sentence turns each quoted name into
 * the wire form the client typed and leaves the rest unchanged.
 */
export function wireText(storeMessage: string): string {
  return encodeMailboxName(storeMessage);
}
