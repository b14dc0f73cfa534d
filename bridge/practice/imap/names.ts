// Mailbox names on the wire are modified UTF-7 (RFC 3501 section 5.1.3); the store keeps Unicode.
// Decoded here, at the edge: commands get Unicode names, responses get the encoded form. After
// ENABLE UTF8=ACCEPT or IMAP4rev2 (`utf8`), names travel as UTF-8 instead (RFC 6855 section 3,
// RFC 9051 section 5.1), checked by utf8MailboxName.
// The codec is the app's pure module (no DOM, no Node APIs), shared rather than copied.
import { decodeMailboxName, encodeMailboxName } from '../../../app/src/protocols/imap/mutf7.ts';
import { ArgumentError, astring, CommandRefusal, type Token } from './parser.ts';

/** A mailbox argument: as the client wrote it (for reply texts) and the Unicode name it means. */
export interface MailboxArg {
  wire: string;
  name: string;
}

/**
 * Reads a mailbox-name argument (astring) and decodes it. A name that is not valid modified
 * UTF-7 gets a plain NO, as Dovecot answers, with the codec's reason.
 */
export function mailboxArg(token: Token | undefined, what: string, utf8: boolean): MailboxArg {
  const wire = astring(token, what);
  return { wire, name: mailboxFromWire(wire, utf8) };
}

/** The Unicode name of a wire name already read; throws the same NO as mailboxArg. */
export function mailboxFromWire(wire: string, utf8: boolean): string {
  if (utf8) return utf8MailboxName(wire);
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
  utf8: boolean,
): { wire: string; pattern: string | null; reason?: string } {
  const wire = astring(token, what);
  if (utf8) return { wire, pattern: utf8MailboxName(wire) };
  const decoded = decodeMailboxName(wire);
  return decoded.ok ? { wire, pattern: decoded.name } : { wire, pattern: null, reason: decoded.message };
}

/**
 * A mailbox name sent in UTF-8 (after ENABLE UTF8=ACCEPT or IMAP4rev2): taken as it stands, with
 * no modified UTF-7 reading, so "&" is a plain "&" (RFC 9051 section 5.1). Octets that are not
 * UTF-8 get BAD (RFC 6855 section 3: the framer decoded them to U+FFFD). A name must be
 * Net-Unicode without control characters, DEL, U+2028 or U+2029 (RFC 6855 section 3, RFC 5198
 * section 2), and in Unicode Normalization Form C, which Net-Unicode asks for; this server takes no
 * denormalized names rather than convert them (RFC 9051 section 5.1 allows either), so SELECT
 * needs no OLDNAME.
 */
export function utf8MailboxName(wire: string): string {
  if (wire.includes('\uFFFD'))
    throw new ArgumentError(
      'The mailbox name is not valid UTF-8 (RFC 6855 section 3); send the name in UTF-8, as enabled.',
    );
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(wire))
    throw new CommandRefusal(
      'CANNOT',
      'A mailbox name may not hold control characters, DEL, U+2028 or U+2029 (RFC 6855 section 3).',
    );
  if (wire.normalize('NFC') !== wire)
    throw new CommandRefusal(
      'CANNOT',
      'The mailbox name is not in Unicode Normalization Form C, which Net-Unicode asks for (RFC 9051 section 5.1, RFC 5198 section 2); send its NFC form.',
    );
  return wire;
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
