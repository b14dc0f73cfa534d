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

const ids = new WeakMap<Mailbox, number>();
let nextId = 1;
const entries = new Map<string, CachedMessage>();
let heldBytes = 0;

/** Bytes each held entry counts for: its raw message and, roughly, its derived text. */
const weights = new WeakMap<CachedMessage, number>();

function mailboxId(mailbox: Mailbox): number {
  let id = ids.get(mailbox);
  if (id !== undefined) return id;
  id = nextId++;
  ids.set(mailbox, id);
  const mine = id;
  const unsubscribe = mailbox.subscribe((event) => {
    if (event.kind === 'expunge') for (const uid of event.uids) drop(`${mine}:${uid}`);
    if (event.kind === 'closed') {
      for (const key of [...entries.keys()]) if (key.startsWith(`${mine}:`)) drop(key);
      unsubscribe();
    }
  });
  return id;
}

function drop(key: string): void {
  const e = entries.get(key);
  if (!e) return;
  heldBytes -= weights.get(e) ?? 0;
  weights.delete(e);
  entries.delete(key);
}

/** The cached entry without waiting, or undefined: then call cachedMessage. */
export function heldMessage(mailbox: Mailbox, uid: number): CachedMessage | undefined {
  const key = `${mailboxId(mailbox)}:${uid}`;
  const hit = entries.get(key);
  if (hit) {
    entries.delete(key); // most recently used goes last
    entries.set(key, hit);
  }
  return hit;
}

/** The message's bytes and MIME tree, from the cache or read now; null when it was expunged. */
export async function cachedMessage(mailbox: Mailbox, uid: number): Promise<CachedMessage | null> {
  const hit = heldMessage(mailbox, uid);
  if (hit) return hit;
  const key = `${mailboxId(mailbox)}:${uid}`;
  const raw = await mailbox.read(uid);
  if (!raw) return null;
  const entry: CachedMessage = { raw, root: parseMimeStructure(raw), derived: new Map() };
  if (entries.has(key)) return entries.get(key)!; // another command read it meanwhile
  entries.set(key, entry);
  weights.set(entry, raw.length * 2);
  heldBytes += raw.length * 2;
  evict();
  return entry;
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
  const held = weights.get(entry);
  if (!entry.derived.has(name) && held !== undefined) {
    const bytes = (text?.length ?? 0) * 2 + 64;
    entry.derived.set(name, text);
    weights.set(entry, held + bytes);
    heldBytes += bytes;
    evict();
  }
  return text;
}

function evict(): void {
  for (const [key] of entries) {
    if (heldBytes <= CAP_BYTES) break;
    drop(key);
  }
}
