// Over real IMAP: `CREATE .account.json.tmp` used to put a directory where the store writes its
// temp file, so every later write of that account failed with SERVERBUG and every restart with
// EISDIR. Now it is an ordinary mailbox; names no platform can hold get NO [CANNOT] (RFC 5530).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RawClient, startPractice, type Practice } from '../integration/practice/imap/harness.ts';

let dataDir = '';
let practice: Practice | null = null;
afterAll(async () => {
  await practice?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function login(p: Practice): Promise<RawClient> {
  const c = await RawClient.connect(p.implicit.port, true);
  expect(await c.command('l', 'LOGIN alice practice')).toMatch(/^l OK/m);
  return c;
}

describe("mailbox names against the store's own files", () => {
  it('CREATE .account.json.tmp breaks nothing: later writes, a reset and a restart all work', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-names-imap-'));
    practice = await startPractice({ dataDir });
    let c = await login(practice);
    for (const name of ['.account.json.tmp', 'account.json', '@mailwire']) {
      expect(await c.command('c', `CREATE "${name}"`)).toMatch(/^c OK/m);
      expect(await c.command('s', `SUBSCRIBE "${name}"`)).toMatch(/^s OK/m); // saves the account file
    }
    const body = 'Subject: kept\r\n\r\nstill here\r\n';
    expect(await c.command('a', `APPEND ".account.json.tmp" {${body.length}+}\r\n${body}`)).toMatch(
      /^a OK \[APPENDUID \d+ 1\]/m,
    );
    expect(await c.command('d', 'CREATE Drafts2')).toMatch(/^d OK/m); // other writes still work
    c.close();
    await practice.close(); // a restart on the same data dir
    practice = await startPractice({ dataDir });
    c = await login(practice);
    const list = await c.command('l', 'LSUB "" *');
    for (const name of ['.account.json.tmp', 'account.json', '"@mailwire"']) expect(list).toContain(`"/" ${name}\r\n`);
    const selected = await c.command('x', 'SELECT ".account.json.tmp"');
    expect(selected).toMatch(/^\* 1 EXISTS/m);
    expect(await c.command('f', 'FETCH 1 BODY[]')).toContain('still here');
    c.close();
    await practice.store.reset(); // the reset button and --reset-practice
    c = await login(practice);
    expect(await c.command('l', 'LIST "" *')).not.toContain('account.json');
    c.close();
  });

  it('names no platform can hold get NO [CANNOT] with a sentence that says what to do', async () => {
    const c = await login(practice!);
    expect(await c.command('a', 'CREATE CON')).toMatch(
      /^a NO \[CANNOT\] "CON" cannot be stored: "CON" is a device name on Windows .*Add a letter, e\.g\. "CON-mail"\.\r$/m,
    );
    expect(await c.command('b', 'CREATE "Notes."')).toMatch(
      /^b NO \[CANNOT\] .*ends in a dot or a space, which Windows removes\. Leave it off\.\r$/m,
    );
    expect(await c.command('c', 'CREATE INBOX/Sub')).toMatch(/^c OK/m);
    // "inbox" as a superior is not INBOX to the store: a second folder that macOS and Windows merge.
    expect(await c.command('i', 'CREATE inbox/Other')).toMatch(
      /^i NO \[CANNOT\] "inbox" would be a second folder beside INBOX on macOS and Windows: write INBOX in capitals/m,
    );
    expect(await c.command('d', 'CREATE Trash/x')).toMatch(/^d OK/m);
    expect(await c.command('e', 'CREATE trash')).toMatch(
      /^e NO \[CANNOT\] "trash" cannot be stored beside "Trash": the names differ only in letter case/m,
    );
    expect(await c.command('f', 'RENAME Trash "aux"')).toMatch(/^f NO \[CANNOT\] .*device name on Windows/m);
    expect(await c.command('n', 'NOOP')).toMatch(/^n OK/m);
    c.close();
  });
});
