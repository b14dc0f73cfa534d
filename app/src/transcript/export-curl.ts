// The curl form of a recorded session, where curl can say the same thing:
// - SMTP: one mail transaction (--mail-from, --mail-rcpt, -T with the exact message bytes);
// - IMAP: the fetch of one whole message (imap://host/MAILBOX;UID=n or ;MAILINDEX=n, RFC 5092);
// - POP3: RETR of one message (pop3://host/n).
// STARTTLS becomes --ssl-reqd, implicit TLS the smtps/imaps/pop3s scheme. A masked credential
// becomes "$MAILWIRE_USERNAME:$MAILWIRE_PASSWORD" for the shell to fill in.

import type { Transcript } from './model.ts';
import {
  imapArgs,
  imapUnquote,
  isMasked,
  replayFacts,
  saslText,
  unstuffSmtpData,
  type ReplayFacts,
  type ScriptOptions,
} from './replay-facts.ts';

export type CurlResult = { ok: true; command: string } | { ok: false; code: 'CURL_CANNOT_EXPRESS'; message: string };

/** Single-quotes a word for a POSIX shell. */
export const shellQuote = (s: string): string =>
  /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;

/** The exact bytes as printf lines: octal escapes for everything outside printable ASCII. */
export function printfBytes(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const b of bytes) {
    if (b === 0x25) cur += '%%';
    else if (b === 0x5c) cur += '\\\\';
    else if (b === 0x27) cur += "'\\''";
    else if (b === 13) cur += '\\r';
    else if (b === 10) cur += '\\n';
    else if (b >= 0x20 && b < 0x7f) cur += String.fromCharCode(b);
    else cur += `\\${b.toString(8).padStart(3, '0')}`;
    if (b === 10) {
      lines.push(`printf '${cur}'`);
      cur = '';
    }
  }
  if (cur) lines.push(`printf '${cur}'`);
  return lines;
}

const cannot = (message: string): CurlResult => ({ ok: false, code: 'CURL_CANNOT_EXPRESS', message });

function base(f: ReplayFacts, scheme: string, path: string): string[] {
  const host = f.host?.includes(':') ? `[${f.host}]` : (f.host ?? '127.0.0.1');
  const url = `${scheme}${f.implicitTls ? 's' : ''}://${host}:${f.port ?? ''}${path}`;
  const upgraded = f.commands.some((c) => /^(\S+ )?(STARTTLS|STLS)$/i.test(c.line));
  return [
    'curl',
    ...(upgraded ? ['--ssl-reqd'] : []),
    // The practice certificate is self-signed: trust it for this loopback server only.
    ...(f.practice && (upgraded || f.implicitTls) ? ['--insecure'] : []),
    shellQuote(url),
  ];
}

function userOption(user: string | null, pass: string | null): string[] {
  const u = user ?? '$MAILWIRE_USERNAME';
  const p = pass ?? '$MAILWIRE_PASSWORD';
  const quoted =
    user !== null && pass !== null ? shellQuote(`${u}:${p}`) : `"${u.replace(/"/g, '\\"')}:${p.replace(/"/g, '\\"')}"`;
  return ['--user', quoted];
}

export function exportCurl(transcript: Transcript, options: ScriptOptions = {}): CurlResult {
  const f = replayFacts(transcript, options);
  if (f.protocol === 'smtp') return smtpCurl(f);
  if (f.protocol === 'imap') return imapCurl(f);
  return pop3Curl(f);
}

function smtpCurl(f: ReplayFacts): CurlResult {
  const cmds = f.commands;
  const mail = cmds.find((c) => /^MAIL FROM:/i.test(c.line));
  const dataAt = cmds.findIndex((c) => /^DATA$/i.test(c.line) && c.status === '354');
  const content = dataAt >= 0 ? cmds[dataAt + 1] : undefined;
  if (!mail || !content)
    return cannot('curl can redo an SMTP session only when it sent a message (MAIL FROM, RCPT TO, DATA).');
  const rcpts = cmds.filter((c) => /^RCPT TO:/i.test(c.line) && c.status?.startsWith('2'));
  const ehlo = cmds.find((c) => /^(EHLO|HELO) /i.test(c.line));
  const auth = cmds.findIndex((c) => /^AUTH /i.test(c.line));
  const args = base(f, 'smtp', ehlo ? `/${encodeURIComponent(ehlo.line.split(' ')[1] ?? '')}` : '');
  if (auth >= 0) {
    const [, mech = 'PLAIN', initial] = cmds[auth]!.line.split(/\s+/);
    const payloads = [...(initial ? [initial] : []), ...cmds.slice(auth + 1, auth + 3).map((c) => c.line)];
    let user: string | null = null;
    let pass: string | null = null;
    if (mech.toUpperCase() === 'PLAIN') [, user = null, pass = null] = saslText(payloads[0])?.split('\0') ?? [];
    else if (mech.toUpperCase() === 'LOGIN') [user, pass] = [saslText(payloads[0]), saslText(payloads[1])];
    args.push(...userOption(user, pass), '--login-options', shellQuote(`AUTH=${mech.toUpperCase()}`));
  }
  args.push('--mail-from', shellQuote(/<([^>]*)>/.exec(mail.line)?.[1] ?? ''));
  for (const r of rcpts) args.push('--mail-rcpt', shellQuote(/<([^>]*)>/.exec(r.line)?.[1] ?? ''));
  args.push('-T', 'message.eml');
  // curl is silent on SMTP; --write-out prints the code of the server's last reply (the 250 that
  // took the message), without the --verbose trace that would also show the AUTH line.
  args.push('-w', shellQuote('server: %{response_code}\\n'));
  const message = unstuffSmtpData(content.bytes);
  return {
    ok: true,
    command:
      [
        '# The message, byte for byte (curl adds the final "." and the dot-stuffing).',
        '{',
        ...printfBytes(message).map((l) => `  ${l}`),
        '} > message.eml',
        args.join(' '),
      ].join('\n') + '\n',
  };
}

function imapCurl(f: ReplayFacts): CurlResult {
  let mailbox: string | null = null;
  let login: { user: string | null; pass: string | null } | null = null;
  for (const c of f.commands) {
    const [, verbRaw = '', rest = ''] = /^\S+ +(\S+) ?(.*)$/.exec(c.line) ?? [];
    const verb = verbRaw.toUpperCase();
    const args = imapArgs(rest);
    if (verb === 'LOGIN')
      login = {
        user: imapUnquote(args[0] ?? ''),
        pass: args[1] === undefined || isMasked(args[1]) ? null : imapUnquote(args[1]),
      };
    if ((verb === 'SELECT' || verb === 'EXAMINE') && c.status === 'OK') mailbox = imapUnquote(args[0] ?? 'INBOX');
    const uid = verb === 'UID' && args[0]?.toUpperCase() === 'FETCH';
    const fetchArgs = uid ? args.slice(1) : args;
    if (
      mailbox &&
      (verb === 'FETCH' || uid) &&
      /^\d+$/.test(fetchArgs[0] ?? '') &&
      /BODY(\.PEEK)?\[\]|RFC822\b/i.test(fetchArgs.slice(1).join(' '))
    ) {
      const path = `/${encodeURIComponent(mailbox)};${uid ? 'UID' : 'MAILINDEX'}=${fetchArgs[0]}`;
      return {
        ok: true,
        command: [...base(f, 'imap', path), ...(login ? userOption(login.user, login.pass) : [])].join(' ') + '\n',
      };
    }
  }
  return cannot(
    'curl can redo an IMAP session only as the fetch of one whole message (SELECT, then FETCH n BODY[] or UID FETCH).',
  );
}

function pop3Curl(f: ReplayFacts): CurlResult {
  let user: string | null = null;
  let pass: string | null = null;
  for (const c of f.commands) {
    const [verbRaw = '', ...args] = c.line.split(' ');
    const verb = verbRaw.toUpperCase();
    if (verb === 'USER') user = args.join(' ');
    if (verb === 'PASS') pass = isMasked(args.join(' ')) ? null : args.join(' ');
    if (verb === 'RETR' && /^\d+$/.test(args[0] ?? '')) {
      return { ok: true, command: [...base(f, 'pop3', `/${args[0]}`), ...userOption(user, pass)].join(' ') + '\n' };
    }
  }
  return cannot('curl can redo a POP3 session only as the RETR of one message.');
}
