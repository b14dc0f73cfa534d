// The swaks export: one swaks command line (https://jetmore.org/john/code/swaks/) that redoes a
// recorded SMTP session: the same server, EHLO name, STARTTLS or TLS from the first byte, AUTH,
// envelope and message. swaks speaks SMTP only; for IMAP and POP3 the result says so.
// Credentials are masked unless revealed; a masked one comes from $MAILWIRE_USERNAME/_PASSWORD.

import { printfBytes, shellQuote } from './export-curl.ts';
import { replayFacts, saslText, unstuffSmtpData, type ScriptOptions } from './replay-facts.ts';
import type { Transcript } from './model.ts';

export type SwaksResult = { ok: true; command: string } | { ok: false; code: 'SWAKS_SMTP_ONLY'; message: string };

const address = (line: string) => /<([^>]*)>/.exec(line)?.[1] ?? '';

export function exportSwaks(transcript: Transcript, options: ScriptOptions = {}): SwaksResult {
  const f = replayFacts(transcript, options);
  if (f.protocol !== 'smtp')
    return {
      ok: false,
      code: 'SWAKS_SMTP_ONLY',
      message: `swaks speaks SMTP only; this is a ${f.protocol.toUpperCase()} session: use the Python or curl export.`,
    };
  const cmds = f.commands;
  const host = f.host ?? '127.0.0.1';
  const args = ['swaks', '--server', shellQuote(host), '--port', String(f.port ?? 25)];
  const ehlo = cmds.find((c) => /^(EHLO|HELO) /i.test(c.line));
  if (ehlo) args.push('--ehlo', shellQuote(ehlo.line.split(' ')[1] ?? ''));
  if (f.implicitTls) args.push('--tls-on-connect');
  else if (cmds.some((c) => /^STARTTLS$/i.test(c.line))) args.push('--tls');

  const auth = cmds.findIndex((c) => /^AUTH /i.test(c.line));
  if (auth >= 0) {
    const [, mech = 'PLAIN', initial] = cmds[auth]!.line.split(/\s+/);
    const payloads = [...(initial ? [initial] : []), ...cmds.slice(auth + 1, auth + 3).map((c) => c.line)];
    let user: string | null = null;
    let pass: string | null = null;
    if (mech.toUpperCase() === 'PLAIN') [, user = null, pass = null] = saslText(payloads[0])?.split('\0') ?? [];
    else if (mech.toUpperCase() === 'LOGIN') [user, pass] = [saslText(payloads[0]), saslText(payloads[1])];
    args.push('--auth', shellQuote(mech.toUpperCase()));
    args.push('--auth-user', user !== null ? shellQuote(user) : '"$MAILWIRE_USERNAME"');
    args.push('--auth-password', pass !== null ? shellQuote(pass) : '"$MAILWIRE_PASSWORD"');
  }

  const mail = cmds.find((c) => /^MAIL FROM:/i.test(c.line));
  const rcpts = cmds.filter((c) => /^RCPT TO:/i.test(c.line) && c.status?.startsWith('2'));
  const dataAt = cmds.findIndex((c) => /^DATA$/i.test(c.line) && c.status === '354');
  const content = dataAt >= 0 ? cmds[dataAt + 1] : undefined;
  const pre: string[] = [];
  if (!mail) args.push('--quit-after', auth >= 0 ? 'AUTH' : 'EHLO');
  else {
    args.push('--from', shellQuote(address(mail.line)));
    // swaks needs a recipient; a session whose every RCPT was refused is redone with the first one.
    const to = rcpts.length ? rcpts : cmds.filter((c) => /^RCPT TO:/i.test(c.line)).slice(0, 1);
    if (to.length) args.push('--to', shellQuote(to.map((r) => address(r.line)).join(',')));
    if (!content || !rcpts.length) args.push('--quit-after', 'RCPT');
    else {
      // swaks dot-stuffs the message itself and adds the final "." (RFC 5321 4.5.2).
      pre.push(
        '# The message, byte for byte.',
        '{',
        ...printfBytes(unstuffSmtpData(content.bytes)).map((l) => `  ${l}`),
        '} > message.eml',
      );
      args.push('--data', '@message.eml');
    }
  }
  const masked = args.some((a) => a.includes('$MAILWIRE_'));
  const head = [
    `# Redoes the SMTP session recorded in mailwire (${transcript.meta.target}, ${transcript.meta.startedAt}) with swaks.`,
    ...(masked ? ['# The credentials were masked: set MAILWIRE_USERNAME and MAILWIRE_PASSWORD first.'] : []),
  ];
  return { ok: true, command: [...head, ...pre, args.join(' ')].join('\n') + '\n' };
}
