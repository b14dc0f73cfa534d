// Every studio example must be sendable as it is through practice/submission: the studio takes
// RCPT TO from To/Cc/Bcc and MAIL FROM from From (ui/mime/SendPanel.svelte), and the practice
// server refuses any address that is not one of its accounts (550, No such user here).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNTS, DEFAULT_DOMAIN } from '../../../bridge/practice/defaults.ts';
import { EXAMPLES } from '../../../app/src/mime/examples.ts';
import { parseAddressList } from '../../../app/src/mime/headers.ts';
import { parseMessage } from '../../../app/src/mime/parse.ts';
import type { Header } from '../../../app/src/mime/tree.ts';
import { EXAMPLES_DIR } from '../../fixtures/mime/write-examples.ts';

const PRACTICE_ADDRESSES = DEFAULT_ACCOUNTS.map((a) => `${a.username}@${DEFAULT_DOMAIN}`);

function addresses(headers: Header[], names: string[]): string[] {
  return headers
    .filter((h) => names.includes(h.name.toLowerCase()))
    .flatMap((h) => parseAddressList(h.value).map((m) => m.address.toLowerCase()));
}

describe('example addresses are practice accounts (from bridge/practice/defaults.ts)', () => {
  for (const ex of EXAMPLES) {
    it(`${ex.name}: every To/Cc/Bcc recipient and the From address is an account`, () => {
      const rcpt = addresses(ex.message.headers, ['to', 'cc', 'bcc']);
      expect(rcpt.length).toBeGreaterThan(0);
      for (const a of rcpt) expect(PRACTICE_ADDRESSES, `recipient ${a} in ${ex.file}`).toContain(a);
      const from = addresses(ex.message.headers, ['from']);
      expect(from).toHaveLength(1);
      expect(PRACTICE_ADDRESSES).toContain(from[0]);
    });

    it(`${ex.name}: the .eml on disk is addressed the same way`, async () => {
      const { message } = await parseMessage(new Uint8Array(readFileSync(join(EXAMPLES_DIR, ex.file))));
      const rcpt = addresses(message.headers, ['to', 'cc', 'bcc']);
      expect(rcpt).toEqual(addresses(ex.message.headers, ['to', 'cc', 'bcc']));
      for (const a of [...rcpt, ...addresses(message.headers, ['from'])]) expect(PRACTICE_ADDRESSES).toContain(a);
    });
  }
});
