// bridge/practice/smtp/trace.ts: the Received: line (RFC 5321 section 4.4, RFC 3848), Return-Path,
// and the Date/Message-ID added on submission (RFC 6409 section 8).
import { describe, expect, it } from 'vitest';
import {
  deliveredToHeader,
  receivedHeader,
  rfc5322Date,
  withProtocol,
  withTraceHeaders,
  type HopInfo,
} from '../../../../bridge/practice/smtp/trace.ts';

const date = new Date(Date.UTC(2026, 11, 3, 14, 5, 9));
const hop = (over: Partial<HopInfo> = {}): HopInfo => ({
  helo: 'client.test',
  ehlo: true,
  remoteAddress: '127.0.0.1',
  tls: false,
  authenticated: false,
  by: 'mail.practice.test',
  id: 'abc123',
  recipients: ['bob@practice.test'],
  date,
  ...over,
});
const text = (b: Buffer) => b.toString('utf8');

describe('trace headers', () => {
  it('writes the RFC 5322 date in UTC and the RFC 3848 with-protocol', () => {
    expect(rfc5322Date(date)).toBe('Thu, 03 Dec 2026 14:05:09 +0000');
    expect(withProtocol({ ehlo: false, tls: true, authenticated: true })).toBe('SMTP');
    expect(withProtocol({ ehlo: true, tls: false, authenticated: false })).toBe('ESMTP');
    expect(withProtocol({ ehlo: true, tls: true, authenticated: false })).toBe('ESMTPS');
    expect(withProtocol({ ehlo: true, tls: false, authenticated: true })).toBe('ESMTPA');
    expect(withProtocol({ ehlo: true, tls: true, authenticated: true })).toBe('ESMTPSA');
  });

  it('folds Received: with from, by, with, id, for and the date', () => {
    expect(receivedHeader(hop())).toBe(
      'Received: from client.test ([127.0.0.1])\r\n\tby mail.practice.test\r\n\twith ESMTP\r\n\tid abc123\r\n' +
        '\tfor <bob@practice.test>;\r\n\tThu, 03 Dec 2026 14:05:09 +0000\r\n',
    );
  });

  it('leaves out "for" with several recipients (a Bcc stays hidden) and writes IPv6 literals', () => {
    const r = receivedHeader(hop({ recipients: ['a@practice.test', 'b@practice.test'], remoteAddress: '::1' }));
    expect(r).not.toMatch(/for </);
    expect(r).toContain('([IPv6:::1])');
    expect(receivedHeader(hop({ remoteAddress: '::ffff:127.0.0.1' }))).toContain('([127.0.0.1])');
  });

  it('never lets a junk or hostile EHLO name break the header', () => {
    const r = receivedHeader(hop({ helo: 'evil)\r\nBcc: x@y (\u00e9' }));
    expect(r).toMatch(/^Received: from \[127\.0\.0\.1\] \(helo=[^()\r\n]*\)\r\n\tby /);
    expect(r.split('\r\n').filter((l) => l && !/^(Received:|\t)/.test(l))).toEqual([]);
  });

  it('prepends Return-Path and Received; on submission adds Date and Message-ID only when missing', () => {
    const msg = Buffer.from('From: a@practice.test\r\nSubject: x\r\n\r\nbody\r\n');
    const relay = text(withTraceHeaders(msg, { hop: hop(), mailFrom: 'a@practice.test' }));
    expect(relay.startsWith('Return-Path: <a@practice.test>\r\nReceived: from client.test')).toBe(true);
    expect(relay.endsWith('\r\nFrom: a@practice.test\r\nSubject: x\r\n\r\nbody\r\n')).toBe(true);
    expect(relay).not.toMatch(/^Date:/m);
    const sub = text(
      withTraceHeaders(msg, {
        hop: hop(),
        mailFrom: 'a@practice.test',
        submission: { date, messageId: 'id1@mail.practice.test' },
      }),
    );
    expect(sub).toContain(
      '\r\nDate: Thu, 03 Dec 2026 14:05:09 +0000\r\nMessage-ID: <id1@mail.practice.test>\r\nFrom: a@practice.test\r\n',
    );
    const own = Buffer.from('date: Mon, 30 Nov 2026 10:00:00 +0100\r\nMESSAGE-ID: <m@x>\r\n\r\nbody: not a header\r\n');
    const kept = text(withTraceHeaders(own, { hop: hop(), mailFrom: '', submission: { date, messageId: 'n@y' } }));
    expect(kept).not.toMatch(/^Date: Thu/m);
    expect(kept).not.toContain('<n@y>');
    expect(kept.startsWith('Return-Path: <>\r\n')).toBe(true);
  });

  it('adds Delivered-To: after Return-Path at final delivery only, never on the way to another server', () => {
    const msg = Buffer.from('From: a@practice.test\r\n\r\nbody\r\n');
    const final = text(
      withTraceHeaders(msg, { hop: hop(), mailFrom: 'a@practice.test', deliveredTo: 'bob@practice.test' }),
    );
    expect(final.startsWith('Return-Path: <a@practice.test>\r\nDelivered-To: bob@practice.test\r\nReceived: ')).toBe(
      true,
    );
    const relayed = text(
      withTraceHeaders(msg, { hop: hop(), mailFrom: 'a@practice.test', deliveredTo: 'bob@practice.test', relay: true }),
    );
    expect(relayed).not.toMatch(/^(Delivered-To|Return-Path):/im);
    expect(deliveredToHeader('x@y.test\r\nBcc: <evil@z>')).toBe('Delivered-To: x@y.testBcc: evil@z\r\n');
  });

  it('does not pull the first body line of a header-less message into the header', () => {
    const bare = Buffer.from('just a line of text\r\n');
    const out = text(withTraceHeaders(bare, { hop: hop(), mailFrom: 'a@practice.test' }));
    expect(out).toMatch(/\+0000\r\n\r\njust a line of text\r\n$/);
  });
});
