// startPractice as the bridge uses it: seven listeners on port 0, endpoints with the bound ports,
// the certificate kept and reused in the data dir, the accounts summary, class accounts, close().
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import selfsigned from 'selfsigned';
import { afterEach, describe, expect, it } from 'vitest';
import { PRACTICE_TARGETS } from '../../../app/src/wire/messages.ts';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { startPractice, type RunningPractice } from '../../../bridge/practice/index.ts';
import type { PracticeConfig } from '../../../bridge/practice/types.ts';
type PracticeServer = RunningPractice;
import { ZERO_PORTS } from './smtp/helpers.ts';

const dirs: string[] = [];
const servers: PracticeServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function start(partial: Partial<PracticeConfig> = {}, dataDir?: string): Promise<PracticeServer> {
  const dir = dataDir ?? (await mkdtemp(path.join(tmpdir(), 'mailwire-index-')));
  if (!dataDir) dirs.push(dir);
  const s = await startPractice(practiceConfigWithDefaults({ dataDir: dir, ports: ZERO_PORTS, ...partial }), () => {});
  servers.push(s);
  return s;
}

function greeting(port: number, secure: boolean): Promise<{ line: string; cert?: tls.PeerCertificate }> {
  return new Promise((resolve, reject) => {
    const socket = secure
      ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false })
      : net.connect({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('data', (d: Buffer) => {
      const cert = secure ? (socket as tls.TLSSocket).getPeerCertificate() : undefined;
      socket.destroy();
      resolve({ line: d.toString(), cert });
    });
  });
}

describe('startPractice', () => {
  it('binds eight distinct ports (seven mail, one DNS) and describes each endpoint truthfully', async () => {
    const s = await start();
    expect(Object.keys(s.endpoints).sort()).toEqual([...PRACTICE_TARGETS].sort());
    const ports = Object.values(s.endpoints).map((e) => e.port);
    expect(new Set(ports).size).toBe(8);
    expect(s.endpoints['practice/dns']).toMatchObject({ port: s.dns.port, tls: 'none', starttls: false });
    expect(ports.every((p) => p > 0)).toBe(true);
    expect(s.endpoints['practice/smtps']).toMatchObject({ host: '127.0.0.1', tls: 'implicit', starttls: false });
    expect(s.endpoints['practice/submission']).toMatchObject({ tls: 'none', starttls: true });
    // Every endpoint answers with something, in the TLS mode it claims.
    // DNS speaks only when asked (test/integration/bridge/dns-query.test.ts asks it through the relay).
    for (const [target, ep] of Object.entries(s.endpoints).filter(([t]) => t !== 'practice/dns')) {
      const { line, cert } = await greeting(ep.port, ep.tls === 'implicit');
      expect(line.length, target).toBeGreaterThan(0);
      if (cert) expect(cert.fingerprint256, target).toBe(s.credentials.fingerprint256);
    }
    expect((await greeting(s.endpoints['practice/smtp'].port, false)).line).toMatch(/^220 mail\.practice\.test /);
  });

  it('makes the certificate once (SANs for the host and loopback) and reuses it on restart', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mailwire-index-'));
    dirs.push(dir);
    const first = await start({}, dir);
    const x509 = new X509Certificate(first.credentials.cert);
    expect(x509.subjectAltName).toContain('DNS:mail.practice.test');
    expect(x509.subjectAltName).toContain('DNS:localhost');
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(x509.checkIP('::1')).toBe('::1');
    expect(first.credentials.fingerprint256).toBe(x509.fingerprint256);
    await first.close();
    const second = await start({}, dir);
    expect(second.credentials.fingerprint256).toBe(first.credentials.fingerprint256);
    await second.close();
    // An unreadable certificate is replaced, not fatal.
    await writeFile(path.join(dir, 'tls', 'cert.pem'), 'not a certificate');
    const third = await start({}, dir);
    expect(third.credentials.fingerprint256).not.toBe(first.credentials.fingerprint256);
  });

  it('replaces an expired certificate', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mailwire-index-'));
    dirs.push(dir);
    const old = await selfsigned.generate([{ name: 'commonName', value: 'mail.practice.test' }], {
      keySize: 2048,
      notBeforeDate: new Date(Date.now() - 400 * 86_400_000),
      notAfterDate: new Date(Date.now() - 86_400_000),
    });
    await mkdir(path.join(dir, 'tls'), { recursive: true });
    await writeFile(path.join(dir, 'tls', 'key.pem'), old.private);
    await writeFile(path.join(dir, 'tls', 'cert.pem'), old.cert);
    const s = await start({}, dir);
    const x509 = new X509Certificate(s.credentials.cert);
    expect(new Date(x509.validTo).getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    expect(await readFile(path.join(dir, 'tls', 'cert.pem'), 'utf8')).toBe(s.credentials.cert);
  });

  it('provisions a class with separate mailboxes and own passwords, and lists it in the summary', async () => {
    const s = await start({ classSize: 3 });
    expect(s.store.accounts().map((a) => a.username)).toEqual([
      'teacher',
      'student01',
      'student02',
      'student03',
      'echo',
    ]);
    const roster = s.roster!;
    const [one, two] = roster.students;
    expect(s.store.authenticate('student02@practice.test', two!.password)?.username).toBe('student02');
    expect(s.store.authenticate('student02', one!.password)).toBeNull();
    expect(s.store.authenticate('alice', 'practice')).toBeNull(); // in a class, every account is someone's
    await s.store.deliver(['student01@practice.test'], Buffer.from('Subject: only for 01\r\n\r\nhi\r\n'));
    expect(s.store.forAccount('student01').mailbox('INBOX')!.messages()).toHaveLength(2);
    expect(s.store.forAccount('student02').mailbox('INBOX')!.messages()).toHaveLength(1);
    const summary = s.accountsSummary();
    expect(summary).toContain('class: student01 .. student03 (3 accounts), 3 new, each with its own password: see ');
    expect(summary).toContain(`teacher@practice.test  password: ${roster.teacher.password}`);
    expect(summary).not.toContain(one!.password); // students' passwords stay in the roster file
    expect(summary).toContain(`127.0.0.1:${s.endpoints['practice/imaps'].port}`);
    expect(summary).toContain(s.credentials.fingerprint256);
  });

  it('close() frees every port', async () => {
    const s = await start();
    const ports = Object.values(s.endpoints).map((e) => e.port);
    await s.close();
    for (const port of ports) {
      await expect(
        new Promise((resolve, reject) => {
          const socket = net.connect({ host: '127.0.0.1', port });
          socket.once('connect', () => {
            socket.destroy();
            resolve('connected');
          });
          socket.once('error', (e) => reject(e));
        }),
      ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    }
  });

  it('a port already in use fails the start and releases what was bound', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(start({ ports: { ...ZERO_PORTS, imaps: taken } })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      blocker.close();
    }
  });
});
