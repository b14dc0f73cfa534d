// SEARCH BODY and TEXT look into every text/* and message/* part (RFC 3501 section 6.4.4: "the
// text of the message"), as Dovecot's do: a bounce built by the practice MTA (RFC 3464,
// multipart/report of RFC 6522) is found by its original Subject, which only its
// text/rfc822-headers part holds, and by the Final-Recipient of its message/delivery-status part;
// an application/octet-stream part is not text and is not searched. Compared with Dovecot when
// it can run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDsn } from '../../../../bridge/practice/mta/dsn.ts';
import { RawClient, startPractice, type Practice } from './harness.ts';
import { DOVECOT, IS_ROOT, startDovecotImap, type DovecotImap } from './dovecot-peer.ts';

const original = Buffer.from(
  'From: alice@practice.test\r\nTo: zed@faraway.test\r\nSubject: Zebra crossing plans\r\n' +
    'Message-ID: <orig-4711@practice.test>\r\n\r\nSee you at the zebra crossing.\r\n',
);
const dsn = buildDsn({
  reportingMta: 'mail.practice.test',
  to: 'alice@practice.test',
  arrival: new Date(Date.UTC(2026, 11, 3, 10, 0, 0)),
  lastAttempt: new Date(Date.UTC(2026, 11, 3, 10, 5, 0)),
  failed: [
    {
      recipient: 'zed@faraway.test',
      reply: '550 5.1.1 <zed@faraway.test>: No such user here.',
      host: 'mx.faraway.test',
      remote: true,
    },
  ],
  original,
  messageId: '<dsn-1@practice.test>',
});
const binary = Buffer.from(
  'From: bob@practice.test\r\nSubject: An attachment\r\nMIME-Version: 1.0\r\n' +
    'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n' +
    '--b\r\nContent-Type: application/octet-stream\r\n\r\nopaquebinaryword\r\n--b--\r\n',
);

/** The SEARCH numbers of each query, after appending the two messages to a fresh mailbox. */
async function searches(port: number, queries: string[]): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    expect(await c.command('l', 'LOGIN alice practice')).toMatch(/l OK/);
    await c.command('c', 'CREATE Bounces');
    for (const [i, m] of [dsn, binary].entries()) {
      c.write(`a${i} APPEND Bounces {${m.length}+}\r\n`);
      c.write(m);
      c.write('\r\n'); // ends the APPEND command (LITERAL+, RFC 7888)
      expect(await c.readUntil((t) => new RegExp(`a${i} (OK|NO|BAD)`).test(t), 30_000)).toMatch(new RegExp(`a${i} OK`));
    }
    expect(await c.command('s', 'SELECT Bounces')).toMatch(/\* 2 EXISTS/);
    const out: string[] = [];
    for (const [i, q] of queries.entries()) {
      const reply = await c.command(`q${i}`, `SEARCH ${q}`, 30_000);
      out.push(/\* SEARCH([^\r]*)\r\n/.exec(reply)?.[1].trim() ?? `(no SEARCH: ${reply})`);
    }
    return out;
  } finally {
    c.close();
  }
}

const QUERIES: Array<[string, string]> = [
  ['TEXT "Zebra crossing plans"', '1'], // the original Subject: only in text/rfc822-headers
  ['BODY "Zebra crossing plans"', '1'],
  ['BODY orig-4711', '1'], // its Message-ID
  ['BODY "rfc822; zed@faraway.test"', '1'], // Final-Recipient in message/delivery-status
  ['SUBJECT zebra', ''], // the bounce's own Subject says nothing of zebras
  ['BODY opaquebinaryword', ''], // application/octet-stream is not text
  ['BODY attached', '2'],
];

describe('SEARCH inside a bounce (text/rfc822-headers, message/delivery-status)', () => {
  let practice: Practice;
  let dovecot: DovecotImap | null = null;
  beforeAll(async () => {
    practice = await startPractice();
    if (DOVECOT && IS_ROOT) dovecot = await startDovecotImap();
  }, 60_000);
  afterAll(async () => {
    await practice?.close();
    await dovecot?.stop();
  });

  it('finds what only those parts hold, not what an application/octet-stream part holds', async () => {
    const got = await searches(
      practice.plain.port,
      QUERIES.map(([q]) => q),
    );
    expect(QUERIES.map(([q], i) => `${q} -> ${got[i]}`)).toEqual(QUERIES.map(([q, want]) => `${q} -> ${want}`));
  });

  it.skipIf(!DOVECOT || !IS_ROOT)('Dovecot finds the same messages (needs dovecot and root)', async () => {
    const got = await searches(
      dovecot!.port,
      QUERIES.map(([q]) => q),
    );
    expect(QUERIES.map(([q], i) => `${q} -> ${got[i]}`)).toEqual(QUERIES.map(([q, want]) => `${q} -> ${want}`));
  });
});
