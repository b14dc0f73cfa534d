// Registry entries that were stale or missing before issue 12 (each assertion failed on the old data).
import { describe, expect, it } from 'vitest';
import { explainSaslMechanism } from '../../../app/src/protocols/common/sasl.ts';
import { explainCapability } from '../../../app/src/protocols/imap/catalog.ts';
import { SASL_MECHANISMS } from '../../../app/src/protocols/registries/sasl-mechanisms.ts';
import { SMTP_SERVICE_EXTENSIONS } from '../../../app/src/protocols/registries/smtp-service-extensions.ts';
import { explainEhloKeyword } from '../../../app/src/protocols/smtp/catalog.ts';

describe('IANA registries, pinned where they were wrong', () => {
  it('IMAP: APPENDLIMIT with its value is the registered RFC 7889 capability', () => {
    expect(explainCapability('APPENDLIMIT=35651584').registered).toBe(true);
    expect(explainCapability('APPENDLIMIT').registered).toBe(true);
  });

  it('SASL: the mechanism registry exists; LOGIN is OBSOLETE, CRAM-MD5 LIMITED, OAUTHBEARER RFC 7628, XOAUTH2 unregistered', () => {
    expect(SASL_MECHANISMS.find((m) => m.name === 'LOGIN')).toMatchObject({ usage: 'OBSOLETE' });
    expect(SASL_MECHANISMS.find((m) => m.name === 'CRAM-MD5')).toMatchObject({ usage: 'LIMITED', ref: 'RFC 2195' });
    expect(SASL_MECHANISMS.find((m) => m.name === 'OAUTHBEARER')).toMatchObject({ usage: 'COMMON', ref: 'RFC 7628' });
    expect(SASL_MECHANISMS.find((m) => m.name === 'XOAUTH2')).toBeUndefined();
    expect(explainSaslMechanism('XOAUTH2').rfc.url).toMatch(/developers\.google\.com/);
    expect(explainSaslMechanism('SCRAM-SHA-256-PLUS').registered).toBe(true);
    expect(explainSaslMechanism('GS2-KRB5').registered).toBe(true);
  });

  it('SMTP: SUBMITTER and UTF8SMTP are in the service extensions registry, which now lives at assignments/smtp', () => {
    expect(SMTP_SERVICE_EXTENSIONS.find((e) => e.keyword === 'SUBMITTER')).toMatchObject({ ref: 'RFC 4405' });
    expect(SMTP_SERVICE_EXTENSIONS.find((e) => e.keyword === 'UTF8SMTP')).toMatchObject({
      ref: 'RFC 5336',
      obsolete: true,
    });
    expect(explainEhloKeyword('SUBMITTER').registered).toBe(true);
    expect(explainEhloKeyword('VERB').rfc.url).toBe('https://www.iana.org/assignments/smtp');
  });
});
