// LIST/LSUB with thousands of wildcards over real IMAP: before issue 11 the pattern became a
// backtracking regular expression and `LIST "" "%%%...%!"` froze the whole process. The server runs
// in a child process, so a freeze fails this test after a few seconds instead of hanging it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Imap, startChild, type Child } from './store-helpers.ts';

let dataDir = '';
let server: Child;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-glob-'));
  server = await startChild(dataDir);
});
afterAll(async () => {
  await server?.kill();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('LIST/LSUB with 10,000 wildcards', () => {
  it('answers at once, and the server keeps serving', { timeout: 30_000 }, async () => {
    const c = await Imap.connect(server.endpoints['practice/imaps'].port);
    await c.login('alice');
    expect(await c.command('c', 'CREATE "Archive/2026"')).toMatch(/^c OK/m);
    const hostile = '%'.repeat(10_000) + '!';
    // A literal: the pattern is longer than a command line may be (LITERAL+, RFC 7888).
    const reply = await c.command('a', Buffer.from(`LIST "" {${hostile.length}+}\r\n${hostile}`), 5_000);
    expect(reply, 'no tagged reply within 5 s: the matcher froze').not.toBeNull();
    expect(reply).toMatch(/^a OK LIST completed/m);
    expect(reply).not.toMatch(/^\* LIST/m);
    const lsub = await c.command('b', Buffer.from(`LSUB "" {${hostile.length}+}\r\n${hostile}`), 5_000);
    expect(lsub).toMatch(/^b OK LSUB completed/m);
    // The same many wildcards that do match: every mailbox with one level under Archive.
    const star = '%'.repeat(5_000) + '/' + '*%'.repeat(2_500);
    const listed = await c.command('d', Buffer.from(`LIST "" {${star.length}+}\r\n${star}`), 5_000);
    expect(listed).toMatch(/^\* LIST \(\\HasNoChildren\) "\/" Archive\/2026\r$/m);
    expect(listed).toMatch(/^d OK/m);
    // Another client is served as before.
    const other = await Imap.connect(server.endpoints['practice/imaps'].port);
    await other.login('bob');
    expect(await other.command('n', 'NOOP', 2_000)).toMatch(/^n OK/m);
    other.destroy();
    c.destroy();
  });
});
