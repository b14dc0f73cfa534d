// Acceptance (issue 4): every reply the practice server can send, and every code in the seeds'
// transcripts, has a catalog entry. Full sessions over real loopback sockets on all three
// protocols (both plaintext+STARTTLS and implicit TLS ports, the teaching scenarios, and the error
// paths), every byte replayed through createConsole, every reply checked against the catalogs.
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsole, type ProtocolName } from '../../../app/src/protocols/index.ts';
import type { Transcript } from '../../../app/src/transcript/model.ts';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { startPractice } from '../../../bridge/practice/index.ts';
import type { PracticeConfig, PracticeServer } from '../../../bridge/practice/types.ts';
import { connectRecording } from '../transcript/wire-client.ts';
import { checkReplies, emptySeen, replayFixture, replayTranscript, type Problem } from './catalog-check.ts';
import { imapSessions, pop3Sessions, smtpSessions, type Dial } from './sessions.ts';
import { EPHEMERAL_PORTS } from '../../helpers/practice-ports.ts';

const MAX_MESSAGE = 4096;

const dirs: string[] = [];
const servers: PracticeServer[] = [];
async function start(partial: Partial<PracticeConfig> = {}): Promise<PracticeServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailwire-nogaps-'));
  dirs.push(dir);
  const s = await startPractice(
    practiceConfigWithDefaults({
      dataDir: dir,
      ports: EPHEMERAL_PORTS,
      limits: { maxMessageSize: MAX_MESSAGE, maxLineLength: 2048, idleTimeoutMs: 60_000 },
      ...partial,
    }),
    () => {},
  );
  servers.push(s);
  return s;
}

const dialer =
  (practice: PracticeServer, protocol: ProtocolName): Dial =>
  async (target) => {
    const ep = practice.endpoints[target];
    return connectRecording({
      protocol,
      target,
      host: ep.host,
      port: ep.port,
      implicitTls: ep.tls === 'implicit',
      pinnedFingerprint: practice.credentials.fingerprint256,
    });
  };

let main: PracticeServer;
let greylist: PracticeServer;
let full: PracticeServer;
const recorded: Record<ProtocolName, Transcript[]> = { smtp: [], imap: [], pop3: [] };

beforeAll(async () => {
  [main, greylist, full] = await Promise.all([
    start(),
    start({ scenarios: { greylist: true, requireTlsForAuth: true } }),
    start({ scenarios: { mailboxFull: true } }),
  ]);
  recorded.smtp = await smtpSessions(
    { main: dialer(main, 'smtp'), greylist: dialer(greylist, 'smtp'), full: dialer(full, 'smtp') },
    MAX_MESSAGE,
  );
  recorded.imap = await imapSessions({ main: dialer(main, 'imap'), full: dialer(full, 'imap'), store: main.store });
  recorded.pop3 = await pop3Sessions({ main: dialer(main, 'pop3'), greylist: dialer(greylist, 'pop3') });
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(servers.map((s) => s.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Every problem is unexpected: a reply the catalogs cannot explain exactly fails the test. */
function judge(problems: Problem[]) {
  return { unexpected: problems.map((p) => `${p.key}   <- ${JSON.stringify(p.reply)}`) };
}

describe('every practice-server reply is explained by an exact catalog entry', () => {
  it('SMTP: relay, submission (STARTTLS) and smtps sessions, with AUTH, errors and the greylist/mailbox-full scenarios', () => {
    const seen = emptySeen();
    const replies = recorded.smtp.flatMap((t) => replayTranscript('smtp', t));
    const { unexpected } = judge(checkReplies('smtp', replies, seen));
    expect(unexpected).toEqual([]);
    // The sessions really provoked the replies this test is about (not a vacuous pass).
    for (const code of [
      214, 220, 221, 235, 250, 252, 334, 354, 421, 451, 452, 500, 501, 503, 504, 530, 535, 550, 552, 554,
    ]) {
      expect(seen.smtpCodes, `reply code ${code} was never provoked`).toContain(code);
    }
    for (const code of [
      '2.0.0',
      '2.1.0',
      '2.1.5',
      '2.6.0',
      '2.7.0',
      '4.2.2',
      '4.5.0',
      '4.7.1',
      '5.1.1',
      '5.3.4',
      '5.5.2',
      '5.7.0',
      '5.7.1',
      '5.7.8',
    ]) {
      expect(seen.enhanced, `enhanced code ${code} was never provoked`).toContain(code);
    }
  });

  it('IMAP: STARTTLS and imaps sessions through every command group, with NO/BAD errors, literals, IDLE and LOGOUT', () => {
    const seen = emptySeen();
    const replies = recorded.imap.flatMap((t) => replayTranscript('imap', t));
    const { unexpected } = judge(checkReplies('imap', replies, seen));
    expect(unexpected).toEqual([]);
    for (const name of [
      'OK',
      'NO',
      'BAD',
      'BYE',
      'CAPABILITY',
      'ID',
      'ENABLED',
      'NAMESPACE',
      'LIST',
      'LSUB',
      'STATUS',
      'FLAGS',
      'EXISTS',
      'RECENT',
      'FETCH',
      'SEARCH',
      'EXPUNGE',
    ]) {
      expect(seen.imapNames, `response ${name} was never provoked`).toContain(name);
    }
    for (const code of [
      'CAPABILITY',
      'PERMANENTFLAGS',
      'UIDVALIDITY',
      'UIDNEXT',
      'UNSEEN',
      'READ-WRITE',
      'READ-ONLY',
      'TRYCREATE',
      'NONEXISTENT',
      'ALREADYEXISTS',
      'CANNOT',
      'INUSE',
      'APPENDUID',
      'COPYUID',
      'AUTHENTICATIONFAILED',
      'AUTHORIZATIONFAILED',
      'BADCHARSET',
      'TOOBIG',
      'OVERQUOTA',
    ]) {
      expect(seen.imapCodes, `response code [${code}] was never provoked`).toContain(code);
    }
    expect(replies.some((r) => r.raw.startsWith('+ '))).toBe(true); // literal and IDLE continuations
  });

  it('POP3: STLS and pop3s sessions with every command, SASL, -ERR cases and the extended response codes', () => {
    const seen = emptySeen();
    const replies = recorded.pop3.flatMap((t) => replayTranscript('pop3', t));
    const { unexpected } = judge(checkReplies('pop3', replies, seen));
    expect(unexpected).toEqual([]);
    for (const code of ['AUTH', 'IN-USE']) expect(seen.pop3Codes, `[${code}] was never provoked`).toContain(code);
    expect(replies.filter((r) => r.raw.startsWith('-ERR')).length).toBeGreaterThan(8);
  });
});

describe('the checker itself', () => {
  const feed = (protocol: ProtocolName, sent: string, received: string) => {
    const c = createConsole(protocol);
    c.sent(sent);
    return [...c.received(new TextEncoder().encode(received)), ...c.closed()];
  };
  it('flags made-up codes and names that have no catalog entry, and unparsable input', () => {
    const keys = (protocol: ProtocolName, sent: string, received: string) =>
      checkReplies(protocol, feed(protocol, sent, received), emptySeen()).map((p) => p.key);
    expect(keys('smtp', 'NOOP\r\n', '220 hi\r\n299 2.9.99 weird\r\n250 2.0.0 ok\r\n')).toEqual([
      'smtp code 299',
      'smtp enhanced 2.9.99',
    ]);
    expect(keys('imap', 'a1 NOOP\r\n', '* OK hi\r\n* 3 WEIRDNAME\r\na1 OK [XNOSUCHCODE] done\r\n')).toEqual([
      'imap response WEIRDNAME',
      'imap code [XNOSUCHCODE]',
    ]);
    expect(keys('pop3', 'NOOP\r\n', '+OK hi\r\n-ERR [XNOSUCHCODE] no\r\n')).toEqual(['pop3 code [XNOSUCHCODE]']);
    expect(keys('smtp', '', 'hello there\r\n')).toEqual(['smtp unparsed "hello there"']);
  });
});

const FIXTURES = path.join(import.meta.dirname, '../../fixtures/transcripts');
function seedFixtures() {
  return readdirSync(FIXTURES)
    .filter((f) => /^seed-.*\.json$/.test(f))
    .map((f) => ({
      file: f,
      ...(JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as {
        protocol: ProtocolName;
        events: Array<{ dir: string; data: string }>;
      }),
    }));
}

describe("every reply in the seeds' transcripts is explained by an exact catalog entry", () => {
  const seeds = seedFixtures();
  it('finds the three seed transcripts (smtplib, imaplib, poplib)', () => {
    expect(seeds.map((s) => s.protocol).sort()).toEqual(['imap', 'pop3', 'smtp']);
  });
  for (const seed of seeds) {
    it(seed.file, () => {
      const seen = emptySeen();
      const replies = replayFixture(seed);
      expect(replies.length).toBeGreaterThan(3);
      const problems = checkReplies(seed.protocol, replies, seen);
      expect(problems.map((p) => `${p.key}   <- ${JSON.stringify(p.reply)}`)).toEqual([]);
    });
  }
});
