// Turns a finished TLS handshake into the TLSINFO of the wire contract (app/src/wire/messages.ts).

import type { TLSSocket } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import type { TlsCertificateInfo, TlsInfo } from '../../app/src/wire/messages.ts';

const isoDate = (text: string) => {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
};

export function certificateInfo(cert: X509Certificate | undefined): TlsCertificateInfo | null {
  if (!cert) return null;
  return {
    subject: cert.subject.split('\n').join(', '),
    issuer: cert.issuer.split('\n').join(', '),
    validFrom: isoDate(cert.validFrom),
    validTo: isoDate(cert.validTo),
    fingerprint256: cert.fingerprint256,
    subjectAltNames: (cert.subjectAltName ?? '').split(', ').filter((s) => s.length > 0),
  };
}

export interface Verification {
  verified: boolean;
  reason: string | null;
}

/**
 * Verifies the peer: against a pinned SHA-256 fingerprint when one is given (the practice
 * server's self-signed certificate), else by Node's CA chain and host name checks.
 */
export function verifyPeer(
  socket: TLSSocket,
  cert: X509Certificate | undefined,
  pinnedFingerprint: string | null,
): Verification {
  if (pinnedFingerprint !== null) {
    if (cert && cert.fingerprint256.toUpperCase() === pinnedFingerprint.toUpperCase()) {
      return { verified: true, reason: 'pinned practice certificate (SHA-256 fingerprint matches)' };
    }
    return { verified: false, reason: 'the certificate is not the pinned practice certificate (fingerprint differs)' };
  }
  if (socket.authorized)
    return { verified: true, reason: 'chain verified against the system CAs and the name matches' };
  const err = socket.authorizationError;
  return {
    verified: false,
    reason: err ? String((err as unknown as { message?: string }).message ?? err) : 'not verified',
  };
}

export function tlsInfo(
  socket: TLSSocket,
  cert: X509Certificate | undefined,
  servername: string | null,
  v: Verification,
): TlsInfo {
  const cipher = socket.getCipher();
  return {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: cipher?.standardName ?? cipher?.name ?? 'unknown',
    servername,
    certificate: certificateInfo(cert),
    verified: v.verified,
    verifyReason: v.reason,
  };
}
