// The practice IMAP or POP3 server alone in a child process for bench/imap.ts and bench/pop3.ts,
// so that it has a process of its own as Dovecot does (the bench's client would otherwise share
// its event loop). argv: imap|pop3, DATA_DIR (a mailstore already filled). Plain port (security
// 'none': LOGIN or USER/PASS without TLS, as the bench's Dovecot allows). Prints the port once
// listening, then waits to be killed.
import { startImapServer } from '../bridge/practice/imap/server.ts';
import { openMailstore } from '../bridge/practice/mailstore.ts';
import { startPop3Server } from '../bridge/practice/pop3/server.ts';
import { createScenarioRegistry } from '../bridge/practice/scenarios.ts';
import { loadOrCreateCredentials } from '../bridge/practice/tls.ts';
import { DEFAULT_LIMITS } from '../bridge/practice/types.ts';

const protocol = process.argv[2];
const dataDir = process.argv[3]!;
if (protocol !== 'imap' && protocol !== 'pop3')
  throw new Error('usage: mailbox-practice-child-lib.ts imap|pop3 DATA_DIR');
const store = await openMailstore({
  dataDir,
  domain: 'practice.test',
  accounts: [{ username: 'alice', password: 'practice' }],
});
const options = {
  host: '127.0.0.1',
  port: 0,
  security: 'none' as const,
  hostname: 'mail.practice.test',
  credentials: await loadOrCreateCredentials(dataDir, 'mail.practice.test'),
  store,
  scenarios: createScenarioRegistry(),
  limits: DEFAULT_LIMITS,
  log: () => {},
};
const server = protocol === 'imap' ? await startImapServer(options) : await startPop3Server(options);
process.stdout.write(`${server.port}\n`);
process.once('SIGTERM', () => process.exit(0)); // exit() writes a --cpu-prof profile
