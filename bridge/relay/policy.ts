// Who may connect where. A WebSocket-to-TCP relay is an open proxy unless fenced (OpenStack's
// CVE-2015-0259 was a missing Origin check on such a relay), so every decision lives here:
// the Origin check, the target allowlist, the mail-port list, the check of the address actually
// dialled (so a name that resolves to a private address cannot slip through, DNS rebinding
// included: the session connects to the address checked here, never re-resolves), and the caps.

import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { AllowedTarget, MailwireConfig } from '../config.ts';
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
    a = a.slice(0, -tail[1]!.length) + `${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
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

function classifyV4([a, b]: number[]): string | null {
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 100 && b! >= 64 && b! <= 127) return 'shared (CGNAT)';
  if (a === 0) return 'unspecified';
  if (a! >= 224) return 'multicast or reserved';
  return null;
}

/**
 * Why an address must not be dialled without --allow-private, or null when it is a public one.
 * Covers loopback 127/8 ::1, private 10/8 172.16/12 192.168/16 fc00::/7, link-local 169.254/16
 * fe80::/10, unspecified, CGNAT 100.64/10, multicast, and IPv4-mapped/compatible IPv6 forms.
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
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated compatible) reach the IPv4 address.
  if (zeroUpTo(5) && (g[5] === 0xffff || g[5] === 0)) {
    return classifyV4([g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff]);
  }
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private (unique local)';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed an IPv4 address; judge that one.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    return classifyV4([g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff]);
  }
  if (g[0] === 0x2002) return classifyV4([g[1]! >> 8, g[1]! & 0xff, g[2]! >> 8, g[2]! & 0xff]);
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
export function checkOrigin(origin: string | undefined, hostHeader: string | undefined, config: MailwireConfig, boundPort: number): Refusal | { ok: true } {
  if (origin === undefined) return { ok: true };
  const allowed = new Set(config.allowedOrigins);
  const host = isIP(config.host) === 6 ? `[${config.host}]` : config.host;
  allowed.add(`http://${host}:${boundPort}`);
  if (LOOPBACK_NAMES.has(host)) for (const n of LOOPBACK_NAMES) allowed.add(`http://${n}:${boundPort}`);
  if (hostHeader) {
    const name = hostHeader.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (isIP(name) && /:\d+$/.test(hostHeader) && Number(hostHeader.split(':').pop()) === boundPort) allowed.add(`http://${hostHeader}`);
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

const normalise = (host: string) => host.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');

export function isAllowlisted(allow: AllowedTarget[], host: string, port: number): boolean {
  const h = normalise(host);
  return allow.some((t) => t.host === h && t.port === port);
}

/**
 * Decides whether a remote target may be dialled and which address to dial. Every refusal happens
 * here, before any connection is attempted.
 */
export async function resolveRemoteTarget(host: string, port: number, config: MailwireConfig, lookup: LookupAll = systemLookup): Promise<ResolvedTarget | Refusal> {
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
    return { ok: false, code: 'DNS_FAILED', message: `The name ${name} could not be resolved (${code}). Check the spelling, or whether this machine has DNS.` };
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
      return { ok: false, code: 'LIMIT_REACHED', message: `The bridge already relays ${this.total} sessions, its limit. Close another connection and try again.` };
    }
    if (mine >= this.limits.sessionsPerClient) {
      return { ok: false, code: 'LIMIT_REACHED', message: `You already have ${mine} open sessions, the limit per client. Close one and try again.` };
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
