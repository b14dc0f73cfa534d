// CONDSTORE and QRESYNC (RFC 7162) on the practice server over raw sockets: how MODSEQ values grow
// (the scenario files compare with Dovecot that they are sent, not their numbers), what a second
// session hears of another's changes, and a client resyncing after a restart of the server on
// the same data directory.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient, startPractice, type Practice } from './harness.ts';

let practice: Practice | null = null;
let dataDir = '';
const clients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await practice?.close();
  practice = null;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = '';
});

async function login(port: number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  clients.push(c);
  expect(await c.command('l', 'LOGIN alice practice')).toMatch(/l OK/);
  return c;
}

const number = (re: RegExp, text: string): number => {
  const m = re.exec(text);
  if (!m) throw new Error(`${re} not in ${text}`);
  return Number(m[1]);
};
const highest = (text: string) => number(/HIGHESTMODSEQ (\d+)/, text);
const modseqOf = (seq: number, text: string) => number(new RegExp(`\\* ${seq} FETCH \\(.*MODSEQ \\((\\d+)\\)`), text);

describe('CONDSTORE: MODSEQ values', () => {
  it('each change takes a MODSEQ above HIGHESTMODSEQ, and HIGHESTMODSEQ follows it', async () => {
    practice = await startPractice();
    const c = await login(practice.plain.port);
    await c.command('a', 'APPEND INBOX {13+}\r\nSubject: x\r\n');
    const start = highest(await c.command('s', 'SELECT INBOX (CONDSTORE)'));
    const both = await c.command('f', 'FETCH 1:2 (MODSEQ)');
    expect(Math.max(modseqOf(1, both), modseqOf(2, both))).toBe(start);
    const stored = await c.command('t', 'STORE 1:2 +FLAGS (\\Flagged)');
    // One STORE, one new MODSEQ for every message it changed (as Dovecot assigns them).
    expect(modseqOf(1, stored)).toBe(start + 1);
    expect(modseqOf(2, stored)).toBe(start + 1);
    expect(highest(await c.command('u', 'STATUS INBOX (HIGHESTMODSEQ)'))).toBe(start + 1);
    // Nothing changed: no FETCH, and no MODSEQ is used up.
    expect(await c.command('v', 'STORE 1 +FLAGS (\\Flagged)')).not.toMatch(/FETCH/);
    expect(await c.command('w', 'UID SEARCH MODSEQ ' + (start + 1))).toMatch(/\* SEARCH 1 \d+ \(MODSEQ \d+\)/);
    expect(await c.command('x', 'FETCH 1:* (FLAGS) (CHANGEDSINCE ' + (start + 1) + ')')).not.toMatch(/FETCH \(/);
    const refused = await c.command('y', 'STORE 1:2 (UNCHANGEDSINCE ' + start + ') -FLAGS (\\Flagged)');
    expect(refused).toMatch(/y OK \[MODIFIED 1:2\]/);
    expect(refused).not.toMatch(/\* \d+ FETCH/);
    // An expunge takes a MODSEQ too, so a resyncing client learns of it (RFC 7162 section 3.2.5.1).
    await c.command('z', 'STORE 2 +FLAGS.SILENT (\\Deleted)');
    await c.command('e', 'EXPUNGE');
    expect(highest(await c.command('h', 'STATUS INBOX (HIGHESTMODSEQ)'))).toBe(start + 3);
  });

  it('another session hears the change with its MODSEQ, and with QRESYNC an expunge as VANISHED', async () => {
    practice = await startPractice();
    const watcher = await login(practice.plain.port);
    const actor = await login(practice.plain.port);
    await actor.command('a', 'APPEND INBOX {13+}\r\nSubject: x\r\n');
    expect(await watcher.command('e', 'ENABLE QRESYNC')).toMatch(/\* ENABLED QRESYNC/);
    await watcher.command('s', 'SELECT INBOX');
    await actor.command('s', 'SELECT INBOX');
    const stored = await actor.command('t', 'STORE 2 +FLAGS (\\Seen)');
    expect(stored).not.toMatch(/MODSEQ/); // the actor never enabled CONDSTORE
    const heard = await watcher.command('n', 'NOOP');
    // The watcher selected first, so it holds \Recent (RFC 3501 section 2.3.2).
    expect(heard).toMatch(/\* 2 FETCH \(UID 2 FLAGS \(\\Seen \\Recent\) MODSEQ \(\d+\)\)/);
    await actor.command('d', 'STORE 1 +FLAGS.SILENT (\\Deleted)');
    expect(await actor.command('x', 'EXPUNGE')).toMatch(/\* 1 EXPUNGE\r\n/);
    const gone = await watcher.command('m', 'NOOP');
    expect(gone).toMatch(/\* VANISHED 1\r\n/);
    expect(gone).not.toMatch(/EXPUNGE/);
  });
});

describe('QRESYNC across a restart on the same data directory', () => {
  it('a client back after the restart learns what vanished and what changed since its HIGHESTMODSEQ', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mailwire-qresync-'));
    practice = await startPractice({ dataDir });
    let c = await login(practice.plain.port);
    for (const s of ['a', 'b', 'c']) await c.command(`a${s}`, `APPEND INBOX {13+}\r\nSubject: ${s}\r\n`);
    await c.command('e', 'ENABLE QRESYNC');
    const selected = await c.command('s', 'SELECT INBOX');
    const uidValidity = number(/UIDVALIDITY (\d+)/, selected);
    const synced = highest(selected);
    // Changes the client does not see: another session, then the server restarts.
    const other = await login(practice.plain.port);
    await other.command('s', 'SELECT INBOX');
    await other.command('t', 'STORE 3 +FLAGS (\\Answered)');
    await other.command('d', 'UID STORE 2 +FLAGS.SILENT (\\Deleted)');
    await other.command('x', 'UID EXPUNGE 2');
    for (const client of clients.splice(0)) client.close();
    await practice.close();
    practice = await startPractice({ dataDir });
    c = await login(practice.plain.port);
    await c.command('e', 'ENABLE QRESYNC');
    const back = await c.command('s', `SELECT INBOX (QRESYNC (${uidValidity} ${synced}))`);
    expect(back).toMatch(/\* VANISHED \(EARLIER\) 2\r\n/);
    expect(back).toMatch(/\* 2 FETCH \(UID 3 FLAGS \(\\Answered\) MODSEQ \(\d+\)\)/);
    expect(back.match(/FETCH/g)).toHaveLength(1);
    expect(highest(back)).toBeGreaterThan(synced);
    // Resyncing from the new HIGHESTMODSEQ: nothing to tell.
    const again = await c.command('t', `SELECT INBOX (QRESYNC (${uidValidity} ${highest(back)}))`);
    expect(again).not.toMatch(/VANISHED|FETCH/);
  });
});
