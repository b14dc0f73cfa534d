// Shared by the SMTP integration tests: a practice server on port 0 in a temp dir, a tiny raw SMTP
// client (so a test sees exact reply lines), and a check for external programs.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import nodemailer from 'nodemailer';
import { practiceConfigWithDefaults } from '../../../../bridge/practice/defaults.ts';
import { startPractice } from '../../../../bridge/practice/index.ts';
import { EPHEMERAL_PORTS } from '../../../helpers/practice-ports.ts';
import type { Logger, PracticeConfig, PracticeServer } from '../../../../bridge/practice/types.ts';

export { EPHEMERAL_PORTS as ZERO_PORTS } from '../../../helpers/practice-ports.ts';

export { has } from '../../../helpers/peers.ts';

export interface TestPractice {
  server: PracticeServer;
  dataDir: string;
  port(target: 'smtp' | 'submission' | 'smtps'): number;
  inbox(username: string): ReturnType<ReturnType<PracticeServer['store']['forAccount']>['mailbox']>;
  stop(): Promise<void>;
}

export async function startTestPractice(
  partial: Partial<PracticeConfig> = {},
  log: Logger = () => {},
): Promise<TestPractice> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-smtp-'));
  const server = await startPractice(practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS, ...partial }), log);
  return {
    server,
    dataDir,
    port: (target) => server.endpoints[`practice/${target}`].port,
    inbox: (username) => server.store.forAccount(username).mailbox('INBOX'),
    async stop() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * nodemailer to the practice server as a real sender is set up: submission with STARTTLS required,
 * or smtps, TLS checked against the practice certificate.
 */
export function practiceTransport(t: TestPractice, target: 'submission' | 'smtps', user: string, pass: string) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: t.port(target),
    secure: target === 'smtps',
    requireTLS: target === 'submission',
    auth: { user, pass },
    tls: { ca: [t.server.credentials.cert], servername: 'mail.practice.test' },
  });
}

/** A line-level SMTP client: `cmd` sends a line and returns the whole (multi-line) reply. */
export class RawSmtp {
  private buffer = '';
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(private socket: net.Socket | tls.TLSSocket) {
    this.attach(socket);
  }

  private attach(socket: net.Socket | tls.TLSSocket): void {
    socket.on('data', (d: Buffer) => {
      this.buffer += d.toString('latin1');
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  static async connect(port: number, implicitTls = false): Promise<RawSmtp> {
    const socket = implicitTls
      ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false })
      : net.connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once(implicitTls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawSmtp(socket);
  }

  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  /** Resolves with the next complete reply (all lines up to "NNN "), or '' if the server closed. */
  async reply(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = /^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n/.exec(this.buffer);
      if (m) {
        this.buffer = this.buffer.slice(m[0].length);
        return m[0];
      }
      if (this.closed) return '';
      if (Date.now() > deadline)
        throw new Error(`no reply within ${timeoutMs} ms; buffer: ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  async cmd(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  /** STARTTLS, then the TLS handshake; `pipelined` is sent in clear right behind the command. */
  async starttls(pipelined?: string): Promise<string> {
    const r = await this.cmd(pipelined === undefined ? 'STARTTLS' : `STARTTLS\r\n${pipelined}`);
    if (!r.startsWith('220')) return r;
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const secure = tls.connect({ socket: plain, rejectUnauthorized: false, servername: 'mail.practice.test' });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.attach(secure);
    return r;
  }

  async login(user: string, password: string): Promise<string> {
    return this.cmd(`AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}`);
  }

  destroy(): void {
    this.socket.destroy();
  }

  end(): void {
    this.socket.end();
  }
}

export function sampleMessage(to: string, subject: string, body = 'Hello from a test.'): string {
  return [
    'From: alice@practice.test',
    `To: ${to}`,
    `Subject: ${subject}`,
    `Message-ID: <${subject.replace(/\W/g, '')}.${Date.now()}@practice.test>`,
    'Date: Wed, 25 Nov 2026 10:00:00 +0000',
    '',
    body,
    '',
  ].join('\r\n');
}

/** Raw stored bytes of every INBOX message of `username` whose Subject matches. */
export async function findBySubject(t: TestPractice, username: string, subject: string): Promise<Buffer[]> {
  const inbox = t.inbox(username)!;
  const out: Buffer[] = [];
  for (const m of inbox.messages()) {
    const raw = await inbox.read(m.uid);
    if (raw && raw.toString('utf8').includes(`Subject: ${subject}`)) out.push(raw);
  }
  return out;
}
