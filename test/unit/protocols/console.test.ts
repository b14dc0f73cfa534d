import { describe, expect, it } from 'vitest';
import { createConsole, imap, pop3, smtp } from '../../../app/src/protocols/index.ts';
import { CHUNKINGS, fixturesFor, loadFixture, replay } from './fixtures.ts';

describe('createConsole over every fixture', () => {
  for (const protocol of ['smtp', 'imap', 'pop3'] as const) {
    for (const f of fixturesFor(protocol)) {
      it(`${f.name}: explains every reply, byte by byte as well as whole`, () => {
        const whole = replay(f, createConsole(protocol));
        const bytewise = replay(f, createConsole(protocol), CHUNKINGS[1]);
        expect(bytewise.map((r) => [r.raw, r.annotation.title, r.stateAfter])).toEqual(
          whole.map((r) => [r.raw, r.annotation.title, r.stateAfter]),
        );
        expect(whole.filter((r) => r.kind === 'unparsed')).toEqual([]);
        // The server bytes are all accounted for, in order.
        expect(whole.map((r) => r.raw).join('')).toBe(
          f.events
            .filter((e) => e.dir === 'S')
            .map((e) => new TextDecoder().decode(Uint8Array.from(e.data, (c) => c.charCodeAt(0))))
            .join(''),
        );
      });
    }
  }

  it("follows sessions against mailwire's own practice server to the right end states", () => {
    const s = createConsole('smtp');
    const sr = replay(loadFixture('practice-smtp-session.json'), s);
    expect(sr.map((r) => r.stateAfter).slice(-4)).toEqual(['rcpt', 'data', 'ready', 'quit']);
    expect(s.view().capabilityHistory.map((h) => h.capabilities.some((c) => c.startsWith('AUTH')))).toEqual([
      false,
      true,
    ]);
    expect(sr.find((r) => r.command === 'AUTH PLAIN ••••••')?.annotation.title).toBe('235 Authentication succeeded');
    const i = createConsole('imap');
    replay(loadFixture('practice-imap-session.json'), i);
    expect(i.view().state).toBe('logout');
    expect(i.view().capabilityHistory.map((h) => h.phase)).toEqual(['plaintext', 'tls', 'authenticated']);
    const p = createConsole('pop3');
    const pr = replay(loadFixture('practice-pop3-session.json'), p);
    expect(pr.at(-1)).toMatchObject({ command: 'QUIT', stateBefore: 'transaction', stateAfter: 'update' });
  });

  it('exposes the per-protocol namespaces', () => {
    expect(typeof smtp.SmtpReplyParser).toBe('function');
    expect(typeof imap.parseBodyStructure).toBe('function');
    expect(typeof pop3.isMultilineCommand).toBe('function');
    expect(() => createConsole('ftp' as never)).toThrow(/use smtp, imap or pop3/);
  });
});
