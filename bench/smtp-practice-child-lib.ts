// The practice mail system alone in a child process for bench/smtp.ts, so that its SMTP server has
// a process of its own as exim does (in the bench's process, nodemailer's CPU counted against it).
// argv: DATA_DIR. Prints the port of practice/smtp (the relay port: no AUTH, local recipients)
// once listening; on SIGTERM closes the store (every message already synced before its 250) and
// exits, which also writes a --cpu-prof profile.
import { practiceConfigWithDefaults } from '../bridge/practice/defaults.ts';
import { startPractice } from '../bridge/practice/index.ts';
import { EPHEMERAL_PORTS } from '../test/helpers/practice-ports.ts';

const dataDir = process.argv[2]!;
const server = await startPractice(practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS }), () => {});
process.stdout.write(`${server.endpoints['practice/smtp'].port}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
