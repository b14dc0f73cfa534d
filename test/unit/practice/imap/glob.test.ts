// The LIST/LSUB matcher: RFC 3501 6.3.8 semantics, agreement with the regular expression it replaced
// on every small random case (seeded), and no blow-up on thousands of wildcards.
import { describe, expect, it } from 'vitest';
import { compileGlob, globMatches, globText, mailboxMatcher } from '../../../../bridge/practice/imap/glob.ts';
import { prng as rng } from '../../../helpers/prng.ts';

/** The matcher before issue 11 (commands/mailboxes.ts), kept here as the reference semantics. */
function oldPatternRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/%/g, '[^/]*');
  const inbox = /^inbox/i.test(pattern) ? 'INBOX' + body.slice(5) : body;
  return new RegExp(`^(?:${body}|${inbox})$`);
}

/** mulberry32: a small seeded generator, so a failure can be replayed from the printed seed. */

const word = (next: () => number, alphabet: string, max: number) =>
  Array.from({ length: Math.floor(next() * (max + 1)) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');

describe('glob semantics (RFC 3501 section 6.3.8)', () => {
  const m = (pattern: string, name: string) => mailboxMatcher(pattern)(name);
  it('"*" crosses the delimiter, "%" does not', () => {
    expect(m('*', 'Archive/2026/Q1')).toBe(true);
    expect(m('%', 'Archive')).toBe(true);
    expect(m('%', 'Archive/2026')).toBe(false);
    expect(m('Archive/%', 'Archive/2026')).toBe(true);
    expect(m('Archive/%', 'Archive/2026/Q1')).toBe(false);
    expect(m('Archive/*', 'Archive/2026/Q1')).toBe(true);
    expect(m('%/%', 'Archive/2026')).toBe(true);
    expect(m('*a%b', 'xa/ab')).toBe(true); // the "%" fits only after a later "a"
    expect(m('%a%b', 'xa/ab')).toBe(false);
  });
  it('literals match exactly and whole names only', () => {
    expect(m('Sent', 'Sent')).toBe(true);
    expect(m('Sent', 'sent')).toBe(false);
    expect(m('Sen', 'Sent')).toBe(false);
    expect(m('Sent%', 'Sent')).toBe(true);
    expect(m('', 'Sent')).toBe(false);
    expect(m('a.b(c)[d]+', 'a.b(c)[d]+')).toBe(true);
    expect(m('a.b', 'axb')).toBe(false);
  });
  it('INBOX is case-insensitive, other names are not (RFC 3501 section 5.1)', () => {
    expect(m('inbox', 'INBOX')).toBe(true);
    expect(m('InBoX%', 'INBOX')).toBe(true);
    expect(m('inbox/*', 'INBOX/Sub')).toBe(true);
    expect(m('drafts', 'Drafts')).toBe(false);
  });
  it('collapses runs of wildcards: any run with "*" is "*", else "%"', () => {
    expect(globText(compileGlob('a%%%b**%*c%'))).toBe('a%b*c%');
    expect(compileGlob('%%%%!').literals).toBe(1);
  });
});

describe('agrees with the old regular expression', () => {
  it('on 20,000 random small patterns and names (seeded)', () => {
    const seed = Number(process.env.GLOB_SEED ?? 0x5eed11);
    console.log(`glob brute-force seed ${seed} (GLOB_SEED=${seed} replays it)`);
    const next = rng(seed);
    let disagreements = 0;
    for (let k = 0; k < 20_000; k++) {
      const pattern = (next() < 0.1 ? 'inbox' : '') + word(next, 'ab/*%', 7);
      const name = next() < 0.1 ? 'INBOX' + word(next, 'ab/', 4) : word(next, 'ab/', 7);
      const want = oldPatternRegExp(pattern).test(name);
      const got = globMatches(compileGlob(pattern), name) || mailboxMatcher(pattern)(name);
      if (got !== want) {
        disagreements++;
        if (disagreements < 5)
          console.log(`disagree: pattern ${JSON.stringify(pattern)} name ${JSON.stringify(name)} old ${want}`);
      }
    }
    expect(disagreements).toBe(0);
  });
  it('on every pattern up to length 5 over "a/*%" against every name up to length 5 over "a/"', () => {
    const all = (alphabet: string, max: number): string[] => {
      const out = [''];
      for (let len = 1, layer = ['']; len <= max; len++) {
        layer = layer.flatMap((w) => [...alphabet].map((c) => w + c));
        out.push(...layer);
      }
      return out;
    };
    const names = all('a/', 5);
    let checked = 0;
    for (const pattern of all('a/*%', 5)) {
      const re = oldPatternRegExp(pattern);
      const matches = mailboxMatcher(pattern);
      for (const name of names) {
        if (matches(name) !== re.test(name)) throw new Error(`${pattern} vs ${name}: old says ${re.test(name)}`);
        checked++;
      }
    }
    expect(checked).toBe(1365 * 63);
  });
});

describe('hostile patterns', () => {
  it('10,000 wildcards then a literal decide at once, against a 200-character name', () => {
    const name = 'a'.repeat(99) + '/' + 'a'.repeat(100);
    for (const pattern of [
      '%'.repeat(10_000) + '!',
      '*%'.repeat(5_000) + '!',
      '%a'.repeat(5_000),
      '*a'.repeat(100) + '*b',
    ]) {
      const matches = mailboxMatcher(pattern);
      expect(matches(name)).toBe(false);
      expect(matches('a'.repeat(200))).toBe(false);
    }
    expect(mailboxMatcher('*'.repeat(10_000))(name)).toBe(true);
    expect(mailboxMatcher('%'.repeat(10_000) + '/' + '%'.repeat(10_000))(name)).toBe(true);
    expect(mailboxMatcher('%'.repeat(10_000))(name)).toBe(false);
  });
});
