// Microsoft 365 / Exchange Online (smtp.office365.com, outlook.office365.com). Microsoft documents
// its NDR codes per code family on learn.microsoft.com; SMTP AUTH has its own page.

import type { VendorEntry } from './types.ts';

const SMTP_AUTH = {
  title: 'Microsoft Learn: Enable or disable SMTP AUTH in Exchange Online (authenticated client SMTP submission)',
  url: 'https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission',
};
const DEVICE = {
  title: 'Microsoft Learn: How to set up a multifunction device or application to send email using Microsoft 365',
  url: 'https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365',
};
const NDR_700 = {
  title: 'Microsoft Learn: Fix error code 5.7.700 through 5.7.750 in Exchange Online',
  url: 'https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/fix-error-code-5-7-700-through-5-7-750',
};
const NDR_451 = {
  title: 'Microsoft Learn: Fix error code 451 4.7.500-699 (ASxxx) in Exchange Online',
  url: 'https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/fix-error-code-451-4-7-500-699-asxxx-in-exchange-online',
};
const NDR_606 = {
  title: 'Microsoft Learn: Fix error code 5.7.606 through 5.7.649 in Exchange Online',
  url: 'https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/fix-error-code-5-7-606-through-5-7-649',
};
const NDR = {
  title: 'Microsoft Learn: Email non-delivery reports and SMTP errors in Exchange Online',
  url: 'https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online',
};

// 5.7.57, 5.7.60, 5.7.139, 5.7.606-649, 5.7.708 and 4.7.500-699 are Microsoft's own details (not in
// the IANA registry), so the code alone identifies them; registered codes also need Microsoft's text.
export const MICROSOFT: VendorEntry[] = [
  {
    vendor: 'Microsoft 365',
    protocol: 'smtp',
    code: 535,
    enhanced: '5.7.139',
    text: /SmtpClientAuthentication is disabled/i,
    meaning:
      'The password may be right: SMTP AUTH is switched off for this Microsoft 365 organisation (or this mailbox), so no SMTP login is accepted at all.',
    todo: 'An administrator must enable SMTP AUTH for the mailbox or tenant; otherwise send with OAuth 2.0 or another route.',
    doc: SMTP_AUTH,
  },
  {
    vendor: 'Microsoft 365',
    protocol: 'smtp',
    code: 535,
    enhanced: '5.7.139',
    text: /security defaults|did not meet the criteria/i,
    meaning:
      'Microsoft refused the login by policy (security defaults or Conditional Access block basic authentication), not because of a typo.',
    todo: 'Ask the administrator, or use OAuth 2.0 (XOAUTH2) instead of a password.',
    doc: SMTP_AUTH,
  },
  {
    vendor: 'Microsoft 365',
    protocol: 'smtp',
    code: 535,
    enhanced: '5.7.139',
    meaning:
      'Microsoft refused the login for a reason its text names (SMTP AUTH disabled, security defaults, a locked account); it is not necessarily a wrong password.',
    todo: 'Read the text after the code; an administrator usually has to change a setting.',
    doc: SMTP_AUTH,
  },
  {
    vendor: 'Microsoft 365',
    protocol: 'smtp',
    code: 535,
    enhanced: '5.7.3',
    text: /Authentication unsuccessful/i,
    meaning:
      'Microsoft 365 did not accept the login (wrong password, or basic authentication not allowed for this account).',
    todo: 'Check the full address and password; if they are right, SMTP AUTH or basic authentication is off for the account.',
    doc: SMTP_AUTH,
  },
  {
    vendor: 'Microsoft 365',
    protocol: 'smtp',
    code: 530,
    enhanced: '5.7.57',
    meaning: 'Microsoft 365 will not take anonymous mail on this port: the client sent MAIL FROM without logging in.',
    todo: "Log in with AUTH after STARTTLS on port 587, or send through the domain's MX host if you only deliver to that domain.",
    doc: DEVICE,
  },
  {
    vendor: 'Microsoft 365',
    protocol: 'smtp',
    code: 550,
    enhanced: '5.7.60',
    meaning: 'The logged-in user may not send as the address given in MAIL FROM or From:.',
    todo: 'Send from your own address, or get "Send As" permission for the other one.',
    doc: DEVICE,
  },
  {
    vendor: 'Microsoft 365',
    protocol: 'smtp',
    code: 550,
    enhanced: '5.7.708',
    meaning:
      'Microsoft refuses traffic from this sending IP address: it has a poor reputation (often a new or abused tenant).',
    todo: 'Send from an established tenant or IP; only Microsoft support can lift this.',
    doc: NDR_700,
  },
  {
    vendor: 'Microsoft 365',
    protocol: 'smtp',
    enhanced: /^5\.7\.6(0[6-9]|[1-3]\d|4[0-9])$/,
    meaning: "The sending IP address is on Microsoft's block list.",
    todo: 'Request delisting on the Microsoft sender portal (sender.office.com), then retry.',
    doc: NDR_606,
  },
  {
    vendor: 'Microsoft 365',
    protocol: 'smtp',
    code: 451,
    enhanced: /^4\.7\.(5\d\d|6[0-9][0-9])$/,
    meaning: 'Microsoft is deferring mail from this source for now (a suspicious or new sender, or throttling).',
    todo: 'Let the sending server retry later.',
    doc: NDR_451,
  },
  {
    vendor: 'Microsoft 365',
    protocol: 'smtp',
    code: 550,
    enhanced: '5.4.1',
    text: /Recipient address rejected: Access denied/i,
    meaning:
      'The recipient does not exist in the Microsoft 365 organisation (Directory-Based Edge Blocking refuses unknown recipients at the edge).',
    todo: "Check the address; the domain's administrator can confirm whether the mailbox exists.",
    doc: NDR,
  },
  {
    vendor: 'Microsoft 365',
    protocol: 'imap',
    code: 'BAD',
    text: /User is authenticated but not connected/i,
    meaning:
      "Exchange Online accepted the login but could not open the mailbox: usually the account lacks a licence or IMAP access, or the token's user is not the mailbox user.",
    todo: 'Check that IMAP is enabled for the mailbox and that you log in as the mailbox owner.',
    doc: SMTP_AUTH,
  },
];
