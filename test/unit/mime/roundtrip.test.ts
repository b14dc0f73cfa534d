// Acceptance: generate -> parse with postal-mime (through parse.ts) -> the same tree, headers and bytes.
import { describe, expect, it } from 'vitest';
import { generate } from '../../../app/src/mime/generate.ts';
import { seededRandom } from '../../../app/src/mime/headers.ts';
import { parseMessage } from '../../../app/src/mime/parse.ts';
import { walk, type MessageNode } from '../../../app/src/mime/tree.ts';
import { actualMessage, expectedMessage, FIXED } from './helpers.ts';
import { TREES } from './trees.ts';

describe('generate -> parse round trip', () => {
  for (const { name, message } of TREES) {
    it(`gives back the same tree: ${name}`, async () => {
      const g = generate(message, { ...FIXED, random: seededRandom(99) });
      const parsed = await parseMessage(g.bytes);
      expect(actualMessage(parsed.message)).toEqual(expectedMessage(message, g));
    });
  }

  it('parses a raw message/rfc822 part into its own tree', async () => {
    const tree = TREES.find((t) => t.name.startsWith('message/rfc822'))!;
    const g = generate(tree.message, { ...FIXED, random: seededRandom(1) });
    const parsed = await parseMessage(g.bytes);
    const inner = [...walk(parsed.message.body)]
      .map((w) => w.node)
      .filter((n): n is MessageNode => n.kind === 'message')[1];
    expect(inner.encoding).toBe('8bit');
    if (inner.message instanceof Uint8Array) throw new Error('expected a parsed tree');
    expect(inner.message.headers.find((h) => h.name === 'Subject')?.value).toBe('raw');
    expect(inner.message.body).toMatchObject({ kind: 'text', text: 'raw bytes with ü\n', encoding: '8bit' });
  });

  it('gives the parser the same byte ranges the generator reported', async () => {
    for (const { message } of TREES) {
      const g = generate(message, { ...FIXED, random: seededRandom(3) });
      const parsed = await parseMessage(g.bytes);
      const genOrder = [...walk(message.body)].map((w) => w.node.id).filter((id) => g.ranges[id]);
      const parsedOrder = [...walk(parsed.message.body)].map((w) => w.node.id).filter((id) => parsed.ranges[id]);
      const got = parsedOrder.map((id) => parsed.ranges[id]);
      const want = genOrder.map((id) => g.ranges[id]);
      const hasRaw = [...walk(message.body)].some(
        (w) => w.node.kind === 'message' && w.node.message instanceof Uint8Array,
      );
      // Inside a raw message/rfc822 the generator knows no nodes; the parser does.
      if (hasRaw) expect(got).toEqual(expect.arrayContaining(want));
      else expect(got).toEqual(want);
    }
  });
});
