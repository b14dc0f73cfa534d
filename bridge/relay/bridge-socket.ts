// The bridge's WebSocket class (ws's `WebSocket` option). Two changes:
// - a frame above the hard cap (maxPayload) makes ws close with 1009 at once, before any 'error'
//   listener runs, so nothing could be sent after; this class lets the session send its
//   FRAME_TOO_LARGE error frame first, so the learner reads why (RFC 6455 section 7.4.1: 1009 is
//   "message too big" with no words);
// - a short reply goes out as one socket write (sendReplyNow).
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

/** The longest payload with a 2-byte extended length (RFC 6455 section 5.2). */
const SHORT_PAYLOAD_MAX = 0xffff;

export class BridgeWebSocket extends WebSocket {
  /** Set by the session: sends the error frame that must precede a 1009 close. */
  beforeTooBigClose: (() => void) | null = null;

  override close(code?: number, data?: string | Buffer): void {
    if (code === 1009 && this.readyState === WebSocket.OPEN && this.beforeTooBigClose) {
      const explain = this.beforeTooBigClose;
      this.beforeTooBigClose = null;
      explain();
    }
    super.close(code, data);
  }

  /**
   * Sends `bytes` (valid only during the call) as one binary message in one socket write, and says
   * whether it could. ws writes an unmasked frame as two buffers, header and payload (a writev
   * behind a cork), and has no way to send a frame built by the caller; for a server's reply that
   * cost about 3% of a round trip through the bridge (issue 18, bench/relay.ts). Only when nothing
   * waits in ws or the socket, so the order of messages holds; the caller falls back to send().
   */
  sendReplyNow(bytes: Uint8Array): boolean {
    const socket = (this as unknown as { _socket?: Duplex | null })._socket;
    if (this.readyState !== WebSocket.OPEN || !socket || this.bufferedAmount !== 0) return false;
    if (bytes.length > SHORT_PAYLOAD_MAX) return false;
    const head = bytes.length < 126 ? 2 : 4;
    const frame = Buffer.allocUnsafe(head + bytes.length);
    frame[0] = 0x82; // FIN and opcode 2: a whole binary message (RFC 6455 section 5.2)
    // No mask bit: a server never masks its frames (RFC 6455 section 5.1).
    if (head === 2) frame[1] = bytes.length;
    else {
      frame[1] = 126;
      frame.writeUInt16BE(bytes.length, 2);
    }
    frame.set(bytes, head);
    socket.write(frame);
    return true;
  }
}
