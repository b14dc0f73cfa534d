// IANA registry "Simple Mail Transfer Protocol (SMTP) Enhanced Status Codes"
// (https://www.iana.org/assignments/smtp-enhanced-status-codes), created by RFC 5248.
// Read 2026-12-03 in the stored copy of the registry's XML (last updated 2024-12-06): the class and
// subject tables are as read there; the stored copy showed only the start of the enumerated table, so
// its entries were completed, one by one, from the RFCs the registry cites (3463, 3886, 4468, 4954,
// 5248, 6531, 6710, 7293, 7372, 7505, 8617, 8689). X.6.10 is RFC 6531's deprecated duplicate of
// X.6.8 (section 4 of its text). X.7.28 "Mail flood detected" (the one code no RFC defines) has the
// summary and description that public copies of the registry agree on; its reference, an Internet-
// Draft, is given as we know it and was not re-read in the registry.
// Data only: the learner-facing sentences live in smtp/catalog.ts.

export interface EnhancedCodeEntry {
  code: string;
  summary: string;
  ref: string;
}

export const ENHANCED_CLASSES: Record<string, EnhancedCodeEntry> = {
  '2': { code: '2.XXX.YYY', summary: 'Success', ref: 'RFC 3463' },
  '4': { code: '4.XXX.YYY', summary: 'Persistent Transient Failure', ref: 'RFC 3463' },
  '5': { code: '5.XXX.YYY', summary: 'Permanent Failure', ref: 'RFC 3463' },
};

export const ENHANCED_SUBJECTS: Record<string, EnhancedCodeEntry> = {
  '0': { code: 'X.0.YYY', summary: 'Other or Undefined Status', ref: 'RFC 3463' },
  '1': { code: 'X.1.YYY', summary: 'Addressing Status', ref: 'RFC 3463' },
  '2': { code: 'X.2.YYY', summary: 'Mailbox Status', ref: 'RFC 3463' },
  '3': { code: 'X.3.YYY', summary: 'Mail System Status', ref: 'RFC 3463' },
  '4': { code: 'X.4.YYY', summary: 'Network and Routing Status', ref: 'RFC 3463' },
  '5': { code: 'X.5.YYY', summary: 'Mail Delivery Protocol Status', ref: 'RFC 3463' },
  '6': { code: 'X.6.YYY', summary: 'Message Content or Media Status', ref: 'RFC 3463' },
  '7': { code: 'X.7.YYY', summary: 'Security or Policy Status', ref: 'RFC 3463' },
};

// [subject.detail, summary, reference]
const E: Array<[string, string, string]> = [
  ['0.0', 'Other undefined Status', 'RFC 3463'],
  ['1.0', 'Other address status', 'RFC 3463'],
  ['1.1', 'Bad destination mailbox address', 'RFC 3463'],
  ['1.2', 'Bad destination system address', 'RFC 3463'],
  ['1.3', 'Bad destination mailbox address syntax', 'RFC 3463'],
  ['1.4', 'Destination mailbox address ambiguous', 'RFC 3463'],
  ['1.5', 'Destination address valid', 'RFC 3463'],
  ['1.6', 'Destination mailbox has moved, No forwarding address', 'RFC 3463'],
  ['1.7', "Bad sender's mailbox address syntax", 'RFC 3463'],
  ['1.8', "Bad sender's system address", 'RFC 3463'],
  ['1.9', 'Message relayed to non-compliant mailer', 'RFC 3886'],
  ['1.10', 'Recipient address has null MX', 'RFC 7505'],
  ['2.0', 'Other or undefined mailbox status', 'RFC 3463'],
  ['2.1', 'Mailbox disabled, not accepting messages', 'RFC 3463'],
  ['2.2', 'Mailbox full', 'RFC 3463'],
  ['2.3', 'Message length exceeds administrative limit', 'RFC 3463'],
  ['2.4', 'Mailing list expansion problem', 'RFC 3463'],
  ['3.0', 'Other or undefined mail system status', 'RFC 3463'],
  ['3.1', 'Mail system full', 'RFC 3463'],
  ['3.2', 'System not accepting network messages', 'RFC 3463'],
  ['3.3', 'System not capable of selected features', 'RFC 3463'],
  ['3.4', 'Message too big for system', 'RFC 3463'],
  ['3.5', 'System incorrectly configured', 'RFC 3463'],
  ['3.6', 'Requested priority was changed', 'RFC 6710'],
  ['4.0', 'Other or undefined network or routing status', 'RFC 3463'],
  ['4.1', 'No answer from host', 'RFC 3463'],
  ['4.2', 'Bad connection', 'RFC 3463'],
  ['4.3', 'Directory server failure', 'RFC 3463'],
  ['4.4', 'Unable to route', 'RFC 3463'],
  ['4.5', 'Mail system congestion', 'RFC 3463'],
  ['4.6', 'Routing loop detected', 'RFC 3463'],
  ['4.7', 'Delivery time expired', 'RFC 3463'],
  ['5.0', 'Other or undefined protocol status', 'RFC 3463'],
  ['5.1', 'Invalid command', 'RFC 3463'],
  ['5.2', 'Syntax error', 'RFC 3463'],
  ['5.3', 'Too many recipients', 'RFC 3463'],
  ['5.4', 'Invalid command arguments', 'RFC 3463'],
  ['5.5', 'Wrong protocol version', 'RFC 3463'],
  ['5.6', 'Authentication Exchange line is too long', 'RFC 4954'],
  ['6.0', 'Other or undefined media error', 'RFC 3463'],
  ['6.1', 'Media not supported', 'RFC 3463'],
  ['6.2', 'Conversion required and prohibited', 'RFC 3463'],
  ['6.3', 'Conversion required but not supported', 'RFC 3463'],
  ['6.4', 'Conversion with loss performed', 'RFC 3463'],
  ['6.5', 'Conversion Failed', 'RFC 3463'],
  ['6.6', 'Message content not available', 'RFC 4468'],
  ['6.7', 'Non-ASCII addresses not permitted for that sender/recipient', 'RFC 6531'],
  ['6.8', 'UTF-8 string reply is required, but not permitted by the SMTP client', 'RFC 6531'],
  ['6.9', 'UTF-8 header message cannot be transferred to one or more recipients', 'RFC 6531'],
  // Registered by RFC 6531 section 4 as "a duplicate of X.6.8 and ... thus deprecated".
  ['6.10', 'Duplicate of X.6.8 (deprecated)', 'RFC 6531'],
  ['7.0', 'Other or undefined security status', 'RFC 3463'],
  ['7.1', 'Delivery not authorized, message refused', 'RFC 3463'],
  ['7.2', 'Mailing list expansion prohibited', 'RFC 3463'],
  ['7.3', 'Security conversion required but not possible', 'RFC 3463'],
  ['7.4', 'Security features not supported', 'RFC 3463'],
  ['7.5', 'Cryptographic failure', 'RFC 3463'],
  ['7.6', 'Cryptographic algorithm not supported', 'RFC 3463'],
  ['7.7', 'Message integrity failure', 'RFC 3463'],
  ['7.8', 'Authentication credentials invalid', 'RFC 4954'],
  ['7.9', 'Authentication mechanism is too weak', 'RFC 4954'],
  ['7.10', 'Encryption Needed', 'RFC 5248'],
  ['7.11', 'Encryption required for requested authentication mechanism', 'RFC 4954'],
  ['7.12', 'A password transition is needed', 'RFC 4954'],
  ['7.13', 'User Account Disabled', 'RFC 5248'],
  ['7.14', 'Trust relationship required', 'RFC 5248'],
  ['7.15', 'Priority Level is too low', 'RFC 6710'],
  ['7.16', 'Message is too big for the specified priority', 'RFC 6710'],
  ['7.17', 'Mailbox owner has changed', 'RFC 7293'],
  ['7.18', 'Domain owner has changed', 'RFC 7293'],
  ['7.19', 'RRVS test cannot be completed', 'RFC 7293'],
  ['7.20', 'No passing DKIM signature found', 'RFC 7372'],
  ['7.21', 'No acceptable DKIM signature found', 'RFC 7372'],
  ['7.22', 'No valid author-matched DKIM signature found', 'RFC 7372'],
  ['7.23', 'SPF validation failed', 'RFC 7372'],
  ['7.24', 'SPF validation error', 'RFC 7372'],
  ['7.25', 'Reverse DNS validation failed', 'RFC 7372'],
  ['7.26', 'Multiple authentication checks failed', 'RFC 7372'],
  ['7.27', 'Sender address has null MX', 'RFC 7505'],
  ['7.28', 'Mail flood detected', 'draft-levine-mailbomb-header'],
  ['7.29', 'ARC validation failure', 'RFC 8617'],
  ['7.30', 'REQUIRETLS support required', 'RFC 8689'],
];

/** Enumerated codes keyed by "subject.detail" (the class digit is separate: 2, 4 or 5). */
export const ENHANCED_CODES: Record<string, EnhancedCodeEntry> = Object.fromEntries(
  E.map(([sd, summary, ref]) => [sd, { code: `X.${sd}`, summary, ref }]),
);
