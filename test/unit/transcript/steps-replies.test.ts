// Pairing replies with steps as a live session grows: real sessions, replies from the console's
// tracker. Written-out pairings for the first session of each protocol; for every session, the
// pairing made as it grows is the one made on the finished session, and each reply's step really
// holds the reply's first line, in stream order.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTracker } from '../../../app/src/ui/console/tracker.ts';
import { EXAMPLE_NAMES, loadExample } from '../../../app/src/transcript/examples/index.ts';
import type { Transcript } from '../../../app/src/transcript/model.ts';
import { ReplySteps } from '../../../app/src/transcript/steps-replies.ts';
import { partsText, splitSteps, StepSplitter } from '../../../app/src/transcript/steps.ts';
import { createRecorder } from '../../../app/src/transcript/recorder.ts';
import { loadFixture } from './load-fixture.ts';

const RECORDED_DIR = fileURLToPath(new URL('../../fixtures/transcripts-recorded/', import.meta.url));
const ALL: Array<[string, Transcript]> = [
  ...readdirSync(RECORDED_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f): [string, Transcript] => [f, loadFixture(f)]),
  ...EXAMPLE_NAMES.map((n): [string, Transcript] => [n, loadExample(n)!]),
];

/** The replies the console's tracker reads from a whole session. */
function repliesOf(t: Transcript): string[] {
  const tracker = createTracker(t.meta.protocol);
  const replies: string[] = [];
  for (const e of t.events) {
    if (e.kind === 'sent') tracker.sent(new TextDecoder().decode(e.data));
    else if (e.kind === 'received') replies.push(...tracker.received(e.data).map((r) => r.raw));
    else if (e.kind === 'tls') tracker.tlsStarted();
    else if (e.kind === 'closed') replies.push(...tracker.closed().map((r) => r.raw));
  }
  return replies;
}

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

const stepsOf = (pairs: ReplySteps, replies: readonly string[]) => replies.map((_, r) => pairs.stepOfReply(r) ?? -1);
const fromLatin1 = (s: string) => new TextDecoder().decode(Uint8Array.from(s, (c) => c.charCodeAt(0)));

describe('ReplySteps pairs replies with steps as the session grows', () => {
  // Step numbers as the sequence diagram draws them; the TLS handshake (step 3 in each) holds no reply.
  const WRITTEN_OUT: Record<string, number[]> = {
    // greeting, EHLO, STARTTLS, (TLS), EHLO again, AUTH, MAIL, RCPT, DATA, the message's 250, QUIT
    'smtp-first': [0, 1, 2, 4, 5, 6, 7, 8, 9, 10],
    // greeting; CAPABILITY's untagged line and its OK; STARTTLS; (TLS); LOGIN; SELECT's seven untagged
    // lines and its OK; SEARCH and OK; FETCH of two messages and OK; UID FETCH and OK; BYE and OK
    'imap-first': [0, 1, 1, 2, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 7, 7, 7, 8, 8, 9, 9],
    // greeting, CAPA, STLS, (TLS), USER, PASS, STAT, LIST, RETR, QUIT
    'pop3-first': [0, 1, 2, 4, 5, 6, 7, 8, 9],
  };
  for (const [name, want] of Object.entries(WRITTEN_OUT)) {
    it(`${name}: every reply goes to the step written out for it`, () => {
      const { pairs, replies } = live(loadExample(name)!);
      expect(stepsOf(pairs, replies)).toEqual(want);
      // Selecting an arrow selects the last reply it shows: for IMAP, the tagged completion.
      const last = want.length - 1;
      expect(pairs.replyOfStep(want[last]!)).toBe(last);
      expect(pairs.replyOfStep(3)).toBeNull();
    });
  }

  for (const [name, t] of ALL) {
    it(`${name}: the same pairs as on the finished session, each in a step that holds it`, () => {
      const { pairs, replies } = live(t);
      expect(replies).toEqual(repliesOf(t));
      expect(replies.length).toBeGreaterThan(5);
      const steps = splitSteps(t);
      const whole = new ReplySteps();
      whole.update(t.events, steps, replies);
      const map = stepsOf(pairs, replies);
      expect(map).toEqual(stepsOf(whole, replies));
      expect(map.filter((s) => s < 0)).toEqual([]);
      map.forEach((s, r) => {
        if (r > 0) expect(s).toBeGreaterThanOrEqual(map[r - 1]!);
        const step = steps.find((x) => x.index === s)!;
        expect(fromLatin1(partsText(t.events, step.received, true))).toContain(replies[r]!.split(/\r?\n/)[0]);
      });
      for (const step of new Set(map)) expect(pairs.replyOfStep(step)).toBe(map.lastIndexOf(step));
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
    const replies = [
      '* OK hi\r\n',
      '* 1 EXISTS\r\n',
      '* 1 EXISTS\r\n',
      'a1 OK done\r\n',
      '* 1 EXISTS\r\n',
      'a2 OK done\r\n',
    ];
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
