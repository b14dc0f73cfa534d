// A whole mailwire (HTTP with /api/queue, and the practice server with faraway.test on mxPort) in a
// child process, for the kill -9 test of the recorded sessions (sessions.test.ts): argv is a JSON
// {dataDir, mxPort}. Retries wait a minute (twice, then a bounce), so only the attempts at start-up run. Prints one line
// READY {url, submission} when up.
import { configWithDefaults } from '../../../../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../../../../bridge/practice/defaults.ts';
import { farawayDomain } from '../../../../bridge/practice/domains/relay.ts';
import { startMailwire } from '../../../../bridge/start.ts';
import { ZERO_PORTS } from '../smtp/helpers.ts';

const args = JSON.parse(process.argv[2] ?? '{}') as { dataDir: string; mxPort: number };
const practice = practiceConfigWithDefaults({
  dataDir: args.dataDir,
  ports: ZERO_PORTS,
  relay: {
    domains: [farawayDomain({ smtpPort: args.mxPort, imapsPort: 0 })],
    retrySeconds: [60, 60],
    timeoutMs: 3000,
  },
});
const mailwire = await startMailwire(
  configWithDefaults({ dataDir: args.dataDir, host: '127.0.0.1', port: 0, practice }),
  {
    log: (event, fields) => process.stderr.write(`${JSON.stringify({ event, ...fields })}\n`),
  },
);
process.stdout.write(
  `READY ${JSON.stringify({ url: mailwire.url, submission: mailwire.practice!.endpoints['practice/submission'].port })}\n`,
);
