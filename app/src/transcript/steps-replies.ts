// Pairs the console's replies with the steps of the live splitter as both grow, so selecting a
// reply selects its arrow and the other way round. Both follow the stream in order, and a step can
// hold several replies (IMAP untagged data, then its tagged completion), so each new reply goes to
// the first step, from the previous reply's step on, whose received bytes hold its first line,
// past where the previous reply was found. Amortized O(1) per reply: each step's received text is
// kept and extended, never rebuilt, and searched only from the last match on.

import { latin1 } from '../protocols/common/bytes.ts';
import type { TranscriptEvent } from './model.ts';
import { partsText } from './step-lines.ts';
import type { Step } from './steps.ts';

const latin1OfUtf8 = (s: string) => latin1(new TextEncoder().encode(s));

export class ReplySteps {
  private readonly stepOf: number[] = [];
  private readonly lastReplyOf = new Map<number, number>();
  private at = 0; // list position of the previous reply's step
  private from = 0; // where in that step's text to search next
  private readonly texts = new WeakMap<Step, { parts: number; last: object | undefined; text: string }>();

  /** Pairs the replies not paired yet; `steps` must already hold their bytes. */
  update(
    events: readonly TranscriptEvent[],
    steps: readonly Step[],
    replies: ReadonlyArray<string | { raw: string }>,
  ): void {
    for (let r = this.stepOf.length; r < replies.length; r++) {
      const reply = replies[r] ?? '';
      const firstLine = latin1OfUtf8((typeof reply === 'string' ? reply : reply.raw).split(/\r?\n/)[0] ?? '');
      let found = -1;
      for (let i = this.at; i < steps.length && firstLine; i++) {
        const p = this.received(events, steps[i]!).indexOf(firstLine, i === this.at ? this.from : 0);
        if (p >= 0) {
          found = i;
          this.from = p + firstLine.length;
          break;
        }
      }
      if (found === -1) this.stepOf.push(-1);
      else {
        this.at = found;
        const index = steps[found]!.index;
        this.stepOf.push(index);
        this.lastReplyOf.set(index, r);
      }
    }
  }

  get count(): number {
    return this.stepOf.length;
  }

  /** The step of a reply, or null when none holds it. */
  stepOfReply(reply: number): number | null {
    const s = this.stepOf[reply];
    return s === undefined || s < 0 ? null : s;
  }

  /** The last reply shown in a step (what selecting that arrow selects in the console). */
  replyOfStep(step: number): number | null {
    return this.lastReplyOf.get(step) ?? null;
  }

  /** A step's received bytes as latin1 text, extended as parts are added. */
  private received(events: readonly TranscriptEvent[], step: Step): string {
    const parts = step.received;
    let c = this.texts.get(step);
    // A view of the splitter may have shown parts that were taken back since: start over.
    if (c && (parts.length < c.parts || (c.parts > 0 && parts[c.parts - 1] !== c.last))) c = undefined;
    if (!c) c = { parts: 0, last: undefined, text: '' };
    if (c.parts < parts.length) {
      c.text += partsText(events, parts.slice(c.parts), true);
      c.parts = parts.length;
      c.last = parts.at(-1);
    }
    this.texts.set(step, c);
    return c.text;
  }
}
