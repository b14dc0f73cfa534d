// `npm run explain` on transcripts of real providers' servers, written from their documentation
// (test/fixtures/transcripts/vendors/*.txt, README there): no line may stay unexplained, and the
// replies issue 12 lists must carry the vendor's meaning, not a generic RFC sentence.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explain } from '../../../app/src/transcript/explain-report.ts';
import { guessProtocol, readInput } from '../../../app/src/transcript/read-logs.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DIR = path.join(ROOT, 'test/fixtures/transcripts/vendors');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.txt'))
  .sort();

function report(file: string) {
  const input = readInput(readFileSync(path.join(DIR, file), 'utf8'));
  const protocol = guessProtocol(input.steps);
  expect(protocol, file).toBeDefined();
  return explain(input, protocol!);
}

/** The explanation line printed after the first server line that contains `needle`. */
function after(lines: string[], needle: string): string {
  const at = lines.findIndex((l) => l.startsWith('S: ') && l.includes(needle));
  expect(at, `no server line with ${needle}`).toBeGreaterThanOrEqual(0);
  return lines.slice(at + 1).find((l) => /^ {2}[=?] /.test(l)) ?? '';
}

describe('npm run explain on vendor transcripts', () => {
  it('has a transcript for each vendor the issue names', () => {
    for (const v of ['gmail', 'microsoft365', 'postfix', 'exim', 'dovecot', 'cyrus', 'courier', 'yahoo']) {
      expect(
        FILES.some((f) => f.startsWith(v)),
        v,
      ).toBe(true);
    }
    expect(FILES.filter((f) => f.includes('pop3')).length).toBeGreaterThanOrEqual(3);
  });

  for (const file of FILES) {
    it(`${file}: every reply explained, none marked "?"`, () => {
      const r = report(file);
      expect(r.replies).toBeGreaterThan(4);
      expect(r.lines.filter((l) => /^ {2}\? /.test(l))).toEqual([]);
      expect(r.unexplained).toBe(0);
    });
  }

  it("gives the vendor's meaning to the replies issue 12 lists", () => {
    const gmail = report('gmail-smtp.txt').lines;
    expect(after(gmail, '534 5.7.9')).toMatch(/Gmail: .*app password/);
    expect(after(gmail, '534 5.7.9')).not.toMatch(/stronger/);
    expect(after(gmail, '534 5.7.14')).toMatch(/Gmail: .*web browser/);
    expect(after(gmail, '535 5.7.8')).toMatch(/app password/);
    const mx = report('gmail-mx.txt').lines;
    expect(after(mx, '452 4.2.2')).toMatch(/Gmail: .*out of storage/);
    expect(after(mx, '421 4.7.28')).toMatch(/Gmail: .*rate/);
    expect(after(mx, '550 5.2.1')).toMatch(/disabled/);
    expect(after(mx, '502 5.5.1')).toMatch(/does not know this command/);
    const imap = report('gmail-imap.txt').lines;
    expect(after(imap, '[WEBALERT')).toMatch(/Gmail: .*sign in on the web/);
    const ms = report('microsoft365-smtp.txt').lines;
    expect(after(ms, '535 5.7.139')).toMatch(/Microsoft 365: .*SMTP AUTH is switched off/);
    expect(after(ms, '535 5.7.139')).not.toMatch(/password was wrong/);
    expect(after(ms, '530 5.7.57')).toMatch(/anonymous/);
    const msmx = report('microsoft365-mx.txt').lines;
    expect(after(msmx, '550 5.7.708')).toMatch(/Microsoft 365: .*IP address/);
    expect(after(msmx, '550 5.7.606')).toMatch(/block list/);
    const pf = report('postfix-smtp.txt').lines;
    expect(after(pf, '458 Unable to queue')).toMatch(/ETRN/);
    expect(after(pf, 'Relay access denied')).toMatch(/Postfix: /);
    expect(after(report('exim-smtp.txt').lines, '554 SMTP synchronization error')).toMatch(/Exim: .*RFC 2920/);
    // Each vendor meaning names the vendor's own page.
    expect(gmail.join('\n')).toContain('[Google Account Help: Sign in with app passwords]');
    expect(ms.join('\n')).toContain('[Microsoft Learn: Enable or disable SMTP AUTH');
  });

  it('exits 0 as a command on a vendor transcript', { timeout: 30_000 }, () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bridge/explain.ts', path.join(DIR, 'microsoft365-smtp.txt')],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('bm90LXJlYWxseQ=='); // the AUTH LOGIN password line is masked
  });
});
