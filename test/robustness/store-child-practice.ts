// The practice server in its own process, for the store robustness tests: argv[2] is the data dir,
// argv[3] an optional JSON object merged into the config. Prints the endpoints as one JSON line
// once listening, then runs until killed.
import { practiceConfigWithDefaults } from '../../bridge/practice/defaults.ts';
import { startPractice } from '../../bridge/practice/index.ts';
import type { PracticeConfig } from '../../bridge/practice/types.ts';
import { EPHEMERAL_PORTS } from '../helpers/practice-ports.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: store-child-practice.ts DATA_DIR [CONFIG_JSON]');
const extra = JSON.parse(process.argv[3] ?? '{}') as Partial<PracticeConfig>;
const server = await startPractice(practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS, ...extra }), () => {});
process.stdout.write(`${JSON.stringify(server.endpoints)}\n`);
