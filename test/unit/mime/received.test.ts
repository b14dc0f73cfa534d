// One Received: field read as a hop (app/src/mime/received.ts; RFC 5321 section 4.4, RFC 3848).
import { describe, expect, it } from 'vitest';
import { parseReceived } from '../../../app/src/mime/received.ts';

describe('parseReceived', () => {
  it('reads comments apart from values, and TLS from a Postfix-style comment', () => {
    const h = parseReceived(
      'from mx.example.org (mx.example.org [192.0.2.7]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) by mail.example.net (Postfix) with ESMTP id 4Abc12; Thu, 3 Dec 2026 10:00:00 +0000',
    );
    expect(h).toMatchObject({
      from: 'mx.example.org',
      address: '[192.0.2.7]',
      by: 'mail.example.net',
      byComment: 'Postfix',
      with: 'ESMTP',
      id: '4Abc12',
      tls: true,
      date: 'Thu, 3 Dec 2026 10:00:00 +0000',
    });
  });
  it('a hop without TLS says so', () => {
    expect(
      parseReceived('from a.test ([127.0.0.1]) by b.test with ESMTP id x; Thu, 3 Dec 2026 10:00:00 +0000').tls,
    ).toBe(false);
  });
  it('reads the RFC 3848 keywords: authenticated, TLS, their meaning', () => {
    const h = parseReceived('from a.test by b.test with ESMTPA id y; Thu, 3 Dec 2026 10:00:00 +0000', 3);
    expect(h).toMatchObject({ n: 3, with: 'ESMTPA', tls: false, authenticated: true });
    expect(h.withMeaning).toContain('after AUTH');
    expect(parseReceived('from a.test by b.test with LMTPS; x').withMeaning).toBe('LMTP inside TLS');
  });
  it('takes the `for` recipient without its angle brackets, and no date without a semicolon', () => {
    const h = parseReceived('from a.test by b.test with SMTP for <carol@faraway.test>');
    expect(h).toMatchObject({ for: 'carol@faraway.test', date: null, withMeaning: 'SMTP after HELO (no extensions)' });
  });
  it('survives junk', () => {
    expect(parseReceived('((((').from).toBeNull();
    expect(parseReceived('').raw).toBe('');
  });
});
