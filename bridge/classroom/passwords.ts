// Class passwords are read aloud and typed from a paper slip: no 0/O, 1/l/I (they look alike in
// most fonts), lower case only, two groups of four. 31^8 (about 2^39) guesses is far beyond what a
// classroom can try against a server that logs every failed login.
import { randomInt } from 'node:crypto';

export const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function newClassPassword(pick: (n: number) => number = randomInt): string {
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === 4) s += '-';
    s += PASSWORD_ALPHABET[pick(PASSWORD_ALPHABET.length)];
  }
  return s;
}
