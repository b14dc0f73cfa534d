import { describe, expect, it } from 'vitest';
import { credentialsArePublic, exportDefaults, practiceEndpoint } from '../../../app/src/transcript/export-practice.ts';
import { EXAMPLES, loadExample } from '../../../app/src/transcript/examples/index.ts';
import { maskTranscript } from '../../../app/src/transcript/mask.ts';
import type { Transcript } from '../../../app/src/transcript/model.ts';

const ACCOUNTS = [
  { username: 'alice', address: 'alice@practice.test', password: 'practice' },
  { username: 'bob', address: 'bob@practice.test', password: 'practice' },
];
const TARGETS = ['submission', 'imap', 'pop3', 'smtp'].map((n, i) => ({
  target: `practice/${n}`,
  host: '127.0.0.1',
  port: 21700 + i,
}));

/** A copy of a transcript with the secret text replaced (same length rules do not matter here). */
function withSecret(t: Transcript, from: string, to: string): Transcript {
  const events = t.events.map((e) => {
    if ((e.kind !== 'sent' && e.kind !== 'received') || !e.secret?.length) return e;
    const text = new TextDecoder().decode(e.data).replace(from, to);
    const data = new TextEncoder().encode(text);
    const start = e.secret[0]!.start;
    return {
      ...e,
      data,
      secret: [{ start, end: start + (e.secret[0]!.end - e.secret[0]!.start) + (to.length - from.length) }],
    };
  });
  return { ...t, events };
}

describe('exports of practice sessions run as they are', () => {
  it('maps every bundled example to the running server, not the port it was recorded on', () => {
    for (const ex of EXAMPLES) {
      const t = loadExample(ex.name)!;
      const recorded = t.events.find((e) => e.kind === 'opened');
      const ep = practiceEndpoint(t, TARGETS);
      expect(ep, ex.name).toEqual({ host: '127.0.0.1', port: TARGETS.find((x) => x.target === t.meta.target)!.port });
      expect(ep!.port).not.toBe((recorded as { remote: { port: number } }).remote.port);
    }
  });

  it('includes the public practice credentials of every bundled example by default (PASS, LOGIN, AUTH PLAIN)', () => {
    for (const ex of EXAMPLES) expect(credentialsArePublic(loadExample(ex.name)!, ACCOUNTS), ex.name).toBe(true);
    expect(exportDefaults(loadExample('smtp-first')!, { targets: TARGETS, accounts: ACCOUNTS }).reveal).toBe(true);
  });

  it('keeps a real password masked, and a session on a real server, and an already masked export', () => {
    const pop3 = loadExample('pop3-first')!;
    expect(credentialsArePublic(withSecret(pop3, 'PASS practice', 'PASS hunter22'), ACCOUNTS)).toBe(false);
    expect(credentialsArePublic({ ...pop3, meta: { ...pop3.meta, target: 'pop.example.org:995' } }, ACCOUNTS)).toBe(
      false,
    );
    expect(
      practiceEndpoint({ ...pop3, meta: { ...pop3.meta, target: 'pop.example.org:995' } }, TARGETS),
    ).toBeUndefined();
    expect(credentialsArePublic(maskTranscript(pop3), ACCOUNTS)).toBe(false);
    // AUTH PLAIN with a real password inside the base64.
    const smtp = loadExample('smtp-first')!;
    const plain = Buffer.from('\0alice\0practice').toString('base64');
    expect(
      credentialsArePublic(withSecret(smtp, plain, Buffer.from('\0alice\0s3cret!').toString('base64')), ACCOUNTS),
    ).toBe(false);
  });
});
