// `npm start` relays on a wildcard --practice-host too: the practice server on 0.0.0.0 holds its
// ports on 127.0.1.x as well (a second listener there is EADDRINUSE), so the config moves the other
// domains to the next port numbers; both start, and alice's mail reaches carol at faraway.test.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../bridge/config/load.ts';
import { startPractice, type RunningPractice } from '../../../../bridge/practice/index.ts';
import { freePort, has } from '../../../helpers/peers.ts';
import { submitOne } from './python.ts';

const skip = has('python3') ? false : 'python3 is not installed';
let practice: RunningPractice | undefined;
let dataDir = '';
afterAll(async () => {
  await practice?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A port free on every address whose next number is free too (on every address, so on 127.0.1.x). */
async function freePair(): Promise<number> {
  for (;;) {
    const p = await freePort('0.0.0.0');
    if (p < 65535 && (await isFree(p + 1))) return p;
  }
}
const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });

describe.skipIf(skip)(`--practice-host 0.0.0.0 with the relay${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it(
    'starts with fixed smtp and imaps ports, faraway.test one port up, and delivers to carol',
    { timeout: 60_000 },
    async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-wild-'));
      const [smtp, imaps] = [await freePair(), await freePair()];
      const zero = ['submission', 'smtps', 'imap', 'pop3', 'pop3s', 'dns'].flatMap((p) => [`--${p}-port`, '0']);
      const parsed = loadConfig(
        [
          '--practice-host',
          '0.0.0.0',
          '--data-dir',
          dataDir,
          '--smtp-port',
          String(smtp),
          '--imaps-port',
          String(imaps),
          '--retry-schedule',
          '1',
          ...zero,
        ],
        {},
        dataDir,
      );
      if (parsed.help) throw new Error('help');
      practice = await startPractice(parsed.config.practice!, () => {});
      const faraway = practice.relay!.domains[0]!;
      expect(practice.endpoints['practice/smtp'].port).toBe(smtp);
      expect([faraway.smtpPort, faraway.imaps.port]).toEqual([smtp + 1, imaps + 1]);
      const sent = await submitOne(practice.endpoints['practice/submission'].port, {
        user: 'alice',
        from: 'alice@practice.test',
        to: ['carol@faraway.test'],
        subject: 'wild-1',
      });
      expect(sent).toMatchObject({ code: 250 });
      const inbox = faraway.store.forAccount('carol').mailbox('INBOX')!;
      await expect.poll(() => inbox.messages().length, { timeout: 20_000 }).toBe(2); // welcome + ours
    },
  );

  it.skipIf(!has('dig'))(
    `the summary's dig line names a loopback address, and that very command answers${has('dig') ? '' : ' (skipped: dig is not installed)'}`,
    { timeout: 30_000 },
    async () => {
      if (!practice) throw new Error('the test above did not start the practice server');
      const summary = practice.accountsSummary();
      // Listening on every address, the summary still tells a client where to ask: never @0.0.0.0.
      expect(summary).not.toContain('0.0.0.0');
      const line = summary.split('\n').find((l) => l.trimStart().startsWith('practice/dns'))!;
      const dns = practice.endpoints['practice/dns'];
      expect(line).toContain(`127.0.0.1:${dns.port}  (UDP and TCP: dig @127.0.0.1 -p ${dns.port} MX faraway.test)`);
      const command = /dig (@\S+ -p \d+ MX faraway\.test)/.exec(line)![1]!.split(' ');
      const out = await new Promise<string>((resolve, reject) =>
        execFile('dig', [...command, '+short', '+time=2', '+tries=1'], { timeout: 10_000 }, (err, stdout) =>
          err ? reject(err) : resolve(stdout),
        ),
      );
      expect(out.trim().split('\n').sort()).toEqual(['10 mx1.faraway.test.', '20 mx2.faraway.test.']);
    },
  );
});
