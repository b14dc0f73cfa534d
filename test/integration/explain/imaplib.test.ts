// `npm run explain` on a real Python imaplib debug=4 log (test/fixtures/transcripts/imaplib-debug4.txt,
// made by scripts/imaplib-capture.ts against the practice server). imaplib logs "read literal size N"
// instead of a literal's octets; before the fix the parser waited for those octets and every reply
// after the first server literal went unexplained.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const LOG = path.join(ROOT, 'test/fixtures/transcripts/imaplib-debug4.txt');

describe('npm run explain on imaplib debug output with literals', { timeout: 60_000 }, () => {
  it('explains every reply after the literals, each paired with its own command', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bridge/explain.ts', LOG], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = r.stdout.split('\n');
    const after = (server: string) => out[out.indexOf(`S: ${server}`) + 1] ?? '';
    // The replies that follow the first server literal ({45}) are all explained and paired.
    expect(after('CDOJ5 OK FETCH completed.')).toMatch(/^ {2}= CDOJ5 OK \(answers FETCH\)/);
    expect(after('CDOJ6 OK FETCH completed.')).toMatch(/^ {2}= CDOJ6 OK \(answers FETCH\)/);
    expect(after('CDOJ7 OK NOOP completed.')).toMatch(/^ {2}= CDOJ7 OK \(answers NOOP\)/);
    expect(after('* BYE Logging out; see you next time.')).toMatch(/^ {2}= \* BYE/);
    // The client's APPEND literal (write literal size 99) does not swallow the next command either.
    expect(after('CDOJ4 OK FETCH completed.')).toMatch(/answers FETCH/);
    expect(r.stdout).toContain('imaplib did not log the 45 literal octets it read');
    expect(r.stdout).toContain('imaplib did not log the 99 literal octets it sent');
    expect(r.stdout).toMatch(/# (\d+) replies, \1 explained, 0 unexplained/);
    // The log holds the public practice password only; LOGIN is masked all the same.
    expect(r.stdout).not.toMatch(/LOGIN alice "practice"/);
  });
});
