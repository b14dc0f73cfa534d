// Gmail (smtp.gmail.com, imap.gmail.com, pop.gmail.com). Google's "Gmail SMTP errors and codes"
// reference lists the SMTP replies; the texts Gmail sends link to the help pages cited here.

import type { VendorEntry } from './types.ts';

const SMTP_REF = {
  title: 'Google Workspace Admin Help: Gmail SMTP errors and codes',
  url: 'https://support.google.com/a/answer/3726730',
};
const APP_PASSWORDS = {
  title: 'Google Account Help: Sign in with app passwords',
  url: 'https://support.google.com/accounts/answer/185833',
};
const CANT_SIGN_IN = {
  title: 'Gmail Help: Fix problems signing in from an email client',
  url: 'https://support.google.com/mail/answer/78754',
};
const SENDER_GUIDELINES = {
  title: 'Gmail Help: Email sender guidelines',
  url: 'https://support.google.com/mail/answer/81126',
};
const BLOCKED = {
  title: 'Gmail Help: Prevent mail to Gmail users from being blocked or sent to spam',
  url: 'https://support.google.com/mail/answer/188131',
};
const XOAUTH2 = {
  title: 'Google for Developers: OAuth 2.0 mechanism (XOAUTH2)',
  url: 'https://developers.google.com/workspace/gmail/imap/xoauth2-protocol',
};

/** Gmail appends "gsmtp" to every SMTP reply (the SMTP errors reference says so). */
const GSMTP = /gsmtp/i;

export const GMAIL: VendorEntry[] = [
  {
    vendor: 'Gmail',
    protocol: 'smtp',
    signature: GSMTP,
    code: 534,
    enhanced: '5.7.9',
    meaning:
      'Gmail wants an app password: the account has 2-Step Verification, so its normal password is not accepted over SMTP.',
    todo: 'Create an app password in the Google Account (Security, App passwords) and log in with it, or log in with OAuth 2.0 (XOAUTH2).',
    doc: APP_PASSWORDS,
  },
  {
    vendor: 'Gmail',
    protocol: 'smtp',
    signature: GSMTP,
    code: 534,
    enhanced: '5.7.14',
    meaning:
      'Google blocked this sign-in as unusual and wants the account owner to confirm it in a web browser first; nothing is wrong with the mechanism.',
    todo: 'Sign in to the account at accounts.google.com in a browser, confirm the blocked attempt, then try again (or use an app password).',
    doc: CANT_SIGN_IN,
  },
  {
    vendor: 'Gmail',
    protocol: 'smtp',
    signature: GSMTP,
    code: 535,
    enhanced: '5.7.8',
    text: /Username and Password not accepted|BadCredentials/i,
    meaning:
      'Gmail refused the user name and password. Gmail takes only app passwords or OAuth over SMTP, so the normal account password fails here too.',
    todo: 'Log in with the full address and an app password (or OAuth 2.0).',
    doc: APP_PASSWORDS,
  },
  {
    vendor: 'Gmail',
    protocol: 'smtp',
    signature: GSMTP,
    code: 421,
    enhanced: '4.7.28',
    meaning:
      'Gmail is rate-limiting this mail for now: it sees an unusual rate of unsolicited mail from the sending IP address, or from the SPF or DKIM domain, or with a URL domain in it (the text says which).',
    todo: "Slow down and retry later; the sender must follow Google's sender guidelines (authentication, low complaint rates).",
    // The reply's link (support.google.com/mail/?p=UnsolicitedRateLimitError) opens this page.
    doc: BLOCKED,
  },
  {
    vendor: 'Gmail',
    protocol: 'smtp',
    signature: GSMTP,
    code: 452,
    enhanced: '4.2.2',
    meaning:
      'The Gmail recipient is out of storage space (Gmail, Drive and Photos share it), so the message cannot be taken now.',
    todo: 'The sending server retries for some days; tell the recipient to free space.',
    doc: SMTP_REF,
  },
  {
    vendor: 'Gmail',
    protocol: 'smtp',
    signature: GSMTP,
    code: 550,
    enhanced: '5.1.1',
    text: /does not exist|NoSuchUser/i,
    meaning: 'No Gmail account has this address.',
    todo: 'Check the spelling of the address; do not retry.',
    doc: SMTP_REF,
  },
  {
    vendor: 'Gmail',
    protocol: 'smtp',
    signature: GSMTP,
    code: 550,
    enhanced: '5.2.1',
    text: /disabled/i,
    meaning: 'The Gmail account exists but is disabled and takes no mail.',
    todo: 'Reach the person another way; retrying will not help.',
    doc: SMTP_REF,
  },
  {
    vendor: 'Gmail',
    protocol: 'smtp',
    signature: GSMTP,
    code: 550,
    enhanced: '5.7.26',
    meaning:
      'Gmail refused the message because it is not authenticated (it fails SPF and DKIM for its From: domain, or DMARC says reject).',
    todo: 'The sending domain must publish SPF, sign with DKIM and align with DMARC.',
    doc: SENDER_GUIDELINES,
  },
  {
    vendor: 'Gmail',
    protocol: 'smtp',
    signature: GSMTP,
    code: 530,
    enhanced: '5.7.0',
    text: /STARTTLS/i,
    meaning: 'Gmail wants the connection encrypted before anything else.',
    todo: 'Send STARTTLS (port 587) or connect to port 465 with TLS from the start.',
    doc: SMTP_REF,
  },
  {
    vendor: 'Gmail',
    protocol: 'smtp',
    signature: GSMTP,
    code: 502,
    enhanced: '5.5.1',
    text: /Unrecognized command/i,
    meaning: 'Gmail does not know this command (it answers 502, not 500, for unknown commands).',
    todo: 'Check the spelling of the command.',
    doc: SMTP_REF,
  },
  {
    vendor: 'Gmail',
    protocol: 'smtp',
    signature: GSMTP,
    code: 555,
    enhanced: '5.5.2',
    text: /Syntax error/i,
    meaning: "Gmail could not parse the command's arguments, typically an address without <...> around it.",
    todo: 'Write MAIL FROM:<you@example.com> and RCPT TO:<them@example.com> with the brackets.',
    doc: SMTP_REF,
  },
  {
    vendor: 'Gmail',
    protocol: 'imap',
    respCode: 'WEBALERT',
    meaning:
      'Gmail wants the account owner to sign in on the web first (a security check); the URL in the brackets is where to do it.',
    todo: 'Open the URL in a browser, sign in and confirm, then log in again (or use an app password or OAuth).',
    doc: CANT_SIGN_IN,
  },
  {
    vendor: 'Gmail',
    protocol: 'imap',
    code: 'NO',
    respCode: 'ALERT',
    text: /Application-specific password required/i,
    meaning: 'Gmail wants an app password: the account has 2-Step Verification.',
    todo: 'Log in with an app password (or OAuth 2.0).',
    doc: APP_PASSWORDS,
  },
  {
    vendor: 'Gmail',
    protocol: 'imap',
    code: 'NO',
    respCode: 'AUTHENTICATIONFAILED',
    text: /Invalid credentials/i,
    meaning: 'Gmail refused the credentials; over IMAP it takes only app passwords or OAuth 2.0 tokens.',
    todo: 'Use the full address with an app password, or AUTHENTICATE XOAUTH2.',
    doc: XOAUTH2,
  },
];
