// mailwire as `npm start` runs it (page, bridge and practice server in one process), alone in a
// child process for bench/robustness-practice.ts, so that its RSS and descriptors can be read
// from /proc. argv: DATA_DIR LIMITS_JSON. Prints the practice endpoints and the page URL as one
// JSON line once listening, then waits to be killed.
import { configWithDefaults } from '../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../bridge/practice/defaults.ts';
import { startMailwire } from '../bridge/start.ts';
import { EPHEMERAL_PORTS } from '../test/helpers/practice-ports.ts';

const [dataDir, limits] = process.argv.slice(2);
const practice = practiceConfigWithDefaults({ dataDir: dataDir!, ports: EPHEMERAL_PORTS, limits: JSON.parse(limits!) });
const running = await startMailwire(configWithDefaults({ dataDir: dataDir!, port: 0, practice }), { log: () => {} });
process.stdout.write(`${JSON.stringify({ ...running.practice!.endpoints, url: running.url })}\n`);
