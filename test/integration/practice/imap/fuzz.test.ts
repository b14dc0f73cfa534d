// Fuzz-style robustness: at least 10,000 random and mutated command lines (seeded, reproducible)
// against a logged-in, selected session on loopback; afterwards the server still answers a
// well-formed session correctly and no message was damaged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, startPractice, type Practice } from './harness.ts';
import { prng } from '../../../helpers/prng.ts';

let practice: Practice;
beforeAll(async () => {
  practice = await startPractice({ limits: { maxLineLength: 2048, maxMessageSize: 4096 } });
});
afterAll(async () => {
  await practice?.close();
});

const CORPUS = [
  'NOOP',
  'CAPABILITY',
  'CHECK',
  'ID ("name" "fuzz")',
  'ENABLE CONDSTORE',
  'NAMESPACE',
  'SELECT INBOX',
  'EXAMINE INBOX',
  'STATUS INBOX (MESSAGES UNSEEN UIDNEXT)',
  'LIST "" "*"',
  'LSUB "" "%"',
  'CREATE Fuzz/Box',
  'RENAME Fuzz/Box Fuzz/Other',
  'DELETE Fuzz/Other',
  'SUBSCRIBE INBOX',
  'UNSUBSCRIBE INBOX',
  'FETCH 1:* (FLAGS UID ENVELOPE BODYSTRUCTURE)',
  'FETCH 1 (BODY.PEEK[HEADER.FIELDS (From Subject)]<0.50>)',
  'FETCH * BODY[1.MIME]',
  'UID FETCH 1:* (RFC822.SIZE INTERNALDATE)',
  'FETCH 1 FULL',
  'FETCH 1:2 BODY[TEXT]',
  'STORE 1 +FLAGS (\\Flagged)',
  'STORE 1 -FLAGS.SILENT (\\Flagged)',
  'UID STORE 1:* FLAGS ($Fuzz)',
  'SEARCH OR SEEN NOT FROM "x" SINCE 1-Jan-2020',
  'UID SEARCH TEXT "hello" LARGER 10',
  'SEARCH CHARSET UTF-8 SUBJECT "é"',
  'COPY 1 Trash',
  'UID COPY 1:* Sent',
  'MOVE 999 Trash',
  'EXPUNGE',
  'UID EXPUNGE 1:*',
  'CLOSE',
  'UNSELECT',
  'APPEND INBOX (\\Seen) "01-Jan-2026 00:00:00 +0000" {5+}\r\nhello',
  'AUTHENTICATE PLAIN AGFsaWNlAHByYWN0aWNl',
  'LOGIN a b',
  'NOTIFY SET STATUS (selected (MessageNew (UID FLAGS BODY.PEEK[HEADER]) MessageExpunge)) (personal (MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange))',
  'NOTIFY SET (subtree (Fuzz INBOX) (MessageNew MessageExpunge)) (mailboxes "a*%" NONE)',
  'NOTIFY NONE',
];
/** Lines for a session that has not logged in yet, on the STARTTLS port. */
const PRE_AUTH = [
  'STARTTLS',
  'LOGIN alice practice',
  'AUTHENTICATE PLAIN',
  'AUTHENTICATE PLAIN =',
  'AUTHENTICATE LOGIN',
  'CAPABILITY',
  'LOGOUT',
  'IDLE',
  'SELECT INBOX',
];
const NOISE = [
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '"',
  '\\',
  '*',
  '%',
  ' ',
  '<',
  '>',
  '.',
  '0',
  '4294967296',
  '\u0000',
  '\u00ff',
  '\t',
  'NIL',
  '~',
  '{3}',
  '{2+}',
];

function mutate(rand: () => number, line: string): string {
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)];
  let s = line;
  const edits = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (s.length + 1));
    const r = rand();
    if (r < 0.3) s = s.slice(0, at) + pick(NOISE) + s.slice(at);
    else if (r < 0.5) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 5));
    else if (r < 0.65) s = s.slice(0, at);
    else if (r < 0.8) s = s.slice(0, at) + String.fromCharCode(Math.floor(rand() * 256)) + s.slice(at);
    else s = s + ' ' + pick(CORPUS);
  }
  return s;
}

function randomBytes(rand: () => number): string {
  const n = Math.floor(rand() * 120);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(rand() * 256));
  return s;
}

function fuzzLine(rand: () => number, n: number): string {
  const r = rand();
  let body: string;
  if (r < 0.15) body = randomBytes(rand);
  else if (r < 0.25) body = `F${n} ` + randomBytes(rand);
  else body = `F${n} ` + mutate(rand, CORPUS[Math.floor(rand() * CORPUS.length)]);
  if (rand() < 0.01) body += 'x'.repeat(3000); // over the line limit
  // A literal announced at the very end would swallow the following lines as its bytes; that
  // path has its own tests, here it would only stall the batch.
  return body.replace(/[\r\n]+/g, ' ').replace(/\{\d*\+?\}\s*$/, '{x}');
}

async function session(): Promise<RawClient> {
  const c = await RawClient.connect(practice.plain.port);
  await c.command('L', 'LOGIN alice practice');
  await c.command('S', 'SELECT INBOX');
  return c;
}

describe('fuzz', () => {
  it('survives 10,000 random and mutated lines; a well-formed session works afterwards', async () => {
    const rand = prng(20261125);
    const total = 10_000;
    const batch = 50;
    let sent = 0;
    let reconnects = 0;
    const serverBugs: string[] = [];
    let c = await session();
    while (sent < total) {
      const lines: string[] = [];
      for (let i = 0; i < batch && sent < total; i++, sent++) lines.push(fuzzLine(rand, sent));
      c.write(Buffer.from(lines.join('\r\n') + `\r\nZZ${sent} NOOP\r\n`, 'latin1'));
      const done = await c
        .readUntil((t) => t.includes(`ZZ${sent} OK`), 3000)
        .then((t) => {
          serverBugs.push(...t.split('\r\n').filter((l) => l.includes('[SERVERBUG]')));
          return true;
        })
        .catch(() => false);
      if (!done || c.closed) {
        // LOGOUT, STARTTLS-less garbage or a pending AUTHENTICATE/IDLE may end or stall a session
        c.close();
        c = await session();
        reconnects++;
      }
    }
    c.close();
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(reconnects).toBeLessThan(total / batch); // most batches complete on the same session
    expect(serverBugs).toEqual([]); // every failure was the input's fault, answered as BAD/NO
    console.log(`fuzz: ${sent} lines, ${reconnects} reconnects`);

    // Not-authenticated sessions on the STARTTLS port: STARTTLS, LOGIN, AUTHENTICATE and LOGOUT
    // mutated; a session that upgraded or logged out is replaced by a fresh one.
    let preAuthSent = 0;
    let p = await RawClient.connect(practice.starttls.port);
    while (preAuthSent < 2000) {
      const lines: string[] = [];
      for (let i = 0; i < 20; i++, preAuthSent++) {
        lines.push(
          `P${preAuthSent} ` +
            mutate(rand, PRE_AUTH[Math.floor(rand() * PRE_AUTH.length)])
              .replace(/[\r\n]+/g, ' ')
              .replace(/\{\d*\+?\}\s*$/, '{x}'),
        );
      }
      p.write(Buffer.from(lines.join('\r\n') + `\r\nPP${preAuthSent} NOOP\r\n`, 'latin1'));
      const done = await p
        .readUntil((t) => t.includes(`PP${preAuthSent} OK`), 2000)
        .then(
          () => true,
          () => false,
        );
      if (!done || p.closed) {
        p.close();
        p = await RawClient.connect(practice.starttls.port);
      }
    }
    p.close();

    const check = await RawClient.connect(practice.implicit.port, true);
    expect(await check.command('a', 'LOGIN alice practice')).toMatch(/^a OK/m);
    const select = await check.command('b', 'SELECT INBOX');
    expect(select).toMatch(/^b OK \[READ-WRITE\]/m);
    const body = 'Subject: after fuzz\r\n\r\nstill fine\r\n';
    expect(await check.command('c', `APPEND INBOX {${body.length}+}\r\n${body}`)).toMatch(/^c OK \[APPENDUID/m);
    const fetched = await check.command('d', 'UID FETCH * (BODY.PEEK[])');
    expect(fetched).toContain(`BODY[] {${body.length}}\r\n${body})`);
    check.close();
  }, 120_000);
});
