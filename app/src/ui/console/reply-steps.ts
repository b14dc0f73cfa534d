// Pairs the console's replies with the sequence diagram's steps, so selecting one selects the
// other. Both follow the stream in order, and a step can hold several replies (IMAP untagged
// data and its tagged completion), so each reply goes to the first step, from the previous
// reply's step on, whose received bytes hold the reply's first line.
import type { Transcript } from '../../transcript/model.ts';
import { partsText, type Step } from '../../transcript/steps.ts';

const utf8 = new TextDecoder();
const fromLatin1 = (s: string) => utf8.decode(Uint8Array.from(s, (c) => c.charCodeAt(0)));

/** For each reply (by index), the index of its step, or -1 when none was found. */
export function stepsOfReplies(transcript: Transcript, steps: readonly Step[], replies: readonly string[]): number[] {
  const received = steps.map((s) => fromLatin1(partsText(transcript.events, s.received, true)));
  const out: number[] = [];
  let at = 0;
  for (const raw of replies) {
    const firstLine = raw.split(/\r?\n/)[0] ?? '';
    let found = -1;
    for (let i = at; i < steps.length && firstLine; i++) {
      if (received[i]!.includes(firstLine)) {
        found = i;
        break;
      }
    }
    out.push(found === -1 ? -1 : steps[found]!.index);
    if (found !== -1) at = found;
  }
  return out;
}

/** The last reply shown in a step (what selecting that arrow selects in the console). */
export function replyOfStep(stepOfReply: readonly number[], step: number): number | null {
  const i = stepOfReply.lastIndexOf(step);
  return i === -1 ? null : i;
}
