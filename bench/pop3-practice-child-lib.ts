// The practice POP3 server alone in a child process for bench/pop3.ts, so that it has a process
// of its own as Dovecot's pop3 does. argv: DATA_DIR (a mailstore already filled). Plain port
// (security 'none': USER/PASS without TLS, as the bench's Dovecot allows). Prints the port once
// listening, then waits to be killed.
import { openMailstore } from '../bridge/practice/mailstore.ts';
import { startPop3Server } from '../bridge/practice/pop3/server.ts';
import { createScenarioRegistry } from '../bridge/practice/scenarios.ts';
import { loadOrCreateCredentials } from '../bridge/practice/tls.ts';
import { DEFAULT_LIMITS } from '../bridge/practice/types.ts';

const dataDir = process.argv[2]!;
const store = await openMailstore({
  dataDir,
  domain: 'practice.test',
  accounts: [{ username: 'alice', password: 'practice' }],
});
const server = await startPop3Server({
  host: '127.0.0.1',
  port: 0,
  security: 'none',
  hostname: 'mail.practice.test',
  credentials: await loadOrCreateCredentials(dataDir, 'mail.practice.test'),
  store,
  scenarios: createScenarioRegistry(),
  limits: DEFAULT_LIMITS,
  log: () => {},
});
process.stdout.write(`${server.port}\n`);
process.once('SIGTERM', () => process.exit(0));
