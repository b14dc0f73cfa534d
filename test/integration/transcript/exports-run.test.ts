// Issue 15 acceptance: every bundled example's export runs unchanged against a running mailwire
// (what `npm start` starts: the bridge and the practice server on their own ports). The export
// options are the ones the Replay screen takes from GET /api/practice: the practice target's port
// today and the public practice credentials. python3, curl and swaks run the exports as written.

import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWithDefaults } from '../../../bridge/config/load.ts';
import { projectRoot } from '../../../bridge/build.ts';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { startMailwire, type RunningMailwire } from '../../../bridge/start.ts';
import { exportCurl } from '../../../app/src/transcript/export-curl.ts';
import { exportDefaults, type PracticeFacts } from '../../../app/src/transcript/export-practice.ts';
import { exportPythonScript } from '../../../app/src/transcript/export-script.ts';
import { exportSwaks } from '../../../app/src/transcript/export-swaks.ts';
import { EXAMPLES, loadExample } from '../../../app/src/transcript/examples/index.ts';
import { partsText, splitSteps } from '../../../app/src/transcript/steps.ts';
import { EPHEMERAL_PORTS } from '../../helpers/practice-ports.ts';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
/** Runs a program without blocking the event loop (mailwire lives in this process). No MAILWIRE_* variables. */
function run(file: string, args: string[], cwd: string): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MAILWIRE_'))) as Record<
    string,
    string
  >;
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** What the server said to the recording's last command, line by line, without the status part. */
function lastReplyLines(name: string): string[] {
  const t = loadExample(name)!;
  const steps = splitSteps(t).filter((s) => s.kind === 'command' && s.statusLine);
  return partsText(t.events, steps[steps.length - 1]!.received, false)
    .split(/\r?\n/)
    .filter(Boolean)
    .map((l) => l.replace(/^(\S+ )?(\d{3}[ -]|\+OK |OK |BYE )/i, '').replace(/^(\d\.\d+\.\d+ )/, ''));
}

describe.skipIf(!has('python3'))(
  'the bundled examples export to scripts that run as they are (needs python3)',
  { timeout: 180_000 },
  () => {
    let mailwire: RunningMailwire;
    let dataDir: string;
    let work: string;
    let practice: PracticeFacts;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'mw-exports-'));
      work = mkdtempSync(join(tmpdir(), 'mw-exports-run-'));
      mailwire = await startMailwire(
        configWithDefaults({
          dataDir,
          port: 0,
          distDir: join(projectRoot, 'dist'),
          practice: practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS }),
        }),
        { log: () => {} },
      );
      const origin = new URL(mailwire.url).origin;
      const res = await fetch(`${origin}/api/practice`, { headers: { origin } });
      expect(res.status).toBe(200);
      practice = (await res.json()) as PracticeFacts;
    }, 60_000);
    afterAll(async () => {
      await mailwire?.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    });

    it("Python: each example runs unchanged and prints the server's last reply", async () => {
      for (const example of EXAMPLES) {
        const t = loadExample(example.name)!;
        const options = exportDefaults(t, practice);
        expect(options.endpoint, example.name).toBeDefined();
        writeFileSync(join(work, `${example.name}.py`), exportPythonScript(t, options));
        const r = await run('python3', [`${example.name}.py`], work);
        expect(r.stderr, example.name).toBe('');
        expect(r.code, example.name).toBe(0);
        const lines = r.stdout.trimEnd().split('\n');
        expect(lines[lines.length - 1], `${example.name}: ${r.stdout}`).toMatch(/^ {2}S: /);
        // The last thing printed is the server's words to the last command, as the recording got them.
        const said = lines[lines.length - 1]!.replace(/^ {2}S: /, '');
        expect(
          lastReplyLines(example.name).some((l) => said.includes(l)),
          `${example.name}: ${said}`,
        ).toBe(true);
      }
    });

    it.skipIf(!has('curl') || !has('bash'))(
      'curl: each example runs unchanged (exit 0) and prints what the server sent (SMTP: its last reply code)',
      async () => {
        for (const example of EXAMPLES) {
          const t = loadExample(example.name)!;
          const curl = exportCurl(t, exportDefaults(t, practice));
          expect(curl.ok, example.name).toBe(true);
          if (!curl.ok) continue;
          writeFileSync(join(work, `${example.name}.sh`), curl.command);
          const r = await run('bash', [`${example.name}.sh`], work);
          expect(r.code, `${example.name}: ${r.stderr}`).toBe(0);
          if (t.meta.protocol !== 'smtp') expect(r.stdout.length, example.name).toBeGreaterThan(0);
          // SMTP: the code of the last reply, which curl reads as the server sent it.
          else expect(r.stdout.trim().split('\n').pop(), example.name).toMatch(/^server: 250$/);
        }
      },
    );

    it.skipIf(!has('swaks') || !has('bash'))(
      'swaks: the SMTP example is one swaks command line that sends its message again',
      async () => {
        const t = loadExample('smtp-first')!;
        const swaks = exportSwaks(t, exportDefaults(t, practice));
        expect(swaks.ok).toBe(true);
        if (!swaks.ok) return;
        expect(swaks.command.trimEnd().split('\n').pop()).toMatch(
          /^swaks --server 127\.0\.0\.1 --port \d+ .*--auth PLAIN --auth-user alice --auth-password practice .*--data @message\.eml$/,
        );
        writeFileSync(join(work, 'swaks.sh'), swaks.command);
        const r = await run('bash', ['swaks.sh'], work);
        expect(r.code, r.stdout + r.stderr).toBe(0);
        expect(r.stdout).toMatch(/<~? +250 .*(queued|accepted|Ok)/i);
        expect(r.stdout).toMatch(/<~? +221 /);
        expect(exportSwaks(loadExample('imap-first')!).ok).toBe(false);
      },
    );
  },
);
