// Follow the newest line, as a terminal does, until the learner scrolls up; stay where they put
// the view until they scroll back to the bottom or press the jump-to-latest control. Pure: it reads
// and sets the three numbers of a scrolling box (an element has them; a test passes an object).
//
// The position and height it last set or saw are kept: a position that differs is the learner's,
// and it decides before the log scrolls again. The scroll event saying so comes up to a frame
// late, after more rows may have come in (and, when the learner scrolled in the frame's animation
// callbacks, after the log would already have pulled the view back to the bottom, and then read
// that as the learner's wish to follow).

/** The part of a scrolling element this needs. */
export interface ScrollBox {
  scrollTop: number;
  readonly clientHeight: number;
  readonly scrollHeight: number;
}

/** Within this many pixels of the bottom counts as at the bottom. */
const AT_BOTTOM = 4;
/** Keys that move the view up (the box's own scrolling keys). */
const KEYS_UP = ['PageUp', 'ArrowUp', 'Home'];

export class FollowBottom {
  #follow = true;
  #knownTop = 0;
  #knownHeight = 0;
  #onchange: (following: boolean) => void;

  /** `onchange` hears each change of mind (the log shows the jump-to-latest control meanwhile). */
  constructor(onchange: (following: boolean) => void) {
    this.#onchange = onchange;
  }

  get following(): boolean {
    return this.#follow;
  }

  set(on: boolean): void {
    if (on === this.#follow) return;
    this.#follow = on;
    this.#onchange(on);
  }

  /** Whether to stay with the newest line. A learner who moved the view decides: following again
   *  only at the bottom (as it was before rows that came meanwhile made the log taller). */
  stillFollowing(b: ScrollBox): boolean {
    if (Math.abs(b.scrollTop - this.#knownTop) > 1)
      this.set(b.scrollTop + b.clientHeight >= Math.min(b.scrollHeight, this.#knownHeight || Infinity) - AT_BOTTOM);
    this.#remember(b);
    return this.#follow;
  }

  /** Scrolls to the newest line (the box clamps what it is given) and remembers where that is. */
  toBottom(b: ScrollBox): void {
    const bottom = Math.max(0, b.scrollHeight - b.clientHeight);
    if (Math.abs(b.scrollTop - bottom) > 1) b.scrollTop = bottom;
    this.#remember(b);
  }

  /** A wheel turned up or a key pressed to go up says so before the view moves (a smooth scroll
   *  starts a frame or more later): stop following now, or the next line would pull the view back. */
  wheel(ev: { deltaY: number; ctrlKey: boolean }, b: ScrollBox): void {
    if (ev.deltaY < 0 && !ev.ctrlKey && b.scrollTop > 0) this.set(false);
  }
  key(ev: { key: string }, b: ScrollBox): void {
    if (KEYS_UP.includes(ev.key) && b.scrollTop > 0) this.set(false);
  }

  #remember(b: ScrollBox): void {
    this.#knownTop = b.scrollTop;
    this.#knownHeight = b.scrollHeight;
  }
}
