// What a lesson teaches must be true of real servers, not only of ours (issue 12): every lesson
// that is not practice-only (front matter `practiceOnly:` or a scenario) is played with the app's
// own LessonRunner, pressing "type it for me" at each step, against real Dovecot (IMAP, POP3) and
// exim (SMTP) on loopback. Both listen on 127.0.0.2 and the client connects from 127.0.0.1, so
// Dovecot does not count the connection as local and secure: it says LOGINDISABLED before TLS as
// a server on the network would. TLS is verified against the peers' own certificate. exim
// delivers into the maildirs Dovecot reads, so a letter sent in a lesson's SMTP part is there
// for its IMAP or POP3 part. Runs as root (both daemons drop privileges); skips, saying why,
// when a peer is missing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LessonRunner, emptyProgress, loadLessons, newNonce, type Lesson, type PlaceholderValues, type RunnerEffect } from '../../../app/src/lessons/index.ts';
import type { NamedTarget, PracticeTarget } from '../../../app/src/wire/messages.ts';
import { loadOrCreateCredentials } from '../../../bridge/practice/tls.ts';
import { EXIM, eximConfig } from '../../helpers/exim-peer.ts';
import { freePort, has } from '../../helpers/peers.ts';
import { dovecotUsers, NOBODY } from '../practice/imap/dovecot-peer.ts';

const SERVER_IP = '127.0.0.2';
const CLIENT_IP = '127.0.0.1';
const HOSTNAME = 'mail.practice.test';
const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p));
const IS_ROOT = process.getuid?.() === 0;
/** Linux routes all of 127/8 to loopback; elsewhere 127.0.0.2 may not exist. */
const SECOND_LOOPBACK = await freePort(SERVER_IP).then(
  () => true,
  () => false,
);
const missing = [
  !DOVECOT && 'dovecot (apt-get install dovecot-imapd dovecot-pop3d)',
  !EXIM && 'exim (apt-get install exim4-daemon-light)',
  !IS_ROOT && 'root (the daemons run as root)',
  !has('openssl') && 'openssl',
  !SECOND_LOOPBACK && `the loopback address ${SERVER_IP}`,
].filter(Boolean);
const REPLY_TIMEOUT_MS = 8000;

const dir = fileURLToPath(new URL('../../../lessons/', import.meta.url));
const files = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .map((f) => [`/lessons/${f}`, readFileSync(dir + f, 'utf8')]),
);
const { lessons } = loadLessons(files);

/** Every practice target has a real peer here. */
type Peer = { port: number; implicitTls: boolean; protocol: 'smtp' | 'imap' | 'pop3' };
const NOT_HERE: Partial<Record<NamedTarget, string>> = {};

/** Why a lesson is not played against the real servers, or null. */
function notPlayed(l: Lesson): string | null {
  if (l.practiceOnly) return `practice-only: ${l.practiceOnly}`;
  const targets = [l.target, ...l.steps.map((s) => s.connect).filter((t): t is NamedTarget => t !== null)];
  for (const t of targets) if (NOT_HERE[t]) return NOT_HERE[t]!;
  return null;
}

interface Peers {
  targets: Record<string, Peer>;
  ca: string;
  /** Resolves when exim has delivered everything it accepted (its queue is empty). */
  delivered(): Promise<void>;
  stop(): Promise<void>;
}

async function startPeers(): Promise<Peers> {
  const root = await mkdtemp(path.join(tmpdir(), 'mw-real-lessons-'));
  await chmod(root, 0o755);
  const mail = path.join(root, 'mail');
  await mkdir(mail);
  await chown(mail, NOBODY, NOBODY);
  const creds = await loadOrCreateCredentials(path.join(root, 'tls'), HOSTNAME);
  await writeFile(path.join(root, 'key.pem'), creds.key, { mode: 0o600 });
  await writeFile(path.join(root, 'cert.pem'), creds.cert);
  await writeFile(path.join(root, 'passwd'), 'alice:{PLAIN}practice::::::\nbob:{PLAIN}practice::::::\n');
  const [smtp, submission, smtps, imap, imaps, pop3, pop3s] = await Promise.all([1, 2, 3, 4, 5, 6, 7].map(() => freePort(SERVER_IP)));
  await writeFile(path.join(root, 'dovecot.conf'), dovecotConfig(root, { imap, imaps, pop3, pop3s }));
  await mkdir(path.join(root, 'spool'));
  await writeFile(path.join(root, 'exim.conf'), eximConfig(root, { host: SERVER_IP, hostname: HOSTNAME, smtp, submission, smtps, tls: true }));

  const children: ChildProcess[] = [];
  const run = (bin: string, args: string[], log: string) => {
    const out = openSync(path.join(root, log), 'a');
    const child = spawn(bin, args, { stdio: ['ignore', out, out] });
    closeSync(out);
    children.push(child);
    return child;
  };
  run(DOVECOT!, ['-F', '-c', path.join(root, 'dovecot.conf')], 'dovecot.out');
  run(EXIM!, ['-C', path.join(root, 'exim.conf'), '-bdf'], 'exim.out');
  const stop = async () => {
    for (const c of children) {
      if (c.pid && c.exitCode === null) {
        const exited = new Promise((r) => c.once('exit', r));
        process.kill(c.pid, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      }
    }
    await rm(root, { recursive: true, force: true });
  };
  try {
    await Promise.all([smtp, submission, smtps, imap, imaps, pop3, pop3s].map((p) => waitForPort(p, 15_000)));
  } catch (err) {
    const logs = await Promise.all(['dovecot.out', 'dovecot.log', 'exim.out', 'mainlog', 'paniclog'].map((f) => readFile(path.join(root, f), 'utf8').catch(() => '')));
    await stop();
    throw new Error(`the peers did not start: ${(err as Error).message}\n${logs.join('\n')}`, { cause: err });
  }
  const delivered = async () => {
    for (let i = 0; i < 100; i++) {
      const count = spawnSync(EXIM!, ['-C', path.join(root, 'exim.conf'), '-bpc'], { encoding: 'utf8' }).stdout.trim();
      if (count === '0') return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {
    targets: {
      'practice/smtp': { port: smtp, implicitTls: false, protocol: 'smtp' },
      'practice/submission': { port: submission, implicitTls: false, protocol: 'smtp' },
      'practice/smtps': { port: smtps, implicitTls: true, protocol: 'smtp' },
      'practice/imap': { port: imap, implicitTls: false, protocol: 'imap' },
      'practice/imaps': { port: imaps, implicitTls: true, protocol: 'imap' },
      'practice/pop3': { port: pop3, implicitTls: false, protocol: 'pop3' },
      'practice/pop3s': { port: pop3s, implicitTls: true, protocol: 'pop3' },
    },
    ca: creds.cert,
    delivered,
    stop,
  };
}

function dovecotConfig(root: string, p: { imap: number; imaps: number; pop3: number; pop3s: number }): string {
  // As a mail provider sets it up: no password without TLS (LOGINDISABLED, no USER before STLS),
  // STARTTLS/STLS on 143/110, implicit TLS on 993/995; Drafts, Sent and Trash exist, as on the
  // practice server.
  return `
base_dir = ${root}/run
state_dir = ${root}/state
log_path = ${root}/dovecot.log
protocols = imap pop3
listen = ${SERVER_IP}
ssl = yes
ssl_cert = <${root}/cert.pem
ssl_key = <${root}/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:${root}/mail/%u:LAYOUT=fs
first_valid_uid = ${NOBODY}
pop3_uidl_format = %08Xu%08Xv
${dovecotUsers(root)}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    auto = create
    special_use = \\Drafts
  }
  mailbox Sent {
    auto = create
    special_use = \\Sent
  }
  mailbox Trash {
    auto = create
    special_use = \\Trash
  }
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  inet_listener imap {
    port = ${p.imap}
  }
  inet_listener imaps {
    port = ${p.imaps}
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = ${p.pop3}
  }
  inet_listener pop3s {
    port = ${p.pop3s}
    ssl = yes
  }
}
`;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: SERVER_IP, port, localAddress: CLIENT_IP }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${SERVER_IP}:${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the MIME studio would hand over: a real multipart/mixed message with a PNG (as play.test.ts). */
async function studioMessage(values: PlaceholderValues): Promise<string> {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const address = `${values.user}@${values.domain}`;
  const info = await transport.sendMail({ from: address, to: address, subject: `A picture ${values.nonce}`, text: 'Here is a tiny picture.', attachments: [{ filename: 'dot.png', content: png, contentType: 'image/png' }] });
  return (info.message as Buffer).toString('utf8');
}

/** Plays a lesson over raw TCP/TLS sockets to the real peers, as the UI does over the bridge. */
async function play(lesson: Lesson, peers: Peers): Promise<LessonRunner> {
  const values: PlaceholderValues = { user: 'alice', password: 'practice', domain: 'practice.test', peer: 'bob', nonce: newNonce() };
  const runner = new LessonRunner(lesson, values, emptyProgress());
  let socket: net.Socket | null = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  const attach = (s: net.Socket) => {
    s.on('data', (b: Buffer) => {
      if (socket === s) perform(runner.data(new Uint8Array(b)));
      poke();
    });
    s.on('close', () => {
      if (socket === s) perform(runner.closed());
      poke();
    });
    s.on('error', () => {});
  };
  const pending: Promise<void>[] = [];
  const perform = (effects: RunnerEffect[]) => {
    for (const e of effects) {
      if (e.type === 'open') {
        const old = socket;
        socket = null;
        old?.destroy();
        // faraway/* lessons need the practice internet: practiceOnly, so never played here.
        pending.push(open(e.target as PracticeTarget));
      } else if (e.type === 'send') socket!.write(e.text);
      else if (e.type === 'starttls') {
        const plain = socket!;
        plain.removeAllListeners('data');
        plain.removeAllListeners('close');
        const t = tls.connect({ socket: plain, ca: peers.ca, servername: HOSTNAME }, () => {
          perform(runner.tlsReady());
          poke();
        });
        socket = t;
        attach(t);
      } else {
        const old = socket;
        socket = null;
        old?.destroy();
      }
    }
  };
  const open = async (target: PracticeTarget) => {
    const peer = peers.targets[target];
    // A letter sent in the lesson's SMTP part must be in the mailbox before IMAP or POP3 looks.
    if (peer.protocol !== 'smtp') await peers.delivered();
    const opts = { host: SERVER_IP, port: peer.port, localAddress: CLIENT_IP };
    const s = peer.implicitTls ? tls.connect({ ...opts, ca: peers.ca, servername: HOSTNAME }) : net.connect(opts);
    socket = s;
    attach(s);
    s.once(peer.implicitTls ? 'secureConnect' : 'connect', () => {
      if (socket === s) perform(runner.opened(peer.implicitTls));
      poke();
    });
  };
  const describeStep = () => {
    const step = runner.step;
    const result = runner.state.result;
    return `${lesson.fileName}:${step?.line} "${step?.title}" (phase ${runner.state.phase})\nsent: ${JSON.stringify(step?.send)}\nreply: ${JSON.stringify(runner.state.reply)}\ncheck: ${result && !result.pass ? result.message : String(result?.pass)}`;
  };
  try {
    perform(runner.start());
    while (runner.state.phase !== 'done') {
      await Promise.all(pending.splice(0));
      const phase = runner.state.phase;
      if (phase === 'failed') expect.fail(describeStep());
      else if (phase === 'ready') perform(runner.typeItForMe());
      else if (phase === 'studio') {
        values.studio = await studioMessage(values);
        perform(runner.studioBuilt(values.studio));
      } else {
        const woke = await new Promise<boolean>((resolve) => {
          const t = setTimeout(() => resolve(false), REPLY_TIMEOUT_MS);
          wake = () => {
            clearTimeout(t);
            resolve(true);
          };
        });
        if (!woke) {
          expect(phase, `${describeStep()}\n(no TLS within ${REPLY_TIMEOUT_MS} ms)`).not.toBe('upgrading');
          perform(runner.timeout());
        }
      }
    }
  } finally {
    (socket as net.Socket | null)?.destroy();
  }
  return runner;
}

describe.skipIf(missing.length > 0)(`lessons against real Dovecot and exim${missing.length ? ` (skipped: needs ${missing.join(', ')})` : ''}`, () => {
  let peers: Peers;
  beforeAll(async () => {
    peers = await startPeers();
  }, 30_000);
  afterAll(async () => {
    await peers?.stop();
  });

  it('plays at least the IMAP, POP3 and port-25 SMTP lessons', () => {
    const played = lessons.filter((l) => notPlayed(l) === null).map((l) => l.protocol);
    expect(new Set(played)).toEqual(new Set(['smtp', 'imap', 'pop3', 'mime']));
    expect(played.length).toBeGreaterThanOrEqual(11);
  });

  it('leaves out only the lessons that need a practice-only scenario or the practice internet, each saying why', () => {
    const left = lessons.flatMap((l) => (notPlayed(l) ? [`${l.id}: ${notPlayed(l)}`] : []));
    for (const line of left) expect(line).toMatch(/: practice-only: \S/);
    // The journey lessons need faraway.test and the relay, which only the practice server has.
    expect(left.filter((l) => !/needs the practice internet/.test(l)).length).toBeLessThanOrEqual(3);
  });

  for (const lesson of lessons) {
    if (notPlayed(lesson)) continue; // listed by the test above, not skipped in silence
    it(lesson.id, async () => {
      const runner = await play(lesson, peers);
      expect(runner.state.phase).toBe('done');
      expect(runner.state.progress.lessons[lesson.id].completed).toEqual(lesson.steps.map((s) => s.id));
    }, 60_000);
  }
});
