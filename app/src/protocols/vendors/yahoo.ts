// Yahoo Mail (and AOL, same platform). Yahoo's Sender Hub lists its SMTP error codes (the replies
// link to it); Yahoo Help still has a page for the older [TS03] "permanently deferred".

import type { VendorEntry } from './types.ts';

const CODES = { title: 'Yahoo Sender Hub: SMTP error codes', url: 'https://senders.yahooinc.com/smtp-error-codes/' };
const TS03 = {
  title: 'Yahoo Help: Receiving "421 4.7.1 [TS03] All messages from x.x.x.x permanently deferred"',
  url: 'https://help.yahoo.com/kb/index?page=content&y=PROD_MAIL_MOBILE&locale=en_US&id=SLN3436',
};

export const YAHOO: VendorEntry[] = [
  {
    vendor: 'Yahoo',
    protocol: 'smtp',
    code: 421,
    // [TS01], [TS02] and today's [TSS04] "temporarily deferred due to unexpected volume or user complaints".
    text: /\[TSS?0[124]\]/,
    meaning:
      'Yahoo is deferring mail from this IP address for now: unusual traffic or volume, or complaints from Yahoo users.',
    todo: 'Slow down and let the sending server retry later.',
    doc: CODES,
  },
  {
    vendor: 'Yahoo',
    protocol: 'smtp',
    code: 421,
    text: /\[TS03\]/,
    meaning:
      'Yahoo "permanently deferred" this IP: it sees a volume of mail typical of unsolicited bulk mail. The code is temporary, but retrying will not help.',
    todo: 'Do not just resend: check who the mail goes to and that they asked for it, then try again much later.',
    doc: TS03,
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
