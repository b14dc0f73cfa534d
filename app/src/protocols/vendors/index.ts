// What real servers mean by the replies a learner meets when a teacher allows them: a knowledge base
// keyed on reply code, enhanced code, response code and reply text, per vendor. Each entry cites
// the vendor's public documentation (often the very page the reply text links to) and says what to
// do. The sentences are ours; the texts are matched, never copied into our explanations.
// Pure: no DOM, no Node APIs.

import type { VendorEntry, VendorQuery } from './types.ts';
import { GMAIL } from './gmail.ts';
import { MICROSOFT } from './microsoft.ts';
import { YAHOO } from './yahoo.ts';
import { MTAS } from './mtas.ts';
import { MAILSTORES } from './mailstores.ts';

export type { Vendor, VendorDoc, VendorEntry, VendorQuery } from './types.ts';

export const VENDOR_ENTRIES: readonly VendorEntry[] = [...GMAIL, ...MICROSOFT, ...YAHOO, ...MTAS, ...MAILSTORES];

const specificity = (e: VendorEntry) =>
  (e.code !== undefined ? 1 : 0) +
  (e.enhanced ? 2 : 0) +
  (e.respCode ? 2 : 0) +
  (e.text ? 4 : 0) +
  (e.signature ? 1 : 0);

/**
 * The most specific entry whose every key matches the reply. Entries are written so that only the
 * vendor's own replies match: a text or signature it alone sends, or a code only it uses (5.7.139).
 */
export function vendorEntry(q: VendorQuery): VendorEntry | undefined {
  let best: VendorEntry | undefined;
  for (const e of VENDOR_ENTRIES) {
    if (e.protocol !== q.protocol) continue;
    if (e.code !== undefined && String(e.code).toUpperCase() !== String(q.code ?? '').toUpperCase()) continue;
    if (e.enhanced && !(typeof e.enhanced === 'string' ? e.enhanced === q.enhanced : e.enhanced.test(q.enhanced ?? '')))
      continue;
    if (e.respCode && e.respCode !== q.respCode?.toUpperCase()) continue;
    if (e.text && !e.text.test(q.text)) continue;
    if (e.signature && !e.signature.test(q.text)) continue;
    if (!best || specificity(e) > specificity(best)) best = e;
  }
  return best;
}
