// Runs the practice server in its own process for the crash test: prints the endpoints as one JSON
// line on stdout once listening, then waits to be killed.
import { practiceConfigWithDefaults } from '../../../../bridge/practice/defaults.ts';
import { startPractice } from '../../../../bridge/practice/index.ts';
import { ZERO_PORTS } from './helpers.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: child-practice.ts DATA_DIR');
const server = await startPractice(practiceConfigWithDefaults({ dataDir, ports: ZERO_PORTS }), () => {});
process.stdout.write(`${JSON.stringify(server.endpoints)}\n`);
