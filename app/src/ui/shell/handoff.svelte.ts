// Things one screen hands to another: a DATA payload from the studio to the console, a fetched
// message from the console to the studio, a recorded transcript to the replay screen.
import type { Transcript } from '../../transcript/model.ts';

class Handoff {
  /** Text for the console's multi-line input (a dot-stuffed DATA payload). */
  consoleInput = $state<string | null>(null);
  /** A transcript for the replay screen to load. */
  transcript = $state.raw<Transcript | null>(null);
}

export const handoff = new Handoff();
