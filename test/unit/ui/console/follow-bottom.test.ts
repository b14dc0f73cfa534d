import { describe, expect, it } from 'vitest';
import { FollowBottom, type ScrollBox } from '../../../../app/src/ui/console/follow-bottom.ts';

/** A scrolling box as a browser clamps it: scrollTop stays within [0, scrollHeight - clientHeight]. */
function box(scrollHeight: number, clientHeight = 100): ScrollBox & { grow(by: number): void } {
  let top = 0;
  return {
    clientHeight,
    get scrollHeight() {
      return scrollHeight;
    },
    get scrollTop() {
      return top;
    },
    set scrollTop(v: number) {
      top = Math.max(0, Math.min(v, scrollHeight - clientHeight));
    },
    grow(by: number) {
      scrollHeight += by;
    },
  };
}

function follower() {
  const heard: boolean[] = [];
  return { f: new FollowBottom((on) => heard.push(on)), heard };
}

describe('FollowBottom', () => {
  it('follows from the start and scrolls to the newest line as rows come', () => {
    const { f, heard } = follower();
    const b = box(500);
    expect(f.stillFollowing(b)).toBe(true);
    f.toBottom(b);
    expect(b.scrollTop).toBe(400);
    b.grow(50); // more rows: the view is no longer at the bottom, but the learner did not move it
    expect(f.stillFollowing(b)).toBe(true);
    f.toBottom(b);
    expect(b.scrollTop).toBe(450);
    expect(heard).toEqual([]);
  });

  it('stops when the learner scrolls up, and says so once', () => {
    const { f, heard } = follower();
    const b = box(500);
    f.toBottom(b);
    b.scrollTop = 200;
    expect(f.stillFollowing(b)).toBe(false);
    expect(f.stillFollowing(b)).toBe(false);
    expect(f.following).toBe(false);
    expect(heard).toEqual([false]);
  });

  it('a view moved after rows came in follows again only at the old bottom', () => {
    const { f } = follower();
    const b = box(500);
    f.toBottom(b); // at 400 of 500
    b.grow(300); // rows came in before the scroll event: the box is 800 tall
    b.scrollTop = 398; // the learner nudged the view, within 4px of the bottom they saw
    expect(f.stillFollowing(b)).toBe(true);
    b.scrollTop = 300;
    expect(f.stillFollowing(b)).toBe(false);
    b.scrollTop = 700; // back to the real bottom
    expect(f.stillFollowing(b)).toBe(true);
  });

  it('a wheel turned up or an upward key stops following before the view moves, not at the top', () => {
    const { f, heard } = follower();
    const b = box(500);
    f.toBottom(b);
    f.wheel({ deltaY: 10, ctrlKey: false }, b);
    f.wheel({ deltaY: -10, ctrlKey: true }, b); // zoom, not scroll
    f.key({ key: 'ArrowDown' }, b);
    expect(f.following).toBe(true);
    f.key({ key: 'PageUp' }, b);
    expect(heard).toEqual([false]);
    f.set(true);
    f.wheel({ deltaY: -10, ctrlKey: false }, b);
    expect(f.following).toBe(false);
    const top = box(50); // nothing to scroll: at the top already
    const g = follower();
    g.f.key({ key: 'Home' }, top);
    g.f.wheel({ deltaY: -10, ctrlKey: false }, top);
    expect(g.f.following).toBe(true);
  });

  it('its own scroll to the bottom is not read as the learner moving', () => {
    const { f, heard } = follower();
    const b = box(500);
    f.toBottom(b);
    f.set(false);
    f.set(true); // the jump-to-latest control
    b.grow(100);
    f.toBottom(b);
    expect(f.stillFollowing(b)).toBe(true);
    expect(heard).toEqual([false, true]);
  });
});
