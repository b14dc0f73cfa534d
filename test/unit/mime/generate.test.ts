import { describe, expect, it } from 'vitest';
import { chooseTextEncoding } from '../../../app/src/mime/body.ts';
import { base64EncodedLength } from '../../../app/src/mime/encode/base64.ts';
import { MimeError } from '../../../app/src/mime/errors.ts';
import { generate, nodeAtOffset } from '../../../app/src/mime/generate.ts';
import { formatDate, seededRandom } from '../../../app/src/mime/headers.ts';
import { parseMessage } from '../../../app/src/mime/parse.ts';
import { attachment, multipart, text, walk, type MimeMessage, type TextNode } from '../../../app/src/mime/tree.ts';
import { FIXED } from './helpers.ts';
import { TREES } from './trees.ts';

const enc = new TextEncoder();
const latin1 = new TextDecoder('latin1');
const headers = [
  { name: 'From', value: 'a@practice.test' },
  { name: 'Subject', value: 's' },
];

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof MimeError ? e.code : String(e);
  }
  return undefined;
}

describe('choice of Content-Transfer-Encoding', () => {
  it('keeps short ASCII 7bit, uses quoted-printable for some non-ASCII or long lines, base64 for mostly non-ASCII', () => {
    expect(chooseTextEncoding(enc.encode('hello\r\nworld\r\n'))).toBe('7bit');
    expect(chooseTextEncoding(enc.encode('x'.repeat(79)))).toBe('quoted-printable');
    expect(chooseTextEncoding(enc.encode('Schöne Grüße aus Köln'))).toBe('quoted-printable');
    expect(chooseTextEncoding(enc.encode('Привет, как дела?'))).toBe('base64');
    expect(chooseTextEncoding(enc.encode('bare\nLF'))).toBe('quoted-printable');
  });

  it('writes 8bit only where it was chosen by hand', () => {
    for (const { message } of TREES) {
      const g = generate(message, { ...FIXED, random: seededRandom(8) });
      for (const { node } of walk(message.body)) {
        const s = g.sizes[node.id];
        if (!s || s.encoding !== '8bit') continue;
        const byHand =
          node.encoding === '8bit' ||
          (node.kind === 'message' &&
            [...walk(node)].some(
              (w) => w.node.encoding === '8bit' || (w.node.kind === 'message' && w.node.message instanceof Uint8Array),
            ));
        expect(byHand, `${node.id} ${node.contentType}`).toBe(true);
      }
    }
  });
});

describe('generated structure', () => {
  it('uses CRLF only', () => {
    for (const { message } of TREES) {
      const s = latin1.decode(generate(message, { ...FIXED, random: seededRandom(4) }).bytes);
      expect(/(^|[^\r])\n/.test(s)).toBe(false);
      expect(/\r(?!\n)/.test(s)).toBe(false);
    }
  });

  it('draws a new boundary when the content already holds the first one (RFC 2046 5.1.1)', async () => {
    const make = (body: string): MimeMessage => ({
      headers,
      body: multipart('mixed', [text(body, 'plain', { encoding: '7bit' }), text('two')]),
    });
    const first = latin1.decode(generate(make('hello\n'), { ...FIXED, random: seededRandom(77) }).bytes);
    const boundary = /boundary="([^"]+)"/.exec(first)![1];
    const trap = `--${boundary}\nthis line would end the part early\n`;
    const g = generate(make(trap), { ...FIXED, random: seededRandom(77) });
    const second = /boundary="([^"]+)"/.exec(latin1.decode(g.bytes))![1];
    expect(second).not.toBe(boundary);
    const parsed = await parseMessage(g.bytes);
    expect(parsed.message.body.kind === 'multipart' && (parsed.message.body.children[0] as TextNode).text).toBe(trap);
  });

  it('writes Date (RFC 5322 3.3) and Message-ID from the injected clock and random source', () => {
    expect(formatDate(new Date(Date.UTC(2026, 0, 5, 3, 4, 5)))).toBe('Mon, 5 Jan 2026 03:04:05 +0000');
    const msg: MimeMessage = { headers, body: text('x') };
    const a = generate(msg, { ...FIXED, random: seededRandom(1), domain: 'practice.test' });
    const b = generate(msg, { ...FIXED, random: seededRandom(1), domain: 'practice.test' });
    const c = generate(msg, { ...FIXED, random: seededRandom(2), domain: 'practice.test' });
    expect(a.bytes).toEqual(b.bytes);
    const id = (g: typeof a) => g.headers.find((h) => h.name === 'Message-ID')!.value;
    expect(id(a)).toMatch(/^<[A-Za-z0-9.]+@practice\.test>$/);
    expect(id(c)).not.toBe(id(a));
    expect(a.headers.find((h) => h.name === 'Date')!.value).toBe('Wed, 25 Nov 2026 10:00:00 +0000');
    const kept = generate(
      { headers: [...headers, { name: 'Date', value: 'Mon, 5 Jan 2026 03:04:05 +0000' }], body: text('x') },
      FIXED,
    );
    expect(kept.headers.filter((h) => h.name === 'Date').map((h) => h.value)).toEqual([
      'Mon, 5 Jan 2026 03:04:05 +0000',
    ]);
  });

  it("reports byte ranges that hold each node's headers and body, and maps offsets back to nodes", () => {
    const tree = TREES.find((t) => t.name === 'nested multiparts')!.message;
    const g = generate(tree, { ...FIXED, random: seededRandom(6) });
    const s = latin1.decode(g.bytes);
    for (const { node } of walk(tree.body)) {
      const r = g.ranges[node.id];
      expect(s.slice(r.start, r.headerEnd)).toContain(`Content-Type: ${node.contentType}`);
      expect(s.slice(r.headerEnd, r.bodyStart)).toBe('\r\n');
      if (node.kind !== 'multipart') expect(nodeAtOffset(g.ranges, r.bodyStart)).toBe(node.id);
      if (node.kind === 'text') expect(s.slice(r.bodyStart, r.end)).toBe(node.text.replace(/\n/g, '\r\n'));
    }
    expect(nodeAtOffset(g.ranges, 0)).toBe(tree.body.id);
  });

  it('reports sizes before and after encoding', () => {
    const data = seededRandom(3)(1000);
    const file = attachment('application/octet-stream', data, { filename: 'x.bin' });
    const g = generate({ headers, body: multipart('mixed', [text('hi'), file]) }, FIXED);
    expect(g.sizes[file.id]).toEqual({ decoded: 1000, encoded: base64EncodedLength(1000) - 2, encoding: 'base64' });
  });
});

describe('generator errors', () => {
  it('refuses content the chosen encoding cannot carry, with stable codes', () => {
    const gen =
      (body: MimeMessage['body'], h = headers) =>
      () =>
        generate({ headers: h, body }, FIXED);
    expect(codeOf(gen(text('ü', 'plain', { encoding: '7bit' })))).toBe('NOT_7BIT');
    expect(codeOf(gen(text('x'.repeat(1000), 'plain', { encoding: '8bit' })))).toBe('NOT_LINE_SAFE');
    expect(codeOf(gen(text('x', 'plain', { charset: 'koi8-r' })))).toBe('CHARSET_UNSUPPORTED');
    expect(codeOf(gen(multipart('mixed', [])))).toBe('EMPTY_MULTIPART');
    expect(codeOf(gen(text('x'), [{ name: 'Message-ID', value: '<ü@x>' }]))).toBe('HEADER_NOT_ASCII');
    expect(codeOf(gen(attachment('application/octet-stream', new Uint8Array([0, 1, 2]), { encoding: '8bit' })))).toBe(
      'NOT_LINE_SAFE',
    );
  });
});
