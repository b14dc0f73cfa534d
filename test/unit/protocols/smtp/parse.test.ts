import { describe, expect, it } from 'vitest';
import {
  SmtpReplyParser,
  ehloKeywords,
  parseSmtpReplies,
  type SmtpParsed,
  type SmtpReply,
} from '../../../../app/src/protocols/smtp/parse.ts';
import { CHUNKINGS, fixturesFor, loadFixture, serverBytes } from '../fixtures.ts';

function feedAll(chunks: Uint8Array[]): SmtpParsed[] {
  const p = new SmtpReplyParser();
  return [...chunks.flatMap((c) => p.feed(c)), ...p.flush()];
}

describe('SMTP reply parser on real transcripts', () => {
  for (const f of fixturesFor('smtp')) {
    it(`${f.name}: gives the same replies whatever the chunking`, () => {
      const bytes = serverBytes(f);
      const whole = feedAll([bytes]);
      expect(whole.every((r) => r.kind === 'reply')).toBe(true);
      for (const ch of CHUNKINGS) expect(feedAll(ch.split(bytes)), ch.name).toEqual(whole);
      // The replies put back together are exactly the bytes received.
      expect(whole.map((r) => r.raw).join('')).toBe(new TextDecoder().decode(bytes));
    });
  }

  it("reads Exim's multi-line EHLO reply as one reply with its keywords", () => {
    const replies = parseSmtpReplies(serverBytes(loadFixture('exim-smtp-session.json'))) as SmtpReply[];
    const ehlo = replies.find((r) => r.code === 250 && r.lines.length > 1)!;
    expect(ehlo.lines.map((l) => l.separator)).toEqual(['-', '-', '-', '-', '-', '-', '-', ' ']);
    expect(ehloKeywords(ehlo).map((k) => k.keyword)).toEqual([
      'SIZE',
      '8BITMIME',
      'PIPELINING',
      'CHUNKING',
      'STARTTLS',
      'PRDR',
      'HELP',
    ]);
    expect(ehloKeywords(ehlo)[0].params).toEqual(['52428800']);
    expect(replies.map((r) => r.code)).toEqual([
      220, 503, 214, 250, 503, 250, 503, 250, 250, 354, 250, 252, 500, 250, 250, 221,
    ]);
  });

  it('takes enhanced status codes apart (smtp-server with ENHANCEDSTATUSCODES)', () => {
    const replies = parseSmtpReplies(serverBytes(loadFixture('smtp-server-session.json'))) as SmtpReply[];
    const relay = replies.find((r) => r.code === 550)!;
    expect(relay.enhanced).toEqual({ code: '5.1.1', class: 5, subject: 1, detail: 1 });
    expect(relay.text[0]).toBe('Relay access denied: this server only accepts mail for practice.test');
    expect(replies.find((r) => r.code === 538)!.enhanced?.code).toBe('5.7.0');
    expect(replies.filter((r) => r.code === 334).map((r) => r.text[0])).toEqual([
      'VXNlcm5hbWU6',
      'UGFzc3dvcmQ6',
      'VXNlcm5hbWU6',
      'UGFzc3dvcmQ6',
    ]);
    // An enhanced code whose class disagrees with the reply code is not taken as one.
    const odd = parseSmtpReplies('250 5.0.0 odd\r\n')[0] as SmtpReply;
    expect(odd.enhanced).toBeUndefined();
  });

  it('reports malformed input as unparsed, never throws', () => {
    const out = parseSmtpReplies('hello there\r\n250-first\r\n251 changed\r\n220 fine\n250-cut');
    expect(out.map((r) => (r.kind === 'unparsed' ? r.code : r.code))).toEqual([
      'NOT_A_REPLY_LINE',
      'REPLY_CODE_CHANGED',
      251,
      220,
      'LINE_INCOMPLETE',
    ]);
    expect(parseSmtpReplies('250-first\r\n').map((r) => r.kind === 'unparsed' && r.code)).toEqual(['REPLY_INCOMPLETE']);
    const fine = out.find((r) => r.kind === 'reply' && r.code === 220) as SmtpReply;
    expect(fine.bareLf).toBe(true);
    expect(parseSmtpReplies(new Uint8Array([0xff, 0xfe, 0x0d, 0x0a]))[0].kind).toBe('unparsed');
  });
});
