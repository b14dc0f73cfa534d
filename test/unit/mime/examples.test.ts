import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_PNG, EXAMPLES } from '../../../app/src/mime/examples.ts';
import { parseMessage } from '../../../app/src/mime/parse.ts';
import { walk } from '../../../app/src/mime/tree.ts';
import { EXAMPLES_DIR, renderExamples } from '../../fixtures/mime/write-examples.ts';

describe('example .eml files', () => {
  for (const { file, bytes } of renderExamples()) {
    it(`${file} matches what the generator writes now (regenerate: npx tsx test/fixtures/mime/write-examples.ts)`, () => {
      const onDisk = new Uint8Array(readFileSync(join(EXAMPLES_DIR, file)));
      expect(Buffer.from(onDisk).toString('latin1')).toBe(Buffer.from(bytes).toString('latin1'));
    });
  }

  it('covers the five kinds the studio offers', async () => {
    const kinds = await Promise.all(
      renderExamples().map(async ({ bytes }) => {
        const { message } = await parseMessage(bytes);
        return [...walk(message.body)].map((w) => w.node.contentType).join(' ');
      }),
    );
    expect(kinds).toEqual([
      'text/plain',
      'multipart/alternative text/plain text/html',
      'multipart/alternative text/plain multipart/related text/html image/png',
      'multipart/mixed text/plain text/plain',
      'multipart/mixed text/plain message/rfc822 text/plain',
    ]);
    const file = EXAMPLES.find((e) => e.name === 'non-ascii-filename')!;
    const parsed = await parseMessage(renderExamples()[EXAMPLES.indexOf(file)].bytes);
    expect(
      [...walk(parsed.message.body)]
        .map((w) => (w.node.kind === 'attachment' ? w.node.filename : null))
        .filter(Boolean),
    ).toEqual(['Übersicht März.txt']);
  });
});

describe('the example PNG', () => {
  it('is a valid PNG: signature, chunk CRCs (checked with zlib) and inflatable image data', () => {
    const png = EXAMPLE_PNG;
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    const types: string[] = [];
    let idat: Uint8Array = new Uint8Array(0);
    let width = 0,
      height = 0;
    for (let o = 8; o < png.length;) {
      const len = view.getUint32(o);
      const type = Buffer.from(png.subarray(o + 4, o + 8)).toString('latin1');
      const data = png.subarray(o + 8, o + 8 + len);
      expect(view.getUint32(o + 8 + len)).toBe(zlibCrc32(png.subarray(o + 4, o + 8 + len)));
      if (type === 'IHDR') {
        width = view.getUint32(o + 8);
        height = view.getUint32(o + 12);
      }
      if (type === 'IDAT') idat = data;
      types.push(type);
      o += 12 + len;
    }
    expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(inflateSync(idat).length).toBe(height * (1 + width * 3));
  });
});
