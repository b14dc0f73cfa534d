// The runnable export: a Python 3 script (smtplib / imaplib / poplib) that redoes the recorded
// exchange command by command and checks each reply against the status the recording got.
// Credentials are masked unless revealed; a masked one is read from MAILWIRE_USERNAME /
// MAILWIRE_PASSWORD, with a clear message when missing. The curl form lives in export-curl.ts.

import type { Transcript } from './model.ts';
import {
  imapArgs,
  imapUnquote,
  isMasked,
  replayFacts,
  saslText,
  unstuffSmtpData,
  type ReplayCommand,
  type ReplayFacts,
  type ScriptOptions,
} from './replay-facts.ts';

/** A Python str literal. JSON's escapes are valid Python for every string JSON can hold. */
export const pyStr = (s: string): string => JSON.stringify(s);

/** A Python bytes literal, one source line per protocol line so the message stays readable. */
export function pyBytes(bytes: Uint8Array, indent = '    '): string {
  const lines: string[] = [];
  let cur = '';
  for (const b of bytes) {
    if (b === 0x5c) cur += '\\\\';
    else if (b === 0x22) cur += '\\"';
    else if (b === 13) cur += '\\r';
    else if (b === 10) cur += '\\n';
    else if (b === 9) cur += '\\t';
    else if (b >= 0x20 && b < 0x7f) cur += String.fromCharCode(b);
    else cur += `\\x${b.toString(16).padStart(2, '0')}`;
    if (b === 10) {
      lines.push(`b"${cur}"`);
      cur = '';
    }
  }
  if (cur || lines.length === 0) lines.push(`b"${cur}"`);
  return lines.length === 1 ? lines[0]! : `(\n${lines.map((l) => indent + l).join('\n')}\n)`;
}

interface Credentials {
  username: string | null; // null: masked
  password: string | null;
  used: boolean;
}

function header(f: ReplayFacts, library: string, transcript: Transcript): string[] {
  return [
    '#!/usr/bin/env python3',
    `"""Redoes the ${f.protocol.toUpperCase()} session recorded in mailwire (${transcript.meta.target}, ${transcript.meta.startedAt}).`,
    '',
    `Uses Python's ${library}. Each command is sent as recorded and its reply is checked against the`,
    'status the recording got; the script stops with a message at the first difference.',
    'Environment: MAILWIRE_HOST and MAILWIRE_PORT override the server; MAILWIRE_DEBUG=1 shows the',
    'protocol lines (including credentials, so not for shared screens).',
    '"""',
    'import os',
    'import ssl',
    'import sys',
    `import ${library}`,
    '',
    `HOST = os.environ.get("MAILWIRE_HOST", ${pyStr(f.host ?? '127.0.0.1')})`,
    `PORT = int(os.environ.get("MAILWIRE_PORT", ${pyStr(String(f.port ?? ''))}))`,
    'DEBUG = int(os.environ.get("MAILWIRE_DEBUG", "0"))',
    '',
  ];
}

function credentialLines(c: Credentials): string[] {
  if (!c.used) return [];
  const line = (name: string, value: string | null) =>
    value !== null
      ? `${name} = os.environ.get("MAILWIRE_${name}", ${pyStr(value)})`
      : `${name} = os.environ.get("MAILWIRE_${name}") or sys.exit("Set MAILWIRE_${name}: it was masked when this script was exported.")`;
  return [line('USERNAME', c.username), line('PASSWORD', c.password), ''];
}

function tlsContextLines(f: ReplayFacts): string[] {
  const lines = ['context = ssl.create_default_context()'];
  if (f.practice) {
    lines.push(
      '# The practice server has a self-signed certificate (mailwire pins it); the system CAs cannot',
      '# vouch for it, so verification is off for this loopback server only. Keep it on elsewhere.',
      'context.check_hostname = False',
      'context.verify_mode = ssl.CERT_NONE',
    );
  }
  return [...lines, ''];
}

const CHECK_PY = [
  'def said(reply):',
  '    """The server\'s words in what a library returned (bytes, or a list or tuple holding some)."""',
  '    if isinstance(reply, bytes):',
  '        return reply.decode("utf-8", "replace")',
  '    if isinstance(reply, (list, tuple)):',
  '        return " ".join(said(r) for r in reply if isinstance(r, (bytes, str)))',
  '    return reply if isinstance(reply, str) else ""',
  '',
  'def check(what, got, recorded):',
  '    """Stops unless the reply has the recorded status: same class for SMTP codes and POP3 (+/-),',
  '    the same word for IMAP (OK, NO, BAD). `got` is a status, or (status, what the server said)."""',
  '    got, words = (got[0], said(got[1])) if isinstance(got, tuple) else (got, "")',
  '    print(f"{what}: {got} (recorded {recorded or \'no reply\'})")',
  '    if words:',
  '        print(f"  S: {words}")',
  '    if not recorded:  # the recording ended before this reply',
  '        return',
  '    same = str(got)[:1] == recorded[:1] if recorded[:1] in "+-0123456789" else str(got) == recorded',
  '    if not same:',
  '        sys.exit(f"{what}: the server answered {got}, the recording got {recorded}")',
  '',
];

/** The Python script that redoes the session. */
export function exportPythonScript(transcript: Transcript, options: ScriptOptions = {}): string {
  const f = replayFacts(transcript, options);
  const body = f.protocol === 'smtp' ? smtpBody(f) : f.protocol === 'imap' ? imapBody(f) : pop3Body(f);
  const library = { smtp: 'smtplib', imap: 'imaplib', pop3: 'poplib' }[f.protocol];
  return (
    [
      ...header(f, library, transcript),
      ...credentialLines(body.credentials),
      ...tlsContextLines(f),
      ...CHECK_PY,
      ...body.lines,
    ].join('\n') + '\n'
  );
}

const status = (c: ReplayCommand) => pyStr(c.status ?? '');
const verbOf = (line: string) => (line.split(' ')[0] ?? '').toUpperCase();

function smtpBody(f: ReplayFacts): { lines: string[]; credentials: Credentials } {
  const creds: Credentials = { username: null, password: null, used: false };
  const out = [
    f.implicitTls ? 'smtp = smtplib.SMTP_SSL(HOST, PORT, context=context)' : 'smtp = smtplib.SMTP(HOST, PORT)',
    'smtp.set_debuglevel(DEBUG)',
  ];
  const cmds = f.commands;
  let quit = false;
  let txn: { mail: ReplayCommand; rcpts: ReplayCommand[] } | null = null;
  for (let i = 0; i < cmds.length; i++) {
    const c = cmds[i]!;
    const verb = verbOf(c.line);
    const arg = c.line.slice(verb.length).trim();
    if (verb === 'EHLO' || verb === 'HELO') {
      out.push(`check(${pyStr(verb)}, smtp.${verb.toLowerCase()}(${pyStr(arg)}), ${status(c)})`);
    } else if (verb === 'STARTTLS') {
      out.push(`check("STARTTLS", smtp.starttls(context=context), ${status(c)})`);
    } else if (verb === 'AUTH') {
      const [mech = 'PLAIN', initial] = arg.split(/\s+/);
      const answers: ReplayCommand[] = [];
      let last = c;
      while (last.status === '334' && cmds[i + 1]) answers.push((last = cmds[++i]!));
      const payloads = [...(initial !== undefined ? [initial] : []), ...answers.map((a) => a.line)];
      creds.used = true;
      if (mech.toUpperCase() === 'PLAIN') {
        const parts = saslText(payloads[0])?.split('\0');
        if (parts && parts.length === 3) [creds.username, creds.password] = [parts[1]!, parts[2]!];
      } else if (mech.toUpperCase() === 'LOGIN') {
        creds.username = saslText(payloads[0]);
        creds.password = saslText(payloads[1]);
      }
      const authFn = { PLAIN: 'smtp.auth_plain', LOGIN: 'smtp.auth_login', 'CRAM-MD5': 'smtp.auth_cram_md5' }[
        mech.toUpperCase()
      ];
      if (!authFn) {
        out.push(
          `# AUTH ${mech} has no smtplib helper: logging in with the best mechanism both sides know.`,
          'smtp.login(USERNAME, PASSWORD)',
        );
        continue;
      }
      out.push(
        'smtp.user, smtp.password = USERNAME, PASSWORD',
        'try:',
        `    code = smtp.auth(${pyStr(mech.toUpperCase())}, ${authFn}, initial_response_ok=${initial !== undefined ? 'True' : 'False'})[0]`,
        'except smtplib.SMTPAuthenticationError as e:',
        '    code = e.smtp_code',
        `check("AUTH ${mech.toUpperCase()}", code, ${status(last)})`,
      );
    } else if (verb === 'MAIL') {
      txn = { mail: c, rcpts: [] };
    } else if (verb === 'RCPT' && txn) {
      txn.rcpts.push(c);
    } else if (verb === 'DATA' && txn) {
      const content = c.status === '354' ? cmds[i + 1] : undefined;
      if (content) i++;
      out.push(...smtpTransaction(txn.mail, txn.rcpts, c, content));
      txn = null;
    } else if (verb === 'QUIT') {
      out.push(`check("QUIT", smtp.quit(), ${status(c)})`);
      quit = true;
    } else {
      if (txn) out.push(...smtpTransaction(txn.mail, txn.rcpts, null, undefined));
      txn = null;
      out.push(`check(${pyStr(c.line)}, smtp.docmd(${pyStr(c.line)}), ${status(c)})`);
    }
  }
  if (txn) out.push(...smtpTransaction(txn.mail, txn.rcpts, null, undefined));
  if (!quit) out.push('smtp.close()');
  return { lines: out, credentials: creds };
}

const mailAddress = (line: string) => /<([^>]*)>/.exec(line)?.[1] ?? '';
/** ESMTP parameters after the address; SIZE is left to smtplib, which adds it itself. */
const mailParams = (line: string) =>
  line
    .slice(line.indexOf('>') + 1)
    .trim()
    .split(/\s+/)
    .filter((p) => p && !/^SIZE=/i.test(p));

function smtpTransaction(
  mail: ReplayCommand,
  rcpts: ReplayCommand[],
  data: ReplayCommand | null,
  content: ReplayCommand | undefined,
): string[] {
  const out: string[] = [];
  const message = content ? pyBytes(unstuffSmtpData(content.bytes)) : null;
  const ok = (c: ReplayCommand | undefined) => !!c?.status && c.status.startsWith('2');
  const from = pyStr(mailAddress(mail.line));
  if (message && ok(mail) && rcpts.every(ok) && ok(content)) {
    // Everything was accepted: sendmail does MAIL, RCPT and DATA, and the dot-stuffing.
    out.push(
      `MESSAGE = ${message}`,
      `refused = smtp.sendmail(${from}, [${rcpts.map((r) => pyStr(mailAddress(r.line))).join(', ')}], MESSAGE, mail_options=${pyList(mailParams(mail.line))})`,
      'check("sendmail", 250 if not refused else refused, "250")',
    );
    return out;
  }
  // Something was refused in the recording: the same commands one by one, expecting the same codes.
  out.push(`check("MAIL FROM", smtp.mail(${from}, ${pyList(mailParams(mail.line))}), ${status(mail)})`);
  for (const r of rcpts)
    out.push(`check("RCPT TO", smtp.rcpt(${pyStr(mailAddress(r.line))}, ${pyList(mailParams(r.line))}), ${status(r)})`);
  if (data) {
    if (message && content) out.push(`MESSAGE = ${message}`, `check("DATA", smtp.data(MESSAGE), ${status(content)})`);
    else out.push(`check("DATA", smtp.docmd("DATA"), ${status(data)})`);
  }
  return out;
}

const pyList = (items: string[]) => `[${items.map(pyStr).join(', ')}]`;

function imapBody(f: ReplayFacts): { lines: string[]; credentials: Credentials } {
  const creds: Credentials = { username: null, password: null, used: false };
  const out = [
    'def run(name, args, recorded):',
    '    """Sends one command as recorded; imaplib numbers the tags itself."""',
    '    try:',
    '        if name not in imaplib.Commands:',
    '            typ, data = imap.xatom(name, args) if args else imap.xatom(name)',
    '        else:',
    '            typ, data = imap._simple_command(name, args) if args else imap._simple_command(name)',
    '    except imap.error as e:  # imaplib raises on BAD',
    '        typ, data = "BAD", [str(e).encode()]',
    '    check(f"{name} {args}".strip(), (typ, data), recorded)',
    '    return data',
    '',
    f.implicitTls ? 'imap = imaplib.IMAP4_SSL(HOST, PORT, ssl_context=context)' : 'imap = imaplib.IMAP4(HOST, PORT)',
    'imap.debug = 4 if DEBUG else 0',
  ];
  let loggedOut = false;
  for (const c of f.commands) {
    const [, verbRaw = '', rest = ''] = /^\S+ +(\S+) ?(.*)$/.exec(c.line) ?? [];
    const verb = verbRaw.toUpperCase();
    if (verb === 'APPEND' && /\{\d+\+?\}$/.test(c.line)) {
      out.push(...imapAppend(c, rest));
      continue;
    }
    if (c.step.sent.length > 1 || /\{\d+\+?\}$/.test(c.line) || verb === 'IDLE') {
      out.push(`# Not redone: ${pyStr(c.line).slice(1, -1)} (a literal or continuation exchange).`);
      continue;
    }
    if (verb === 'STARTTLS') out.push(`check("STARTTLS", imap.starttls(ssl_context=context), ${status(c)})`);
    else if (verb === 'LOGIN') {
      const [user = '', pass] = imapArgs(rest);
      creds.used = true;
      creds.username = imapUnquote(user);
      creds.password = pass === undefined || isMasked(pass) ? null : imapUnquote(pass);
      out.push(
        'try:',
        '    typ = imap.login(USERNAME, PASSWORD)[0]',
        'except imap.error:',
        '    typ = "NO"',
        `check("LOGIN", typ, ${status(c)})`,
      );
    } else if (verb === 'AUTHENTICATE') {
      creds.used = true;
      out.push(
        '# AUTHENTICATE PLAIN (RFC 4616): authorization id, user name and password separated by NUL.',
        'try:',
        '    typ = imap.authenticate("PLAIN", lambda _: f"\\0{USERNAME}\\0{PASSWORD}".encode())[0]',
        'except imap.error:',
        '    typ = "NO"',
        `check("AUTHENTICATE", typ, ${status(c)})`,
      );
    } else if (verb === 'SELECT' || verb === 'EXAMINE') {
      out.push(
        `check(${pyStr(verb)}, imap.select(${pyStr(rest)}, readonly=${verb === 'EXAMINE' ? 'True' : 'False'}), ${status(c)})`,
      );
    } else if (verb === 'CLOSE') out.push(`check("CLOSE", imap.close(), ${status(c)})`);
    else if (verb === 'LOGOUT') {
      out.push(`check("LOGOUT", imap.logout(), "BYE")`);
      loggedOut = true;
    } else out.push(`run(${pyStr(verb)}, ${pyStr(rest)}, ${status(c)})`);
  }
  if (!loggedOut) out.push('imap.shutdown()');
  return { lines: out, credentials: creds };
}

/** APPEND mailbox [(flags)] ["date-time"] {n}: the literal is the message (RFC 3501 6.3.11). */
function imapAppend(c: ReplayCommand, rest: string): string[] {
  const args = imapArgs(rest);
  const size = Number(/\{(\d+)\+?\}$/.exec(rest)![1]);
  const lf = c.bytes.indexOf(10);
  const message = c.bytes.subarray(lf + 1, lf + 1 + size);
  const flags = args.find((a, i) => i > 0 && a.startsWith('('));
  const date = args.find((a, i) => i > 0 && a.startsWith('"'));
  return [
    `MESSAGE = ${pyBytes(message)}`,
    `check("APPEND", imap.append(${pyStr(args[0] ?? 'INBOX')}, ${flags ? pyStr(flags) : 'None'}, ${date ? pyStr(date) : 'None'}, MESSAGE), ${status(c)})`,
  ];
}

function pop3Body(f: ReplayFacts): { lines: string[]; credentials: Credentials } {
  const creds: Credentials = { username: null, password: null, used: false };
  const out = [
    'def run(what, call, recorded):',
    '    """poplib raises error_proto on a reply that does not start with "+": the -ERR case."""',
    '    try:',
    '        got = ("+OK", call())',
    '    except poplib.error_proto as e:',
    '        got = ("-ERR", e.args[0] if e.args else b"")',
    '    check(what, got, recorded)',
    '',
    f.implicitTls ? 'pop = poplib.POP3_SSL(HOST, PORT, context=context)' : 'pop = poplib.POP3(HOST, PORT)',
    'pop.set_debuglevel(DEBUG)',
  ];
  const calls: Record<string, (a: string[]) => string> = {
    STLS: () => 'pop.stls(context=context)',
    USER: () => 'pop.user(USERNAME)',
    PASS: () => 'pop.pass_(PASSWORD)',
    STAT: () => 'pop.stat()',
    LIST: (a) => (a[0] ? `pop.list(${pyStr(a[0])})` : 'pop.list()'),
    UIDL: (a) => (a[0] ? `pop.uidl(${pyStr(a[0])})` : 'pop.uidl()'),
    RETR: (a) => `pop.retr(${pyStr(a[0] ?? '')})`,
    TOP: (a) => `pop.top(${pyStr(a[0] ?? '')}, ${Number(a[1] ?? 0)})`,
    DELE: (a) => `pop.dele(${pyStr(a[0] ?? '')})`,
    NOOP: () => 'pop.noop()',
    RSET: () => 'pop.rset()',
    CAPA: () => 'pop.capa()',
    QUIT: () => 'pop.quit()',
  };
  let quit = false;
  for (const c of f.commands) {
    const [verbRaw = '', ...args] = c.line.split(' ');
    const verb = verbRaw.toUpperCase();
    if (verb === 'USER') {
      creds.used = true;
      creds.username = args.join(' ');
    }
    if (verb === 'PASS') {
      creds.used = true;
      creds.password = isMasked(args.join(' ')) ? null : args.join(' ');
    }
    if (verb === 'QUIT') quit = true;
    const call = calls[verb]?.(args) ?? `pop._shortcmd(${pyStr(c.line)})`;
    out.push(`run(${pyStr(verb)}, lambda: ${call}, ${status(c)})`);
  }
  if (!quit) out.push('pop.close()');
  return { lines: out, credentials: creds };
}
