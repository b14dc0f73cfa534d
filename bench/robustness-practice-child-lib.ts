// The practice server alone in its own process for bench/robustness-practice.ts, so that its RSS
// and descriptors can be read from /proc. argv: DATA_DIR LIMITS_JSON. Prints the endpoints as one
// JSON line once listening, then waits to be killed.
import { practiceConfigWithDefaults } from '../bridge/practice/defaults.ts';
import { startPractice } from '../bridge/practice/index.ts';

const [dataDir, limits] = process.argv.slice(2);
const ports = { smtp: 0, submission: 0, smtps: 0, imap: 0, imaps: 0, pop3: 0, pop3s: 0 };
const server = await startPractice(practiceConfigWithDefaults({ dataDir: dataDir!, ports, limits: JSON.parse(limits!) }), () => {});
process.stdout.write(`${JSON.stringify(server.endpoints)}\n`);
