// SASL mechanisms a learner meets in EHLO AUTH, IMAP AUTH= and POP3 SASL lists (RFC 4422; the IANA
// registry in registries/sasl-mechanisms.ts). Explanations are ours.

import { SASL_MECHANISMS, type SaslMechanismEntry } from '../registries/sasl-mechanisms.ts';
import { rfc, type RfcRef } from './types.ts';

export interface SaslExplanation {
  name: string;
  meaning: string;
  rfc: RfcRef;
  registered: boolean;
  usage?: SaslMechanismEntry['usage'];
}

const SASL_IANA = 'https://www.iana.org/assignments/sasl-mechanisms';
const XOAUTH2_DOC = 'https://developers.google.com/workspace/gmail/imap/xoauth2-protocol';

const TEXT: Record<string, [string, RfcRef]> = {
  PLAIN: ['User name and password in one base64 line ("\\0user\\0password"); safe only inside TLS.', rfc(4616, '2')],
  LOGIN: [
    'User name and password as two base64 answers to two 334 prompts. Never an RFC (an expired draft); IANA marks it OBSOLETE, PLAIN does the same job.',
    { doc: 'draft-murchison-sasl-login', url: 'https://datatracker.ietf.org/doc/draft-murchison-sasl-login/' },
  ],
  'CRAM-MD5': [
    'A challenge-response over an MD5 HMAC: the password does not cross the wire, but the server must keep it in clear; IANA limits its use.',
    rfc(2195, '2'),
  ],
  'DIGEST-MD5': ['An HTTP-digest style challenge-response, declared obsolete by RFC 6331.', rfc(6331, '1')],
  'SCRAM-SHA-1': [
    'Salted challenge-response: neither side sends the password, and the server proves it knows it too.',
    rfc(5802, '3'),
  ],
  'SCRAM-SHA-256': [
    'SCRAM with SHA-256: the password never crosses the wire and the server proves itself too.',
    rfc(7677, '3'),
  ],
  'SCRAM-SHA-1-PLUS': [
    'SCRAM-SHA-1 bound to this TLS channel (channel binding), so a man in the middle cannot relay it.',
    rfc(5802, '6'),
  ],
  'SCRAM-SHA-256-PLUS': ['SCRAM-SHA-256 bound to this TLS channel (channel binding).', rfc(7677, '3')],
  EXTERNAL: ['Log in with credentials from outside SASL, typically the TLS client certificate.', rfc(4422, 'A')],
  ANONYMOUS: ['Guest access without an account (an e-mail address or token as trace).', rfc(4505, '2')],
  GSSAPI: ['Kerberos V5 through GSS-API (single sign-on in an organisation).', rfc(4752, '3')],
  OAUTHBEARER: [
    'Log in with an OAuth 2.0 bearer token instead of a password (the standard form; Gmail and Microsoft 365 accept it).',
    rfc(7628, '3'),
  ],
  XOAUTH2: [
    'Google\'s OAuth 2.0 mechanism ("user=...\\x01auth=Bearer token\\x01\\x01" in base64), older than RFC 7628\'s OAUTHBEARER and not in the IANA registry; Gmail and Microsoft 365 accept it.',
    { doc: 'Google: OAuth 2.0 mechanism (XOAUTH2)', url: XOAUTH2_DOC },
  ],
  NTLM: [
    "Microsoft's NTLM challenge-response (Exchange); IANA limits its use.",
    { doc: 'IANA SASL Mechanisms', url: SASL_IANA },
  ],
  'GSS-SPNEGO': [
    "Microsoft's negotiation of Kerberos or NTLM (Exchange).",
    { doc: 'IANA SASL Mechanisms', url: SASL_IANA },
  ],
};

export function explainSaslMechanism(mechanism: string): SaslExplanation {
  const name = mechanism.toUpperCase();
  const reg =
    SASL_MECHANISMS.find((e) => e.name === name) ??
    SASL_MECHANISMS.find((e) => e.name.endsWith('-') && name.startsWith(e.name));
  const own = TEXT[name];
  const out: SaslExplanation = own
    ? { name, meaning: own[0], rfc: own[1], registered: !!reg }
    : reg
      ? {
          name,
          meaning: `A registered SASL mechanism (${reg.ref}${reg.usage !== 'COMMON' ? `, marked ${reg.usage} by IANA` : ''}).`,
          rfc: /^RFC \d+$/.test(reg.ref)
            ? rfc(Number(reg.ref.slice(4)))
            : { doc: 'IANA SASL Mechanisms', url: SASL_IANA },
          registered: true,
        }
      : {
          name,
          meaning: 'A SASL mechanism not in the IANA registry, private to this server.',
          rfc: { doc: 'IANA SASL Mechanisms', url: SASL_IANA },
          registered: false,
        };
  if (reg) out.usage = reg.usage;
  return out;
}
