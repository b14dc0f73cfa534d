// The SMTP DATA payload (RFC 5321 4.5.2 transparency, 4.1.1.4 end of data), built on the one
// dot-stuffing implementation; the MIME module adds only its own error for an unterminated payload.
import { countStuffedLines, dotStuff, dotUnstuff as unstuff } from '../protocols/common/dot-stuffing.ts';
import { MimeError } from './errors.ts';

export { countStuffedLines, dotStuff };

/**
 * DATA payload -> message bytes: the final ".\r\n" removed and one leading dot taken off each
 * line. A message that had no final CRLF comes back with one (dotStuff had to add it).
 */
export function dotUnstuff(payload: Uint8Array): Uint8Array {
  const message = unstuff(payload);
  if (!message) {
    throw new MimeError(
      'DATA_NOT_TERMINATED',
      'The DATA payload does not end with CRLF "." CRLF; add the final line holding a single dot.',
    );
  }
  return message;
}
