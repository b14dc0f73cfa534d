// Where the other domains' addresses do not exist (macOS has only 127.0.0.1 on lo0; here a
// TEST-NET-1 address, RFC 5737, stands for it), binding fails with EADDRNOTAVAIL: the home
// domain still starts, submission refuses faraway.test as any other domain, and the summary says why.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { practiceConfigWithDefaults } from '../../../../bridge/practice/defaults.ts';
import { farawayDomain } from '../../../../bridge/practice/domains/relay.ts';
import { startPractice, type RunningPractice } from '../../../../bridge/practice/index.ts';
import { RawSmtp, ZERO_PORTS } from '../smtp/helpers.ts';

let practice: RunningPractice | undefined;
let dataDir = '';
afterAll(async () => {
  await practice?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('without the 127.0.1.x addresses the practice server runs alone and says so', async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-noaddr-'));
  const events: string[] = [];
  practice = await startPractice(
    practiceConfigWithDefaults({
      dataDir,
      ports: ZERO_PORTS,
      relay: {
        domains: [{ ...farawayDomain({ smtpPort: 0, imapsPort: 0 }), addresses: ['192.0.2.1'] }],
        retrySeconds: [1],
      },
    }),
    (event) => events.push(event),
  );
  expect(practice.relay).toBeNull();
  expect(events).toContain('relay.failed');
  expect(practice.accountsSummary()).toMatch(
    /other domains\s+off: this machine has no address 192\.0\.2\.1 to listen on/,
  );
  const s = await RawSmtp.connect(practice.endpoints['practice/smtp'].port);
  expect(await s.reply()).toMatch(/^220 /);
  s.destroy();
});
