// A practice server in a child process, for the kill -9 test (durability.test.ts): argv is a JSON
// {dataDir, mxPort, serveFaraway}. Without serveFaraway, faraway.test's MX hosts are down (nothing
// listens on mxPort); with it, faraway.test runs on mxPort. Prints one line READY {ports} when up.
import { practiceConfigWithDefaults } from '../../../../bridge/practice/defaults.ts';
import { farawayDomain } from '../../../../bridge/practice/domains/relay.ts';
import { startPractice } from '../../../../bridge/practice/index.ts';
import { ZERO_PORTS } from '../smtp/helpers.ts';

const args = JSON.parse(process.argv[2] ?? '{}') as { dataDir: string; mxPort: number; serveFaraway: boolean };
const practice = await startPractice(
  practiceConfigWithDefaults({
    dataDir: args.dataDir,
    ports: ZERO_PORTS,
    relay: {
      domains: args.serveFaraway ? [farawayDomain({ smtpPort: args.mxPort, imapsPort: 0 })] : [],
      mxPorts: { 'faraway.test': args.mxPort },
      retrySeconds: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
      timeoutMs: 3000,
    },
  }),
  (event, fields) => process.stderr.write(`${JSON.stringify({ event, ...fields })}\n`),
);
const faraway = practice.relay?.domains[0];
process.stdout.write(
  `READY ${JSON.stringify({
    submission: practice.endpoints['practice/submission'].port,
    farawayImaps: faraway ? faraway.imaps : null,
  })}\n`,
);
