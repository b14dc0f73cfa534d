// Replies of a real recorded session map onto the transcript's steps in order.
import { describe, expect, it } from 'vitest';
import { loadExample } from '../../../../app/src/transcript/examples/index.ts';
import { splitSteps, partsText } from '../../../../app/src/transcript/steps.ts';
import { createTracker } from '../../../../app/src/ui/console/tracker.ts';
import { replyOfStep, stepsOfReplies } from '../../../../app/src/ui/console/reply-steps.ts';

describe('stepsOfReplies', () => {
  for (const name of ['smtp-first', 'imap-first', 'pop3-first']) {
    it(`pairs every reply of ${name} with the step that shows it`, () => {
      const t = loadExample(name)!;
      const steps = splitSteps(t);
      const tracker = createTracker(t.meta.protocol);
      const replies: string[] = [];
      for (const e of t.events) {
        if (e.kind === 'sent') tracker.sent(new TextDecoder().decode(e.data));
        else if (e.kind === 'received') replies.push(...tracker.received(e.data).map((r) => r.raw));
        else if (e.kind === 'tls') tracker.tlsStarted();
      }
      const map = stepsOfReplies(t, steps, replies);
      expect(map).not.toContain(-1);
      // In order, and each step named really holds that reply's first line.
      for (let i = 1; i < map.length; i++) expect(map[i]).toBeGreaterThanOrEqual(map[i - 1]!);
      map.forEach((s, i) => {
        const text = partsText(t.events, steps[s]!.received, true);
        expect(text).toContain(replies[i]!.split('\r\n')[0]!.slice(0, 20));
      });
      // Selecting a step selects the last reply it shows.
      const last = map.length - 1;
      expect(replyOfStep(map, map[last]!)).toBe(last);
    });
  }
});
