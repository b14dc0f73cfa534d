// The browser side of the wire contract (app/src/wire/messages.ts): one typed socket over one
// WebSocket to /bridge. Uses only the WebSocket API, so Node tests can pass `ws`'s WebSocket.

import {
  parseServerMessage,
  type ClientMessage,
  type ClosedMessage,
  type ConnectionScenario,
  type ErrorMessage,
  type OpenedMessage,
  type NamedTarget,
  type TlsMode,
  type TlsUpgradedMessage,
} from '../wire/messages.ts';

/** The part of the WebSocket API this class uses. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string | ArrayBufferLike | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export type BridgeTarget = { target: NamedTarget } | { host: string; port: number; tls?: TlsMode };
export type BridgeSocketState = 'connecting' | 'ready' | 'opening' | 'open' | 'upgrading' | 'tls' | 'closed';

/** Frames the socket sends stay well under the bridge's frame limit (1 MiB by default). */
export const MAX_SEND_FRAME = 64 * 1024;
const OPEN = 1;
const encoder = new TextEncoder();

/** ws://host/bridge or wss://host/bridge for the page's own location. */
export function bridgeUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/bridge`;
}

export class BridgeSocket {
  onOpened: ((msg: OpenedMessage) => void) | null = null;
  onTls: ((msg: TlsUpgradedMessage) => void) | null = null;
  onData: ((bytes: Uint8Array) => void) | null = null;
  onClosed: ((msg: ClosedMessage) => void) | null = null;
  onError: ((msg: ErrorMessage) => void) | null = null;

  private ws: WebSocketLike;
  private _state: BridgeSocketState = 'connecting';
  private pending: ClientMessage[] = [];
  private closedReported = false;

  constructor(
    url: string,
    WebSocketImpl: WebSocketConstructor = globalThis.WebSocket as unknown as WebSocketConstructor,
  ) {
    this.ws = new WebSocketImpl(url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.onopen = () => {
      if (this._state === 'connecting') this._state = 'ready';
      for (const m of this.pending.splice(0)) this.ws.send(JSON.stringify(m));
    };
    this.ws.onmessage = (ev) => this.onFrame(ev.data);
    this.ws.onerror = () => {
      if (this._state === 'connecting') {
        this.onError?.({
          type: 'error',
          code: 'INTERNAL',
          message: 'Could not reach the bridge (is mailwire running, and was this page opened from it?).',
        });
      }
    };
    this.ws.onclose = (ev) => {
      if (ev.code === 1009)
        this.onError?.({
          type: 'error',
          code: 'FRAME_TOO_LARGE',
          message: 'The bridge refused a frame that was too large.',
        });
      this.reportClosed({
        type: 'closed',
        by: 'bridge',
        reason: `The bridge connection ended (WebSocket code ${ev.code}${ev.reason ? `: ${ev.reason}` : ''}).`,
      });
    };
  }

  get state(): BridgeSocketState {
    return this._state;
  }

  /** Bytes queued in the WebSocket and not yet sent: wait while it is high (backpressure). */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  /** `scenario` switches a practice-server scenario on for this connection only (lessons). */
  open(target: BridgeTarget, scenario?: ConnectionScenario): void {
    this._state = 'opening';
    if ('target' in target)
      this.control(
        scenario ? { type: 'open', target: target.target, scenario } : { type: 'open', target: target.target },
      );
    else this.control({ type: 'open', host: target.host, port: target.port, tls: target.tls ?? 'none' });
  }

  /** Call after the server accepted STARTTLS/STLS; bytes sent until `onTls` go inside TLS. */
  startTls(): void {
    this._state = 'upgrading';
    this.control({ type: 'starttls' });
  }

  /** Raw bytes for the server; a string is sent as UTF-8. Large data goes in several frames. */
  send(data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    if (this.ws.readyState !== OPEN) throw new Error('The bridge socket is not open.');
    for (let at = 0; at < bytes.length; at += MAX_SEND_FRAME)
      this.ws.send(bytes.subarray(at, Math.min(at + MAX_SEND_FRAME, bytes.length)));
  }

  close(): void {
    if (this.ws.readyState === OPEN && this._state !== 'closed') this.control({ type: 'close' });
    else this.ws.close();
  }

  private control(msg: ClientMessage): void {
    if (this.ws.readyState === OPEN) this.ws.send(JSON.stringify(msg));
    else this.pending.push(msg);
  }

  private onFrame(data: unknown): void {
    if (data instanceof ArrayBuffer) return void this.onData?.(new Uint8Array(data));
    if (ArrayBuffer.isView(data))
      return void this.onData?.(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const parsed = parseServerMessage(String(data));
    if (!parsed.ok) {
      this.onError?.({ type: 'error', code: 'BAD_MESSAGE', message: parsed.message });
      return;
    }
    const msg = parsed.value;
    switch (msg.type) {
      case 'opened':
        this._state = msg.tls ? 'tls' : 'open';
        this.onOpened?.(msg);
        break;
      case 'tls':
        this._state = 'tls';
        this.onTls?.(msg);
        break;
      case 'error':
        this.onError?.(msg);
        break;
      case 'closed':
        this.reportClosed(msg);
        break;
    }
  }

  private reportClosed(msg: ClosedMessage): void {
    this._state = 'closed';
    if (this.closedReported) return;
    this.closedReported = true;
    this.onClosed?.(msg);
  }
}
