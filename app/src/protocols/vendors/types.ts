// The shape of the vendor knowledge base (see index.ts).

import type { ProtocolName } from '../common/console.ts';

export type Vendor = 'Gmail' | 'Microsoft 365' | 'Yahoo' | 'Postfix' | 'Exim' | 'Dovecot' | 'Cyrus' | 'Courier';

export interface VendorDoc {
  title: string;
  url: string;
}

export interface VendorEntry {
  vendor: Vendor;
  protocol: ProtocolName;
  /** SMTP reply code; IMAP status (NO, BAD, OK); POP3 status (-ERR). */
  code?: number | string;
  /** SMTP enhanced status code, or a pattern for a vendor's family of codes (4.7.500-699). */
  enhanced?: string | RegExp;
  /** IMAP or POP3 response code, without brackets or arguments (WEBALERT, AUTH). */
  respCode?: string;
  /** Matched against the reply text (all lines, enhanced codes removed). */
  text?: RegExp;
  /** What marks the vendor's own replies (Gmail ends each with "gsmtp"); matched against the text too. */
  signature?: RegExp;
  /** What the vendor means by this reply. */
  meaning: string;
  /** What the learner should do. */
  todo: string;
  doc: VendorDoc;
}

/** What is known of one reply when looking it up. */
export interface VendorQuery {
  protocol: ProtocolName;
  code?: number | string;
  enhanced?: string;
  respCode?: string;
  text: string;
}
