// The console's tracker over real sessions (Dovecot, exim, smtp-server, Python's clients): every
// reply is explained, the STARTTLS go-ahead is spotted exactly once when the session upgraded,
// and the state ends where the session ended.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTracker, type ReplyView } from '../../../../app/src/ui/console/tracker.ts';

const dir = join(import.meta.dirname, '../../../fixtures/transcripts');
type Fixture = { protocol: 'smtp' | 'imap' | 'pop3'; events: Array<{ dir: 'S' | 'C' | 'TLS'; data: string }> };
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ name: f, ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture) }));

describe('console tracker on real transcripts', () => {
  it('has fixtures of all three protocols', () => {
    expect(new Set(fixtures.map((f) => f.protocol))).toEqual(new Set(['smtp', 'imap', 'pop3']));
  });

  for (const fx of fixtures) {
    it(`explains every reply of ${fx.name}`, () => {
      const tracker = createTracker(fx.protocol);
      const views: ReplyView[] = [];
      let upgraded = false;
      for (const e of fx.events) {
        if (e.dir === 'C') tracker.sent(new TextDecoder().decode(latin1(e.data)));
        else if (e.dir === 'S') views.push(...tracker.received(latin1(e.data)));
        else {
          upgraded = true;
          tracker.tlsStarted();
        }
      }
      views.push(...tracker.closed());
      expect(views.length).toBeGreaterThan(2);
      for (const v of views) {
        expect(v.annotation.meaning.length, `no meaning for ${JSON.stringify(v.raw)}`).toBeGreaterThan(10);
        expect(v.annotation.rfc.url).toMatch(/^https:\/\//);
      }
      expect(views.filter((v) => v.startTlsGoAhead).length).toBe(upgraded ? 1 : 0);
      expect(tracker.view().tls).toBe(upgraded);
    });
  }
});
