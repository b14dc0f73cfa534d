// The DELETE and RENAME of a mailbox another session has selected, on a real Dovecot and on the
// practice server side by side. The scenario files (scenarios.test.ts) replay one connection, so
// this two-session case has its own test. Both accept the DELETE; they part in what the other
// session hears. Dovecot (RFC 2180 section 3.2's way) answers that session's next command with
// "* BYE" and hangs up; the practice server reports EXPUNGE, then "* OK [CLOSED]" with the reason,
// and keeps the login (authenticated state), which suits a learner typing by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOVECOT, IS_ROOT, startDovecotImap, type DovecotImap } from './dovecot-peer.ts';
import { RawClient, startPractice, type Practice } from './harness.ts';

/** What the session that had the mailbox selected saw, step by step. */
interface Outcome {
  deleteReply: string;
  nextReply: string; // its next selected-state command (a STORE by UID)
  stillConnected: boolean;
  selectInbox: string; // '' when the connection was gone
}

async function login(port: number, tag: string): Promise<RawClient> {
  const c = await RawClient.connect(port);
  const reply = await c.command(tag, 'LOGIN alice practice');
  if (!new RegExp(`${tag} OK`).test(reply)) throw new Error(`login failed: ${reply}`);
  return c;
}

/** One session deletes (or renames) the mailbox a second session has selected. */
async function otherSessionLoses(port: number, box: string, change: 'DELETE' | 'RENAME'): Promise<Outcome> {
  const owner = await login(port, 'o1');
  const other = await login(port, 'x1');
  try {
    expect(await owner.command('o2', `CREATE ${box}`)).toMatch(/o2 OK/);
    expect(await owner.command('o3', `APPEND ${box} {17+}\r\nSubject: doomed\r\n`)).toMatch(/o3 OK/);
    expect(await other.command('x2', `SELECT ${box}`)).toMatch(/\* 1 EXISTS[\s\S]*x2 OK/);
    const deleteReply = await owner.command('o4', change === 'DELETE' ? `DELETE ${box}` : `RENAME ${box} ${box}-moved`);
    let nextReply = await other
      .command('x3', 'UID STORE 1 +FLAGS (\\Seen)')
      .catch((e: Error) => `(no reply: ${e.message})`);
    // A BYE may follow the tagged reply, and the server then closes: give both a moment to arrive.
    await new Promise((r) => setTimeout(r, 200));
    nextReply += await other.readUntil(() => true);
    const stillConnected = !other.closed;
    const selectInbox = stillConnected ? await other.command('x4', 'SELECT INBOX') : '';
    return { deleteReply, nextReply, stillConnected, selectInbox };
  } finally {
    owner.close();
    other.close();
  }
}

describe.skipIf(!DOVECOT || !IS_ROOT)(
  'a mailbox deleted or renamed under another session, compared with Dovecot (needs dovecot and root)',
  () => {
    let p: Practice;
    let dovecot: DovecotImap | undefined;
    let port = 0;

    beforeAll(async () => {
      p = await startPractice();
      dovecot = await startDovecotImap();
      port = dovecot.port;
    }, 40_000);

    afterAll(async () => {
      await dovecot?.stop();
      await p?.close();
    });

    it.each(['DELETE', 'RENAME'] as const)(
      '%s: both servers accept it and stop serving the old mailbox to the other session; only the practice server keeps that session logged in',
      async (change) => {
        const theirs = await otherSessionLoses(port, `Dc${change}`, change);
        const ours = await otherSessionLoses(p.plain.port, `Dc${change}`, change);

        for (const o of [theirs, ours]) expect(o.deleteReply).toMatch(/^o4 OK/m);
        // Dovecot: the command fails, then BYE and a closed connection.
        expect(theirs.nextReply).toMatch(/^x3 NO /m);
        expect(theirs.nextReply).toMatch(/^\* BYE /m);
        expect(theirs.stillConnected).toBe(false);
        // Practice server: EXPUNGE for the message (a DELETE removed it; a RENAME moved it), the
        // notice, a BAD with the reason, and the login still usable.
        if (change === 'DELETE')
          expect(ours.nextReply).toMatch(/^\* 1 EXPUNGE\r\n\* OK \[CLOSED\] [^\r]*deleted by another session/);
        else expect(ours.nextReply).toMatch(/^\* OK \[CLOSED\] [^\r]*renamed to "DcRENAME-moved"/);
        expect(ours.nextReply).toMatch(/^x3 BAD UID STORE needs a selected mailbox/m);
        expect(ours.nextReply).not.toMatch(/BYE|SERVERBUG/);
        expect(ours.stillConnected).toBe(true);
        expect(ours.selectInbox).toMatch(/x4 OK \[READ-WRITE\]/);
        console.log(
          `${change} of a mailbox selected elsewhere:\n--- Dovecot\n${theirs.nextReply}--- practice\n${ours.nextReply}`,
        );
      },
    );
  },
);
