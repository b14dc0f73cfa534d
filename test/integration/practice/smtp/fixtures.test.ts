// Replays the sessions in test/fixtures/smtp/*.txt against the practice server and, when it can be
// started (exim4 installed, running as root), against a real Exim on a loopback port, and compares
// reply classes (RFC 5321 4.2.1: clients act on the first digit). See test/fixtures/smtp/README.md.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSmtp, has, startTestPractice, type TestPractice } from './helpers.ts';
import { freePort } from '../../../helpers/peers.ts';

const FIXTURES = path.resolve('test/fixtures/smtp');
const fixtureNames = (await readdir(FIXTURES)).filter((f) => f.endsWith('.txt')).sort();

interface Step {
  expect: string; // '2xx'..'5xx' or '...'
  line: string;
}

async function load(name: string): Promise<Step[]> {
  const text = await readFile(path.join(FIXTURES, name), 'utf8');
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\dxx|\.\.\.)(?: (.*))?$/.exec(l.replace(/\r$/, ''));
      if (!m) throw new Error(`${name}: cannot read the line ${JSON.stringify(l)}`);
      return { expect: m[1], line: m[2] ?? '' };
    });
}

/** Runs one session; returns the reply class ("2xx") of every step that awaits a reply. */
async function replay(port: number, steps: Step[]): Promise<string[]> {
  const c = await RawSmtp.connect(port);
  try {
    const greeting = await c.reply();
    expect(greeting).toMatch(/^220[ -]/);
    const classes: string[] = [];
    for (const step of steps) {
      if (step.expect === '...') {
        c.write(`${step.line}\r\n`);
        continue;
      }
      const reply = await c.cmd(step.line);
      classes.push(reply ? `${reply[0]}xx` : 'closed');
    }
    return classes;
  } finally {
    c.destroy();
  }
}

const expected = (steps: Step[]) => steps.filter((s) => s.expect !== '...').map((s) => s.expect);

describe('SMTP fixtures against the practice server', () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await startTestPractice({ limits: { maxLineLength: 8192, maxMessageSize: 2048, idleTimeoutMs: 60_000 } });
  });
  afterAll(async () => {
    await t.stop();
  });
  it.each(fixtureNames)('%s', async (name) => {
    const steps = await load(name);
    expect(await replay(t.port('smtp'), steps)).toEqual(expected(steps));
  });
});

const canRunExim = has('exim4') && process.getuid?.() === 0;
describe.skipIf(!canRunExim)('SMTP fixtures against a real Exim (needs exim4 and root)', () => {
  let dir = '';
  let port = 0;
  let exim: ChildProcess | null = null;
  let t: TestPractice;

  beforeAll(async () => {
    t = await startTestPractice({ limits: { maxLineLength: 8192, maxMessageSize: 2048, idleTimeoutMs: 60_000 } });
    dir = await mkdtemp(path.join(tmpdir(), 'mailwire-exim-'));
    await chmod(dir, 0o755); // mkdtemp makes it 0700; Exim's own user must reach spool/ and log/
    port = await freePort();
    await mkdir(path.join(dir, 'spool'));
    await mkdir(path.join(dir, 'log'));
    await writeFile(path.join(dir, 'exim.conf'), eximConfig(dir, port));
    // Exim drops to its own user for reception; that user must own the spool and log.
    execFileSync('chown', ['-R', 'Debian-exim', path.join(dir, 'spool'), path.join(dir, 'log')]);
    const output = await open(path.join(dir, 'exim.out'), 'w');
    exim = spawn('exim4', ['-C', path.join(dir, 'exim.conf'), '-bdf'], { stdio: ['ignore', output.fd, output.fd] });
    await output.close();
    await waitForPort(port).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${await readFile(path.join(dir, 'exim.out'), 'utf8')}`);
    });
  }, 20_000);

  afterAll(async () => {
    if (exim?.pid && exim.exitCode === null) {
      const gone = new Promise((r) => exim!.once('exit', r));
      process.kill(exim.pid, 'SIGTERM');
      await gone;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
    await t?.stop();
  });

  it.each(fixtureNames)('%s: same reply classes as Exim', async (name) => {
    const steps = await load(name);
    const fromExim = await replay(port, steps);
    expect(fromExim, 'Exim disagrees with the fixture').toEqual(expected(steps));
    expect(await replay(t.port('smtp'), steps)).toEqual(fromExim);
  });
});

function eximConfig(dir: string, port: number): string {
  return `primary_hostname = mail.practice.test
domainlist local_domains = practice.test
qualify_domain = practice.test
spool_directory = ${dir}/spool
log_file_path = ${dir}/log/%slog
pid_file_path = ${dir}/exim.pid
daemon_smtp_ports = ${port}
local_interfaces = <; 127.0.0.1
message_size_limit = 2K
host_lookup =
rfc1413_hosts =
tls_advertise_hosts =
acl_smtp_rcpt = acl_check_rcpt
never_users =
# Exim hangs up after 3 protocol errors by default; the fixtures make more on purpose.
smtp_max_synprot_errors = 50

begin acl
acl_check_rcpt:
  accept domains = +local_domains
         local_parts = alice : bob
  deny   domains = +local_domains
         message = No such user here
  deny   message = Relay access denied

begin routers
blackhole:
  driver = redirect
  domains = +local_domains
  data = :blackhole:
`;
}

async function waitForPort(p: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: p });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`exim did not start listening on 127.0.0.1:${p}`);
}
