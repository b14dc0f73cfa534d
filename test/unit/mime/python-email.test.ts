// Acceptance: generated messages parse cleanly with Python's email package (policy.default).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, exampleOptions } from '../../../app/src/mime/examples.ts';
import { generate, type GenerateOptions } from '../../../app/src/mime/generate.ts';
import { seededRandom } from '../../../app/src/mime/headers.ts';
import { walk, type MimeMessage, type MimeNode } from '../../../app/src/mime/tree.ts';
import { FIXED, has } from './helpers.ts';
import { TREES } from './trees.ts';

const SCRIPT = fileURLToPath(new URL('../../fixtures/mime/py-email-walk.py', import.meta.url));
type PyPart = { contentType: string; filename: string | null; size: number | null; defects: string[] };

type PyMessage = { parts: PyPart[]; headers: Record<string, string> };

// One python3 process for all messages (starting Python per message is slow on a busy machine).
function pythonWalk(messages: Uint8Array[]): PyMessage[] {
  const input = JSON.stringify(messages.map((m) => Buffer.from(m).toString('base64')));
  const r = spawnSync('python3', [SCRIPT, '--batch'], { input, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// Our walk in Python's order: a message/rfc822 part, then the message inside it, then its parts.
function ourParts(body: MimeNode): { node: MimeNode | null; contentType: string }[] {
  const out: { node: MimeNode | null; contentType: string }[] = [];
  for (const { node } of walk(body)) {
    out.push({ node, contentType: node.contentType });
    if (node.kind === 'message' && node.message instanceof Uint8Array) {
      out.push({ node: null, contentType: 'text/plain' }); // the raw fixture's single part
    }
  }
  return out;
}

const cases: { name: string; message: MimeMessage; opts: GenerateOptions }[] = [
  ...TREES.map((t) => ({ name: t.name, message: t.message, opts: { ...FIXED, random: seededRandom(5) } })),
  ...EXAMPLES.map((e) => ({ name: `example ${e.name}`, message: e.message, opts: exampleOptions(e.name) })),
];

const legacyExample = EXAMPLES.find((e) => e.name === 'non-ascii-filename')!;

describe.skipIf(!has('python3'))('Python email package reads generated messages (needs python3)', () => {
  const generated = cases.map((c) => generate(c.message, { ...c.opts, legacyNameParam: false }));
  const legacy = generate(legacyExample.message, exampleOptions(legacyExample.name));
  let results: PyMessage[] = [];
  beforeAll(() => {
    results = pythonWalk([...generated.map((g) => g.bytes), legacy.bytes]);
  });

  cases.forEach((c, i) => {
    it(`parses without defects and with the same structure: ${c.name}`, () => {
      const g = generated[i];
      const py = results[i];
      expect(py.parts.flatMap((p) => p.defects)).toEqual([]);
      const ours = ourParts(c.message.body);
      expect(py.parts.map((p) => p.contentType)).toEqual(ours.map((o) => o.contentType));
      py.parts.forEach((p, i) => {
        const n = ours[i].node;
        if (n?.kind === 'attachment') {
          expect(p.filename).toBe(n.filename ?? null);
          expect(p.size).toBe(n.data.length);
        }
        if (n?.kind === 'text') expect(p.size).toBe(g.sizes[n.id].decoded);
      });
      const subject = c.message.headers.find((h) => h.name === 'Subject')?.value;
      expect(py.headers.Subject).toBe(subject);
    });
  });

  it('reads the RFC 2047 name= fallback, noting only the defects that construct causes', () => {
    const py = results[cases.length];
    const file = py.parts.find((p) => p.filename === 'Übersicht März.txt');
    expect(file).toBeDefined();
    expect(new Set(file!.defects)).toEqual(new Set(['InvalidHeaderDefect:Content-Type']));
    expect(py.parts.filter((p) => p !== file).flatMap((p) => p.defects)).toEqual([]);
  });
});
