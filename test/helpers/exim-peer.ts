// exim as a test peer (Debian package exim4-daemon-light): its configuration, and a plain one on
// loopback for bench/smtp.ts. Runs as root (exim_user root; deliveries run as nobody).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOrCreateCredentials } from '../../bridge/practice/tls.ts';
import { freePort } from './peers.ts';

export const EXIM = ['/usr/sbin/exim4', '/usr/sbin/exim'].find((p) => existsSync(p));
/** The uid exim delivers mail as (nobody), as the test Dovecots read it. */
const NOBODY = 65534;

/**
 * One exim for practice.test. With `tls` (as real-servers.test.ts runs it): three ports, 25-style
 * (STARTTLS offered, no AUTH), submission (STARTTLS, AUTH PLAIN and LOGIN only under TLS) and
 * implicit TLS, with the certificate at root/cert.pem and root/key.pem. Without: the smtp port
 * alone, no TLS (bench/smtp.ts). Local recipients alice, bob and postmaster go into maildirs under
 * root/mail (those a Dovecot there reads); other domains are refused to strangers; exim's own
 * synchronization check is on (it is what catches a group RFC 2920 forbids). Debian's exim is
 * built without disable_fsync: it syncs each message's spool files before its 250.
 */
export function eximConfig(
  root: string,
  o: { host: string; hostname: string; smtp: number } & (
    { tls: true; submission: number; smtps: number } | { tls: false }
  ),
): string {
  const tls = o.tls
    ? `daemon_smtp_ports = ${o.smtp} : ${o.submission} : ${o.smtps}
tls_on_connect_ports = ${o.smtps}
tls_certificate = ${root}/cert.pem
tls_privatekey = ${root}/key.pem
tls_advertise_hosts = *`
    : `daemon_smtp_ports = ${o.smtp}
tls_advertise_hosts =
# Deliver every message at once, not only the first 10 of a connection (the default queues the
# rest for a queue runner this exim does not have).
smtp_accept_queue_per_connection = 0`;
  return `
primary_hostname = ${o.hostname}
domainlist local_domains = practice.test
local_interfaces = ${o.host}
${tls}
spool_directory = ${root}/spool
log_file_path = ${root}/%slog
pid_file_path = ${root}/exim.pid
exim_user = root
exim_group = root
never_users =
host_lookup =
rfc1413_hosts =
keep_environment =
acl_smtp_rcpt = acl_check_rcpt
# No PIPECONNECT: exim then enforces RFC 2920 section 3.1 and answers a client that does not wait
# where it must (EHLO or DATA inside a group) with "554 SMTP synchronization error".
pipelining_connect_advertise_hosts =
begin acl
acl_check_rcpt:
  # A logged-in client is a submission client: exim then adds a missing Date and Message-ID
  # (RFC 6409 section 8), as a provider's submission server does.
  accept  authenticated = *
          control = submission/sender_retain
  deny    !domains = +local_domains
          message = relay not permitted
  require verify = recipient
  accept
begin routers
localuser:
  driver = accept
  domains = +local_domains
  local_parts = alice : bob : postmaster
  transport = local_maildir
begin transports
local_maildir:
  driver = appendfile
  directory = ${root}/mail/\${local_part_data}
  maildir_format
  # Final delivery writes the reverse-path into Return-Path (RFC 5321 section 4.4), as Debian's
  # own exim configuration does.
  return_path_add
  create_directory
  user = ${NOBODY}
  group = ${NOBODY}
  mode = 0600
  directory_mode = 0700
begin retry
* * F,1h,1m
begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = \${if and {{match{$auth2}{\\N^(alice|bob)$\\N}}{eq{$auth3}{practice}}}}
  server_set_id = $auth2
  server_advertise_condition = \${if and {{def:tls_in_cipher}{!={$received_port}{${o.smtp}}}}}
login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = Username:: : Password::
  server_condition = \${if and {{match{$auth1}{\\N^(alice|bob)$\\N}}{eq{$auth2}{practice}}}}
  server_set_id = $auth1
  server_advertise_condition = \${if and {{def:tls_in_cipher}{!={$received_port}{${o.smtp}}}}}
`;
}

export interface EximPeer {
  port: number;
  /** With `tls`: the implicit-TLS port, where AUTH PLAIN and LOGIN are offered. */
  smtps: number | null;
  /** The temp dir: maildirs under mail/<user>, spool, logs. */
  dir: string;
  /** Messages in exim's queue (accepted, not yet delivered). */
  queued(): number;
  stop(): Promise<void>;
}

/** An exim for practice.test on 127.0.0.1, in a temp dir: plain (no TLS, no AUTH), or with `tls`
 *  the three ports of eximConfig, with a certificate of its own. */
export async function startExim(o: { tls?: boolean } = {}): Promise<EximPeer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'exim-peer-'));
  await chmod(dir, 0o755);
  await mkdir(path.join(dir, 'mail'));
  await chown(path.join(dir, 'mail'), NOBODY, NOBODY);
  await mkdir(path.join(dir, 'spool'));
  const port = await freePort();
  const conf = path.join(dir, 'exim.conf');
  const host = { host: '127.0.0.1', hostname: 'mail.practice.test', smtp: port };
  let smtps: number | null = null;
  if (o.tls) {
    const creds = await loadOrCreateCredentials(path.join(dir, 'tls'), host.hostname);
    await writeFile(path.join(dir, 'key.pem'), creds.key, { mode: 0o600 });
    await writeFile(path.join(dir, 'cert.pem'), creds.cert);
    smtps = await freePort();
    await writeFile(conf, eximConfig(dir, { ...host, tls: true, submission: await freePort(), smtps }));
  } else await writeFile(conf, eximConfig(dir, { ...host, tls: false }));
  const out = openSync(path.join(dir, 'exim.out'), 'a');
  const exim = spawn(EXIM!, ['-C', conf, '-bdf'], { stdio: ['ignore', out, out] });
  closeSync(out);
  const stop = async () => {
    if (exim.pid && exim.exitCode === null) {
      const exited = new Promise((r) => exim.once('exit', r));
      process.kill(exim.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    const listening = (p: number) =>
      new Promise<boolean>((resolve) => {
        const s = net.connect(p, '127.0.0.1', () => (s.destroy(), resolve(true)));
        s.on('error', () => resolve(false));
      });
    if ((await listening(port)) && (smtps === null || (await listening(smtps)))) break;
    if (Date.now() > deadline || exim.exitCode !== null) {
      const log = await Promise.all(
        ['exim.out', 'paniclog', 'mainlog'].map((f) => readFile(path.join(dir, f), 'utf8').catch(() => '')),
      );
      await stop();
      throw new Error(`exim did not answer on 127.0.0.1:${port}\n${log.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const queued = () => Number(spawnSync(EXIM!, ['-C', conf, '-bpc'], { encoding: 'utf8' }).stdout.trim());
  return { port, smtps, dir, queued, stop };
}
