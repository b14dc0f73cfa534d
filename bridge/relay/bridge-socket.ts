// The bridge's WebSocket class (ws's `WebSocket` option). One change: a frame above the hard cap
// (maxPayload) makes ws close with 1009 at once, before any 'error' listener runs, so nothing
// could be sent after; this class lets the session send its FRAME_TOO_LARGE error frame first,
// so the learner reads why (RFC 6455 section 7.4.1: 1009 is "message too big" with no words).
import { WebSocket } from 'ws';

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
}
