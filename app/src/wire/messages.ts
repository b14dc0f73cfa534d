// The wire contract between the browser and the bridge (ARCHITECTURE.md, "The wire contract").
// One WebSocket per TCP connection. Text frames carry these JSON control messages; binary frames
// carry the raw bytes of the TCP stream, unchanged. Imported by both the bridge and the app, so
// it stays pure: no Node APIs, no DOM.

/** The practice server's named targets; the bridge maps each to a loopback port. */
export const PRACTICE_TARGETS = [
  'practice/smtp',
  'practice/submission',
  'practice/smtps',
  'practice/imap',
  'practice/imaps',
  'practice/pop3',
  'practice/pop3s',
  // The practice DNS server over TCP (RFC 1035 section 4.2.2, RFC 7766): the DNS panel's queries.
  'practice/dns',
] as const;
export type PracticeTarget = (typeof PRACTICE_TARGETS)[number];

/**
 * The other practice domain's servers, reachable by name only while the practice internet (the
 * relay, bridge/practice/domains/relay.ts) runs: carol's mailbox over IMAPS and faraway.test's MX
 * on port 25's stand-in. Without the relay, opening one is refused with PRACTICE_UNAVAILABLE.
 */
export const FARAWAY_TARGETS = ['faraway/smtp', 'faraway/imaps'] as const;
export type FarawayTarget = (typeof FARAWAY_TARGETS)[number];
/** Every name an `open` may carry. */
export const NAMED_TARGETS = [...PRACTICE_TARGETS, ...FARAWAY_TARGETS] as const;
export type NamedTarget = PracticeTarget | FarawayTarget;

/**
 * The default loopback port of each practice target (flags may move them; /api/practice tells the
 * page the running ones). One table for the practice server and the page.
 */
export const PRACTICE_DEFAULT_PORTS: Readonly<Record<PracticeTarget, number>> = {
  'practice/smtp': 10025,
  'practice/submission': 10587,
  'practice/smtps': 10465,
  'practice/imap': 10143,
  'practice/imaps': 10993,
  'practice/pop3': 10110,
  'practice/pop3s': 10995,
  'practice/dns': 10053,
};

export type TlsMode = 'none' | 'implicit';

// ---- browser -> bridge ----

/** Practice-server scenarios a lesson may switch on for its own connection only. */
export const CONNECTION_SCENARIOS = ['requireTlsForAuth', 'greylist', 'mailboxFull'] as const;
export type ConnectionScenario = (typeof CONNECTION_SCENARIOS)[number];

export type OpenPractice = { type: 'open'; target: NamedTarget; scenario?: ConnectionScenario };
export type OpenRemote = { type: 'open'; host: string; port: number; tls: TlsMode };
export type OpenMessage = OpenPractice | OpenRemote;
export type StartTlsMessage = { type: 'starttls' };
export type CloseMessage = { type: 'close' };
export type ClientMessage = OpenMessage | StartTlsMessage | CloseMessage;

// ---- bridge -> browser ----

export interface TlsCertificateInfo {
  subject: string;
  issuer: string;
  validFrom: string; // ISO 8601
  validTo: string; // ISO 8601
  fingerprint256: string; // colon-separated hex, as Node prints it
  subjectAltNames: string[];
}

export interface TlsInfo {
  protocol: string; // e.g. "TLSv1.3"
  cipher: string; // e.g. "TLS_AES_256_GCM_SHA384"
  servername: string | null; // the SNI the bridge sent
  certificate: TlsCertificateInfo | null;
  verified: boolean;
  /** Why the certificate was not verified, or how it was (e.g. "pinned practice certificate"). */
  verifyReason: string | null;
}

export interface RemoteInfo {
  /** What the learner asked for: a practice target name or host:port. */
  target: string;
  host: string;
  port: number;
  /** The address actually dialled. */
  address: string;
  family: 'IPv4' | 'IPv6';
}

export type OpenedMessage = { type: 'opened'; remote: RemoteInfo; tls: TlsInfo | null };
export type TlsUpgradedMessage = {
  type: 'tls';
  tls: TlsInfo;
  /** Plaintext bytes that arrived after the go-ahead and before the handshake: dropped, never
   * carried into the TLS session (the STARTTLS command-injection class, CVE-2011-0411). */
  discardedPlaintextBytes: number;
};
export type ClosedBy = 'server' | 'client' | 'bridge';
export type ClosedMessage = { type: 'closed'; by: ClosedBy; reason: string };

export const ERROR_CODES = [
  'BAD_MESSAGE', // malformed control message
  'BAD_STATE', // a valid message at the wrong time (e.g. starttls before open)
  'TARGET_NOT_ALLOWED',
  'PORT_NOT_ALLOWED',
  'ADDRESS_NOT_ALLOWED',
  'ORIGIN_NOT_ALLOWED',
  'DNS_FAILED',
  'CONNECT_REFUSED',
  'CONNECT_TIMEOUT',
  'CONNECTION_RESET',
  'TLS_FAILED',
  'TLS_CERT_INVALID',
  'LIMIT_REACHED', // a cap: sessions per client or in total, or the unsent-bytes budget (--max-unsent)
  'FRAME_TOO_LARGE', // a frame over --max-frame (or far over it, the hard cap): send smaller frames
  'IDLE_TIMEOUT',
  'LIFETIME_EXCEEDED',
  'PRACTICE_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorMessage = {
  type: 'error';
  code: ErrorCode;
  message: string;
  /** For TLS_CERT_INVALID: the certificate that failed, so the learner can see why. */
  certificate?: TlsCertificateInfo | null;
  /** For STARTTLS: bytes discarded at the switch. */
  discardedPlaintextBytes?: number;
};

export type ServerMessage = OpenedMessage | TlsUpgradedMessage | ClosedMessage | ErrorMessage;

// ---- validation (shared, so both sides agree on what is well-formed) ----

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and validates one text frame from the browser. Never throws. */
export function parseClientMessage(text: string): ParseResult<ClientMessage> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return {
      ok: false,
      message:
        'The control message is not valid JSON. Send an object such as {"type":"open","target":"practice/smtp"}.',
    };
  }
  if (!isObject(data) || typeof data.type !== 'string') {
    return {
      ok: false,
      message: 'A control message must be a JSON object with a "type" field (open, starttls or close).',
    };
  }
  switch (data.type) {
    case 'starttls':
      return { ok: true, value: { type: 'starttls' } };
    case 'close':
      return { ok: true, value: { type: 'close' } };
    case 'open': {
      if ('target' in data) {
        if (typeof data.target !== 'string' || !(NAMED_TARGETS as readonly string[]).includes(data.target)) {
          return {
            ok: false,
            message: `Unknown practice target ${JSON.stringify(data.target)}. Use one of: ${NAMED_TARGETS.join(', ')}.`,
          };
        }
        const target = data.target as PracticeTarget;
        if (data.scenario === undefined) return { ok: true, value: { type: 'open', target } };
        if (typeof data.scenario !== 'string' || !(CONNECTION_SCENARIOS as readonly string[]).includes(data.scenario)) {
          return {
            ok: false,
            message: `Unknown scenario ${JSON.stringify(data.scenario)}. Use one of: ${CONNECTION_SCENARIOS.join(', ')}.`,
          };
        }
        return { ok: true, value: { type: 'open', target, scenario: data.scenario as ConnectionScenario } };
      }
      const { host, port, tls } = data;
      if (typeof host !== 'string' || host.length === 0 || host.length > 253) {
        return {
          ok: false,
          message: 'An "open" needs either a practice "target" or a "host" name of 1 to 253 characters.',
        };
      }
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
        return { ok: false, message: 'An "open" needs a "port" that is a whole number from 1 to 65535.' };
      }
      const mode = tls ?? 'none';
      if (mode !== 'none' && mode !== 'implicit') {
        return {
          ok: false,
          message: '"tls" must be "none" (plain, STARTTLS later) or "implicit" (TLS from the first byte).',
        };
      }
      return { ok: true, value: { type: 'open', host, port, tls: mode } };
    }
    default:
      return {
        ok: false,
        message: `Unknown control message type ${JSON.stringify(data.type)}. Use open, starttls or close.`,
      };
  }
}

/** Parses one text frame from the bridge (used by the app). Never throws. */
export function parseServerMessage(text: string): ParseResult<ServerMessage> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, message: 'The bridge sent a control message that is not valid JSON.' };
  }
  if (!isObject(data)) return { ok: false, message: 'The bridge sent a control message that is not an object.' };
  switch (data.type) {
    case 'opened':
    case 'tls':
    case 'closed':
    case 'error':
      return { ok: true, value: data as unknown as ServerMessage };
    default:
      return { ok: false, message: `The bridge sent an unknown control message type ${JSON.stringify(data.type)}.` };
  }
}
