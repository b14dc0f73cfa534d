// The same scripted POP3 session against Dovecot's pop3 and against ours: the status of every step
// (+OK / -ERR) must agree, and RETR/TOP must send the same bytes for the same stored message.
// Dovecot runs as a private instance (test/helpers/dovecot-pop3.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, startFixture, type Pop3Fixture } from './harness.ts';
import { DOVECOT, IS_ROOT, startDovecotPop3, type DovecotPop3 } from '../../../helpers/dovecot-pop3.ts';

const MESSAGES = [
  'From: bob@practice.test\r\nTo: alice@practice.test\r\nSubject: first\r\n\r\nHello Alice.\r\n.a line with a dot\r\n.\r\nbye\r\n',
  'From: bob@practice.test\r\nTo: alice@practice.test\r\nSubject: second\r\n\r\nline 1\r\nline 2\r\nline 3\r\n',
];

/** [command, multi-line on +OK]; the same script for both servers. */
const SCRIPT: Array<[string, boolean]> = [
  ['CAPA', true],
  ['STAT', false],
  ['PASS practice', false],
  ['USER alice', false],
  ['PASS wrong', false],
  ['USER alice', false],
  ['PASS practice', false],
  ['STAT', false],
  ['LIST', true],
  ['LIST 2', false],
  ['LIST 99', false],
  ['RETR 1', true],
  ['TOP 2 1', true],
  ['TOP 2', false],
  ['UIDL', true],
  ['UIDL 1', false],
  ['DELE 1', false],
  ['DELE 1', false],
  ['RETR 1', false],
  ['LIST 1', false],
  ['RSET', false],
  ['RETR 1', true],
  ['NOOP', false],
  ['USER alice', false],
  ['RETR abc', false],
  ['XYZZY', false],
  ['DELE 2', false],
  ['QUIT', false],
];

interface Step {
  command: string;
  status: string;
  text: string;
  body?: Buffer;
}

async function runScript(port: number): Promise<Step[]> {
  const c = await RawClient.connect(port);
  const greeting = await c.line();
  const steps: Step[] = [{ command: '(greeting)', status: greeting.split(' ')[0], text: greeting }];
  for (const [command, multi] of SCRIPT) {
    const line = await c.cmd(command);
    const status = line.split(' ')[0];
    const step: Step = { command, status, text: line };
    if (multi && status === '+OK') step.body = await c.body();
    steps.push(step);
  }
  c.destroy();
  return steps;
}

describe.skipIf(!DOVECOT || !IS_ROOT)('POP3 replies compared with Dovecot (needs dovecot and root)', () => {
  let fx: Pop3Fixture;
  let dovecot: DovecotPop3 | undefined;
  let dovecotPort: number;

  beforeAll(async () => {
    fx = await startFixture();
    // Our store: replace the welcome message by the script's messages.
    const inbox = fx.store.forAccount('alice').mailbox('INBOX')!;
    await inbox.expunge(inbox.messages().map((m) => m.uid));
    for (const m of MESSAGES) await fx.store.forAccount('alice').append('INBOX', Buffer.from(m));
    dovecot = await startDovecotPop3(MESSAGES, fx.credentials);
    dovecotPort = dovecot.port;
  }, 40_000);

  afterAll(async () => {
    await dovecot?.stop();
    await fx?.close();
  });

  it('every step has the same status, and RETR/TOP send the same bytes', async () => {
    const theirs = await runScript(dovecotPort);
    const ours = await runScript(fx.plainPort);
    expect(theirs[0].text).toMatch(/Dovecot/); // it really was Dovecot that answered
    expect(ours.map((s) => `${s.command} -> ${s.status}`)).toEqual(theirs.map((s) => `${s.command} -> ${s.status}`));
    for (const [i, step] of ours.entries()) {
      if (step.command.startsWith('RETR') || step.command.startsWith('TOP')) {
        expect(step.body?.toString('latin1'), step.command).toBe(theirs[i].body?.toString('latin1'));
      }
    }
    // Both removed message 2 at QUIT.
    expect(fx.store.forAccount('alice').mailbox('INBOX')!.messages()).toHaveLength(1);
  }, 30_000);

  it('STLS, then CAPA and login under TLS: same statuses, and we offer at least what Dovecot offers', async () => {
    const session = async (port: number) => {
      const c = await RawClient.connect(port);
      await c.line();
      await c.cmd('CAPA');
      const capaBefore = (await c.body()).toString('latin1').split('\r\n').slice(0, -2);
      const statuses = [(await c.cmd('STLS')).split(' ')[0]];
      await c.startTls();
      statuses.push((await c.cmd('CAPA')).split(' ')[0]);
      const capaAfter = (await c.body()).toString('latin1').split('\r\n').slice(0, -2);
      statuses.push((await c.cmd('STLS')).split(' ')[0]);
      statuses.push((await c.cmd('USER alice')).split(' ')[0], (await c.cmd('PASS practice')).split(' ')[0]);
      statuses.push((await c.cmd('QUIT')).split(' ')[0]);
      c.destroy();
      return { statuses, capaBefore, capaAfter };
    };
    const theirs = await session(dovecotPort);
    const ours = await session(fx.plainPort);
    expect(ours.statuses).toEqual(theirs.statuses);
    expect(ours.capaBefore).toEqual(expect.arrayContaining(theirs.capaBefore));
    expect(ours.capaAfter).toEqual(expect.arrayContaining(theirs.capaAfter));
    expect(theirs.capaBefore).toContain('STLS');
    expect(ours.capaAfter).not.toContain('STLS');
  }, 30_000);
});
