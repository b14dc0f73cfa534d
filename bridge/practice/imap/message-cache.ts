// What FETCH and SEARCH derive from a stored message, kept between commands (issue 18: the
// practice server read and parsed every message from disk on each FETCH 1:* and each SEARCH,
// 24x to 90x Dovecot's time on 5,000 messages; Dovecot keeps an index and a cache file). A
// message's bytes never change once it has a UID in a mailbox (RFC 3501 section 2.3.1.1), so an
// entry stays right until the message is expunged or the mailbox object closes, which drop it.
// One LRU for the whole process, bounded by the bytes it holds.
import type { Mailbox } from '../mailstore-types.ts';
import type { Chunk } from './encode.ts';
import { type MimePart, parseMimeStructure } from './mime-structure.ts';

export interface CachedMessage {
  raw: Buffer;
  root: MimePart;
  /** Derived text (e.g. SEARCH's decoded body), computed once by whoever needs it first. */
  derived: Map<string, string | null>;
  /** FETCH's ENVELOPE, rendered once (commands/fetch.ts). */
  envelope?: Chunk[];
}

const CAP_BYTES = 64 * 1024 * 1024;

/** One held entry and where it sits. */
interface Held {
  entry: CachedMessage;
  box: BoxCache;
  uid: number;
  /** Bytes it counts for: its raw message and, roughly, its derived text. */
  weight: number;
  /** Set on every hit, cleared as the eviction hand passes (CLOCK, a cheap approximation of LRU). */
  used: boolean;
}

/** One mailbox object's entries by UID, and the reads under way (so 100 sessions read a file once). */
interface BoxCache {
  held: Map<number, Held>;
  reading: Map<number, Promise<CachedMessage | null>>;
}

const boxes = new WeakMap<Mailbox, BoxCache>();
/** Every held entry, oldest first: the order the eviction hand walks. */
const ring = new Set<Held>();
const heldOf = new WeakMap<CachedMessage, Held>();
let heldBytes = 0;

function boxCache(mailbox: Mailbox): BoxCache {
  const known = boxes.get(mailbox);
  if (known) return known;
  const mine: BoxCache = { held: new Map(), reading: new Map() };
  boxes.set(mailbox, mine);
  const unsubscribe = mailbox.subscribe((event) => {
    if (event.kind === 'expunge')
      for (const uid of event.uids) {
        mine.reading.delete(uid);
        const h = mine.held.get(uid);
        if (h) drop(h);
      }
    if (event.kind === 'closed') {
      mine.reading.clear();
      for (const h of [...mine.held.values()]) drop(h);
      unsubscribe();
    }
  });
  return mine;
}

function drop(h: Held): void {
  if (h.box.held.get(h.uid) !== h) return;
  h.box.held.delete(h.uid);
  ring.delete(h);
  heldOf.delete(h.entry);
  heldBytes -= h.weight;
}

/** The cached entry without waiting, or undefined: then call cachedMessage. */
export function heldMessage(mailbox: Mailbox, uid: number): CachedMessage | undefined {
  const h = boxCache(mailbox).held.get(uid);
  if (!h) return undefined;
  h.used = true;
  return h.entry;
}

/** The message's bytes and MIME tree, from the cache or read now; null when it was expunged. */
export function cachedMessage(mailbox: Mailbox, uid: number): Promise<CachedMessage | null> {
  const box = boxCache(mailbox);
  const h = box.held.get(uid);
  if (h) {
    h.used = true;
    return Promise.resolve(h.entry);
  }
  const under = box.reading.get(uid);
  if (under) return under; // another session asked for it a moment ago: one read serves both
  const reading = mailbox.read(uid).then((raw): CachedMessage | null => {
    if (!raw) return null;
    const entry: CachedMessage = { raw, root: parseMimeStructure(raw), derived: new Map() };
    if (box.reading.get(uid) !== reading) return entry; // expunged meanwhile: served once, not kept
    box.reading.delete(uid);
    const held: Held = { entry, box, uid, weight: raw.length * 2, used: false };
    box.held.set(uid, held);
    ring.add(held);
    heldOf.set(entry, held);
    heldBytes += held.weight;
    evict();
    return entry;
  });
  box.reading.set(uid, reading);
  // A failed read is not remembered: the next command tries again.
  reading.catch(() => box.reading.get(uid) === reading && box.reading.delete(uid));
  return reading;
}

/** Text derived from a cached message once (`make` runs once per entry and name while it is held). */
export async function derivedText(
  entry: CachedMessage,
  name: string,
  make: () => Promise<string | null> | string | null,
): Promise<string | null> {
  const have = entry.derived.get(name);
  return have !== undefined ? have : remember(entry, name, await make());
}

/** derivedText for text made without waiting (no microtask per message in a search loop). */
export function derivedTextNow(entry: CachedMessage, name: string, make: () => string | null): string | null {
  const have = entry.derived.get(name);
  return have !== undefined ? have : remember(entry, name, make());
}

function remember(entry: CachedMessage, name: string, text: string | null): string | null {
  const held = heldOf.get(entry);
  if (!entry.derived.has(name) && held !== undefined) {
    const bytes = (text?.length ?? 0) * 2 + 64;
    entry.derived.set(name, text);
    held.weight += bytes;
    heldBytes += bytes;
    evict();
  }
  return text;
}

/** Drops entries not used since the hand last passed them, oldest first, until under the cap. */
function evict(): void {
  while (heldBytes > CAP_BYTES) {
    const h = ring.values().next().value;
    if (!h) return;
    ring.delete(h);
    if (h.used) {
      h.used = false; // a second chance: to the back of the ring
      ring.add(h);
    } else drop(h);
  }
}
