// IANA registry "SMTP Service Extensions" (EHLO keywords), in the "Simple Mail Transfer Protocol
// (SMTP)" group (https://www.iana.org/assignments/smtp, last updated 2025-09-19 per the page),
// formerly "MAIL Parameters" (assignments/mail-parameters). Checked again 2026-12-03 through the
// project's stored copies: SUBMITTER (RFC 4405) and UTF8SMTP (RFC 5336, obsoleted by RFC 6531's
// SMTPUTF8) were missing.
// Retrieved 2026-11-25 through the project's stored copies of the registry page (text, XML and a
// 2008 snapshot); entries the excerpts cut off were completed from the RFCs that define them.
// Data only: the learner-facing sentences live in smtp/catalog.ts.

export interface SmtpExtensionEntry {
  keyword: string;
  description: string;
  ref: string;
  obsolete?: boolean;
}

export const SMTP_SERVICE_EXTENSIONS: SmtpExtensionEntry[] = [
  { keyword: 'SEND', description: 'Send to terminal', ref: 'RFC 821', obsolete: true },
  { keyword: 'SOML', description: 'Send as mail or to terminal', ref: 'RFC 821', obsolete: true },
  { keyword: 'SAML', description: 'Send as mail and to terminal', ref: 'RFC 821', obsolete: true },
  { keyword: 'EXPN', description: 'Expand the mailing list', ref: 'RFC 5321' },
  { keyword: 'HELP', description: 'Supply helpful information', ref: 'RFC 5321' },
  { keyword: 'TURN', description: 'Interchange the client and server roles', ref: 'RFC 821', obsolete: true },
  { keyword: '8BITMIME', description: 'Use 8-bit data', ref: 'RFC 6152' },
  { keyword: 'SIZE', description: 'Message size declaration', ref: 'RFC 1870' },
  { keyword: 'VERB', description: 'Verbose', ref: 'Eric Allman' },
  { keyword: 'ONEX', description: 'One message transaction only', ref: 'Eric Allman' },
  { keyword: 'CHUNKING', description: 'Chunking', ref: 'RFC 3030' },
  { keyword: 'BINARYMIME', description: 'Binary MIME', ref: 'RFC 3030' },
  { keyword: 'CHECKPOINT', description: 'Checkpoint/Restart', ref: 'RFC 1845' },
  { keyword: 'DELIVERBY', description: 'Deliver By', ref: 'RFC 2852' },
  { keyword: 'PIPELINING', description: 'Command Pipelining', ref: 'RFC 2920' },
  { keyword: 'DSN', description: 'Delivery Status Notification', ref: 'RFC 3461' },
  { keyword: 'ETRN', description: 'Extended Turn', ref: 'RFC 1985' },
  { keyword: 'ENHANCEDSTATUSCODES', description: 'Enhanced Status Codes', ref: 'RFC 2034' },
  { keyword: 'STARTTLS', description: 'Start TLS', ref: 'RFC 3207' },
  { keyword: 'NO-SOLICITING', description: 'Notification of no soliciting', ref: 'RFC 3865' },
  { keyword: 'MTRK', description: 'Message Tracking', ref: 'RFC 3885' },
  { keyword: 'ATRN', description: 'Authenticated TURN', ref: 'RFC 2645' },
  { keyword: 'AUTH', description: 'Authentication', ref: 'RFC 4954' },
  { keyword: 'BURL', description: 'Remote Content', ref: 'RFC 4468' },
  { keyword: 'FUTURERELEASE', description: 'Future Message Release', ref: 'RFC 4865' },
  { keyword: 'CONPERM', description: 'Content Conversion Permission', ref: 'RFC 4141' },
  { keyword: 'CONNEG', description: 'Content Conversion Negotiation', ref: 'RFC 4141' },
  { keyword: 'SUBMITTER', description: 'SMTP Responsible Submitter', ref: 'RFC 4405' },
  {
    keyword: 'UTF8SMTP',
    description: 'Internationalized email address (experimental)',
    ref: 'RFC 5336',
    obsolete: true,
  },
  { keyword: 'SMTPUTF8', description: 'Internationalized email address', ref: 'RFC 6531' },
  { keyword: 'MT-PRIORITY', description: 'Priority Message Handling', ref: 'RFC 6710' },
  { keyword: 'RRVS', description: 'Require Recipient Valid Since', ref: 'RFC 7293' },
  { keyword: 'REQUIRETLS', description: 'Require TLS', ref: 'RFC 8689' },
  { keyword: 'LIMITS', description: 'SMTP Server Limits', ref: 'RFC 9422' },
];
