// Parsing of one option value: booleans, whole numbers, sizes, lists, HOST:PORT targets, origins,
// addresses. Each takes the raw value (a string from argv/env, or any JSON value from the config
// file) and `from` (where it came from, for the message), and throws ConfigError saying what to
// give instead.
import { isIP } from 'node:net';
import { ConfigError, type AllowedTarget } from './types.ts';

export function parseBool(v: unknown, from: string): boolean {
  if (typeof v === 'boolean') return v;
  const s = String(v).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
  throw new ConfigError(`${from} must be true or false (got ${JSON.stringify(v)}).`);
}

export function parseInteger(v: unknown, from: string, min: number, max: number): number {
  const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(String(v)) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${from} must be a whole number from ${min} to ${max} (got ${JSON.stringify(v)}).`);
  }
  return n;
}

/** "50MB", "512 KB", "1G" or plain octets; K, M, G are powers of 1024 (RFC 9208 counts 1024-octet units). */
export function parseSize(v: unknown, from: string): number {
  const m = /^\s*(\d+)\s*([kmg]i?b?|b)?\s*$/i.exec(String(v));
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m?.[2] ?? '').charAt(0).toLowerCase()];
  const n = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!Number.isSafeInteger(n) || n > 1024 ** 4) {
    throw new ConfigError(
      `${from} must be a size such as 50MB, 512KB or 1GB, or 0 for no limit (got ${JSON.stringify(v)}).`,
    );
  }
  return n;
}

export function parseList(v: unknown): string[] {
  const items = Array.isArray(v) ? v.map(String) : String(v).split(',');
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Parses "host:port" or "[v6]:port". */
export function parseTarget(text: string, from: string): AllowedTarget {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  if (!m)
    throw new ConfigError(
      `${from}: "${text}" is not HOST:PORT (for example smtp.gmail.com:465, or [::1]:25 for IPv6).`,
    );
  const host = m[1]!.toLowerCase().replace(/\.$/, '');
  if (!isIP(host) && !/^[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$/.test(host)) {
    throw new ConfigError(`${from}: "${m[1]}" is not a valid host name or IP address.`);
  }
  return { host, port: parseInteger(m[2], `${from} (port of ${text})`, 1, 65535) };
}

export function parseOrigin(text: string, from: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${from}: "${text}" is not an origin such as http://localhost:5173.`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash) {
    throw new ConfigError(`${from}: "${text}" is not an origin (scheme://host[:port], nothing after it).`);
  }
  return url.origin;
}

/** Any text but the empty one, trimmed. */
export function parseNonEmpty(v: unknown, from: string): string {
  const s = String(v).trim();
  if (!s) throw new ConfigError(`${from} must not be empty.`);
  return s;
}

/** An address to listen on (--practice-host): an IP address, [v6] brackets allowed, or localhost. */
export function parseListenHost(v: unknown, from: string): string {
  const h = parseNonEmpty(v, from).replace(/^\[|\]$/g, '');
  if (!isIP(h) && h !== 'localhost')
    throw new ConfigError(`${from}: "${h}" is not an IP address to listen on (e.g. 0.0.0.0 or 192.168.1.20).`);
  return h;
}

/** The page's public URL (--public-url), kept as its origin (RFC 6454): what the browser sends as Origin. */
export function parsePublicUrl(v: unknown, from: string): string {
  let url: URL;
  try {
    url = new URL(parseNonEmpty(v, from));
  } catch {
    throw new ConfigError(`${from}: "${String(v)}" is not a URL such as https://mail.school.example.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`${from}: the page is served over http: or https:, not ${url.protocol}.`);
  return url.origin;
}

/** --retry-schedule: 1 to 20 delays in seconds, each at most a day. */
export function parseRetrySchedule(v: unknown, from: string): number[] {
  const list = parseList(v).map((n) => parseInteger(n, from, 0, 86_400));
  if (!list.length || list.length > 20)
    throw new ConfigError(`${from}: give 1 to 20 delays in seconds, comma-separated (e.g. 5,10,20,40).`);
  return list;
}

/** --trust-proxy: true (loopback only: []), false (null), or the proxies' IP addresses besides loopback. */
export function parseTrustProxy(v: unknown, from: string): string[] | null {
  if (v === true || /^(1|true|yes|on)$/i.test(String(v))) return [];
  if (/^(0|false|no|off|)$/i.test(String(v))) return null;
  return parseList(v).map((a) => {
    if (!isIP(a))
      throw new ConfigError(`${from}: "${a}" is not a proxy IP address (e.g. --trust-proxy=10.0.0.5,10.0.0.6).`);
    return a.toLowerCase();
  });
}
