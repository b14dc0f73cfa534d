// Who may connect where. A WebSocket-to-TCP relay is an open proxy unless fenced (OpenStack's
// CVE-2015-0259 was a missing Origin check on such a relay), so every decision lives here:
// the Origin check, the target allowlist, the mail-port list, the check of the address actually
// dialled (so a name that resolves to a private address cannot slip through, DNS rebinding
// included: the session connects to the address checked here, never re-resolves), and the caps.

import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { AllowedTarget, MailwireConfig } from '../config/types.ts';
import type { ErrorCode } from '../../app/src/wire/messages.ts';

export type Refusal = { ok: false; code: ErrorCode; message: string };

// ---- addresses ----

function parseV4(a: string): number[] | null {
  const parts = a.split('.');
  if (parts.length !== 4) return null;
  const n = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return n.every((x) => x >= 0 && x <= 255) ? n : null;
}

/** Expands an IPv6 address (maybe with an embedded IPv4 tail or a zone) to 8 16-bit groups. */
function parseV6(input: string): number[] | null {
  let a = input.replace(/%.*$/, '').toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (tail) {
    const v4 = parseV4(tail[1]!);
    if (!v4) return null;
    a =
      a.slice(0, -tail[1]!.length) +
      `${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = a.split('::');
  if (halves.length > 2) return null;
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - left.length - right.length : 0;
  const groups = [...left, ...Array(Math.max(fill, 0)).fill('0'), ...right];
  if (groups.length !== 8) return null;
  const n = groups.map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
  return n.every((x) => !Number.isNaN(x)) ? n : null;
}

// The IANA special-purpose address registries (iana-ipv4-special-registry and
// iana-ipv6-special-registry, RFC 6890), checked 2026-12: every block there that is not
// globally reachable, plus multicast and the reserved space. A relay that dials them is a way
// into the teacher's own network (or a way to hit documentation/benchmark ranges by mistake).
const V4_RANGES: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'], // "this network", RFC 791 section 3.2
  ['10.0.0.0', 8, 'private'], // RFC 1918
  ['100.64.0.0', 10, 'shared (CGNAT)'], // RFC 6598
  ['127.0.0.0', 8, 'loopback'], // RFC 1122 section 3.2.1.3
  ['169.254.0.0', 16, 'link-local'], // RFC 3927
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'], // RFC 6890 section 2.1 (DS-Lite, NAT64 discovery...)
  ['192.0.2.0', 24, 'documentation (TEST-NET-1)'], // RFC 5737
  ['192.88.99.0', 24, '6to4 relay anycast (deprecated)'], // RFC 7526
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'], // RFC 2544
  ['198.51.100.0', 24, 'documentation (TEST-NET-2)'],
  ['203.0.113.0', 24, 'documentation (TEST-NET-3)'],
  ['224.0.0.0', 3, 'multicast or reserved'], // 224/4 multicast (RFC 5771), 240/4 reserved (RFC 1112), broadcast
];

const v4Number = (a: number[]) => ((a[0]! << 24) | (a[1]! << 16) | (a[2]! << 8) | a[3]!) >>> 0;
const V4_TABLE = V4_RANGES.map(([base, bits, why]) => ({
  base: v4Number(parseV4(base)!),
  mask: bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0,
  why,
}));

function classifyV4(octets: number[]): string | null {
  const n = v4Number(octets);
  for (const r of V4_TABLE) if ((n & r.mask) >>> 0 === r.base) return r.why;
  return null;
}

/** The IPv4 address in 16-bit groups g[i] and g[i+1]. */
const v4At = (g: number[], i: number) => [g[i]! >> 8, g[i]! & 0xff, g[i + 1]! >> 8, g[i + 1]! & 0xff];

// IPv6 blocks by prefix (groups and bit length), most specific first where they nest.
const V6_RANGES: [number[], number, string][] = [
  [[0x64, 0xff9b, 1], 48, 'local-use IPv4/IPv6 translation'], // RFC 8215
  [[0x100, 0, 0, 0], 64, 'discard-only'], // RFC 6666
  [[0x100, 0, 0, 1], 64, 'dummy prefix'], // RFC 9780
  [[0x2001, 0x2, 0], 48, 'benchmarking'], // RFC 5180
  [[0x2001, 0x10], 28, 'ORCHID (not routed)'], // RFC 4843, deprecated
  [[0x2001, 0x20], 28, 'ORCHIDv2 (not routed)'], // RFC 7343
  [[0x2001, 0xdb8], 32, 'documentation'], // RFC 3849
  [[0x3fff, 0], 20, 'documentation'], // RFC 9637
  [[0x5f00], 16, 'SRv6 SIDs'], // RFC 9602
  [[0xfc00], 7, 'private (unique local)'], // RFC 4193
  [[0xfe80], 10, 'link-local'], // RFC 4291 section 2.5.6
  [[0xfec0], 10, 'site-local (deprecated)'], // RFC 3879
  [[0xff00], 8, 'multicast'], // RFC 4291 section 2.7
];

function inV6(g: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((g[i]! & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

/**
 * Why an address must not be dialled without --allow-private, or null when it is a public one:
 * the special-purpose blocks above, and for the forms that carry an IPv4 address (IPv4-mapped and
 * -compatible, NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32), the verdict on that IPv4
 * address. Outside 2000::/3 (global unicast, RFC 4291 section 2.4) all IPv6 space is reserved.
 */
export function addressRestriction(address: string): string | null {
  const family = isIP(address);
  if (family === 4) return classifyV4(parseV4(address)!);
  if (family !== 6) return 'not an IP address';
  const g = parseV6(address);
  if (!g) return 'not an IP address';
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // ::ffff:a.b.c.d (mapped, RFC 4291 section 2.5.5.2) and ::a.b.c.d (compatible, deprecated,
  // section 2.5.5.1) reach the IPv4 address itself.
  if (zeroUpTo(5) && (g[5] === 0xffff || g[5] === 0)) return classifyV4(v4At(g, 6));
  for (const [prefix, bits, why] of V6_RANGES) if (inV6(g, prefix, bits)) return why;
  // NAT64's well-known prefix (RFC 6052) and 6to4 (RFC 3056 section 2) embed an IPv4 address.
  if (inV6(g, [0x64, 0xff9b, 0, 0, 0, 0], 96)) return classifyV4(v4At(g, 6));
  if (g[0] === 0x2002) return classifyV4(v4At(g, 1));
  // Teredo (RFC 4380 section 4): the server's IPv4 in bits 32-63, the client's, inverted, in 96-127.
  if (g[0] === 0x2001 && g[1] === 0) {
    const server = classifyV4(v4At(g, 2));
    const client = classifyV4(v4At([0, 0, 0, 0, 0, 0, ~g[6]! & 0xffff, ~g[7]! & 0xffff], 6));
    return server ? `Teredo via a ${server} server` : client ? `Teredo to a ${client} client` : null;
  }
  // The rest of 2001::/23 (RFC 2928): protocol anycasts, AMT, AS112; none of them a mail server.
  if (g[0] === 0x2001 && g[1]! < 0x200) return 'IETF protocol assignments';
  if ((g[0]! & 0xe000) !== 0x2000) return 'reserved';
  return null;
}

// ---- origin ----

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The Origin of the page must be the bridge's own origin or one configured. Names other than the
 * configured host are not trusted from the Host header: a DNS-rebinding page would send a Host
 * and Origin that agree. An IP-literal Host is safe to mirror (rebinding needs a name).
 * A request without Origin is not from a browser page and is let through.
 */
export function checkOrigin(
  origin: string | undefined,
  hostHeader: string | undefined,
  config: MailwireConfig,
  boundPort: number,
): Refusal | { ok: true } {
  if (origin === undefined) return { ok: true };
  const allowed = new Set(config.allowedOrigins);
  const host = isIP(config.host) === 6 ? `[${config.host}]` : config.host;
  allowed.add(`http://${host}:${boundPort}`);
  if (LOOPBACK_NAMES.has(host)) for (const n of LOOPBACK_NAMES) allowed.add(`http://${n}:${boundPort}`);
  if (hostHeader) {
    const name = hostHeader.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (isIP(name) && /:\d+$/.test(hostHeader) && Number(hostHeader.split(':').pop()) === boundPort)
      allowed.add(`http://${hostHeader}`);
  }
  if (allowed.has(origin)) return { ok: true };
  return {
    ok: false,
    code: 'ORIGIN_NOT_ALLOWED',
    message: `Pages from ${origin} may not use this bridge. Open mailwire from its own address, or start it with --allowed-origins ${origin}.`,
  };
}

// ---- targets ----

export type LookupAll = (host: string) => Promise<{ address: string; family: number }[]>;
const systemLookup: LookupAll = (host) => dnsLookup(host, { all: true, verbatim: true });

export type ResolvedTarget = { ok: true; host: string; port: number; address: string; family: 'IPv4' | 'IPv6' };

const normalise = (host: string) =>
  host
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[|\]$/g, '');

export function isAllowlisted(allow: AllowedTarget[], host: string, port: number): boolean {
  const h = normalise(host);
  return allow.some((t) => t.host === h && t.port === port);
}

/**
 * Decides whether a remote target may be dialled and which address to dial. Every refusal happens
 * here, before any connection is attempted.
 */
export async function resolveRemoteTarget(
  host: string,
  port: number,
  config: MailwireConfig,
  lookup: LookupAll = systemLookup,
): Promise<ResolvedTarget | Refusal> {
  const name = normalise(host);
  if (!isAllowlisted(config.allow, name, port)) {
    return {
      ok: false,
      code: 'TARGET_NOT_ALLOWED',
      message: `${host}:${port} is not on this bridge's allow list. Use a practice target, or ask whoever runs mailwire to start it with --allow ${name}:${port}.`,
    };
  }
  if (!config.mailPorts.includes(port)) {
    return {
      ok: false,
      code: 'PORT_NOT_ALLOWED',
      message: `Port ${port} is not a mail port this bridge relays to (${config.mailPorts.join(', ')}). Add it with --mail-ports if it really serves mail.`,
    };
  }
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(name) ? [{ address: name, family: isIP(name) }] : await lookup(name);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return {
      ok: false,
      code: 'DNS_FAILED',
      message: `The name ${name} could not be resolved (${code}). Check the spelling, or whether this machine has DNS.`,
    };
  }
  if (addresses.length === 0) return { ok: false, code: 'DNS_FAILED', message: `The name ${name} has no addresses.` };
  const usable = config.allowPrivate ? addresses : addresses.filter((a) => addressRestriction(a.address) === null);
  const chosen = usable[0];
  if (!chosen) {
    const first = addresses[0]!;
    return {
      ok: false,
      code: 'ADDRESS_NOT_ALLOWED',
      message: `${name} resolves to ${first.address}, a ${addressRestriction(first.address)} address; the bridge does not dial those unless started with --allow-private.`,
    };
  }
  return { ok: true, host: name, port, address: chosen.address, family: chosen.family === 6 ? 'IPv6' : 'IPv4' };
}

// ---- session caps ----

export class SessionLimiter {
  private perClient = new Map<string, number>();
  private total = 0;
  constructor(private limits: { sessionsPerClient: number; maxSessions: number }) {}

  get active(): number {
    return this.total;
  }

  /** Takes a slot for this client; returns the function that gives it back, or a refusal. */
  acquire(client: string): (() => void) | Refusal {
    const mine = this.perClient.get(client) ?? 0;
    if (this.total >= this.limits.maxSessions) {
      return {
        ok: false,
        code: 'LIMIT_REACHED',
        message: `The bridge already relays ${this.total} sessions, its limit. Close another connection and try again.`,
      };
    }
    if (mine >= this.limits.sessionsPerClient) {
      return {
        ok: false,
        code: 'LIMIT_REACHED',
        message: `You already have ${mine} open sessions, the limit per client. Close one and try again.`,
      };
    }
    this.perClient.set(client, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const n = (this.perClient.get(client) ?? 1) - 1;
      if (n <= 0) this.perClient.delete(client);
      else this.perClient.set(client, n);
    };
  }
}
