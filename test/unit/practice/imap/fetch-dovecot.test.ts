// ENVELOPE, BODY, BODYSTRUCTURE and BODY[section] for real MIME messages (made by Python's email
// package) compared with what Dovecot answered for the same files (test/fixtures/imap/).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../../../bridge/practice/imap/encode.ts';
import { parseFetchAttribute, renderFetchItems } from '../../../../bridge/practice/imap/fetch.ts';

const dir = path.resolve(__dirname, '../../../fixtures/imap');
const golden = JSON.parse(readFileSync(path.join(dir, 'dovecot-fetch.json'), 'utf8')) as Record<
  string,
  Record<string, string>
>;
const files = Object.keys(golden).filter((k) => k.endsWith('.eml'));

/** Renders chunks the way the capture shows them: literals as {n}<<bytes>>. */
function show(chunks: Chunk[]): string {
  let out = '';
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i];
    if (typeof c === 'string' && /\{\d+\}\r\n$/.test(c) && chunks[i + 1] instanceof Uint8Array) {
      out += c.slice(0, -2) + '<<' + Buffer.from(chunks[i + 1] as Uint8Array).toString('latin1') + '>>';
      i++;
    } else out += typeof c === 'string' ? c : Buffer.from(c).toString('latin1');
  }
  return out;
}

describe.each(files)('%s matches Dovecot', (file) => {
  const raw = new Uint8Array(readFileSync(path.join(dir, file)));
  const items = Object.keys(golden[file]);
  it.each(items)('%s', (item) => {
    const expected = golden[file][item].replace(/^\d+ /, '');
    const uid = Number(/UID (\d+)/.exec(expected)![1]);
    const attrs = [parseFetchAttribute('UID'), parseFetchAttribute(item)];
    const got = show(
      renderFetchItems({ uid, flags: [], internalDate: new Date(0), size: raw.length, raw, modseq: 1 }, attrs, false),
    );
    expect(got).toBe(expected);
  });
});
