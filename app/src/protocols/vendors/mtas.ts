// Postfix and Exim, the two mail servers a learner most often meets (Exim is Debian's default).

import type { VendorEntry } from './types.ts';

const PF_ACCESS = {
  title: 'Postfix SMTP relay and access control (SMTPD_ACCESS_README)',
  url: 'https://www.postfix.org/SMTPD_ACCESS_README.html',
};
const PF_LOCAL = {
  title: 'Postfix: rejecting unknown local recipients (LOCAL_RECIPIENT_README)',
  url: 'https://www.postfix.org/LOCAL_RECIPIENT_README.html',
};
const PF_SMTPD = { title: 'Postfix smtpd(8) manual', url: 'https://www.postfix.org/smtpd.8.html' };
const PF_POSTSCREEN = {
  title: 'Postfix postscreen (POSTSCREEN_README)',
  url: 'https://www.postfix.org/POSTSCREEN_README.html',
};
const EXIM_SMTP = {
  title: 'Exim specification: SMTP processing',
  url: 'https://www.exim.org/exim-html-current/doc/html/spec_html/ch-smtp_processing.html',
};
const EXIM_MAIN = {
  title: 'Exim specification: main configuration (smtp_enforce_sync)',
  url: 'https://www.exim.org/exim-html-current/doc/html/spec_html/ch-main_configuration.html',
};
const EXIM_ACL = {
  title: 'Exim specification: access control lists',
  url: 'https://www.exim.org/exim-html-current/doc/html/spec_html/ch-access_control_lists.html',
};

export const MTAS: VendorEntry[] = [
  {
    vendor: 'Postfix',
    protocol: 'smtp',
    enhanced: '5.7.1',
    text: /Relay access denied/i,
    meaning:
      'Postfix will not pass mail on to that domain for you: you are neither in its trusted networks nor logged in (smtpd_relay_restrictions).',
    todo: "Send only to the server's own domains, or log in (AUTH) on the submission port first.",
    doc: PF_ACCESS,
  },
  {
    vendor: 'Postfix',
    protocol: 'smtp',
    code: 550,
    enhanced: '5.1.1',
    text: /User unknown in (local|virtual mailbox|virtual alias) (recipient )?table/i,
    meaning: 'Postfix knows the domain but has no such user in its recipient tables.',
    todo: 'Check the spelling of the local part.',
    doc: PF_LOCAL,
  },
  {
    vendor: 'Postfix',
    protocol: 'smtp',
    enhanced: '5.7.1',
    text: /Sender address rejected: not logged in/i,
    meaning:
      'Postfix requires you to log in before using this sender address (reject_sender_login_mismatch or smtpd_sender_restrictions).',
    todo: 'AUTH first, then send from an address your login owns.',
    doc: PF_ACCESS,
  },
  {
    vendor: 'Postfix',
    protocol: 'smtp',
    code: 450,
    enhanced: '4.7.1',
    text: /Helo command rejected: Host not found/i,
    meaning:
      'Postfix could not find the name you gave in EHLO in DNS (reject_unknown_helo_hostname); it may accept later if DNS answers.',
    todo: 'Say EHLO with your real host name or an address literal such as [192.0.2.1].',
    doc: PF_ACCESS,
  },
  {
    vendor: 'Postfix',
    protocol: 'smtp',
    code: 503,
    enhanced: '5.5.1',
    text: /Error: need (RCPT|MAIL) command/i,
    meaning: 'Postfix got a command out of order: DATA before any RCPT TO was accepted, or RCPT TO before MAIL FROM.',
    todo: 'Send MAIL FROM, then at least one accepted RCPT TO, then DATA.',
    doc: PF_SMTPD,
  },
  {
    vendor: 'Postfix',
    protocol: 'smtp',
    code: 502,
    enhanced: '5.5.2',
    text: /Error: command not recognized/i,
    meaning: 'Postfix does not know this command (Postfix answers 502 for unknown commands).',
    todo: 'Check the spelling; HELP is not offered by Postfix.',
    doc: PF_SMTPD,
  },
  {
    vendor: 'Postfix',
    protocol: 'smtp',
    code: 554,
    enhanced: '5.5.1',
    text: /Error: no valid recipients/i,
    meaning: 'Postfix refused DATA because every RCPT TO of this transaction was rejected.',
    todo: 'Fix the recipient addresses and start again with MAIL FROM.',
    doc: PF_SMTPD,
  },
  {
    vendor: 'Postfix',
    protocol: 'smtp',
    code: 421,
    enhanced: '4.7.0',
    text: /Error: too many errors/i,
    meaning: 'Postfix hangs up after too many errors in one session (smtpd_hard_error_limit).',
    todo: 'Reconnect and send the commands correctly.',
    doc: PF_SMTPD,
  },
  {
    vendor: 'Postfix',
    protocol: 'smtp',
    code: 550,
    enhanced: '5.5.1',
    text: /Protocol error/i,
    meaning:
      'Postfix (postscreen) caught a protocol violation such as commands sent before the greeting or pipelined without PIPELINING.',
    todo: "Wait for each reply, or pipeline only within RFC 2920's rules.",
    doc: PF_POSTSCREEN,
  },
  {
    vendor: 'Exim',
    protocol: 'smtp',
    code: 554,
    text: /SMTP synchronization error/i,
    meaning:
      'Exim saw input before its reply was due: the client sent commands ahead without PIPELINING, or put EHLO, DATA and the like in the middle of a pipelined group (RFC 2920 section 3.1).',
    todo: 'Wait for each reply; with PIPELINING, only end a group with EHLO, DATA, QUIT, NOOP, STARTTLS or AUTH (AUTH PLAIN with its initial response may go on, RFC 4954 section 4).',
    // The check is the main option smtp_enforce_sync (on by default); test/integration/lessons shows exim's reply.
    doc: EXIM_MAIN,
  },
  {
    vendor: 'Exim',
    protocol: 'smtp',
    code: 550,
    text: /relay not permitted/i,
    meaning: "Exim's RCPT ACL refuses to relay to that domain for you (you are not a relay host and not logged in).",
    todo: 'Send only to domains this server handles, or log in first.',
    doc: EXIM_ACL,
  },
  {
    vendor: 'Exim',
    protocol: 'smtp',
    code: 550,
    text: /Unrouteable address/i,
    meaning: 'Exim found no router that accepts this address: no such local user, or the domain cannot be routed.',
    todo: 'Check the address.',
    doc: EXIM_ACL,
  },
  {
    vendor: 'Exim',
    protocol: 'smtp',
    code: 451,
    text: /Temporary local problem/i,
    meaning: 'Exim hit a problem of its own (a lookup or a spool failure) and did not take the message.',
    todo: "Retry later; the postmaster should read Exim's panic log.",
    doc: EXIM_SMTP,
  },
  {
    vendor: 'Exim',
    protocol: 'smtp',
    code: 503,
    text: /sender already given/i,
    meaning: 'Exim already has a MAIL FROM for this transaction.',
    todo: 'Send RSET to start over, or go on with RCPT TO.',
    doc: EXIM_SMTP,
  },
];
