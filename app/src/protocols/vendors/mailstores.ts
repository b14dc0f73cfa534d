// Dovecot, Cyrus and Courier: the IMAP and POP3 servers behind most self-hosted mailboxes.

import type { VendorEntry } from './types.ts';

const DOVECOT_AUTH = {
  title: 'Dovecot documentation: authentication (plaintext logins and SSL)',
  url: 'https://doc.dovecot.org/2.3/configuration_manual/authentication/',
};
const DOVECOT_QUOTA = {
  title: 'Dovecot documentation: quota plugin',
  url: 'https://doc.dovecot.org/2.3/configuration_manual/quota_plugin/',
};
const CYRUS_IMAPD = {
  title: 'Cyrus IMAP documentation: imapd.conf',
  url: 'https://www.cyrusimap.org/imap/reference/manpages/configs/imapd.conf.html',
};
const COURIER_IMAP = { title: 'Courier-IMAP documentation', url: 'https://www.courier-mta.org/imap/' };

export const MAILSTORES: VendorEntry[] = [
  {
    vendor: 'Dovecot',
    protocol: 'imap',
    code: 'NO',
    respCode: 'PRIVACYREQUIRED',
    text: /Plaintext authentication disallowed/i,
    meaning:
      'Dovecot refuses a password over an unencrypted connection (disable_plaintext_auth, in 2.4 auth_allow_cleartext).',
    todo: 'Send STARTTLS (or use port 993) and log in again.',
    doc: DOVECOT_AUTH,
  },
  {
    vendor: 'Dovecot',
    protocol: 'imap',
    respCode: 'ALERT',
    text: /Plaintext authentication (not allowed|disallowed)/i,
    meaning: 'Dovecot will not take a password before TLS on this connection.',
    todo: 'Send STARTTLS first.',
    doc: DOVECOT_AUTH,
  },
  {
    vendor: 'Dovecot',
    protocol: 'imap',
    code: 'NO',
    respCode: 'AUTHENTICATIONFAILED',
    text: /Authentication failed/i,
    meaning: 'Dovecot refused the user name or password (it does not say which, on purpose).',
    todo: 'Check both; Dovecot delays each failure, so wait for the reply.',
    doc: DOVECOT_AUTH,
  },
  {
    vendor: 'Dovecot',
    protocol: 'imap',
    code: 'NO',
    respCode: 'UNAVAILABLE',
    text: /Temporary authentication failure/i,
    meaning: "Dovecot's authentication backend (a database or LDAP) did not answer; the password was not judged.",
    todo: 'Retry later.',
    doc: DOVECOT_AUTH,
  },
  {
    vendor: 'Dovecot',
    protocol: 'imap',
    respCode: 'OVERQUOTA',
    text: /Quota exceeded/i,
    meaning: 'The mailbox is over its Dovecot quota: APPEND, COPY and delivery fail until space is freed.',
    todo: 'Expunge messages, then retry.',
    doc: DOVECOT_QUOTA,
  },
  {
    vendor: 'Dovecot',
    protocol: 'pop3',
    code: '-ERR',
    respCode: 'AUTH',
    text: /Plaintext authentication disallowed/i,
    meaning: 'Dovecot refuses USER/PASS over an unencrypted connection.',
    todo: 'Send STLS (or use port 995) and log in again.',
    doc: DOVECOT_AUTH,
  },
  {
    vendor: 'Dovecot',
    protocol: 'pop3',
    code: '-ERR',
    respCode: 'AUTH',
    text: /Authentication failed/i,
    meaning: 'Dovecot refused the user name or password.',
    todo: 'Check both and log in again.',
    doc: DOVECOT_AUTH,
  },
  {
    vendor: 'Cyrus',
    protocol: 'imap',
    code: 'NO',
    text: /Login failed: authentication failure/i,
    meaning: 'Cyrus (through SASL) refused the user name or password.',
    todo: 'Check both; Cyrus takes the user name without the domain unless virtual domains are on.',
    doc: CYRUS_IMAPD,
  },
  {
    vendor: 'Cyrus',
    protocol: 'imap',
    code: 'NO',
    text: /Login only available under a layer/i,
    meaning: 'Cyrus allows LOGIN only inside TLS (allowplaintext: no).',
    todo: 'Send STARTTLS first.',
    doc: CYRUS_IMAPD,
  },
  {
    vendor: 'Cyrus',
    protocol: 'imap',
    code: 'NO',
    respCode: 'NONEXISTENT',
    text: /Mailbox does not exist/i,
    meaning:
      'There is no Cyrus mailbox by that name; Cyrus names sub-mailboxes with its separator, often "." (INBOX.Sent).',
    todo: 'Send LIST "" "*" to see the names and the separator.',
    doc: CYRUS_IMAPD,
  },
  {
    vendor: 'Cyrus',
    protocol: 'pop3',
    code: '-ERR',
    text: /\[AUTH\] Invalid login|Invalid login/i,
    meaning: 'Cyrus refused the POP3 login.',
    todo: 'Check the user name and password.',
    doc: CYRUS_IMAPD,
  },
  {
    vendor: 'Courier',
    protocol: 'imap',
    code: 'NO',
    text: /^Login failed\.?$/i,
    meaning: 'Courier-IMAP refused the user name or password (authdaemon found no match).',
    todo: 'Check both; Courier usually wants the full address as user name.',
    doc: COURIER_IMAP,
  },
  {
    vendor: 'Courier',
    protocol: 'imap',
    code: 'NO',
    text: /STARTTLS required/i,
    meaning: 'Courier-IMAP wants TLS before login (IMAP_TLS_REQUIRED).',
    todo: 'Send STARTTLS first.',
    doc: COURIER_IMAP,
  },
  {
    vendor: 'Courier',
    protocol: 'pop3',
    code: '-ERR',
    text: /^Login failed\.?$/i,
    meaning: "Courier's POP3 server refused the user name or password.",
    todo: 'Check both.',
    doc: COURIER_IMAP,
  },
];
