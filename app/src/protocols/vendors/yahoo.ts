// Yahoo Mail (and AOL, same platform). Yahoo's Sender Hub lists its SMTP error codes.

import type { VendorEntry } from './types.ts';

const CODES = { title: 'Yahoo Sender Hub: SMTP error codes', url: 'https://senders.yahooinc.com/smtp-error-codes/' };

export const YAHOO: VendorEntry[] = [
  {
    vendor: 'Yahoo',
    protocol: 'smtp',
    code: 421,
    text: /\[TS0[1-4]\]/,
    meaning: 'Yahoo is deferring mail from this IP address for now (unusual volume or complaints).',
    todo: 'Slow down and let the sending server retry later.',
    doc: CODES,
  },
  {
    vendor: 'Yahoo',
    protocol: 'smtp',
    code: 553,
    text: /\[BL21\]/,
    meaning: 'The sending IP address is on a block list Yahoo uses.',
    todo: 'Get the IP delisted before sending again.',
    doc: CODES,
  },
  {
    vendor: 'Yahoo',
    protocol: 'smtp',
    code: 554,
    text: /Message not accepted for policy reasons/i,
    meaning: 'Yahoo refused the content or the sender by policy (for example failed authentication or complaints).',
    todo: "Check the sending domain's SPF, DKIM and DMARC, and what the message contains.",
    doc: CODES,
  },
  {
    vendor: 'Yahoo',
    protocol: 'smtp',
    code: 554,
    text: /delivery error: dd /i,
    meaning: 'No Yahoo mailbox has this address.',
    todo: 'Check the address; do not retry.',
    doc: CODES,
  },
];
