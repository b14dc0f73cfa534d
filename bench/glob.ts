// LIST/LSUB pattern matching: the two-pointer matcher (bridge/practice/imap/glob.ts) beside the
// regular expression it replaced, on `%...%!` against a 200-character name. The regex grows
// polynomially with each wildcard (it backtracks); the matcher must grow no more than linearly
// with the pattern. Printed: time per match and the ratio of each step to the previous one; then
// `LIST "" {n+} %...%!` over a socket, the practice server beside Dovecot (when installed and root).
import { performance } from 'node:perf_hooks';
import { mailboxMatcher } from '../bridge/practice/imap/glob.ts';
import { DOVECOT, IS_ROOT, startDovecotImap } from '../test/integration/practice/imap/dovecot-peer.ts';
import { RawClient, startPractice } from '../test/integration/practice/imap/harness.ts';

function oldPatternRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/%/g, '[^/]*');
  const inbox = /^inbox/i.test(pattern) ? 'INBOX' + body.slice(5) : body;
  return new RegExp(`^(?:${body}|${inbox})$`);
}

/** Median microseconds of `fn` over enough repetitions to last about `budgetMs`. */
function time(fn: () => unknown, budgetMs = 200): number {
  const samples: number[] = [];
  const end = performance.now() + budgetMs;
  while (performance.now() < end || samples.length < 3) {
    const t = performance.now();
    fn();
    samples.push((performance.now() - t) * 1000);
    if (samples.length > 10_000) break;
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

export async function run(): Promise<void> {
  const name = 'a'.repeat(200);
  const nested = 'a'.repeat(99) + '/' + 'a'.repeat(100);
  console.log('wildcards  glob (us, prepare+match)  x prev  | "*a" x n vs nested name (us)  x prev');
  let prev = 0;
  let prevMixed = 0;
  for (const n of [10, 100, 1_000, 10_000, 100_000]) {
    const pattern = '%'.repeat(n) + '!';
    const us = time(() => mailboxMatcher(pattern)(name));
    // Wildcards and literals alternating: the collapse cannot shorten this one, the length cap does.
    const mixed = '*a'.repeat(n / 2) + '*b';
    const usMixed = time(() => mailboxMatcher(mixed)(nested));
    console.log(
      `${String(n).padStart(9)}  ${us.toFixed(1).padStart(24)}  ${(prev ? us / prev : 0).toFixed(1).padStart(6)}  |` +
        ` ${usMixed.toFixed(1).padStart(28)}  ${(prevMixed ? usMixed / prevMixed : 0).toFixed(1).padStart(6)}`,
    );
    prev = us;
    prevMixed = usMixed;
  }
  console.log('\nthe old regular expression on the same `%...%!` (stopped once one match passes 1 s):');
  console.log('wildcards  regex (us)  glob (us)  regex/glob');
  for (let n = 1; n <= 12; n++) {
    const pattern = '%'.repeat(n) + '!';
    const re = oldPatternRegExp(pattern);
    const t = performance.now();
    re.test(name.slice(0, 40)); // a 40-character name: 200 would not finish for n >= 5
    const regexUs = (performance.now() - t) * 1000;
    const globUs = time(() => mailboxMatcher(pattern)(name.slice(0, 40)), 50);
    console.log(
      `${String(n).padStart(9)}  ${regexUs.toFixed(0).padStart(10)}  ${globUs.toFixed(1).padStart(9)}  ${(regexUs / globUs).toFixed(0).padStart(10)}`,
    );
    if (regexUs > 1_000_000) break;
  }
  await overSockets();
}

/** Median round trip of `LIST "" <n wildcards>!` (a literal) on each server, and their ratio. */
async function overSockets(): Promise<void> {
  if (!DOVECOT || !IS_ROOT) {
    console.log('\n(LIST over sockets beside Dovecot skipped: needs dovecot and root)');
    return;
  }
  const practice = await startPractice();
  const dovecot = await startDovecotImap();
  try {
    const clients = await Promise.all(
      [practice.plain.port, dovecot.port].map(async (port) => {
        const c = await RawClient.connect(port);
        await c.command('l', 'LOGIN alice practice');
        await c.command('c', 'CREATE Archive/2026');
        return c;
      }),
    );
    console.log('\nLIST "" %...%! over a socket, median of 20 (ms)');
    console.log('wildcards  mailwire  Dovecot  mailwire/Dovecot');
    for (const n of [10, 200, 10_000]) {
      const pattern = '%'.repeat(n) + '!';
      const medians: number[] = [];
      for (const c of clients) {
        const samples: number[] = [];
        for (let i = 0; i < 20; i++) {
          const t = performance.now();
          await c.command('x', `LIST "" {${pattern.length}+}\r\n${pattern}`, 10_000);
          samples.push(performance.now() - t);
        }
        medians.push(samples.sort((a, b) => a - b)[10]);
      }
      console.log(
        `${String(n).padStart(9)}  ${medians[0].toFixed(2).padStart(8)}  ${medians[1].toFixed(2).padStart(7)}  ${(medians[0] / medians[1]).toFixed(2).padStart(16)}`,
      );
    }
    for (const c of clients) c.close();
  } finally {
    await dovecot.stop();
    await practice.close();
  }
}
