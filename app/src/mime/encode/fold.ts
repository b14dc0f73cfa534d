// Header folding (RFC 5322 2.2.3, 2.1.1): a header line SHOULD stay within 78 characters and
// MUST stay within 998. Folding inserts CRLF before whitespace that is already in the value,
// so unfolding (removing the CRLF) gives the value back unchanged.

export const SOFT_LIMIT = 78;
export const HARD_LIMIT = 998;

/**
 * Joins `pieces` into folded header text (without the final CRLF). The first piece is
 * "Name: first-token"; every later piece starts with the whitespace where a fold may go.
 * A piece longer than the limit stays whole on its own line (the caller checks 998).
 */
export function foldPieces(pieces: string[], limit = SOFT_LIMIT): string {
  let out = '';
  let line = pieces[0] ?? '';
  for (let i = 1; i < pieces.length; i++) {
    const piece = pieces[i];
    if (line.length + piece.length > limit && line.trim() !== '') {
      out += line + '\r\n';
      line = piece;
    } else {
      line += piece;
    }
  }
  return out + line;
}

/** Splits an ASCII value at single spaces into fold pieces, the first joined to "Name: ". */
export function foldAtSpaces(name: string, value: string, limit = SOFT_LIMIT): string {
  const words = value.split(' ');
  const pieces = [`${name}: ${words[0]}`];
  for (let i = 1; i < words.length; i++) pieces.push(' ' + words[i]);
  return foldPieces(pieces, limit);
}

/** Longest line (in characters) of a CRLF-separated block. */
export function longestLine(text: string): number {
  let max = 0;
  for (const l of text.split('\r\n')) max = Math.max(max, l.length);
  return max;
}
