// Records the bundled examples and the test fixtures from real sessions with the practice server:
//   npx tsx test/integration/transcript/record-examples.ts
// Writes app/src/transcript/examples/{smtp,imap,pop3}-first.json and
// test/fixtures/transcripts-recorded/*.json (+ the expected text exports of the SMTP fixture,
// which were read line by line against RFC 5321 Appendix D and swaks' hint table when made).
// Practice passwords are public (printed at start), so the files keep them, marked as secret:
// every export masks them unless revealed.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { startPractice } from '../../../bridge/practice/index.ts';
import { exportJson } from '../../../app/src/transcript/export-json.ts';
import { exportRfcText, exportSwaksText } from '../../../app/src/transcript/export-text.ts';
import { recordImapSession, recordPop3Session, recordSmtpSession } from './sessions.ts';
import { EPHEMERAL_PORTS } from '../../helpers/practice-ports.ts';

const root = new URL('../../../', import.meta.url).pathname;
const examples = join(root, 'app/src/transcript/examples');
const fixtures = join(root, 'test/fixtures/transcripts-recorded');
/** The password of the fixture accounts (see test/unit/transcript/mask.test.ts). */
const FIXTURE_PASSWORD = 'Kw9-tulip-Quartz';

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'mailwire-examples-'));
  // The examples show the practice server's usual ports when they are free (ephemeral ones if not).
  const practice = await startPractice(practiceConfigWithDefaults({ dataDir }), () => {}).catch(() =>
    startPractice(practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS }), () => {}),
  );
  try {
    const mail = { user: 'alice', password: 'practice', from: 'alice@practice.test', to: 'bob@practice.test' };
    console.log(
      `examples recorded on ports ${Object.values(practice.endpoints)
        .map((e) => e.port)
        .join(', ')}`,
    );
    const smtp = await recordSmtpSession(practice, { ...mail, subject: 'Lunch on Friday' });
    const imap = await recordImapSession(practice, { user: 'bob', password: 'practice', subject: 'Lunch on Friday' });
    const pop3 = await recordPop3Session(practice, { user: 'bob', password: 'practice' });
    writeFileSync(join(examples, 'smtp-first.json'), exportJson(smtp, { reveal: true }));
    writeFileSync(join(examples, 'imap-first.json'), exportJson(imap, { reveal: true }));
    writeFileSync(join(examples, 'pop3-first.json'), exportJson(pop3, { reveal: true }));
  } finally {
    await practice.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  // The fixtures use a password that occurs nowhere else, so tests can search exports for it.
  const fixtureDir = mkdtempSync(join(tmpdir(), 'mailwire-fixtures-'));
  const accounts = [
    { username: 'alice', password: FIXTURE_PASSWORD },
    { username: 'bob', password: FIXTURE_PASSWORD },
  ];
  const server = await startPractice(
    practiceConfigWithDefaults({ dataDir: fixtureDir, ports: EPHEMERAL_PORTS, accounts }),
    () => {},
  );
  try {
    const mail = { user: 'alice', password: FIXTURE_PASSWORD, from: 'alice@practice.test', to: 'bob@practice.test' };
    const refused = await recordSmtpSession(server, {
      ...mail,
      subject: 'Open relay test',
      refusedRcpt: 'someone@example.com',
    });
    writeFileSync(join(fixtures, 'smtp-submission.json'), exportJson(refused, { reveal: true }));
    writeFileSync(join(fixtures, 'smtp-submission.rfc.txt'), exportRfcText(refused));
    writeFileSync(join(fixtures, 'smtp-submission.swaks.txt'), exportSwaksText(refused));
    const login = await recordSmtpSession(server, { ...mail, subject: 'AUTH LOGIN', mechanism: 'LOGIN' });
    writeFileSync(join(fixtures, 'smtp-auth-login.json'), exportJson(login, { reveal: true }));
    const imap = await recordImapSession(server, {
      user: 'bob',
      password: FIXTURE_PASSWORD,
      subject: 'Open relay test',
    });
    writeFileSync(join(fixtures, 'imap-session.json'), exportJson(imap, { reveal: true }));
    const pop3 = await recordPop3Session(server, { user: 'bob', password: FIXTURE_PASSWORD });
    writeFileSync(join(fixtures, 'pop3-session.json'), exportJson(pop3, { reveal: true }));
  } finally {
    await server.close();
    rmSync(fixtureDir, { recursive: true, force: true });
  }
}

await main();
