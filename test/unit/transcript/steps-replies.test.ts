// Pairing replies with steps as a live session grows, against the console's batch pairing
// (stepsOfReplies over the whole transcript): real sessions, replies from the console's tracker.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTracker } from '../../../app/src/ui/console/tracker.ts';
import { stepsOfReplies } from '../../../app/src/ui/console/reply-steps.ts';
import { EXAMPLE_NAMES, loadExample } from '../../../app/src/transcript/examples/index.ts';
import type { Transcript } from '../../../app/src/transcript/model.ts';
import { ReplySteps } from '../../../app/src/transcript/steps-replies.ts';
import { splitSteps, StepSplitter } from '../../../app/src/transcript/steps.ts';
import { createRecorder } from '../../../app/src/transcript/recorder.ts';
import { loadFixture } from './load-fixture.ts';

const RECORDED_DIR = fileURLToPath(new URL('../../fixtures/transcripts-recorded/', import.meta.url));
const ALL: Array<[string, Transcript]> = [
  ...readdirSync(RECORDED_DIR).filter((f) => f.endsWith('.json')).map((f): [string, Transcript] => [f, loadFixture(f)]),
  ...EXAMPLE_NAMES.map((n): [string, Transcript] => [n, loadExample(n)!]),
];

/** Replays a transcript as the console sees it: after each event, the splitter's view and the replies so far. */
function live(t: Transcript): { pairs: ReplySteps; replies: string[] } {
  const tracker = createTracker(t.meta.protocol);
  const splitter = new StepSplitter(t.meta);
  const pairs = new ReplySteps();
  const replies: string[] = [];
  t.events.forEach((e, i) => {
    if (e.kind === 'sent') tracker.sent(new TextDecoder().decode(e.data));
    else if (e.kind === 'received') replies.push(...tracker.received(e.data).map((r) => r.raw));
    else if (e.kind === 'tls') tracker.tlsStarted();
    else if (e.kind === 'closed') replies.push(...tracker.closed().map((r) => r.raw));
    splitter.push(e);
    pairs.update(t.events.slice(0, i + 1), splitter.view(), replies);
    expect(pairs.count).toBe(replies.length);
  });
  return { pairs, replies };
}

describe('ReplySteps pairs replies with steps as the session grows', () => {
  for (const [name, t] of ALL) {
    it(`${name}: the same pairs as the batch pairing of the whole session`, () => {
      const { pairs, replies } = live(t);
      expect(replies.length).toBeGreaterThan(5);
      const batch = stepsOfReplies(t, splitSteps(t), replies);
      expect(replies.map((_, r) => pairs.stepOfReply(r) ?? -1)).toEqual(batch);
      expect(batch.filter((s) => s < 0)).toEqual([]);
      for (const step of new Set(batch)) expect(pairs.replyOfStep(step)).toBe(batch.lastIndexOf(step));
    });
  }

  it('a repeated first line goes to the step that holds that occurrence, not to an earlier one', () => {
    const r = createRecorder({ protocol: 'imap', target: 'h:1', client: 'test' }, { now: () => 0 });
    r.received('* OK hi\r\n');
    r.sent('a1 NOOP\r\n');
    r.received('* 1 EXISTS\r\n* 1 EXISTS\r\na1 OK done\r\n');
    r.sent('a2 NOOP\r\n');
    r.received('* 1 EXISTS\r\na2 OK done\r\n');
    const t = r.transcript();
    const replies = ['* OK hi\r\n', '* 1 EXISTS\r\n', '* 1 EXISTS\r\n', 'a1 OK done\r\n', '* 1 EXISTS\r\n', 'a2 OK done\r\n'];
    const pairs = new ReplySteps();
    pairs.update(t.events, splitSteps(t), replies);
    expect(replies.map((_, i) => pairs.stepOfReply(i))).toEqual([0, 1, 1, 1, 2, 2]);
    expect(pairs.replyOfStep(1)).toBe(3);
    expect(pairs.replyOfStep(2)).toBe(5);
    expect(pairs.replyOfStep(9)).toBeNull();
    expect(pairs.stepOfReply(9)).toBeNull();
  });

  it('a reply found in no step is paired with none and does not move the search', () => {
    const r = createRecorder({ protocol: 'smtp', target: 'h:1', client: 'test' }, { now: () => 0 });
    r.received('220 hi\r\n');
    r.sent('NOOP\r\n');
    r.received('250 ok\r\n');
    const t = r.transcript();
    const pairs = new ReplySteps();
    pairs.update(t.events, splitSteps(t), ['220 hi\r\n', '421 not in the stream\r\n', '250 ok\r\n']);
    expect([0, 1, 2].map((i) => pairs.stepOfReply(i))).toEqual([0, null, 1]);
  });
});
