// The browser's own address. Behind a school's reverse proxy every request comes from the proxy,
// so with --trust-proxy the address it reports is believed: the Forwarded header (RFC 7239
// section 4, "for=") or else X-Forwarded-For, read from the right (the hop nearest us) past every
// trusted proxy. Only a peer that is itself trusted (loopback, or an address listed in
// --trust-proxy=ADDR,...) may speak for a client; anyone else's header is ignored, as a student
// could otherwise claim to be 127.0.0.1 and pass the local-only reset check.
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** "::ffff:127.0.0.5" -> "127.0.0.5"; brackets and a port are dropped; null when not an address. */
export function normalizeAddress(text: string | undefined): string | null {
  if (!text) return null;
  let a = text.trim().replace(/^"|"$/g, '');
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracket) a = bracket[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  a = a.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  return isIP(a) ? a : null;
}

function isLoopback(a: string): boolean {
  return a === '::1' || /^127\./.test(a);
}

/** The chain of client addresses a proxy reported, nearest last; null entries are unreadable. */
export function forwardedChain(headers: IncomingMessage['headers']): Array<string | null> | null {
  const forwarded = headers.forwarded;
  if (typeof forwarded === 'string' && forwarded.trim()) {
    // Forwarded: for=192.0.2.60;proto=https, for="[2001:db8::1]:4711" (RFC 7239 section 4)
    return forwarded.split(',').map((element) => {
      const pair = element
        .split(';')
        .map((p) => p.trim())
        .find((p) => /^for=/i.test(p));
      return pair ? normalizeAddress(pair.slice(4)) : null;
    });
  }
  const xff = headers['x-forwarded-for'];
  const text = Array.isArray(xff) ? xff.join(',') : xff;
  if (typeof text === 'string' && text.trim()) return text.split(',').map((a) => normalizeAddress(a));
  return null;
}

/** `trustProxy`: null (believe no header), or the proxies trusted besides loopback. */
export function clientAddress(req: Pick<IncomingMessage, 'headers' | 'socket'>, trustProxy: string[] | null): string {
  const peer = normalizeAddress(req.socket.remoteAddress) ?? req.socket.remoteAddress ?? 'unknown';
  if (trustProxy === null) return peer;
  const trusted = (a: string) => isLoopback(a) || trustProxy.includes(a);
  if (!trusted(peer)) return peer;
  const chain = forwardedChain(req.headers);
  if (!chain) return peer;
  let client = peer;
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = chain[i];
    if (!hop) break; // an unreadable hop ends what can be believed ("unknown", an obfuscated name)
    client = hop;
    if (!trusted(hop)) break;
  }
  return client;
}

/** True when a trusted proxy relayed this request: it came from the network, whatever it claims. */
export function viaProxy(req: Pick<IncomingMessage, 'headers' | 'socket'>, trustProxy: string[] | null): boolean {
  if (trustProxy === null) return false;
  const peer = normalizeAddress(req.socket.remoteAddress);
  return peer !== null && (isLoopback(peer) || trustProxy.includes(peer)) && forwardedChain(req.headers) !== null;
}
