// IANA registry "Simple Authentication and Security Layer (SASL) Mechanisms"
// (https://www.iana.org/assignments/sasl-mechanisms), last updated 2024-12-06 per the page.
// Retrieved 2026-12-03 through the project's stored copy of the registry page; the stored excerpt
// showed the header only, so the entries were completed from the RFCs they cite (recent
// first-come registrations without an RFC may be missing). Usage is the
// registry's column: COMMON, LIMITED (for limited use) or OBSOLETE. XOAUTH2 is not registered:
// it is Google's own mechanism (https://developers.google.com/workspace/gmail/imap/xoauth2-protocol),
// which Microsoft also accepts; RFC 7628 standardised the same idea as OAUTHBEARER.
// Data only: the learner-facing sentences live in common/sasl.ts.

export type SaslUsage = 'COMMON' | 'LIMITED' | 'OBSOLETE';
export interface SaslMechanismEntry {
  name: string;
  usage: SaslUsage;
  ref: string;
}

const M: Array<[string, SaslUsage, string]> = [
  ['9798-M-DSA-SHA1', 'COMMON', 'RFC 3163'],
  ['9798-M-ECDSA-SHA1', 'COMMON', 'RFC 3163'],
  ['9798-M-RSA-SHA1-ENC', 'COMMON', 'RFC 3163'],
  ['9798-U-DSA-SHA1', 'COMMON', 'RFC 3163'],
  ['9798-U-ECDSA-SHA1', 'COMMON', 'RFC 3163'],
  ['9798-U-RSA-SHA1-ENC', 'COMMON', 'RFC 3163'],
  ['ANONYMOUS', 'COMMON', 'RFC 4505'],
  ['CRAM-MD5', 'LIMITED', 'RFC 2195'],
  ['DIGEST-MD5', 'OBSOLETE', 'RFC 6331'],
  ['EAP-AES128', 'COMMON', 'RFC 7055'],
  ['EAP-AES128-PLUS', 'COMMON', 'RFC 7055'],
  ['EXTERNAL', 'COMMON', 'RFC 4422'],
  ['GS2-', 'COMMON', 'RFC 5801'],
  ['GSSAPI', 'COMMON', 'RFC 4752'],
  ['GSS-SPNEGO', 'LIMITED', 'Microsoft'],
  ['KERBEROS_V4', 'OBSOLETE', 'RFC 2222'],
  ['KERBEROS_V5', 'LIMITED', 'Microsoft'],
  ['LOGIN', 'OBSOLETE', 'draft-murchison-sasl-login'],
  ['NMAS_AUTHEN', 'LIMITED', 'Novell'],
  ['NMAS_LOGIN', 'LIMITED', 'Novell'],
  ['NMAS-SAMBA-AUTH', 'LIMITED', 'Novell'],
  ['NTLM', 'LIMITED', 'Microsoft'],
  ['OAUTH10A', 'COMMON', 'RFC 7628'],
  ['OAUTHBEARER', 'COMMON', 'RFC 7628'],
  ['OPENID20', 'COMMON', 'RFC 6616'],
  ['OTP', 'COMMON', 'RFC 2444'],
  ['PLAIN', 'COMMON', 'RFC 4616'],
  ['SAML20', 'COMMON', 'RFC 6595'],
  ['SCRAM-SHA-1', 'COMMON', 'RFC 5802'],
  ['SCRAM-SHA-1-PLUS', 'COMMON', 'RFC 5802'],
  ['SCRAM-SHA-256', 'COMMON', 'RFC 7677'],
  ['SCRAM-SHA-256-PLUS', 'COMMON', 'RFC 7677'],
  ['SECURID', 'COMMON', 'RFC 2808'],
  ['SKEY', 'OBSOLETE', 'RFC 2444'],
  ['SPNEGO', 'OBSOLETE', 'RFC 4178'],
];

export const SASL_MECHANISMS: SaslMechanismEntry[] = M.map(([name, usage, ref]) => ({ name, usage, ref }));
