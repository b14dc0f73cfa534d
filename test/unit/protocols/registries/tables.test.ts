// The IANA tables the catalogs read (app/src/protocols/registries): one test per table, each
// pinning the entries a learner meets with real servers, with their reference and status, so that
// removing or mis-marking one fails here. The entries were checked against the registries and the
// RFCs they cite (each table's header says which copy and when).
import { describe, expect, it } from 'vitest';
import { IMAP_CAPABILITIES } from '../../../../app/src/protocols/registries/imap-capabilities.ts';
import { IMAP_RESPONSE_CODES } from '../../../../app/src/protocols/registries/imap-response-codes.ts';
import {
  POP3_CAPABILITIES,
  POP3_RESPONSE_CODES,
} from '../../../../app/src/protocols/registries/pop3-extension-mechanism.ts';
import { SASL_MECHANISMS } from '../../../../app/src/protocols/registries/sasl-mechanisms.ts';
import { ENHANCED_CODES } from '../../../../app/src/protocols/registries/smtp-enhanced-status-codes.ts';
import { SMTP_SERVICE_EXTENSIONS } from '../../../../app/src/protocols/registries/smtp-service-extensions.ts';

const names = <T>(rows: T[], key: keyof T) => rows.map((r) => String(r[key]));

describe('IANA registry tables', () => {
  it('IMAP capabilities: the ones Dovecot, Cyrus, Courier and Gmail announce, and the obsolete UTF8= forms', () => {
    const caps = names(IMAP_CAPABILITIES, 'name');
    for (const c of ['IMAP4REV1', 'IMAP4REV2', 'STARTTLS', 'LOGINDISABLED', 'AUTH=', 'SASL-IR', 'ID', 'IDLE']) {
      expect(caps).toContain(c);
    }
    for (const c of ['LITERAL+', 'LITERAL-', 'NAMESPACE', 'UIDPLUS', 'MOVE', 'CONDSTORE', 'QRESYNC', 'ENABLE']) {
      expect(caps).toContain(c);
    }
    for (const c of ['SPECIAL-USE', 'LIST-EXTENDED', 'LIST-STATUS', 'APPENDLIMIT', 'UTF8=ACCEPT', 'COMPRESS=DEFLATE']) {
      expect(caps).toContain(c);
    }
    for (const c of ['QUOTA', 'QUOTA=', 'SORT', 'THREAD=', 'ESEARCH', 'BINARY', 'UNSELECT', 'CHILDREN', 'OBJECTID']) {
      expect(caps).toContain(c);
    }
    for (const c of ['UTF8=ALL', 'UTF8=APPEND', 'UTF8=USER']) {
      expect(IMAP_CAPABILITIES.find((e) => e.name === c)?.obsolete, c).toBe(true);
    }
    expect(IMAP_CAPABILITIES.find((e) => e.name === 'IMAP4REV2')?.obsolete).toBeFalsy();
  });

  it('IMAP response codes: RFC 9051 and RFC 5530 codes, UIDPLUS, and NEWNAME obsolete', () => {
    const codes = names(IMAP_RESPONSE_CODES, 'name');
    for (const c of ['ALERT', 'CAPABILITY', 'PERMANENTFLAGS', 'READ-ONLY', 'READ-WRITE', 'TRYCREATE', 'UIDNEXT']) {
      expect(codes).toContain(c);
    }
    for (const c of ['UIDVALIDITY', 'APPENDUID', 'COPYUID', 'UIDNOTSTICKY', 'CLOSED', 'HIGHESTMODSEQ', 'TOOBIG']) {
      expect(codes).toContain(c);
    }
    for (const c of ['UNAVAILABLE', 'AUTHENTICATIONFAILED', 'AUTHORIZATIONFAILED', 'EXPIRED', 'PRIVACYREQUIRED']) {
      expect(codes).toContain(c);
    }
    for (const c of ['CONTACTADMIN', 'NOPERM', 'INUSE', 'EXPUNGEISSUED', 'CORRUPTION', 'SERVERBUG', 'CLIENTBUG']) {
      expect(codes).toContain(c);
    }
    for (const c of ['CANNOT', 'LIMIT', 'OVERQUOTA', 'ALREADYEXISTS', 'NONEXISTENT', 'INPROGRESS', 'MAILBOXID']) {
      expect(codes).toContain(c);
    }
    expect(IMAP_RESPONSE_CODES.find((e) => e.name === 'NEWNAME')?.obsolete).toBe(true);
    // WEBALERT is Gmail's own, not registered (the vendor knowledge base explains it).
    expect(codes).not.toContain('WEBALERT');
  });

  it('POP3 capabilities and response codes: RFC 2449, 2595, 3206, 5034 and 6856', () => {
    const caps = Object.fromEntries(POP3_CAPABILITIES.map((e) => [e.tag, e.ref]));
    expect(caps).toMatchObject({
      TOP: 'RFC 2449',
      USER: 'RFC 2449',
      SASL: 'RFC 5034',
      'RESP-CODES': 'RFC 2449',
      'LOGIN-DELAY': 'RFC 2449',
      PIPELINING: 'RFC 2449',
      EXPIRE: 'RFC 2449',
      UIDL: 'RFC 2449',
      IMPLEMENTATION: 'RFC 2449',
      STLS: 'RFC 2595',
      'AUTH-RESP-CODE': 'RFC 3206',
      UTF8: 'RFC 6856',
      LANG: 'RFC 6856',
    });
    const codes = Object.fromEntries(POP3_RESPONSE_CODES.map((e) => [e.code, e.ref]));
    expect(codes).toMatchObject({
      'LOGIN-DELAY': 'RFC 2449',
      'IN-USE': 'RFC 2449',
      'SYS/PERM': 'RFC 3206',
      'SYS/TEMP': 'RFC 3206',
      AUTH: 'RFC 3206',
      UTF8: 'RFC 6856',
    });
  });

  it('SASL mechanisms: usage as the registry marks it', () => {
    const usage = Object.fromEntries(SASL_MECHANISMS.map((e) => [e.name, e.usage]));
    expect(usage).toMatchObject({
      PLAIN: 'COMMON',
      EXTERNAL: 'COMMON',
      ANONYMOUS: 'COMMON',
      GSSAPI: 'COMMON',
      OAUTHBEARER: 'COMMON',
      'SCRAM-SHA-1': 'COMMON',
      'SCRAM-SHA-256': 'COMMON',
      'SCRAM-SHA-256-PLUS': 'COMMON',
      'CRAM-MD5': 'LIMITED',
      NTLM: 'LIMITED',
      LOGIN: 'OBSOLETE',
      'DIGEST-MD5': 'OBSOLETE',
      KERBEROS_V4: 'OBSOLETE',
      SKEY: 'OBSOLETE',
    });
  });

  it('SMTP service extensions: what Postfix, exim, Gmail and Microsoft 365 announce, and the obsolete ones', () => {
    const ext = Object.fromEntries(SMTP_SERVICE_EXTENSIONS.map((e) => [e.keyword, e]));
    const refs = {
      SIZE: 'RFC 1870',
      '8BITMIME': 'RFC 6152',
      PIPELINING: 'RFC 2920',
      ENHANCEDSTATUSCODES: 'RFC 2034',
      STARTTLS: 'RFC 3207',
      AUTH: 'RFC 4954',
      DSN: 'RFC 3461',
      CHUNKING: 'RFC 3030',
      BINARYMIME: 'RFC 3030',
      SMTPUTF8: 'RFC 6531',
      REQUIRETLS: 'RFC 8689',
      LIMITS: 'RFC 9422',
      SUBMITTER: 'RFC 4405',
    };
    for (const [k, ref] of Object.entries(refs)) expect(ext[k]?.ref, k).toBe(ref);
    for (const k of ['ETRN', 'DELIVERBY', 'MT-PRIORITY', 'BURL', 'FUTURERELEASE', 'RRVS', 'EXPN', 'HELP']) {
      expect(ext[k], k).toBeDefined();
    }
    for (const k of ['SEND', 'SOML', 'SAML', 'TURN', 'UTF8SMTP']) expect(ext[k]?.obsolete, k).toBe(true);
  });

  it('SMTP enhanced status codes: every code of RFC 3463 and the later ones, X.6.10 and X.7.28 included', () => {
    const rfc3463 = ['0.0', '1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '2.0', '2.1', '2.2'];
    const more3463 = ['2.3', '2.4', '3.0', '3.1', '3.2', '3.3', '3.4', '3.5', '4.0', '4.1', '4.2', '4.3', '4.4'];
    const rest3463 = ['4.5', '4.6', '4.7', '5.0', '5.1', '5.2', '5.3', '5.4', '5.5', '6.0', '6.1', '6.2', '6.3'];
    const last3463 = ['6.4', '6.5', '7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '7.7'];
    for (const sd of [...rfc3463, ...more3463, ...rest3463, ...last3463])
      expect(ENHANCED_CODES[sd]?.ref, sd).toBe('RFC 3463');
    expect(ENHANCED_CODES['2.2'].summary).toBe('Mailbox full');
    expect(ENHANCED_CODES['7.8']).toMatchObject({ summary: 'Authentication credentials invalid', ref: 'RFC 4954' });
    expect(ENHANCED_CODES['7.9']?.ref).toBe('RFC 4954');
    expect(ENHANCED_CODES['1.10']?.ref).toBe('RFC 7505');
    expect(ENHANCED_CODES['6.7']?.ref).toBe('RFC 6531');
    expect(ENHANCED_CODES['6.10']).toMatchObject({ ref: 'RFC 6531', summary: expect.stringMatching(/X\.6\.8/) });
    for (const sd of ['7.20', '7.21', '7.22', '7.23', '7.24', '7.25', '7.26'])
      expect(ENHANCED_CODES[sd]?.ref, sd).toBe('RFC 7372');
    expect(ENHANCED_CODES['7.27']?.ref).toBe('RFC 7505');
    expect(ENHANCED_CODES['7.28']?.summary).toBe('Mail flood detected');
    expect(ENHANCED_CODES['7.29']?.ref).toBe('RFC 8617');
    expect(ENHANCED_CODES['7.30']?.ref).toBe('RFC 8689');
  });
});
