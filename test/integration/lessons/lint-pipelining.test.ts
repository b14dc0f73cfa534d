// The lesson lint lets AUTH stand inside a pipelined group when it carries the initial response of
// a mechanism that completes in one round trip (RFC 4954 section 4; app/src/lessons/lint.ts). Real
// servers answer such a group command by command: exim (when installed, as root) and the practice
// server, over implicit TLS, with the whole group in one write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIM, startExim, type EximPeer } from '../../helpers/exim-peer.ts';
import { RawSmtp, startTestPractice, type TestPractice } from '../practice/smtp/helpers.ts';

const IS_ROOT = process.getuid?.() === 0;
const eximMissing = !EXIM ? 'exim (apt-get install exim4-daemon-light)' : !IS_ROOT ? 'root (exim runs as root)' : null;
if (eximMissing) console.warn(`lint-pipelining: exim part skipped, missing ${eximMissing}`);

const PLAIN = Buffer.from('\0alice\0practice').toString('base64');

/** EHLO, then AUTH PLAIN with its initial response, MAIL FROM and RCPT TO sent at once. */
async function groupAfterAuth(port: number): Promise<string[]> {
  const c = await RawSmtp.connect(port, true);
  try {
    expect(await c.reply()).toMatch(/^220 /);
    const ehlo = await c.cmd('EHLO client.example');
    expect(ehlo).toMatch(/^250[- ]PIPELINING\r$/m);
    expect(ehlo).toMatch(/^250[- ]AUTH .*\bPLAIN\b/m);
    c.write(`AUTH PLAIN ${PLAIN}\r\nMAIL FROM:<alice@practice.test>\r\nRCPT TO:<bob@practice.test>\r\n`);
    const replies = [await c.reply(), await c.reply(), await c.reply()];
    await c.cmd('QUIT');
    return replies.map((r) => r.slice(0, 3));
  } finally {
    c.destroy();
  }
}

describe('AUTH PLAIN with its initial response, inside a pipelined group', () => {
  let practice: TestPractice;
  let exim: EximPeer | null = null;
  beforeAll(async () => {
    practice = await startTestPractice();
    if (!eximMissing) exim = await startExim({ tls: true });
  });
  afterAll(async () => {
    await practice?.stop();
    await exim?.stop();
  });

  it('the practice server answers 235, then 250 and 250', async () => {
    expect(await groupAfterAuth(practice.port('smtps'))).toEqual(['235', '250', '250']);
  });

  it.skipIf(eximMissing !== null)('exim answers 235, then 250 and 250', async () => {
    expect(await groupAfterAuth(exim!.smtps!)).toEqual(['235', '250', '250']);
  });
});
