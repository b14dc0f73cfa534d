// Implicit TLS and STARTTLS against real loopback TLS servers, the STARTTLS injection defence
// (CVE-2011-0411), and certificate verification (system CAs, an extra CA, failure details).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import {
  makeCert,
  remoteConfig,
  startBridge,
  startTlsServer,
  TestClient,
  tlsLineServer,
  type StartTlsServer,
  type TestBridge,
  type TestCert,
  type TestServer,
} from './helpers.ts';

let cert: TestCert;
let implicit: TestServer;
let starttls: StartTlsServer;
let injecting: StartTlsServer;
let trusting: TestBridge; // trusts the test certificate as a lab CA
let strict: TestBridge; // system CAs only

beforeAll(async () => {
  cert = await makeCert();
  implicit = await tlsLineServer(cert);
  starttls = await startTlsServer(cert);
  injecting = await startTlsServer(cert, '250 injected\r\n');
  const ports = [implicit.port, starttls.port, injecting.port];
  trusting = await startBridge({ ...remoteConfig(...ports), extraCa: cert.cert });
  strict = await startBridge(remoteConfig(...ports));
});
afterAll(async () => {
  await Promise.all([trusting.close(), strict.close()]);
  await Promise.all([implicit.close(), starttls.close(), injecting.close()]);
});

async function upToStartTls(bridge: TestBridge, port: number): Promise<TestClient> {
  const c = await TestClient.connect(bridge.wsUrl);
  c.json({ type: 'open', host: '127.0.0.1', port, tls: 'none' });
  await c.next('opened');
  await c.waitForText('220 test ESMTP\r\n');
  c.bytes('EHLO me\r\n');
  await c.waitForText('250 STARTTLS\r\n');
  c.bytes('STARTTLS\r\n');
  await c.waitForText('220 go ahead\r\n');
  return c;
}

describe('implicit TLS', () => {
  it('handshakes, reports TLSINFO and relays inside TLS', async () => {
    const c = await TestClient.connect(trusting.wsUrl);
    c.json({ type: 'open', host: '127.0.0.1', port: implicit.port, tls: 'implicit' });
    const opened = await c.next('opened');
    const fp = new X509Certificate(cert.cert).fingerprint256;
    expect(opened.tls).toMatchObject({
      verified: true,
      servername: null,
      certificate: { subject: 'CN=localhost', fingerprint256: fp },
    });
    expect(opened.tls!.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(opened.tls!.cipher.length).toBeGreaterThan(5);
    expect(opened.tls!.certificate!.subjectAltNames).toContain('IP Address:127.0.0.1');
    expect(Date.parse(opened.tls!.certificate!.validTo)).toBeGreaterThan(Date.now());
    await c.waitForText('220 implicit tls ready\r\n');
    c.bytes('NOOP\r\n');
    await c.waitForText('250 tls:NOOP\r\n');
    c.ws.close();
  });

  it('refuses a self-signed certificate against the system CAs: TLS_CERT_INVALID with details, then closed', async () => {
    const c = await TestClient.connect(strict.wsUrl);
    c.json({ type: 'open', host: '127.0.0.1', port: implicit.port, tls: 'implicit' });
    const err = await c.next('error');
    expect(err.code).toBe('TLS_CERT_INVALID');
    expect(err.message).toMatch(/SELF_SIGNED|self.signed/i);
    expect(err.certificate).toMatchObject({ subject: 'CN=localhost', issuer: 'CN=localhost' });
    expect((await c.next('closed')).by).toBe('bridge');
    expect(c.controls.some((m) => m.type === 'opened')).toBe(false);
    expect(c.received).toBe(0); // not one byte of the unverified session reached the browser
  });
});

describe('STARTTLS', () => {
  it('upgrades the live socket in place and relays inside TLS', async () => {
    const c = await upToStartTls(trusting, starttls.port);
    c.json({ type: 'starttls' });
    const tls = await c.next('tls');
    expect(tls.discardedPlaintextBytes).toBe(0);
    expect(tls.tls).toMatchObject({ verified: true, certificate: { subject: 'CN=localhost' } });
    c.bytes('EHLO again\r\n');
    await c.waitForText('250 tls:EHLO again\r\n');
    expect(starttls.linesInTls).toContain('EHLO again');
    c.ws.close();
  });

  it('drops bytes injected behind the go-ahead and reports how many (pipelined behind STARTTLS)', async () => {
    const c = await upToStartTls(trusting, injecting.port);
    // the go-ahead and the injection came in one write; the browser saw only the go-ahead
    await new Promise((r) => setTimeout(r, 100));
    expect(c.text()).not.toContain('injected');
    c.json({ type: 'starttls' });
    const tls = await c.next('tls');
    expect(tls.discardedPlaintextBytes).toBe('250 injected\r\n'.length);
    c.bytes('NOOP\r\n');
    await c.waitForText('250 tls:NOOP\r\n');
    expect(c.text()).not.toContain('injected');
    c.ws.close();
  });

  it('holds bytes sent during the handshake and writes them only inside TLS', async () => {
    const c = await upToStartTls(trusting, starttls.port);
    c.json({ type: 'starttls' });
    c.bytes('EHLO pipelined\r\n'); // sent before "tls" arrives
    await c.next('tls');
    await c.waitForText('250 tls:EHLO pipelined\r\n');
    expect(starttls.plaintextAfterStartTls).toEqual([]);
    c.ws.close();
  });

  it('fails with TLS_CERT_INVALID (never a silent downgrade) when the upgraded certificate is untrusted', async () => {
    const c = await upToStartTls(strict, starttls.port);
    c.json({ type: 'starttls' });
    const err = await c.next('error');
    expect(err.code).toBe('TLS_CERT_INVALID');
    expect(err.certificate?.subject).toBe('CN=localhost');
    expect((await c.next('closed')).by).toBe('bridge');
    expect(c.controls.some((m) => m.type === 'tls')).toBe(false);
  });

  it('refuses starttls before open and a second starttls, with BAD_STATE', async () => {
    const c = await TestClient.connect(trusting.wsUrl);
    c.json({ type: 'starttls' });
    expect((await c.next('error')).code).toBe('BAD_STATE');
    c.ws.close();
    const d = await upToStartTls(trusting, starttls.port);
    d.json({ type: 'starttls' });
    await d.next('tls');
    d.json({ type: 'starttls' });
    const err = await d.next('error');
    expect(err.code).toBe('BAD_STATE');
    expect(err.message).toContain('tls');
    d.ws.close();
  });
});
