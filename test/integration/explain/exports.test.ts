// Issue 15: `npm run explain` reads every export mailwire writes. Each bundled example goes out as
// JSON, C:/S: text and swaks-style text, and explain (a child process, as a learner runs it)
// explains every reply of each, with no "?" for the exports' own connection notes. The runnable
// exports are programs: explain says what to do with them instead.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportJson } from '../../../app/src/transcript/export-json.ts';
import { exportPythonScript } from '../../../app/src/transcript/export-script.ts';
import { exportSwaks } from '../../../app/src/transcript/export-swaks.ts';
import { exportRfcText, exportSwaksText } from '../../../app/src/transcript/export-text.ts';
import { EXAMPLES, loadExample } from '../../../app/src/transcript/examples/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'mailwire-explain-exports-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function explain(file: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bridge/explain.ts', file], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('explain reads every export format mailwire writes', () => {
  for (const ex of EXAMPLES) {
    it(`${ex.name}: JSON, C:/S: and swaks-style exports are explained in full, with the same count`, () => {
      const t = loadExample(ex.name)!;
      const counts: string[] = [];
      for (const [kind, text] of [
        ['json', exportJson(t)],
        ['rfc', exportRfcText(t)],
        ['swaks', exportSwaksText(t)],
      ] as const) {
        const file = path.join(tmp, `${ex.name}.${kind}.txt`);
        writeFileSync(file, text);
        const r = explain(file);
        expect(r.code, `${kind}: ${r.out}${r.err}`).toBe(0);
        expect(r.out, kind).not.toMatch(/^ {2}\? /m);
        const summary = /# (\d+) replies, (\d+) explained, 0 unexplained/.exec(r.out);
        expect(summary, kind).not.toBeNull();
        counts.push(summary![1]!);
      }
      expect(new Set(counts).size, counts.join(' ')).toBe(1);
    }, 60_000);
  }

  it('says a Python or swaks export is a program, and how to explain what it does (exit 2)', () => {
    const t = loadExample('smtp-first')!;
    const swaks = exportSwaks(t);
    for (const [name, text] of [
      ['py', exportPythonScript(t)],
      ['sh', swaks.ok ? swaks.command : ''],
    ] as const) {
      const file = path.join(tmp, `script.${name}`);
      writeFileSync(file, text);
      const r = explain(file);
      expect(r.code, name).toBe(2);
      expect(r.err + r.out, name).toMatch(/a program rather than a transcript: run it/);
    }
  }, 60_000);
});
