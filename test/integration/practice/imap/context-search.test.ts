// CONTEXT=SEARCH (RFC 5267 section 4.3) limits on the practice server: each kept search runs again
// after every command, so a session keeps at most MAX_SEARCH_UPDATES; one more is answered with
// OK [NOUPDATE "tag"] and its result is not followed, until CANCELUPDATE frees a place. During IDLE
// the kept searches follow each change as it is reported, without waiting for DONE.
// (The behaviour itself is compared with Dovecot in test/fixtures/imap-scenarios/context-search.txt.)
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SEARCH_UPDATES } from '../../../../bridge/practice/imap/commands/search.ts';
import { RawClient, startPractice, type Practice } from './harness.ts';

let practice: Practice | null = null;
let client: RawClient | null = null;
let other: RawClient | null = null;
afterEach(async () => {
  client?.close();
  other?.close();
  await practice?.close();
  practice = client = other = null;
});

describe('SEARCH RETURN (UPDATE) per session', () => {
  it(`keeps ${MAX_SEARCH_UPDATES} searches up to date; one more gets NOUPDATE until CANCELUPDATE`, async () => {
    practice = await startPractice();
    const c = (client = await RawClient.connect(practice.plain.port));
    await c.command('l', 'LOGIN alice practice');
    await c.command('s', 'SELECT INBOX');
    for (let i = 0; i < MAX_SEARCH_UPDATES; i++)
      expect(await c.command(`u${i}`, 'SEARCH RETURN (UPDATE) SEEN')).not.toMatch(/NOUPDATE/);
    const refused = await c.command('x', 'SEARCH RETURN (UPDATE) SEEN');
    expect(refused).toMatch(/\* OK \[NOUPDATE "x"\]/);
    expect(refused).toMatch(/x OK/);
    // Only the kept ones follow the change.
    const stored = await c.command('t', 'STORE 1 +FLAGS (\\Seen)');
    expect(stored.match(/\* ESEARCH \(TAG "u\d+"\) ADDTO \(0 1\)/g)).toHaveLength(MAX_SEARCH_UPDATES);
    expect(stored).not.toMatch(/TAG "x"/);
    expect(await c.command('c', 'CANCELUPDATE "u0"')).toMatch(/c OK/);
    expect(await c.command('c2', 'CANCELUPDATE "u0"')).toMatch(/c2 BAD/);
    expect(await c.command('y', 'SEARCH RETURN (UPDATE) SEEN')).not.toMatch(/NOUPDATE/);
  });

  it('follows changes during IDLE too, without waiting for DONE', async () => {
    practice = await startPractice();
    const c = (client = await RawClient.connect(practice.plain.port));
    await c.command('l', 'LOGIN alice practice');
    await c.command('s', 'SELECT INBOX');
    expect(await c.command('u', 'SEARCH RETURN (UPDATE ALL) FLAGGED')).toMatch(/\* ESEARCH \(TAG "u"\)\r\n/);
    c.write('i IDLE\r\n');
    await c.readUntil((t) => t.includes('+ '));
    const o = (other = await RawClient.connect(practice.plain.port));
    await o.command('l', 'LOGIN alice practice');
    await o.command('s', 'SELECT INBOX');
    await o.command('t', 'STORE 1 +FLAGS (\\Flagged)');
    const heard = await c.readUntil((t) => t.includes('ADDTO'), 30_000);
    expect(heard).toMatch(
      /\* 1 FETCH \(UID 1 FLAGS \([^)]*\\Flagged[^)]*\)\)\r\n\* ESEARCH \(TAG "u"\) ADDTO \(0 1\)\r\n/,
    );
    c.write('DONE\r\n');
    expect(await c.readUntil((t) => /i OK/.test(t))).not.toMatch(/ESEARCH/); // told once, not again
  });
});
