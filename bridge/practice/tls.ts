// The practice certificate: self-signed for the server's hostname plus the loopback names, made on
// first start and kept in `${dataDir}/tls/` so the fingerprint a learner pins stays the same.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import selfsigned from 'selfsigned';
import type { PracticeCredentials } from './types.ts';

const VALID_DAYS = 825; // the longest lifetime clients commonly accept for a server certificate

export async function loadOrCreateCredentials(dataDir: string, hostname: string): Promise<PracticeCredentials> {
  const dir = path.join(dataDir, 'tls');
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  const existing = await readUsable(keyPath, certPath, hostname);
  if (existing) return existing;

  await mkdir(dir, { recursive: true, mode: 0o700 });
  const notBeforeDate = new Date(Date.now() - 60_000); // tolerate a little clock skew
  const notAfterDate = new Date(notBeforeDate.getTime() + VALID_DAYS * 86_400_000);
  const made = await selfsigned.generate([{ name: 'commonName', value: hostname }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: hostname },
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  // Write beside, then rename: a crash never leaves a half-written key.
  await writeFile(`${keyPath}.tmp`, made.private, { mode: 0o600 });
  await writeFile(`${certPath}.tmp`, made.cert);
  await rename(`${keyPath}.tmp`, keyPath);
  await rename(`${certPath}.tmp`, certPath);
  return credentialsOf(made.private, made.cert);
}

function credentialsOf(key: string, cert: string): PracticeCredentials {
  return { key, cert, fingerprint256: new X509Certificate(cert).fingerprint256 };
}

/** The stored pair, or null when missing, unreadable, expired (or nearly), mismatched or for another host. */
async function readUsable(keyPath: string, certPath: string, hostname: string): Promise<PracticeCredentials | null> {
  try {
    const [key, cert] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
    const x509 = new X509Certificate(cert);
    const soon = Date.now() + 86_400_000;
    if (new Date(x509.validTo).getTime() < soon || new Date(x509.validFrom).getTime() > Date.now()) return null;
    if (!x509.checkHost(hostname)) return null;
    if (!x509.checkPrivateKey(createPrivateKey(key))) return null;
    return credentialsOf(key, cert);
  } catch {
    return null;
  }
}
