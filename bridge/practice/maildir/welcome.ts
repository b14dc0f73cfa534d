// The first message in every new INBOX: a real RFC 5322 message (multipart/alternative) that tells
// the learner what this server is and what to try. CRLF line ends, as SMTP would have stored it.
import { randomBytes } from 'node:crypto';

export function welcomeMessage(username: string, domain: string, now = new Date()): Buffer {
  const boundary = `=_welcome_${randomBytes(8).toString('hex')}`;
  const to = `${username}@${domain}`;
  const text = [
    `Hello ${username},`,
    '',
    'This mailbox lives on the mailwire practice server, a small mail server that runs',
    'on your own machine. Nothing you send here leaves it: it only delivers to addresses',
    `@${domain}, so you can experiment freely.`,
    '',
    'Things to try:',
    ' - Send a message over SMTP to another practice account, then read it here over',
    '   IMAP (FETCH) or POP3 (RETR).',
    ' - Set and clear flags with STORE and watch another session see the change.',
    ` - Try sending to someone outside @${domain} and read why the server refuses.`,
    '',
    'If you break something, a reset brings back the starting mailboxes.',
    '',
    'Have fun,',
    'the practice server',
  ];
  const html = [
    '<!doctype html><html><body>',
    `<p>Hello ${username},</p>`,
    '<p>This mailbox lives on the <b>mailwire practice server</b>, a small mail server that runs on',
    `your own machine. Nothing you send here leaves it: it only delivers to addresses @${domain}.</p>`,
    '<ul><li>Send a message over SMTP to another practice account and read it here over IMAP or POP3.</li>',
    '<li>Set and clear flags with STORE and watch another session see the change.</li>',
    `<li>Try sending outside @${domain} and read why the server refuses.</li></ul>`,
    '<p>If you break something, a reset brings back the starting mailboxes.</p>',
    '<p>Have fun,<br>the practice server</p>',
    '</body></html>',
  ];
  const lines = [
    `Date: ${rfc5322Date(now)}`,
    `From: Practice Server <postmaster@${domain}>`,
    `To: ${to}`,
    'Subject: Welcome to your practice mailbox',
    `Message-ID: <welcome.${username}.${now.getTime()}@${domain}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    'This is a multi-part message in MIME format.',
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
    '',
    ...text,
    '',
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
    '',
    ...html,
    '',
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** RFC 5322 section 3.3 date-time, in UTC. */
export function rfc5322Date(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
