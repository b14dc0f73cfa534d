import { describe, expect, it } from 'vitest';
import { parseClientMessage, PRACTICE_TARGETS } from '../../../app/src/wire/messages.ts';

describe('parseClientMessage', () => {
  it('accepts every practice target', () => {
    for (const target of PRACTICE_TARGETS) {
      expect(parseClientMessage(JSON.stringify({ type: 'open', target }))).toEqual({
        ok: true,
        value: { type: 'open', target },
      });
    }
  });
  it('accepts a remote open and defaults tls to none', () => {
    expect(parseClientMessage('{"type":"open","host":"mail.example.org","port":587}')).toEqual({
      ok: true,
      value: { type: 'open', host: 'mail.example.org', port: 587, tls: 'none' },
    });
  });
  it('explains malformed JSON, unknown types, bad ports and unknown targets', () => {
    const bad = [
      '{oops',
      '[]',
      '{"type":"fly"}',
      '{"type":"open","host":"h","port":70000}',
      '{"type":"open","target":"practice/ftp"}',
      '{"type":"open","host":"h","port":25,"tls":"maybe"}',
    ];
    for (const text of bad) {
      const r = parseClientMessage(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(20);
    }
  });
});

describe('open with a lesson scenario', () => {
  it('accepts a known scenario on a practice target and refuses an unknown one', () => {
    expect(parseClientMessage('{"type":"open","target":"practice/smtp","scenario":"greylist"}')).toEqual({
      ok: true,
      value: { type: 'open', target: 'practice/smtp', scenario: 'greylist' },
    });
    const r = parseClientMessage('{"type":"open","target":"practice/smtp","scenario":"everything"}');
    expect(r.ok).toBe(false);
  });
});
