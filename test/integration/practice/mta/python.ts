// Python's smtplib and email, the real clients of the MTA tests: SUBMIT (or submitOne) sends one message on the
// submission port (STARTTLS, AUTH) with DSN parameters and prints the reply to the final dot; DSNS
// reads every bounce in a mailbox with imaplib and parses it with the email package; READ_HEADER
// waits for one letter by subject and prints its header section.
import { execFile } from 'node:child_process';

export const python = (script: string, ...args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile('python3', ['-c', script, ...args], { timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

/** argv: port, JSON {user, from, to: [..], subject, mail_options: [..], rcpt_options: [..]}; prints JSON {code, reply}. */
export const SUBMIT = String.raw`
import smtplib, ssl, sys, json
port, a = int(sys.argv[1]), json.loads(sys.argv[2])
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = smtplib.SMTP('127.0.0.1', port); s.ehlo('client.test'); s.starttls(context=ctx); s.ehlo('client.test')
s.login(a['user'], 'practice')
msg = ('From: %s@practice.test\r\nTo: %s\r\nSubject: %s\r\n\r\nbody of %s\r\n' % (a['user'], ', '.join(a['to']), a['subject'], a['subject'])).encode()
out = {'dsn': s.has_extn('dsn')}
code, reply = s.mail(a['from'], a.get('mail_options', []))
if code != 250: out.update(code=code, reply=reply.decode(), at='MAIL')
else:
    for r in a['to']:
        code, reply = s.rcpt(r, a.get('rcpt_options', []))
        if code != 250: out.update(code=code, reply=reply.decode(), at='RCPT'); break
    else:
        code, reply = s.data(msg)
        out.update(code=code, reply=reply.decode(), at='DATA')
s.quit()
print(json.dumps(out))
`;

export interface Submission {
  user: string;
  from: string;
  to: string[];
  subject: string;
  mail_options?: string[];
  rcpt_options?: string[];
}
/** What SUBMIT printed: the reply that ended the transaction, at which command, and whether DSN was offered. */
export interface SubmitReply {
  code: number;
  reply: string;
  at: 'MAIL' | 'RCPT' | 'DATA';
  dsn: boolean;
}

/** Sends one message with SUBMIT to a submission port; a Python error fails the caller with its traceback. */
export async function submitOne(port: number, a: Submission): Promise<SubmitReply> {
  const r = await python(SUBMIT, String(port), JSON.stringify(a));
  if (r.stderr) throw new Error(`smtplib failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as SubmitReply;
}

/**
 * argv: host, port, user, tag, count. Waits until `count` bounces (From MAILER-DAEMON) mention the
 * tag in their returned part, then prints each as JSON: its type and its parts' types, the per-message and the
 * per-recipient fields of message/delivery-status, and the returned part's text.
 */
export const DSNS = String.raw`
import imaplib, ssl, sys, time, email, json
host, port, user, tag, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
def bounces():
    m = imaplib.IMAP4_SSL(host, port, ssl_context=ctx); m.login(user, 'practice'); m.select('INBOX')
    typ, data = m.search(None, 'FROM', 'MAILER-DAEMON')
    found = []
    for n in data[0].split():
        typ, d = m.fetch(n, '(BODY.PEEK[])')
        msg = email.message_from_bytes(d[0][1])
        returned = [p for p in msg.walk() if p.get_content_type() in ('text/rfc822-headers', 'message/rfc822')]
        text = returned[0].as_string() if returned else ''
        if tag not in text: continue
        status = [p for p in msg.walk() if p.get_content_type() == 'message/delivery-status'][0]
        blocks = [dict(b.items()) for b in status.get_payload()]
        found.append({'type': msg.get_content_type(), 'reportType': msg.get_param('report-type'),
                      'from': msg['From'], 'returnPath': msg['Return-Path'],
                      'parts': [msg.get_content_type()] + [p.get_content_type() for p in msg.get_payload()],
                      'message': blocks[0], 'recipients': blocks[1:], 'returned': text})
    m.logout()
    return found
for _ in range(150):
    found = bounces()
    if len(found) >= count: break
    time.sleep(0.2)
print(json.dumps(found))
`;

/** argv: host, port, user, subject: waits for the letter, prints its header section. */
export const READ_HEADER = String.raw`
import imaplib, ssl, sys, time
host, port, user, subject = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
for _ in range(100):
    m = imaplib.IMAP4_SSL(host, port, ssl_context=ctx); m.login(user, 'practice'); m.select('INBOX')
    typ, data = m.search(None, 'SUBJECT', subject)
    if data[0].split(): break
    m.logout(); time.sleep(0.2)
else:
    sys.exit('not arrived')
typ, data = m.fetch(data[0].split()[-1], '(BODY.PEEK[HEADER])')
sys.stdout.write(data[0][1].decode('utf-8'))
m.logout()
`;
