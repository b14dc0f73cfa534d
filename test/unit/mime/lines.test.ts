// Acceptance: every generated line is at most 998 octets, and at most 78 except inside
// 8bit parts chosen by hand (RFC 5322 2.1.1).
import { describe, expect, it } from 'vitest';
import { EXAMPLES, exampleOptions } from '../../../app/src/mime/examples.ts';
import { generate, type Generated } from '../../../app/src/mime/generate.ts';
import { seededRandom } from '../../../app/src/mime/headers.ts';
import { walk, type MimeMessage } from '../../../app/src/mime/tree.ts';
import { FIXED } from './helpers.ts';
import { TREES } from './trees.ts';

// Byte spans where long lines are allowed: bodies of parts the user set to 8bit, and raw
// forwarded messages (their bytes are the user's, carried unchanged).
function exempt(message: MimeMessage, g: Generated): [number, number][] {
  return [...walk(message.body)]
    .filter(
      ({ node }) =>
        (node.encoding === '8bit' && node.kind !== 'multipart') ||
        (node.kind === 'message' && node.message instanceof Uint8Array),
    )
    .map(({ node }) => [g.ranges[node.id].bodyStart, g.ranges[node.id].end]);
}

function longLines(g: Generated, spans: [number, number][]): { at: number; length: number }[] {
  const out: { at: number; length: number }[] = [];
  let start = 0;
  const b = g.bytes;
  for (let i = 0; i <= b.length; i++) {
    if (i === b.length || (b[i] === 0x0d && b[i + 1] === 0x0a)) {
      const length = i - start;
      if (length > 998 || (length > 78 && !spans.some(([s, e]) => start >= s && i <= e)))
        out.push({ at: start, length });
      start = i + 2;
      i++;
    }
  }
  return out;
}

describe('line lengths over the example set and the round-trip trees', () => {
  const all = [
    ...EXAMPLES.map((e) => ({ name: e.name, message: e.message, g: generate(e.message, exampleOptions(e.name)) })),
    ...TREES.map((t) => ({
      name: t.name,
      message: t.message,
      g: generate(t.message, { ...FIXED, random: seededRandom(12) }),
    })),
  ];
  for (const { name, message, g } of all) {
    it(`has no line over 78 (998 in hand-chosen 8bit parts): ${name}`, () => {
      expect(longLines(g, exempt(message, g))).toEqual([]);
    });
  }

  it('would notice a long line', () => {
    const msg: MimeMessage = {
      headers: [],
      body: { ...TREES[0].message.body, encoding: '8bit', text: 'y'.repeat(100) } as MimeMessage['body'],
    };
    const g = generate(msg, FIXED);
    expect(longLines(g, [])).toHaveLength(1);
    expect(longLines(g, exempt(msg, g))).toEqual([]);
  });
});
