// Server reads of a plain TCP socket without a new Buffer per read (issue 18). Node's default
// read path allocates 64 KiB for every read and the relay then copied each turn's reads into one
// frame: 100 MB of short-lived buffers per 50 MB relayed, whose page faults, copies and garbage
// collections cost the bridge twice the CPU of a plain relay. With net's `onread` option the
// socket reads into memory we choose:
// - an idle or chatty session reads into one scratch buffer shared by every session (replies are
//   copied out at once, so a session costs no read memory while it waits);
// - a read that filled at least FULL_READ bytes starts a burst: the next reads land one after
//   another in a slab of this session, so the bytes of one event-loop turn are already one
//   contiguous range, framed as a view of the slab without copying;
// - a slab goes back to a small process-wide pool once every frame cut from it has reached the
//   kernel (the frame's send callback) and no read of the socket can land in it any more.
// Frame boundaries carry no meaning (ARCHITECTURE.md, "Relay framing"), so where a frame ends is
// the bridge's choice; the bytes and their order are the server's.

/** A read at least this long (a TLS record is 16 KiB) suggests more is waiting: gather until the turn ends. */
export const FULL_READ = 16 * 1024;
/** Node's own read size: the scratch buffer, and the least room a slab must have left for a read. */
const READ_SIZE = 64 * 1024;
/** Free slabs kept for the next burst, per slab size (a few MiB at most, shared by all sessions). */
const POOL_MAX = 8;

interface Slab {
  buf: Buffer;
  /** Frames cut from it that have not reached the kernel yet. */
  refs: number;
  /** No read can land in it any more: back to the pool once refs is 0. */
  retired: boolean;
  /** Retired while its socket could still read into it: left to the garbage collector, never pooled. */
  unsafe: boolean;
}

const pools = new Map<number, Buffer[]>();
const scratch = Buffer.allocUnsafeSlow(READ_SIZE);

function takeSlab(size: number): Slab {
  const buf = pools.get(size)?.pop() ?? Buffer.allocUnsafeSlow(size);
  return { buf, refs: 0, retired: false, unsafe: false };
}

function retire(slab: Slab, reusable: boolean): void {
  slab.retired = true;
  slab.unsafe = !reusable;
  pool(slab);
}

function pool(slab: Slab): void {
  if (!slab.retired || slab.unsafe || slab.refs > 0) return;
  let free = pools.get(slab.buf.length);
  if (!free) pools.set(slab.buf.length, (free = []));
  if (free.length < POOL_MAX) free.push(slab.buf);
}

/** A frame cut from a slab: call `done` once its send has finished (or failed). */
export type FrameDone = () => void;

export class SlabReader {
  private slab: Slab | null = null;
  /** Where the next read lands in the slab, and where the frame being gathered starts. */
  private cursor = 0;
  private frameStart = 0;
  /** The memory handed to the socket for its next read: the scratch buffer or the slab's tail. */
  private region: Uint8Array = scratch;
  /** The next read goes to the scratch buffer (no burst under way). */
  private idle = true;
  private closed = false;
  private flushScheduled = false;
  private readonly slabSize: number;
  private readonly minRoom: number;

  /**
   * @param frameCap the largest frame to gather (the session's gather cap)
   * @param landed called with each read's length: the session looks at `view(n)`, then `keep(n)`s
   *   the bytes or copies what it needs (the bytes are overwritten by a later read otherwise)
   * @param emit sends one frame; `done`, when given, must be called once the frame is no longer needed
   * @param emitReply sends a short read as its own frame at once; its bytes are valid only during the call
   */
  constructor(
    private readonly frameCap: number,
    private readonly landed: (n: number) => void,
    private readonly emit: (frame: Buffer, done?: FrameDone) => void,
    private readonly emitReply: (bytes: Buffer) => void,
  ) {
    this.minRoom = Math.min(READ_SIZE, frameCap);
    this.slabSize = Math.max(2 * frameCap, READ_SIZE);
  }

  /** Bytes gathered and not framed yet. */
  get pendingBytes(): number {
    return this.slab ? this.cursor - this.frameStart : 0;
  }

  /** net's `onread` option for the socket this reader serves. */
  readonly onread = {
    buffer: (): Uint8Array => this.nextRegion(),
    callback: (n: number): boolean => {
      this.landed(n);
      return true;
    },
  };

  /** The bytes of the last read, valid only until the callback returns unless kept. */
  view(n: number): Buffer {
    const r = this.region;
    return Buffer.from(r.buffer, r.byteOffset, n);
  }

  /** Keeps the last read's n bytes for the frame being gathered, and frames them when it is time. */
  keep(n: number): void {
    if (this.closed) return;
    const short = n < FULL_READ && n < this.region.length;
    if (this.region === scratch) {
      if (short) {
        this.flush(); // bytes gathered before go first
        this.emitReply(scratch.subarray(0, n)); // a reply: its own frame, now (copied out: nothing to release)
        return;
      }
      // A burst begins: this read moves into a slab, and the next ones land there directly.
      if (!this.slab || this.slab.buf.length - this.cursor < n) this.newSlab();
      scratch.copy(this.slab!.buf, this.cursor, 0, n);
    }
    this.cursor += n;
    this.idle = short;
    if (short || this.frameStart + this.frameCap - this.cursor < this.minRoom) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushLater);
    }
  }

  /** Frames what has been gathered now (before a control message, at the turn's end, at the cap). */
  flush(): void {
    const slab = this.slab;
    if (!slab || this.cursor === this.frameStart) return;
    const frame = slab.buf.subarray(this.frameStart, this.cursor);
    this.frameStart = this.cursor;
    slab.refs++;
    this.emit(frame, () => {
      slab.refs--;
      pool(slab);
    });
  }

  /** The socket reads no more through this reader (closed, or TLS took over its reads). */
  close(): void {
    this.flush();
    this.closed = true;
    if (this.slab) retire(this.slab, false);
    this.slab = null;
  }

  private readonly flushLater = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  /** Called by net after every read (and once at connect): where the next read lands. */
  private nextRegion(): Uint8Array {
    if (this.closed || this.idle) {
      // No burst: the slab, if any, can no longer be read into; it is pooled once its frames are out.
      if (this.slab && this.pendingBytes === 0) {
        retire(this.slab, true);
        this.slab = null;
      }
      this.region = scratch;
    } else {
      if (!this.slab || this.slab.buf.length - this.cursor < this.minRoom) this.newSlab();
      const end = Math.min(this.slab!.buf.length, this.frameStart + this.frameCap);
      this.region = this.slab!.buf.subarray(this.cursor, end);
    }
    return this.region;
  }

  private newSlab(): void {
    this.flush();
    if (this.slab) retire(this.slab, true);
    this.slab = takeSlab(this.slabSize);
    this.cursor = this.frameStart = 0;
  }
}
